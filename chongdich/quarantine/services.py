"""Writes for placements: admit, transfer, release, end when the person becomes F0; and the
scheduled tests that follow them. Facilities and rule sets are in services_facilities.

No facility is ever overbooked: every admission takes its place with one
`UPDATE … SET occupied = occupied + 1` on the facility row, in the transaction that creates the
placement, and the CHECK `occupied <= capacity` refuses the one too many (two admissions into the
last place are serialised by the row lock; the second fails the CHECK). See decision 0003.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Case as SqlCase
from django.db.models import F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput, PermissionDenied
from chongdich.core.jurisdiction import require_visible, require_write
from chongdich.quarantine import domain, hooks, selectors
from chongdich.quarantine.models import (
    Condition,
    EndReason,
    Facility,
    FacilityStatus,
    Placement,
    PlacementStatus,
    Purpose,
    ScheduledTest,
    Setting,
)

OVERBOOKED = "facility_not_overbooked"
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def _choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(_("Giá trị không hợp lệ: %(value)s") % {"value": value}, field=field)
    return value


def _moment(at: dt.datetime | None, *, field: str, not_before: dt.datetime | None = None) -> dt.datetime:
    at = at or clock.now()
    if at > clock.now() + FUTURE_TOLERANCE:
        raise InvalidInput(_("Thời điểm này ở tương lai."), field=field)
    if not_before is not None and at < not_before:
        raise InvalidInput(_("Thời điểm phải sau khi bắt đầu cách ly."), field=field)
    return at


def _is_facility_staff(actor) -> bool:
    return actor.role == User.Role.FACILITY and not actor.is_superuser


def _require_place(actor, *, facility: Facility | None, person) -> None:
    """Writes on a placement's place: the facility's commune, or the person's home commune for a
    home placement. Facility staff act only in facilities of their unit, never at home."""
    if facility is not None:
        require_write(actor, facility.commune, "place_person")
        return
    require_write(actor, person.commune, "place_person")
    if _is_facility_staff(actor):
        raise PermissionDenied(
            _("Cán bộ cơ sở cách ly chỉ tiếp nhận, chuyển và kết thúc cách ly tại cơ sở của đơn vị mình."),
            field="setting")


# --- The facility counter ---------------------------------------------------------------------


def _occupy(facility: Facility) -> None:
    """Take one place in the facility, or refuse: the CHECK sees the committed occupancy."""
    try:
        with transaction.atomic():
            updated = (Facility.objects.filter(pk=facility.pk).exclude(status=FacilityStatus.CLOSED)
                       .update(occupied=F("occupied") + 1,
                               status=SqlCase(When(status=FacilityStatus.READY, then=Value(FacilityStatus.ACTIVE)),
                                              default=F("status"))))
    except IntegrityError as exc:
        if OVERBOOKED not in str(exc):
            raise
        raise Conflict(_("Cơ sở %(name)s đã hết chỗ.") % {"name": facility.name}, field="facility") from exc
    if not updated:
        raise Conflict(_("Cơ sở %(name)s đã đóng, không tiếp nhận thêm.") % {"name": facility.name},
                       field="facility")


def _vacate(facility_id: int) -> None:
    Facility.objects.filter(pk=facility_id).update(occupied=F("occupied") - 1)


def _keys(facility: Facility | None, person) -> dict:
    """Jurisdiction keys of a placement: the facility's commune, or the person's home commune."""
    if facility is not None:
        return {"province_id": facility.province_id, "district_id": facility.district_id,
                "commune_id": facility.commune_id}
    return person.commune.jurisdiction_keys()


# --- Scheduled tests --------------------------------------------------------------------------


def _close_tests_with_samples(samples: list[tuple[int, int, dt.date]]) -> int:
    """Mark done the open scheduled tests that these samples (id, person id, day taken) satisfy:
    a test is done by the person's first sample taken on or after its due date while the
    placement lasts (so a late sample also settles the overdue tests before it)."""
    by_person: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for pk, person_id, taken_on in samples:
        by_person[person_id].append((taken_on, pk))
    if not by_person:
        return 0
    latest = max(taken_on for _pk, _person, taken_on in samples)
    candidates = (ScheduledTest.objects.filter(
        open=True, due_on__lte=latest, placement__status=PlacementStatus.ACTIVE,
        placement__person_id__in=list(by_person))
        .values_list("pk", "placement__person_id", "placement__started_on", "due_on"))
    done = []
    for pk, person_id, started_on, due_on in candidates:
        fitting = sorted(s for s in by_person[person_id] if s[0] >= max(due_on, started_on))
        if fitting:
            done.append(ScheduledTest(pk=pk, sample_id=fitting[0][1], open=False))
    ScheduledTest.objects.bulk_update(done, ["sample", "open"], batch_size=1000)
    return len(done)


def scheduled_tests_after_samples(sample_ids: list[int]) -> None:
    """The hook testing calls with every batch of new samples (registered in apps.ready)."""
    from chongdich.testing.models import Sample

    rows = list(Sample.objects.filter(pk__in=sample_ids).values_list("pk", "person_id", "taken_on"))
    _close_tests_with_samples(rows)


def _schedule_tests(placement: Placement, plan: domain.Plan) -> None:
    ScheduledTest.objects.bulk_create([
        ScheduledTest(placement=placement, day=day, due_on=due_on, province_id=placement.province_id,
                      district_id=placement.district_id, commune_id=placement.commune_id)
        for day, due_on in plan.tests
    ])
    # Samples already taken since the start (an admission entered after the fact) count.
    from chongdich.testing.models import Sample

    _close_tests_with_samples(list(
        Sample.objects.filter(person_id=placement.person_id, taken_on__gte=placement.started_on)
        .values_list("pk", "person_id", "taken_on")))


# --- Placements -------------------------------------------------------------------------------


def _locked(placement: Placement) -> Placement:
    """The placement, re-read under a row lock, still active (else Conflict)."""
    locked = (Placement.objects.select_for_update(of=("self",))
              .select_related("person__commune", "facility__commune", "rule").get(pk=placement.pk))
    if locked.status != PlacementStatus.ACTIVE:
        raise Conflict(_("Lượt cách ly này đã kết thúc hoặc đã chuyển nơi khác."))
    return locked


def _end(placement: Placement, *, actor, at: dt.datetime, status: str, reason: str,
         override_reason: str = "", note: str = "") -> Placement:
    placement.status, placement.end_reason = status, reason
    placement.ended_at, placement.ended_by = at, actor
    if reason == EndReason.OVERRIDE:
        placement.override_by, placement.override_reason = actor, override_reason[:255]
    fields = ["status", "end_reason", "ended_at", "ended_by", "override_by", "override_reason"]
    if note.strip():
        placement.note = note.strip()[:255]
        fields.append("note")
    placement.save(update_fields=fields)
    if placement.facility_id:
        _vacate(placement.facility_id)
    ScheduledTest.objects.filter(placement=placement, open=True).update(open=False)
    return placement


@transaction.atomic
def placement_create(*, actor, person, purpose: str, setting: str, facility: Facility | None = None,
                     condition: str = Condition.STANDARD, started_at: dt.datetime | None = None,
                     case=None, note: str = "") -> Placement:
    """Admit a person: F1 quarantine or F0 isolation/treatment, in a facility or at home. The rule
    comes from the set in force on the start date; the stay, home monitoring and test days follow
    from it. An F0 admitted while still in F1 quarantine ends that quarantine (became F0)."""
    _choice(purpose, Purpose, "purpose")
    _choice(setting, Setting, "setting")
    _choice(condition, Condition, "condition")
    if setting == Setting.FACILITY and facility is None:
        raise InvalidInput(_("Chọn cơ sở cách ly/điều trị."), field="facility")
    if setting == Setting.HOME:
        facility = None
    require_visible(actor, person.commune)
    _require_place(actor, facility=facility, person=person)
    if facility is not None and not domain.facility_takes(facility.kind, purpose):
        raise InvalidInput(
            _("Cơ sở %(name)s không nhận trường hợp này: F1 cách ly ở cơ sở cách ly tập trung, "
              "F0 điều trị ở bệnh viện hoặc bệnh viện dã chiến.") % {"name": facility.name},
            field="facility")
    started_at = _moment(started_at, field="started_at")
    started_on = timezone.localdate(started_at)
    if purpose == Purpose.ISOLATION:
        active = selectors.active_case_of(person_id=person.pk)
        if case is None:
            case = active
        if case is None or active is None or case.pk != active.pk:
            raise InvalidInput(_("Người này không phải ca bệnh (F0) đang điều trị."), field="case")
    else:
        case = None
    rule_set, rule = selectors.rule_for_placement(on=started_on, purpose=purpose,
                                                  condition=condition, setting=setting)
    current = (Placement.objects.select_for_update(of=("self",)).filter(
        person=person, status=PlacementStatus.ACTIVE).select_related("facility").first())
    if current is not None:
        if purpose == Purpose.ISOLATION and current.purpose == Purpose.QUARANTINE:
            _end(current, actor=actor, at=max(started_at, current.started_at),
                 status=PlacementStatus.RELEASED, reason=EndReason.BECAME_CASE)
        else:
            where = current.facility.name if current.facility else _("tại nhà")
            raise Conflict(_("Người này đang cách ly/điều trị (%(where)s).") % {"where": where},
                           field="person")
    if facility is not None:
        _occupy(facility)
    stay = domain.plan(selectors.as_domain_rule(rule), started_on)
    placement = Placement(
        person=person, case=case, purpose=purpose, setting=setting, condition=condition,
        facility=facility, rule=rule, started_at=started_at, started_on=started_on,
        planned_end_on=stay.planned_end_on, monitoring_until=stay.monitoring_until,
        note=note.strip()[:255], created_by=actor, **_keys(facility, person),
    )
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as exc:  # another admission of the same person committed first
        raise Conflict(_("Người này vừa được tiếp nhận ở nơi khác."), field="person") from exc
    _schedule_tests(placement, stay)
    hooks.run_placement_started([placement.pk])
    return placement


@transaction.atomic
def placement_transfer(*, actor, placement: Placement, to_facility: Facility | None = None,
                       at: dt.datetime | None = None, note: str = "") -> Placement:
    """Move a person to another facility, home (`to_facility=None`) or from home to a facility.
    The stay keeps its rule, start, planned end and open tests; one transaction, so if the
    destination has no free place nothing moves."""
    placement = _locked(placement)
    person = placement.person
    if to_facility is None and placement.facility_id is None:
        raise InvalidInput(_("Người này đang cách ly tại nhà."), field="facility")
    if to_facility is not None and to_facility.pk == placement.facility_id:
        raise InvalidInput(_("Người này đang ở cơ sở này."), field="facility")
    for side in (placement.facility, to_facility):
        if side is not None:
            require_write(actor, side.commune, "place_person")
    if None in (placement.facility, to_facility):
        if _is_facility_staff(actor):
            require_visible(actor, person.commune)  # their facility is the other side
        else:
            require_write(actor, person.commune, "place_person")
    if to_facility is not None and not domain.facility_takes(to_facility.kind, placement.purpose):
        raise InvalidInput(_("Cơ sở %(name)s không nhận trường hợp này.") % {"name": to_facility.name},
                           field="facility")
    at = _moment(at, field="at", not_before=placement.started_at)
    open_tests = list(ScheduledTest.objects.filter(placement=placement, open=True).values_list("pk", flat=True))
    _end(placement, actor=actor, at=at, status=PlacementStatus.TRANSFERRED, reason=EndReason.TRANSFERRED)
    if to_facility is not None:
        _occupy(to_facility)
    moved = Placement(
        person=person, case=placement.case, purpose=placement.purpose,
        setting=Setting.FACILITY if to_facility else Setting.HOME, condition=placement.condition,
        facility=to_facility, rule=placement.rule, started_at=placement.started_at,
        started_on=placement.started_on, planned_end_on=placement.planned_end_on,
        monitoring_until=placement.monitoring_until, previous=placement,
        note=note.strip()[:255], created_by=actor, **_keys(to_facility, person),
    )
    moved.save()
    # The tests still open go with the person (done ones stay with the stay they were done in).
    ScheduledTest.objects.filter(pk__in=open_tests).update(placement=moved, open=True, **_keys(to_facility, person))
    hooks.run_placement_started([moved.pk])
    return moved


@transaction.atomic
def placement_release(*, actor, placement: Placement, at: dt.datetime | None = None,
                      override_reason: str = "", note: str = "") -> Placement:
    """End a stay. The rule allows it on or after the planned end with a negative test taken on
    or after the release test day (and no positive one); otherwise a named officer who may
    override (`release_override`) ends it with a reason, recorded with their name."""
    placement = _locked(placement)
    _require_place(actor, facility=placement.facility, person=placement.person)
    at = _moment(at, field="at", not_before=placement.started_at)
    verdict = selectors.release_verdict(placement, today=timezone.localdate(at))
    reason = (override_reason or "").strip()
    if verdict.allowed:
        return _end(placement, actor=actor, at=at, status=PlacementStatus.RELEASED,
                    reason=EndReason.COMPLETED, note=note)
    if not reason:
        why = " ".join(verdict.messages(placement.planned_end_on))
        raise Conflict(_("%(why)s Kết thúc trước quy định cần người có thẩm quyền ghi rõ lý do.")
                       % {"why": why}, field="override_reason")
    if not actor.can("release_override"):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc cán bộ dịch tễ được quyết định kết thúc cách ly "
                                 "khi chưa đủ điều kiện."), field="override_reason")
    return _end(placement, actor=actor, at=at, status=PlacementStatus.RELEASED,
                reason=EndReason.OVERRIDE, override_reason=reason, note=note)


@transaction.atomic
def placement_end_became_case(*, actor, placement: Placement, at: dt.datetime | None = None,
                              note: str = "") -> Placement:
    """An F1 in quarantine tested positive: their quarantine ends (became F0) and frees its place.
    placement_create of an F0 isolation calls this itself for a person still in quarantine."""
    placement = _locked(placement)
    _require_place(actor, facility=placement.facility, person=placement.person)
    if placement.purpose != Purpose.QUARANTINE:
        raise InvalidInput(_("Đây đã là lượt cách ly, điều trị F0."), field="placement")
    at = _moment(at, field="at", not_before=placement.started_at)
    return _end(placement, actor=actor, at=at, status=PlacementStatus.RELEASED,
                reason=EndReason.BECAME_CASE, note=note)
