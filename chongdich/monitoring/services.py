"""Writes for home monitoring: community teams and households, daily checks (by the person through
their self-report link, by a team member, by a health worker), escalations and their resolution.

Each check is classified by the rule set in force on its day; it moves the person's
`MonitoringState` (latest check, open escalation) in the same transaction, and a danger check
opens an escalation for the commune health station — or adds to the one already open.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from chongdich.core.jurisdiction import covers, require_visible, require_write
from chongdich.geography.models import AdminUnit, UnitLevel, Village
from chongdich.monitoring import domain, selectors
from chongdich.monitoring.models import (
    CheckSource,
    CommunityTeam,
    DailyCheck,
    Escalation,
    EscalationAction,
    EscalationStatus,
    Household,
    HouseholdMember,
    MonitoringState,
    ReportLink,
    TeamMember,
)
from chongdich.notifications.services import notify
from chongdich.people.domain import IdentityError, normalise_phone
from chongdich.people.models import Person
from chongdich.people.selectors import person_get

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# A self-report link is for one person's own checks: a few an hour is plenty (twice a day is the
# guidance), and the cap keeps a leaked link from flooding the lists.
SELF_REPORTS_PER_HOUR = 6
BATCH_LIMIT = 200
_UNSET = object()


class TooManyReports(DomainError):
    """Too many self-reports through one link in the last hour."""

    code = "rate_limited"
    status = 429
    default_message = gettext_noop("Bạn vừa gửi nhiều lần. Vui lòng thử lại sau ít phút.")


# --- Teams --------------------------------------------------------------------------------


def _commune(unit: AdminUnit | None) -> AdminUnit:
    if unit is None or unit.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Cần chọn xã/phường."), field="commune")
    return unit


def _village(village: Village | None, commune: AdminUnit) -> Village | None:
    if village is not None and village.commune_id != commune.pk:
        raise InvalidInput(_("Thôn/tổ dân phố không thuộc xã đã chọn."), field="village")
    return village


def _text(value: str, field: str, *, required: bool = False, limit: int = 255) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Cần nhập thông tin này."), field=field)
    if len(value) > limit:
        raise InvalidInput(_("Tối đa %(n)s ký tự.") % {"n": limit}, field=field)
    return value


def _phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except IdentityError as exc:
        raise InvalidInput(exc.message, field="phone") from exc


def _team_name_free(commune: AdminUnit, name: str, exclude_pk: int | None = None) -> None:
    taken = CommunityTeam.objects.filter(commune=commune, name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict(_("Xã này đã có tổ tên “%(name)s”.") % {"name": name}, field="name")


@transaction.atomic
def team_create(*, actor, commune: AdminUnit, name: str, village: Village | None = None,
                note: str = "") -> CommunityTeam:
    """A community COVID team in a commune (optionally one village). Members are added after."""
    commune = _commune(commune)
    require_write(actor, commune, "manage_teams")
    name = _text(name, "name", required=True, limit=150)
    _team_name_free(commune, name)
    return CommunityTeam.objects.create(
        name=name, village=_village(village, commune), note=_text(note, "note"), created_by=actor,
        **commune.jurisdiction_keys(),
    )


@transaction.atomic
def team_update(*, actor, team: CommunityTeam, name=_UNSET, village=_UNSET, note=_UNSET,
                active=_UNSET) -> CommunityTeam:
    require_write(actor, team.commune, "manage_teams")
    fields = []
    if name is not _UNSET:
        team.name = _text(name, "name", required=True, limit=150)
        _team_name_free(team.commune, team.name, exclude_pk=team.pk)
        fields.append("name")
    if village is not _UNSET:
        team.village = _village(village, team.commune)
        fields.append("village")
    if note is not _UNSET:
        team.note = _text(note, "note")
        fields.append("note")
    if active is not _UNSET:
        team.active = bool(active)
        fields.append("active")
    if fields:
        team.save(update_fields=fields)
    return team


@transaction.atomic
def team_member_add(*, actor, team: CommunityTeam, user: User | None = None, full_name: str = "",
                    phone: str = "", is_leader: bool = False) -> TeamMember:
    """An account of the commune (or above) — who then finds the team's list on their phone — or a
    named volunteer with a phone. A new leader replaces the old one."""
    require_write(actor, team.commune, "manage_teams")
    if user is not None:
        if not user.is_active or not covers(user, team.commune):
            raise InvalidInput(_("Tài khoản này không quản lý xã của tổ."), field="user")
        if team.members.filter(user=user).exists():
            raise Conflict(_("Tài khoản này đã là thành viên của tổ."), field="user")
        full_name = full_name or user.display_name
    full_name = _text(full_name, "full_name", required=True, limit=150)
    if is_leader:
        team.members.filter(is_leader=True).update(is_leader=False)
    return TeamMember.objects.create(team=team, user=user, full_name=full_name, phone=_phone(phone),
                                     is_leader=bool(is_leader))


@transaction.atomic
def team_member_remove(*, actor, member: TeamMember) -> None:
    require_write(actor, member.team.commune, "manage_teams")
    member.delete()


@transaction.atomic
def team_leader_set(*, actor, member: TeamMember) -> TeamMember:
    require_write(actor, member.team.commune, "manage_teams")
    TeamMember.objects.filter(team_id=member.team_id, is_leader=True).exclude(pk=member.pk).update(is_leader=False)
    member.is_leader = True
    member.save(update_fields=["is_leader"])
    return member


@transaction.atomic
def households_assign(*, actor, team: CommunityTeam | None, households: list[Household]) -> int:
    """Put households under a team (or under none, `team=None`). All must be in the team's commune."""
    if team is not None:
        require_write(actor, team.commune, "manage_teams")
        if not team.active:
            raise Conflict(_("Tổ này đã ngừng hoạt động."), field="team")
    for household in households:
        require_write(actor, household.commune, "manage_teams")
        if team is not None and household.commune_id != team.commune_id:
            raise InvalidInput(_("Hộ %(address)s không thuộc xã của tổ.") % {"address": household.address},
                               field="households")
    ids = [h.pk for h in households]
    return Household.objects.filter(pk__in=ids).update(team=team)


