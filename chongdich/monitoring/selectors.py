"""Reads for home monitoring, always scoped to the actor's jurisdiction.

Who is monitored comes from quarantine placements, read at query time so it is never stale: an
active placement at home (F1 quarantine or F0 treatment), or — for someone not placed anywhere now —
their latest release whose home-monitoring period (`monitoring_until`) has not ended. Each monitored
person is one placement row; the person's latest check and open escalation ride along from
`MonitoringState` (one row per person, joined by primary key), and their household and team from
`HouseholdMember`. So a list — a team's 200 people or a province's 50,000 — is one query.
Monitoring happens at home, so the scope is the person's home commune, not the placement's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.core.errors import Conflict, NotFound
from chongdich.core.jurisdiction import covers, scope_q
from chongdich.core.text import fold
from chongdich.monitoring import domain
from chongdich.monitoring.models import (
    CommunityTeam,
    DailyCheck,
    Escalation,
    EscalationStatus,
    Household,
    MonitoringRuleSet,
    ReportLink,
)
from chongdich.quarantine.models import EndReason, Placement, PlacementStatus, Purpose, Setting

# A release for one of these reasons does not send the person home to be monitored.
RELEASES_TO_HOME = (EndReason.COMPLETED, EndReason.OVERRIDE)

STATE_ORDER = {domain.StateKind.NEEDS_ESCALATION: 0, domain.StateKind.NOT_REPORTING: 1, domain.StateKind.OK: 2}


# --- Rules --------------------------------------------------------------------------------


def rules_of(rule_set: MonitoringRuleSet) -> domain.Rules:
    return domain.Rules(
        silence_hours=rule_set.silence_hours, spo2_escalate_below=rule_set.spo2_escalate_below,
        fever_from=rule_set.fever_from, danger_symptoms=frozenset(rule_set.danger_symptoms),
    )


def rule_set_list() -> QuerySet[MonitoringRuleSet]:
    return MonitoringRuleSet.objects.order_by("-valid_from")


def rule_set_in_force(day: dt.date) -> MonitoringRuleSet:
    """The set with the latest `valid_from` on or before `day`."""
    rule_set = MonitoringRuleSet.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rule_set is None:
        raise Conflict(_("Chưa có bộ quy tắc theo dõi nào có hiệu lực vào ngày %(day)s.")
                       % {"day": day.strftime("%d/%m/%Y")})
    return rule_set


# --- Who is monitored ---------------------------------------------------------------------


def monitored_placements(today: dt.date, *, actor=None, unit=None, team: CommunityTeam | None = None,
                         person_id: int | None = None) -> QuerySet[Placement]:
    """One placement per monitored person: the active one at home, or the latest release to home
    monitoring of someone with no active placement. `actor`/`unit`: only people living there.

    Two index-friendly halves joined by UNION ALL: active home placements carry the person's home
    keys themselves (scope on the placement, index (unit, status, …)); released ones carry the
    facility's, so their scope is the person's."""
    at_home = Placement.objects.filter(status=PlacementStatus.ACTIVE, setting=Setting.HOME)
    after_release = Q(status=PlacementStatus.RELEASED, end_reason__in=RELEASES_TO_HOME, monitoring_until__gte=today)
    placed_now = Placement.objects.filter(person=OuterRef("person"), status=PlacementStatus.ACTIVE)
    later_release = Placement.objects.filter(
        after_release, person=OuterRef("person"),
    ).filter(Q(ended_at__gt=OuterRef("ended_at")) | Q(ended_at=OuterRef("ended_at"), pk__gt=OuterRef("pk")))
    released = Placement.objects.filter(after_release, ~Exists(placed_now), ~Exists(later_release))
    if actor is not None:
        at_home, released = at_home.filter(scope_q(actor)), released.filter(scope_q(actor, "person__"))
    if unit is not None:
        at_home = at_home.filter(**{f"{unit.level}_id": unit.pk})
        released = released.filter(**{f"person__{unit.level}_id": unit.pk})
    if team is not None:  # a team's few hundred people: start from its households
        in_team = Q(person__household_link__household__team=team)
        at_home, released = at_home.filter(in_team), released.filter(in_team)
    if person_id is not None:
        at_home, released = at_home.filter(person_id=person_id), released.filter(person_id=person_id)
    ids = at_home.order_by().values("pk").union(released.order_by().values("pk"), all=True)
    return Placement.objects.filter(pk__in=ids)


def _since_expression():
    return Case(When(status=PlacementStatus.ACTIVE, then=F("started_at")), default=F("ended_at"),
                output_field=DateTimeField())


def _silent_since_expression():
    """Greatest(last check, start): a check from an earlier period does not count. Coalesce first,
    because SQLite's greatest is null if any argument is."""
    since = _since_expression()
    return Greatest(Coalesce("person__monitoring_state__last_checked_at", since), since)


