"""Home monitoring in the demo province: community teams and households in the communes with the
most people monitored at home, and a week of daily checks for everyone monitored at home on
`today` (from the quarantine demo's placements): most report twice a day, some once, a few have
gone silent; some have a fever, a few a danger sign — the older escalations resolved by the health
station, the last day's still open.

Bulk inserts, classified by the same rules as the services, with `MonitoringState` and the
escalations built as the services leave them. Call once after the quarantine demo; a second call
(teams already in the province) does nothing. Without placements it still sets up teams and
households, and records no checks.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.demo import names
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.monitoring import domain
from chongdich.monitoring.models import (
    CheckSource,
    CommunityTeam,
    DailyCheck,
    Escalation,
    EscalationAction,
    EscalationStatus,
    Household,
    HouseholdMember,
    MonitoringRuleSet,
    MonitoringState,
    ReportLink,
    TeamMember,
)
from chongdich.monitoring.selectors import hash_key, monitored_placements
from chongdich.people.models import Person
from chongdich.quarantine.models import PlacementStatus

COMMUNES = 3
HOUSEHOLDS_PER_TEAM = 65
PEOPLE_PER_COMMUNE = 260  # about four teams' worth of households at most
DAYS = 7  # checks over the last week of each monitoring period
VOLUNTEERS = 3


@dataclass(frozen=True)
class MonitoringDemoSummary:
    teams: int = 0
    households: int = 0
    monitored: int = 0
    checks: int = 0
    escalations: int = 0
    open_escalations: int = 0
    skipped: bool = False


def _pick(rng, items):
    return items[min(int(rng.random() * len(items)), len(items) - 1)]


def _at(day: dt.date, hour: float) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min) + dt.timedelta(hours=hour))


def _name(rng) -> str:
    family = _pick(rng, [n for n, _ in names.FAMILY_NAMES[:12]])
    if rng.random() < 0.5:
        return f"{family} {names.MALE_TRADITIONAL} {_pick(rng, names.MALE_GIVEN)}"
    return f"{family} {names.FEMALE_TRADITIONAL} {_pick(rng, names.FEMALE_GIVEN)}"


def _phone(rng) -> str:
    return "09" + "".join(str(int(rng.random() * 10)) for _ in range(8))


def _communes(province: AdminUnit, monitored_by_commune: Counter) -> list[int]:
    """The communes with the most people monitored at home; the demo tracer's commune first."""
    chosen: list[int] = []
    tracer = User.objects.filter(role=User.Role.TRACER, unit__province=province, unit__level=UnitLevel.COMMUNE,
                                 is_active=True).order_by("pk").first()
    if tracer is not None:
        chosen.append(tracer.unit_id)
    for commune_id, _n in monitored_by_commune.most_common():
        if len(chosen) >= COMMUNES:
            break
        if commune_id not in chosen:
            chosen.append(commune_id)
    if len(chosen) < COMMUNES:
        crowded = (Person.objects.filter(province=province).values("commune_id").annotate(n=Count("pk"))
                   .order_by("-n").values_list("commune_id", flat=True)[: COMMUNES * 2])
        chosen += [c for c in crowded if c not in chosen][: COMMUNES - len(chosen)]
    return chosen


@transaction.atomic
def load_demo(*, province: AdminUnit, rng, today: dt.date) -> MonitoringDemoSummary:
    if CommunityTeam.objects.filter(province=province).exists():
        return MonitoringDemoSummary(skipped=True)
    placements = list(monitored_placements(today, unit=province).select_related("person"))
    monitored_by_commune = Counter(p.person.commune_id for p in placements)
    teams, households = _teams_and_households(province, rng, _communes(province, monitored_by_commune), placements)
    checks, escalations, open_ones = _checks(rng, placements, today)
    return MonitoringDemoSummary(teams=teams, households=households, monitored=len(placements), checks=checks,
                                 escalations=escalations, open_escalations=open_ones)