# --- Households ---------------------------------------------------------------------------


def _require_team_say(actor, team: CommunityTeam) -> None:
    """Officers place households under (or take them from) any team of the commune; a team
    member only their own team."""
    if actor.can("manage_teams") or team.members.filter(user=actor).exists():
        return
    raise PermissionDenied(_("Chỉ cán bộ xã hoặc thành viên của tổ mới giao hộ cho tổ."), field="team")


def _may_set_team(actor, team: CommunityTeam | None, commune: AdminUnit) -> None:
    if team is None:
        return
    if team.commune_id != commune.pk:
        raise InvalidInput(_("Tổ này không thuộc xã của hộ."), field="team")
    if not team.active:
        raise Conflict(_("Tổ này đã ngừng hoạt động."), field="team")
    _require_team_say(actor, team)


def _add_member(actor, household: Household, person: Person) -> HouseholdMember:
    require_visible(actor, person.commune)
    if person.commune_id != household.commune_id:
        raise InvalidInput(_("%(name)s không ở xã của hộ này.") % {"name": person.full_name}, field="person")
    existing = HouseholdMember.objects.filter(person=person).select_related("household").first()
    if existing is not None:
        if existing.household_id == household.pk:
            return existing
        raise Conflict(_("%(name)s đã thuộc hộ %(address)s.")
                       % {"name": person.full_name, "address": existing.household.address}, field="person")
    try:
        with transaction.atomic():
            return HouseholdMember.objects.create(household=household, person=person)
    except IntegrityError as exc:  # added to another household at the same moment
        raise Conflict(_("%(name)s đã thuộc một hộ khác.") % {"name": person.full_name}, field="person") from exc


