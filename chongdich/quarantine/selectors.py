"""Reads for facilities, placements, scheduled tests and rule sets, always scoped to the actor.

Rule sets are national data (the Ministry's rules), readable by every signed-in account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from chongdich.cases.models import Case
from chongdich.cases.ranks import active_cases_q
from chongdich.core import clock
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.core.jurisdiction import scope_q
from chongdich.core.text import fold
from chongdich.geography.models import AdminUnit
from chongdich.quarantine import domain
from chongdich.quarantine.models import (
    Facility,
    FacilityKind,
    FacilityStatus,
    Placement,
    PlacementRule,
    PlacementStatus,
    QuarantineRuleSet,
    ScheduledTest,
)
from chongdich.testing.models import Result, Sample

# --- Facilities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityFilters:
    kind: str = ""
    district_id: int | None = None
    status: str = ""  # a FacilityStatus, or "open" (not closed)
    search: str = ""


def facility_list(*, actor, filters: FacilityFilters | None = None) -> QuerySet[Facility]:
    f = filters or FacilityFilters()
    qs = Facility.objects.filter(scope_q(actor)).select_related("district", "commune")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.district_id:
        qs = qs.filter(district_id=f.district_id)
    if f.status == "open":
        qs = qs.exclude(status=FacilityStatus.CLOSED)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.search.strip():
        term = f.search.strip()
        qs = qs.filter(Q(code__iexact=term) | Q(name__icontains=term))
    return qs.order_by("district__code", "kind", "name", "pk")


def facility_get(*, actor, facility_id: int) -> Facility:
    facility = (Facility.objects.filter(scope_q(actor), pk=facility_id)
                .select_related("province", "district", "commune").first())
    if facility is None:
        raise NotFound(_("Không tìm thấy cơ sở cách ly/điều trị."))
    return facility


def facility_choices(*, actor, purpose: str = "") -> QuerySet[Facility]:
    """Facilities that can take someone now: open, with a free place, of the kind the purpose
    needs (F1 in quarantine facilities, F0 in hospitals and field hospitals)."""
    qs = facility_list(actor=actor, filters=FacilityFilters(status="open"))
    qs = qs.filter(occupied__lt=F("capacity"))
    if purpose:
        kinds = [k for k, p in domain.FACILITY_KIND_PURPOSE.items() if p == purpose]
        qs = qs.filter(kind__in=kinds)
    return qs


@dataclass
class BoardGroup:
    """A line of the board's summaries: facilities, places, taken, free."""

    key: object
    label: str
    facilities: int = 0
    capacity: int = 0
    occupied: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)

    @property
    def percent(self) -> float:
        return domain.fullness(self.occupied, self.capacity)

    @property
    def band(self) -> str:
        return domain.fullness_band(self.occupied, self.capacity)


@dataclass
class Board:
    facilities: list[Facility]
    by_district: list[BoardGroup]
    by_kind: list[BoardGroup]
    total: BoardGroup
    closed: int = 0
    home: dict[str, int] = field(default_factory=dict)  # active home placements by purpose

    @property
    def home_total(self) -> int:
        return sum(self.home.values())


BOARD_FIELDS = ("code", "name", "kind", "tier", "capacity", "occupied", "status", "province_id",
                "district_id", "commune_id", "district__name_with_type", "district__code")


def _kind_label(kind: str, tier: int | None) -> str:
    label = str(FacilityKind(kind).label)
    return _("%(kind)s tầng %(tier)s") % {"kind": label, "tier": tier} if tier else label


def facility_board(*, actor, filters: FacilityFilters | None = None) -> Board:
    """Every facility's places, taken and free, and the free places per district and per kind
    and tier, from the facility counters (grouped queries; no placement is counted here). Closed
    facilities are listed but offer no places."""
    facilities = list(facility_list(actor=actor, filters=filters).select_related(None).select_related("district")
                      .only(*BOARD_FIELDS))
    open_q = Facility.objects.filter(scope_q(actor)).exclude(status=FacilityStatus.CLOSED)
    if filters and filters.kind:
        open_q = open_q.filter(kind=filters.kind)
    if filters and filters.district_id:
        open_q = open_q.filter(district_id=filters.district_id)
    sums = {"facilities": Count("pk"), "capacity": Sum("capacity"), "occupied": Sum("occupied")}
    district_rows = open_q.values("district_id").annotate(**sums).order_by()
    names = dict(AdminUnit.objects.filter(pk__in=[r["district_id"] for r in district_rows])
                 .values_list("pk", "name_with_type"))
    codes = dict(AdminUnit.objects.filter(pk__in=names).values_list("pk", "code"))
    by_district = sorted(
        (BoardGroup(r["district_id"], names.get(r["district_id"], ""), r["facilities"],
                    r["capacity"] or 0, r["occupied"] or 0) for r in district_rows),
        key=lambda g: codes.get(g.key, ""))
    kind_rows = open_q.values("kind", "tier").annotate(**sums).order_by("kind", "tier")
    by_kind = [BoardGroup((r["kind"], r["tier"]), _kind_label(r["kind"], r["tier"]), r["facilities"],
                          r["capacity"] or 0, r["occupied"] or 0) for r in kind_rows]
    total = BoardGroup("total", _("Tổng"), sum(g.facilities for g in by_district),
                       sum(g.capacity for g in by_district), sum(g.occupied for g in by_district))
    home = dict(Placement.objects.filter(scope_q(actor), status=PlacementStatus.ACTIVE, setting="home")
                .values("purpose").annotate(n=Count("*")).values_list("purpose", "n").order_by())
    closed = sum(1 for f in facilities if f.status == FacilityStatus.CLOSED)
    return Board(facilities, by_district, by_kind, total, closed, home)