@dataclass(frozen=True)
class ListFilters:
    unit: object | None = None  # an AdminUnit inside the actor's jurisdiction
    team: CommunityTeam | None = None
    state: str = ""  # "", a domain.StateKind, "unchecked_today", or "no_team"
    search: str = ""


def monitored_list(*, actor, filters: ListFilters | None = None, now: dt.datetime | None = None,
                   rules: domain.Rules | None = None) -> QuerySet[Placement]:
    """Monitored people in the actor's jurisdiction as placement rows, with person, latest check,
    household and team joined in. `rules`: those in force today, when the caller has them."""
    f = filters or ListFilters()
    now = now or clock.now()
    today = timezone.localdate(now)
    rules = rules or rules_of(rule_set_in_force(today))
    qs = (
        monitored_placements(today, actor=actor, unit=f.unit, team=f.team)
        .select_related("person", "person__monitoring_state", "person__household_link__household",
                        "person__household_link__household__team", "person__village")
        .annotate(monitored_since=_since_expression(), silent_since=_silent_since_expression())
    )
    if f.search:
        qs = qs.filter(person__name_folded__contains=fold(f.search.strip()))
    escalated = Q(person__monitoring_state__open_escalation__isnull=False)
    if f.state == domain.StateKind.NEEDS_ESCALATION:
        qs = qs.filter(escalated)
    elif f.state == domain.StateKind.NOT_REPORTING:
        qs = qs.filter(~escalated, silent_since__lte=domain.not_reporting_before(now, rules))
    elif f.state == domain.StateKind.OK:
        qs = qs.filter(~escalated, silent_since__gt=domain.not_reporting_before(now, rules))
    elif f.state == "unchecked_today":
        last = "person__monitoring_state__last_checked_at"
        qs = qs.filter(~Q(**{f"{last}__gte": local_midnight(today)}) | Q(**{f"{last}__lt": F("monitored_since")}))
    elif f.state == "no_team":
        qs = qs.filter(person__household_link__household__team__isnull=True)
    return qs


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class MonitoredRow:
    """One line of a follow-up list."""

    placement: Placement
    person: object
    household: Household | None
    team: CommunityTeam | None
    kind_label: str
    since: dt.datetime
    until: dt.date
    days_left: int
    state: domain.PersonState
    last_check_id: int | None
    last_checked_at: dt.datetime | None
    last_level: str
    last_temperature: object
    last_spo2: int | None
    checked_today: bool
    open_escalation_id: int | None

    @property
    def state_label(self) -> str:
        return str(domain.STATE_LABELS[self.state.kind])

    @property
    def last_level_label(self) -> str:
        return str(domain.CHECK_LEVEL_LABELS.get(self.last_level, "")) if self.last_level else ""


KIND_LABELS = {
    (PlacementStatus.ACTIVE, Purpose.QUARANTINE): gettext_lazy("Cách ly tại nhà (F1)"),
    (PlacementStatus.ACTIVE, Purpose.ISOLATION): gettext_lazy("Điều trị tại nhà (F0)"),
}
AFTER_RELEASE_LABEL = gettext_lazy("Theo dõi sau cách ly")


def monitored_row(placement: Placement, *, now: dt.datetime, rules: domain.Rules) -> MonitoredRow:
    person = placement.person
    today = timezone.localdate(now)
    state_row = getattr(person, "monitoring_state", None)
    link = getattr(person, "household_link", None)
    household = link.household if link else None
    since = placement.started_at if placement.status == PlacementStatus.ACTIVE else placement.ended_at
    last_at = state_row.last_checked_at if state_row else None
    in_period = last_at is not None and last_at >= since
    until = max(placement.monitoring_until, placement.planned_end_on)
    return MonitoredRow(
        placement=placement, person=person, household=household,
        team=household.team if household else None,
        kind_label=str(KIND_LABELS.get((placement.status, placement.purpose), AFTER_RELEASE_LABEL)),
        since=since, until=until, days_left=domain.days_left(today=today, until=until),
        state=domain.person_state(now=now, monitored_since=since, last_checked_at=last_at,
                                  escalation_open=bool(state_row and state_row.open_escalation_id), rules=rules),
        last_check_id=state_row.last_check_id if in_period else None,
        last_checked_at=last_at if in_period else None,
        last_level=state_row.last_level if in_period else "",
        last_temperature=state_row.last_temperature if in_period else None,
        last_spo2=state_row.last_spo2 if in_period else None,
        checked_today=in_period and timezone.localdate(last_at) == today,
        open_escalation_id=state_row.open_escalation_id if state_row else None,
    )