@transaction.atomic
def household_create(*, actor, commune: AdminUnit, address: str, village: Village | None = None,
                     members: list[Person] = (), head: Person | None = None,
                     team: CommunityTeam | None = None, note: str = "") -> Household:
    """A household with its members (people of the same commune, each in one household only);
    the head of household is a member."""
    commune = _commune(commune)
    require_write(actor, commune, "manage_households")
    _may_set_team(actor, team, commune)
    household = Household.objects.create(
        address=_text(address, "address", required=True), village=_village(village, commune),
        team=team, note=_text(note, "note"), created_by=actor, **commune.jurisdiction_keys(),
    )
    people = list(members) + ([head] if head is not None and head not in members else [])
    for person in people:
        _add_member(actor, household, person)
    if head is not None:
        household.head = head
        household.save(update_fields=["head"])
    return household


@transaction.atomic
def household_update(*, actor, household: Household, address=_UNSET, village=_UNSET, head=_UNSET,
                     team=_UNSET, note=_UNSET) -> Household:
    require_write(actor, household.commune, "manage_households")
    fields = []
    if address is not _UNSET:
        household.address = _text(address, "address", required=True)
        fields.append("address")
    if village is not _UNSET:
        household.village = _village(village, household.commune)
        fields.append("village")
    if team is not _UNSET:
        if household.team_id is not None and team != household.team:
            _require_team_say(actor, household.team)
        _may_set_team(actor, team, household.commune)
        household.team = team
        fields.append("team")
    if note is not _UNSET:
        household.note = _text(note, "note")
        fields.append("note")
    if head is not _UNSET:
        if head is not None:
            _add_member(actor, household, head)
        household.head = head
        fields.append("head")
    if fields:
        household.save(update_fields=fields)
    return household


@transaction.atomic
def household_member_add(*, actor, household: Household, person: Person) -> HouseholdMember:
    require_write(actor, household.commune, "manage_households")
    return _add_member(actor, household, person)


@transaction.atomic
def household_member_remove(*, actor, household: Household, person: Person) -> None:
    require_write(actor, household.commune, "manage_households")
    deleted, _rows = HouseholdMember.objects.filter(household=household, person=person).delete()
    if not deleted:
        raise NotFound(_("Người này không thuộc hộ."), field="person")
    if household.head_id == person.pk:
        household.head = None
        household.save(update_fields=["head"])


# --- Checks -------------------------------------------------------------------------------


def _source_of(actor, person: Person, source: str | None) -> str:
    if source:
        if source not in (CheckSource.TEAM, CheckSource.HEALTH):
            raise InvalidInput(_("Nguồn nhập không hợp lệ: %(value)s") % {"value": source}, field="source")
        return source
    in_team = TeamMember.objects.filter(user=actor, team__active=True, team__commune_id=person.commune_id).exists()
    return CheckSource.TEAM if in_team or actor.role == User.Role.TRACER else CheckSource.HEALTH