# --- Rule sets -------------------------------------------------------------------------------


def rule_set_list() -> QuerySet[QuarantineRuleSet]:
    return QuarantineRuleSet.objects.prefetch_related("rules").order_by("-valid_from")


def rule_set_get(*, rule_set_id: int) -> QuarantineRuleSet:
    found = rule_set_list().filter(pk=rule_set_id).first()
    if found is None:
        raise NotFound(_("Không tìm thấy bộ quy định."))
    return found


def as_domain_rule(rule: PlacementRule) -> domain.Rule:
    return domain.Rule(
        purpose=rule.purpose, condition=rule.condition, setting=rule.setting,
        stay_days=rule.stay_days, monitoring_days=rule.monitoring_days,
        test_days=tuple(int(d) for d in rule.test_days or ()),
        release_needs_negative=rule.release_needs_negative,
    )


def rule_set_in_force(*, on: dt.date) -> QuarantineRuleSet | None:
    return rule_set_list().filter(valid_from__lte=on).first()


def rule_for_placement(*, on: dt.date, purpose: str, condition: str, setting: str
                       ) -> tuple[QuarantineRuleSet, PlacementRule]:
    """The rule that applies to a placement starting on `on` (from the set in force that day).
    InvalidInput, naming the field at fault, when no set or no rule applies."""
    rule_set = rule_set_in_force(on=on)
    if rule_set is None:
        raise InvalidInput(_("Không có bộ quy định cách ly nào có hiệu lực vào ngày %(day)s.")
                           % {"day": on.strftime("%d/%m/%Y")}, field="started_at")
    rules = list(rule_set.rules.all())
    wanted = domain.rule_for([as_domain_rule(r) for r in rules], purpose=purpose,
                             condition=condition, setting=setting)
    if wanted is None:
        raise InvalidInput(
            _("Bộ quy định %(code)s (từ %(day)s) không có quy định cho trường hợp này "
              "(%(purpose)s, %(setting)s).") % {
                "code": rule_set.code, "day": rule_set.valid_from.strftime("%d/%m/%Y"),
                "purpose": purpose, "setting": setting}, field="setting")
    rule = next(r for r in rules if (r.purpose, r.condition, r.setting)
                == (wanted.purpose, wanted.condition, wanted.setting))
    return rule_set, rule


def rule_set_in_use(rule_set: QuarantineRuleSet) -> bool:
    return Placement.objects.filter(rule__rule_set=rule_set).exists()


# --- Placements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementFilters:
    status: str = PlacementStatus.ACTIVE  # a PlacementStatus, or "" for all
    ending: str = ""  # "today", "week" (the next 7 days), "due" (planned end reached)
    facility_id: int | None = None
    setting: str = ""
    purpose: str = ""
    unit: AdminUnit | None = None
    search: str = ""


def placement_list(*, actor, filters: PlacementFilters | None = None,
                   today: dt.date | None = None) -> QuerySet[Placement]:
    f = filters or PlacementFilters()
    today = today or clock.today()
    qs = (Placement.objects.filter(scope_q(actor))
          .select_related("person", "facility", "commune", "rule", "rule__rule_set"))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.ending == "today":
        qs = qs.filter(planned_end_on=today)
    elif f.ending == "week":
        qs = qs.filter(planned_end_on__gte=today, planned_end_on__lte=today + dt.timedelta(days=6))
    elif f.ending == "due":
        qs = qs.filter(planned_end_on__lte=today)
    if f.facility_id:
        qs = qs.filter(facility_id=f.facility_id)
    if f.setting:
        qs = qs.filter(setting=f.setting)
    if f.purpose:
        qs = qs.filter(purpose=f.purpose)
    if f.unit is not None:
        qs = qs.filter(**{f"{f.unit.level}_id": f.unit.pk})
    if f.search.strip():
        qs = qs.filter(person__name_folded__contains=fold(f.search))
    return qs.order_by("planned_end_on", "pk")