def _teams_and_households(province, rng, commune_ids, placements) -> tuple[int, int]:
    monitored = defaultdict(list)
    for p in placements:
        monitored[p.person.commune_id].append(p.person)
    n_teams = n_households = 0
    for commune in AdminUnit.objects.filter(pk__in=commune_ids).order_by("code"):
        people = list({p.pk: p for p in monitored[commune.pk]}.values())[:PEOPLE_PER_COMMUNE]
        taken = {p.pk for p in people}
        wanted = PEOPLE_PER_COMMUNE - len(people)
        neighbours = Person.objects.filter(commune=commune).exclude(pk__in=taken).order_by("pk")[: wanted * 3]
        people += [p for p in neighbours if rng.random() < 0.34][:wanted]
        people = sorted(people, key=lambda p: rng.random())
        groups, i = [], 0
        while i < len(people):
            size = 1 + int(rng.random() * 5)
            groups.append(people[i: i + size])
            i += size
        teams = _teams(commune, rng, max(math.ceil(len(groups) / HOUSEHOLDS_PER_TEAM), 1))
        rows = [Household(address=g[0].address or f"Số {k + 1} {_pick(rng, names.STREETS)}",
                          head=g[0], team=teams[k // HOUSEHOLDS_PER_TEAM], **commune.jurisdiction_keys())
                for k, g in enumerate(groups)]
        Household.objects.bulk_create(rows)
        HouseholdMember.objects.bulk_create(
            [HouseholdMember(household=h, person=p) for h, g in zip(rows, groups, strict=True) for p in g])
        n_teams += len(teams)
        n_households += len(rows)
    return n_teams, n_households


def _teams(commune: AdminUnit, rng, count: int) -> list[CommunityTeam]:
    teams = CommunityTeam.objects.bulk_create([
        CommunityTeam(name=f"Tổ COVID cộng đồng số {k + 1}", **commune.jurisdiction_keys()) for k in range(count)])
    tracers = list(User.objects.filter(unit=commune, role=User.Role.TRACER, is_active=True).order_by("pk"))
    members = []
    for k, team in enumerate(teams):
        account = tracers[k] if k < len(tracers) else None
        if account is not None:
            members.append(TeamMember(team=team, user=account, full_name=account.display_name, is_leader=True))
        for v in range(VOLUNTEERS):
            members.append(TeamMember(team=team, full_name=_name(rng), phone=_phone(rng),
                                      is_leader=account is None and v == 0))
    TeamMember.objects.bulk_create(members)
    return teams


def _reading(rng, *, profile: dict, day_index: int) -> tuple[Decimal | None, int | None, list[str]]:
    fever = day_index in profile["fever_days"]
    temperature = Decimal(str(round(37.6 + rng.random() * 1.3 if fever else 36.3 + rng.random() * 0.8, 1)))
    spo2 = None if profile["no_oximeter"] else 96 + int(rng.random() * 4)
    symptoms = ["fever"] if fever and rng.random() < 0.5 else []
    if rng.random() < 0.15:
        symptoms.append(_pick(rng, ["cough", "sore_throat", "fatigue", "headache", "runny_nose", "loss_of_taste_smell"]))
    if day_index == profile["danger_day"]:
        if rng.random() < 0.5:
            spo2 = 91 + int(rng.random() * 5)
        symptoms.append(_pick(rng, ["dyspnoea", "chest_pain", "dyspnoea"]))
    return (None if profile["no_thermometer"] else temperature), spo2, symptoms


def _checks(rng, placements, today: dt.date) -> tuple[int, int, int]:
    versions = [(rs.valid_from, rs) for rs in MonitoringRuleSet.objects.all()]
    if not placements or not versions:
        return 0, 0, 0
    accounts = {u.unit_id: u for u in User.objects.filter(role=User.Role.TRACER, is_active=True).order_by("pk")}
    links: dict[int, ReportLink] = {}
    rows: list[DailyCheck] = []
    for placement in placements:
        person = placement.person
        since = placement.started_at if placement.status == PlacementStatus.ACTIVE else placement.ended_at
        first = max(timezone.localdate(since), today - dt.timedelta(days=DAYS - 1))
        span = (today - first).days + 1
        habit = rng.random()
        profile = {
            "twice": habit < 0.7, "silent_from": span - 1 - int(rng.random() * 2) if habit > 0.92 else span + 1,
            "fever_days": {int(rng.random() * span)} if rng.random() < 0.15 else set(),
            "danger_day": span - 1 - int(rng.random() * 3) if rng.random() < 0.04 else -1,
            "no_oximeter": rng.random() < 0.3, "no_thermometer": rng.random() < 0.05,
            "source": _pick(rng, [CheckSource.SELF, CheckSource.SELF, CheckSource.TEAM, CheckSource.TEAM, CheckSource.HEALTH]),
        }
        if profile["source"] == CheckSource.SELF:
            links[person.pk] = ReportLink(person=person, key_hash=hash_key(secrets.token_urlsafe(18)), prefix="demo",
                                          created_at=since)
        for d in range(span):
            if d >= profile["silent_from"]:
                break
            day = first + dt.timedelta(days=d)
            hours = [7 + rng.random() * 2] + ([16 + rng.random() * 2] if profile["twice"] and day < today else [])
            for hour in hours:
                at = _at(day, hour)
                if at < since or rng.random() < 0.08:
                    continue
                temperature, spo2, symptoms = _reading(rng, profile=profile, day_index=d)
                rule_set = domain.in_force(versions, day)
                verdict = domain.classify_check(domain.Reading(temperature, spo2, frozenset(symptoms)), _rules(rule_set))
                rows.append(DailyCheck(
                    person=person, checked_at=at, checked_on=day, temperature=temperature, spo2=spo2,
                    symptoms=sorted(set(symptoms)), level=verdict.level, reasons=list(verdict.reasons),
                    source=profile["source"], recorded_by=accounts.get(person.commune_id)
                    if profile["source"] == CheckSource.TEAM else None,
                    rule_set=rule_set, province_id=person.province_id, district_id=person.district_id,
                    commune_id=person.commune_id,
                ))
    ReportLink.objects.bulk_create(links.values())
    for row in rows:
        if row.source == CheckSource.SELF:
            row.report_link = links[row.person_id]
    DailyCheck.objects.bulk_create(rows, batch_size=2000)
    escalations, open_ones = _escalations_and_states(rng, rows, today)
    return len(rows), escalations, open_ones


def _rules(rule_set: MonitoringRuleSet) -> domain.Rules:
    return domain.Rules(rule_set.silence_hours, rule_set.spo2_escalate_below, rule_set.fever_from,
                        frozenset(rule_set.danger_symptoms))


def _escalations_and_states(rng, rows: list[DailyCheck], today: dt.date) -> tuple[int, int]:
    """What the services would have left: an escalation per run of danger checks, resolved by the
    station a few hours later unless it was opened on the last day; the latest check per person."""
    by_person: dict[int, list[DailyCheck]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    escalations: list[Escalation] = []
    states: list[MonitoringState] = []
    officers = [f"BS. {_name(rng)}", f"YS. {_name(rng)}"]
    for person_id, checks in by_person.items():
        checks.sort(key=lambda c: c.checked_at)
        current = None
        for check in checks:
            if check.level != domain.CheckLevel.ESCALATE:
                continue
            if current is None or current.status == EscalationStatus.RESOLVED:
                current = Escalation(person_id=person_id, opened_by=check, last_check=check, opened_at=check.checked_at,
                                     reasons=list(check.reasons), province_id=check.province_id,
                                     district_id=check.district_id, commune_id=check.commune_id)
                escalations.append(current)
                if timezone.localdate(check.checked_at) < today:
                    current.status, current.resolved_at = EscalationStatus.RESOLVED, check.checked_at + dt.timedelta(hours=2)
                    current.action = _pick(rng, [EscalationAction.VISITED, EscalationAction.ADVISED,
                                                 EscalationAction.MOVED_TIER2, EscalationAction.CALLED_115])
                    current.officer_name, current.action_note = _pick(rng, officers), "Đã liên hệ, xử trí theo hướng dẫn."
            else:
                current.check_count += 1
                current.last_check = check
        last = checks[-1]
        states.append(MonitoringState(
            person_id=person_id, last_check=last, last_checked_at=last.checked_at, last_level=last.level,
            last_temperature=last.temperature, last_spo2=last.spo2,
            open_escalation=current if current is not None and current.status == EscalationStatus.OPEN else None,
        ))
    Escalation.objects.bulk_create(escalations)
    MonitoringState.objects.bulk_create(states)
    return len(escalations), sum(1 for e in escalations if e.status == EscalationStatus.OPEN)