def rows_of(placements, *, now: dt.datetime | None = None, rules: domain.Rules | None = None) -> list[MonitoredRow]:
    now = now or clock.now()
    rules = rules or rules_of(rule_set_in_force(timezone.localdate(now)))
    return [monitored_row(p, now=now, rules=rules) for p in placements]


def team_followup(*, actor, team: CommunityTeam, now: dt.datetime | None = None) -> list[MonitoredRow]:
    """The team's list for today: its households' monitored people — those needing escalation
    first, then those not reporting, then those not yet checked today — by household."""
    now = now or clock.now()
    rules = rules_of(rule_set_in_force(timezone.localdate(now)))
    placements = monitored_list(actor=actor, filters=ListFilters(team=team), now=now, rules=rules)
    rows = rows_of(placements, now=now, rules=rules)
    return sorted(rows, key=lambda r: (STATE_ORDER[r.state.kind], r.checked_today,
                                       r.household.address if r.household else "", r.person.name_folded))


def not_reporting_list(*, actor, unit=None, now: dt.datetime | None = None) -> QuerySet[Placement]:
    """Monitored people with no check for the rule set's silence period, the longest silent first."""
    filters = ListFilters(unit=unit, state=domain.StateKind.NOT_REPORTING)
    return monitored_list(actor=actor, filters=filters, now=now).order_by("silent_since", "pk")


@dataclass(frozen=True)
class MonitoringCounts:
    monitored: int
    not_reporting: int
    needs_escalation: int
    no_team: int


def monitoring_counts(*, actor, unit=None, team: CommunityTeam | None = None,
                      now: dt.datetime | None = None) -> MonitoringCounts:
    """The figures at the top of the monitoring pages, in one query."""
    now = now or clock.now()
    rules = rules_of(rule_set_in_force(timezone.localdate(now)))
    qs = monitored_list(actor=actor, filters=ListFilters(unit=unit, team=team), now=now, rules=rules).order_by()
    escalated = Q(person__monitoring_state__open_escalation__isnull=False)
    figures = qs.aggregate(
        monitored=Count("pk"),
        needs_escalation=Count("pk", filter=escalated),
        not_reporting=Count("pk", filter=~escalated & Q(silent_since__lte=domain.not_reporting_before(now, rules))),
        no_team=Count("pk", filter=Q(person__household_link__household__team__isnull=True)),
    )
    return MonitoringCounts(**figures)


def monitoring_period(*, person_id: int, today: dt.date) -> Placement | None:
    """The placement that makes this person monitored today (None: not monitored)."""
    return monitored_placements(today, person_id=person_id).first()


# --- Teams and households -----------------------------------------------------------------


def team_list(*, actor, unit=None, include_inactive: bool = False) -> QuerySet[CommunityTeam]:
    qs = CommunityTeam.objects.filter(scope_q(actor)).select_related("commune", "village")
    if unit is not None:
        qs = qs.filter(**{f"{unit.level}_id": unit.pk})
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.annotate(household_count=Count("households", distinct=True)).order_by("commune__name", "name")


def teams_of_user(*, actor) -> QuerySet[CommunityTeam]:
    """The active teams the account is a member of (inside its jurisdiction)."""
    return (CommunityTeam.objects.filter(scope_q(actor), active=True, members__user=actor)
            .select_related("commune").order_by("name").distinct())


def team_get(*, actor, team_id: int) -> CommunityTeam:
    team = CommunityTeam.objects.filter(scope_q(actor), pk=team_id).select_related(
        "commune", "district", "province", "village").first()
    if team is None:
        raise NotFound(_("Không tìm thấy tổ COVID cộng đồng."))
    return team


def team_members(*, team: CommunityTeam):
    return team.members.select_related("user").order_by("-is_leader", "full_name", "pk")


def monitored_per_team(*, actor, team_ids: list[int], now: dt.datetime | None = None) -> dict[int, int]:
    """How many monitored people each of these teams follows today (one grouped query)."""
    today = timezone.localdate(now or clock.now())
    rows = (monitored_placements(today, actor=actor).filter(person__household_link__household__team_id__in=team_ids)
            .order_by().values("person__household_link__household__team_id").annotate(n=Count("pk")))
    return {r["person__household_link__household__team_id"]: r["n"] for r in rows}