def placement_get(*, actor, placement_id: int) -> Placement:
    placement = (Placement.objects.filter(scope_q(actor), pk=placement_id)
                 .select_related("person", "person__commune", "facility", "facility__commune",
                                 "commune", "district", "case", "rule", "rule__rule_set",
                                 "previous", "previous__facility", "override_by", "ended_by",
                                 "created_by").first())
    if placement is None:
        raise NotFound(_("Không tìm thấy lượt cách ly."))
    return placement


def placement_active_for_person(*, person_id: int) -> Placement | None:
    """The person's active placement wherever it is (for a service deciding what to do)."""
    return (Placement.objects.filter(person_id=person_id, status=PlacementStatus.ACTIVE)
            .select_related("facility").first())


def placement_list_for_person(*, actor, person) -> QuerySet[Placement]:
    """The person's placements the actor may see (a facility elsewhere stays hidden)."""
    return (Placement.objects.filter(scope_q(actor), person=person)
            .select_related("facility", "rule__rule_set").order_by("-started_at", "-pk"))


def placement_chain(*, actor, placement: Placement) -> list[Placement]:
    """The stays of one episode, first to last: the placements before it through `previous`
    and the ones after it through transfers (as far as the actor can see)."""
    chain = [placement]
    node = placement.previous
    while node is not None and len(chain) < 50:
        chain.insert(0, node)
        node = node.previous
    scope = scope_q(actor)
    current = placement
    while len(chain) < 50:
        after = (Placement.objects.filter(scope, previous=current).select_related("facility").first())
        if after is None:
            break
        chain.append(after)
        current = after
    return chain


def release_due_list(*, actor, on: dt.date | None = None) -> QuerySet[Placement]:
    """Active placements whose planned end is reached: who can go home today (if their test is in)."""
    return placement_list(actor=actor, filters=PlacementFilters(ending="due"), today=on)


def active_case_of(*, person_id: int) -> Case | None:
    return Case.objects.filter(active_cases_q(), person_id=person_id).first()


# --- Tests and release -----------------------------------------------------------------------


def test_dates(*, person_ids, since: dt.date) -> dict[int, dict[str, list[dt.date]]]:
    """For each person, the days their samples with a negative and with a positive result were
    taken, from `since` on. A sample's result is its own, or its pool's when it has none and the
    pool is negative (a positive pool asks for a retest: it proves nothing about one member)."""
    out: dict[int, dict[str, list[dt.date]]] = {}
    rows = (Sample.objects.filter(person_id__in=list(person_ids), taken_on__gte=since)
            .filter(Q(lab_result__isnull=False) | Q(pool__lab_result__result=Result.NEGATIVE))
            .values_list("person_id", "taken_on", "lab_result__result", "pool__lab_result__result"))
    for person_id, taken_on, own, pooled in rows:
        result = own or (pooled if pooled == Result.NEGATIVE else None)
        if result in (Result.NEGATIVE, Result.POSITIVE):
            out.setdefault(person_id, {"negative": [], "positive": []})[result].append(taken_on)
    return out


def release_verdict(placement: Placement, *, today: dt.date | None = None,
                    dates: dict[str, list[dt.date]] | None = None) -> domain.ReleaseVerdict:
    """What the rule says about ending this placement today."""
    today = today or clock.today()
    if dates is None:
        dates = test_dates(person_ids=[placement.person_id], since=placement.started_on).get(
            placement.person_id, {})
    return domain.release_check(
        rule=as_domain_rule(placement.rule), started_on=placement.started_on,
        planned_end_on=placement.planned_end_on, today=today,
        negative_dates=dates.get("negative", ()), positive_dates=dates.get("positive", ()),
    )


def release_verdicts(placements: list[Placement], *, today: dt.date | None = None
                     ) -> dict[int, domain.ReleaseVerdict]:
    """Verdicts for a page of placements with one query for their tests."""
    if not placements:
        return {}
    since = min(p.started_on for p in placements)
    dates = test_dates(person_ids={p.person_id for p in placements}, since=since)
    return {p.pk: release_verdict(p, today=today, dates=dates.get(p.person_id, {}))
            for p in placements}


def due_test_list(*, actor, on: dt.date | None = None, facility_id: int | None = None,
                  setting: str = "") -> QuerySet[ScheduledTest]:
    """Open scheduled tests due on or before `on`, the most overdue first: one range scan of the
    partial index (scope key, due date, id) over the open tests."""
    on = on or clock.today()
    qs = (ScheduledTest.objects.filter(scope_q(actor), open=True, due_on__lte=on)
          .select_related("placement", "placement__person", "placement__facility", "commune"))
    if facility_id:
        qs = qs.filter(placement__facility_id=facility_id)
    if setting:
        qs = qs.filter(placement__setting=setting)
    return qs.order_by("due_on", "id")


def scheduled_tests_for(*, placements: list[Placement]) -> QuerySet[ScheduledTest]:
    """The scheduled tests of the stays of one episode (open tests move along with a transfer;
    done ones stay with the stay they were done in)."""
    return (ScheduledTest.objects.filter(placement_id__in=[p.pk for p in placements])
            .select_related("sample").order_by("day"))