def _record(*, person: Person, checked_at: dt.datetime, temperature, spo2, symptoms, note: str,
            source: str, recorded_by=None, link: ReportLink | None = None) -> DailyCheck:
    try:
        reading = domain.clean_reading(temperature=temperature, spo2=spo2, symptoms=symptoms)
    except domain.ReadingError as exc:
        raise InvalidInput(exc.message, field=exc.field) from exc
    now = clock.now()
    if checked_at > now + FUTURE_TOLERANCE:
        raise InvalidInput(_("Thời điểm này ở tương lai."), field="checked_at")
    period = selectors.monitoring_period(person_id=person.pk, today=clock.today())
    if period is None:
        raise Conflict(_("%(name)s hiện không được theo dõi sức khỏe tại nhà.") % {"name": person.full_name},
                       field="person")
    since = period.started_at if period.status == "active" else period.ended_at
    if checked_at < since - dt.timedelta(days=1):
        raise InvalidInput(_("Thời điểm này trước khi bắt đầu theo dõi tại nhà."), field="checked_at")
    day = timezone.localdate(checked_at)
    rule_set = selectors.rule_set_in_force(day)
    verdict = domain.classify_check(reading, selectors.rules_of(rule_set))
    check = DailyCheck.objects.create(
        person=person, checked_at=checked_at, checked_on=day, temperature=reading.temperature,
        spo2=reading.spo2, symptoms=sorted(reading.symptoms), level=verdict.level,
        reasons=list(verdict.reasons), note=_text(note, "note"), source=source, recorded_by=recorded_by,
        report_link=link, rule_set=rule_set, **person.commune.jurisdiction_keys(),
    )
    state, _created = MonitoringState.objects.select_for_update().get_or_create(person=person)
    if state.last_checked_at is None or checked_at >= state.last_checked_at:
        state.last_check, state.last_checked_at, state.last_level = check, checked_at, check.level
        state.last_temperature, state.last_spo2 = check.temperature, check.spo2
    if verdict.level == domain.CheckLevel.ESCALATE:
        state.open_escalation = _escalate(state, check)
    state.save()
    return check


def _escalate(state: MonitoringState, check: DailyCheck) -> Escalation:
    """Open an escalation for a danger check, or add the check to the one already open."""
    open_one = Escalation.objects.select_for_update().filter(person_id=check.person_id,
                                                             status=EscalationStatus.OPEN).first()
    if open_one is None:
        try:
            with transaction.atomic():
                opened = Escalation.objects.create(
                    person_id=check.person_id, opened_by=check, last_check=check, opened_at=check.checked_at,
                    reasons=list(check.reasons), province_id=check.province_id, district_id=check.district_id,
                    commune_id=check.commune_id,
                )
            _notify_station(opened)
            return opened
        except IntegrityError:  # another danger check opened one at the same moment
            open_one = Escalation.objects.select_for_update().get(person_id=check.person_id,
                                                                  status=EscalationStatus.OPEN)
    open_one.check_count += 1
    open_one.reasons = list(dict.fromkeys([*open_one.reasons, *check.reasons]))
    if check.checked_at >= open_one.last_check.checked_at:
        open_one.last_check = check
    open_one.save(update_fields=["check_count", "reasons", "last_check"])
    return open_one


def _notify_station(escalation: Escalation) -> None:
    """The commune health station hears of a new escalation at once (in the app, and by e-mail or
    webhook as each officer chose); where the commune has no account that may resolve it, the
    district's do."""
    for unit_id in (escalation.commune_id, escalation.district_id):
        recipients = [u for u in User.objects.filter(unit_id=unit_id, is_active=True) if u.can("resolve_escalation")]
        if recipients:
            break
    if not recipients:
        return
    person = escalation.person
    notify(
        recipients=recipients, event="needs_escalation", unit=escalation.commune,
        subject=_("Cần xử trí: %(name)s") % {"name": person.full_name},
        body=_("%(name)s (%(address)s) có dấu hiệu cần xử trí: %(reasons)s.") % {
            "name": person.full_name, "address": person.address or escalation.commune.name_with_type,
            "reasons": ", ".join(escalation.reasons)},
        url=reverse("monitoring:escalations"),
    )


@transaction.atomic
def check_record(*, actor, person: Person, checked_at: dt.datetime | None = None, temperature=None,
                 spo2=None, symptoms=(), note: str = "", source: str | None = None) -> DailyCheck:
    """A check entered by a community team member or a health worker (the source says which; by
    default a member of a team of the person's commune, or a tracer, is the team)."""
    require_write(actor, person.commune, "record_check")
    return _record(person=person, checked_at=checked_at or clock.now(), temperature=temperature, spo2=spo2,
                   symptoms=symptoms, note=note, source=_source_of(actor, person, source), recorded_by=actor)


@dataclass(frozen=True)
class CheckOutcome:
    index: int
    check: DailyCheck | None = None
    error: DomainError | None = None