@dataclass(frozen=True)
class HouseholdFilters:
    unit: object | None = None
    team: CommunityTeam | None = None
    unassigned: bool = False
    search: str = ""


def household_list(*, actor, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    f = filters or HouseholdFilters()
    qs = Household.objects.filter(scope_q(actor)).select_related("commune", "village", "team", "head")
    if f.unit is not None:
        qs = qs.filter(**{f"{f.unit.level}_id": f.unit.pk})
    if f.team is not None:
        qs = qs.filter(team=f.team)
    if f.unassigned:
        qs = qs.filter(team__isnull=True)
    if f.search:
        term = f.search.strip()
        qs = qs.filter(Q(address__icontains=term) | Q(members__person__name_folded__contains=fold(term))).distinct()
    return qs.annotate(member_count=Count("members", distinct=True)).order_by("address", "pk")


def household_get(*, actor, household_id: int) -> Household:
    household = Household.objects.filter(scope_q(actor), pk=household_id).select_related(
        "commune", "district", "province", "village", "team", "head").first()
    if household is None:
        raise NotFound(_("Không tìm thấy hộ gia đình."))
    return household


def household_members(*, household: Household):
    return household.members.select_related("person", "person__monitoring_state").order_by("pk")


# --- Checks, escalations, self-report links -----------------------------------------------


def check_history(*, actor, person_id: int, limit: int = 60) -> list[DailyCheck]:
    """The person's checks, newest first (the person must be inside the jurisdiction)."""
    checks = (DailyCheck.objects.filter(scope_q(actor), person_id=person_id)
              .select_related("recorded_by").order_by("-checked_at", "-pk")[:limit])
    return list(checks)


def check_get(*, actor, check_id: int) -> DailyCheck:
    check = DailyCheck.objects.filter(scope_q(actor), pk=check_id).select_related("person", "recorded_by").first()
    if check is None:
        raise NotFound(_("Không tìm thấy lần theo dõi."))
    return check


def escalation_list(*, actor, status: str = EscalationStatus.OPEN, unit=None) -> QuerySet[Escalation]:
    """The commune health station's list: open escalations oldest first; resolved ones newest
    first."""
    qs = (Escalation.objects.filter(scope_q(actor), status=status)
          .select_related("person", "last_check", "commune", "resolved_by",
                          "person__household_link__household", "person__household_link__household__team"))
    if unit is not None:
        qs = qs.filter(**{f"{unit.level}_id": unit.pk})
    if status == EscalationStatus.OPEN:
        return qs.order_by("opened_at", "pk")
    return qs.order_by("-resolved_at", "-pk")


def escalation_get(*, actor, escalation_id: int) -> Escalation:
    escalation = Escalation.objects.filter(scope_q(actor), pk=escalation_id).select_related(
        "person", "last_check", "opened_by", "commune", "resolved_by").first()
    if escalation is None:
        raise NotFound(_("Không tìm thấy yêu cầu xử trí."))
    return escalation


def report_link_get(*, token: str, for_update: bool = False) -> ReportLink:
    """The live link for this key; a wrong, old or revoked key is simply not found."""
    qs = ReportLink.objects.filter(key_hash=hash_key(token or ""), revoked_at__isnull=True)
    if for_update:
        qs = qs.select_for_update()
    link = qs.select_related("person", "person__commune").first()
    if link is None:
        raise NotFound(_("Đường dẫn tự báo cáo không đúng hoặc đã hết hiệu lực."))
    return link


def report_link_live(*, actor, person_id: int) -> ReportLink | None:
    return ReportLink.objects.filter(scope_q(actor, "person__"), person_id=person_id,
                                     revoked_at__isnull=True).first()


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()



def account_get(*, actor, user_id: int):
    """An active account whose unit the actor's jurisdiction covers (to add to a team)."""
    user = User.objects.filter(pk=user_id, is_active=True).select_related("unit").first()
    if user is None or user.unit is None or not covers(actor, user.unit):
        raise NotFound(_("Không tìm thấy tài khoản."))
    return user


def accounts_for_team(*, team: CommunityTeam):
    """Accounts that may join the team: active, of its commune or the district or province above."""
    units = [team.commune_id, team.district_id, team.province_id]
    return User.objects.filter(is_active=True, unit_id__in=units).exclude(team_memberships__team=team).order_by(
        "full_name", "username")