def check_record_batch(*, actor, items: list[dict]) -> list[CheckOutcome]:
    """Many checks at once (a round of the team, or a phone that was offline): each item lands or
    fails on its own. An item is {"person_id", "checked_at", "temperature", "spo2", "symptoms",
    "note", "source"}; a person outside the jurisdiction is 'not found' for that item only."""
    if len(items) > BATCH_LIMIT:
        raise InvalidInput(_("Tối đa %(n)s lần theo dõi mỗi lần gửi.") % {"n": BATCH_LIMIT}, field="items")
    outcomes = []
    for index, item in enumerate(items):
        try:
            person = person_get(actor=actor, person_id=item["person_id"])
            fields = {k: item[k] for k in ("checked_at", "temperature", "spo2", "symptoms", "note", "source")
                      if item.get(k) is not None}
            outcomes.append(CheckOutcome(index, check=check_record(actor=actor, person=person, **fields)))
        except DomainError as exc:
            outcomes.append(CheckOutcome(index, error=exc))
    return outcomes


@transaction.atomic
def check_record_self(*, token: str, temperature=None, spo2=None, symptoms=(), note: str = "") -> DailyCheck:
    """The person's own report through their link: no account, only their own checks, now."""
    link = selectors.report_link_get(token=token, for_update=True)
    now = clock.now()
    recent = DailyCheck.objects.filter(report_link=link, created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent >= SELF_REPORTS_PER_HOUR:
        raise TooManyReports()
    check = _record(person=link.person, checked_at=now, temperature=temperature, spo2=spo2,
                    symptoms=symptoms, note=note, source=CheckSource.SELF, link=link)
    link.last_used_at = now
    link.save(update_fields=["last_used_at"])
    return check


@transaction.atomic
def report_link_issue(*, actor, person: Person) -> tuple[ReportLink, str]:
    """A new self-report link for a monitored person; the previous one stops working. The key is
    returned once (only its hash is kept): send it to the person by SMS or Zalo."""
    require_write(actor, person.commune, "record_check")
    if selectors.monitoring_period(person_id=person.pk, today=clock.today()) is None:
        raise Conflict(_("%(name)s hiện không được theo dõi sức khỏe tại nhà.") % {"name": person.full_name},
                       field="person")
    now = clock.now()
    ReportLink.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    key = secrets.token_urlsafe(18)
    link = ReportLink.objects.create(person=person, key_hash=selectors.hash_key(key), prefix=key[:8],
                                     created_at=now, created_by=actor)
    return link, key


@transaction.atomic
def report_link_revoke(*, actor, person: Person) -> int:
    require_write(actor, person.commune, "record_check")
    return ReportLink.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=clock.now())


# --- Escalations --------------------------------------------------------------------------


@transaction.atomic
def escalation_resolve(*, actor, escalation: Escalation, action: str, note: str,
                       officer_name: str = "") -> Escalation:
    """The health station records what it did (visited, moved to tier 2, called 115, …) and who
    did it; the person leaves the escalation list. A later danger check opens a new one."""
    require_write(actor, escalation.commune, "resolve_escalation")
    if action not in EscalationAction.values:
        raise InvalidInput(_("Cách xử trí không hợp lệ: %(value)s") % {"value": action}, field="action")
    note = _text(note, "note", required=True, limit=500)
    officer_name = _text(officer_name, "officer_name", limit=150) or actor.display_name
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status != EscalationStatus.OPEN:
        raise Conflict(_("Yêu cầu này đã được xử trí."), field="action")
    escalation.status, escalation.resolved_at, escalation.resolved_by = EscalationStatus.RESOLVED, clock.now(), actor
    escalation.officer_name, escalation.action, escalation.action_note = officer_name, action, note
    escalation.save(update_fields=["status", "resolved_at", "resolved_by", "officer_name", "action", "action_note"])
    MonitoringState.objects.filter(person_id=escalation.person_id, open_escalation=escalation).update(open_escalation=None)
    return escalation
