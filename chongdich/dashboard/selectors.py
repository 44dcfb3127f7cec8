"""The committee's daily figures, curve and map, read from the daily counters (CaseDayCount) and
indexed counts — never by loading cases — so a dashboard stays fast at a million cases.

Every read is scoped to the actor's jurisdiction and, optionally, narrowed to one unit in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce

from chongdich.cases.models import Case, CaseDayCount, CaseStatus, Contact, RankCount
from chongdich.cases.ranks import active_cases_q
from chongdich.cases.selectors import CaseFilters
from chongdich.core import clock
from chongdich.core.jurisdiction import require_visible, scope_q
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.geography.selectors import unit_list

# With no new data for this long, the figures are historical: "today" is the last day with data.
HISTORICAL_AFTER = dt.timedelta(days=7)
MAP_WINDOW_DAYS = 7
TREATMENT_ORDER = [
    CaseStatus.HOME_CARE, CaseStatus.QUARANTINE_FACILITY, CaseStatus.HOSPITAL_TIER1,
    CaseStatus.HOSPITAL_TIER2, CaseStatus.HOSPITAL_TIER3,
]


def _where(actor, unit: AdminUnit | None, prefix: str = "") -> Q:
    q = scope_q(actor, prefix)
    if unit is not None:
        require_visible(actor, unit)
        q &= Q(**{f"{prefix}{unit.level}_id": unit.pk})
    return q


@dataclass(frozen=True)
class ReportDay:
    day: dt.date  # "today" of the report
    cutoff: dt.datetime  # the figures count everything up to this moment
    historical: bool  # no recent data: the report is for the last day with data


def report_day(*, actor, unit: AdminUnit | None = None, today: dt.date | None = None) -> ReportDay:
    now = clock.now()
    real_today = clock.today()
    if today is None:
        latest = (CaseDayCount.objects.filter(_where(actor, unit), day__lte=real_today)
                  .aggregate(d=Max("day"))["d"])
        if latest is None or latest >= real_today - HISTORICAL_AFTER:
            return ReportDay(real_today, now, False)
        today = latest
    if today >= real_today:
        return ReportDay(real_today, now, False)
    last = (Case.objects.filter(_where(actor, unit), confirmed_on__lte=today, discarded_at__isnull=True)
            .order_by("-confirmed_at").values_list("confirmed_at", flat=True).first())
    return ReportDay(today, last or now, True)


@dataclass(frozen=True)
class Figures:
    unit: AdminUnit | None
    since: dt.date | None  # start of the wave
    report: ReportDay
    wave_local: int = 0
    wave_imported: int = 0
    today_local: int = 0
    today_imported: int = 0
    recovered: int = 0
    died: int = 0
    recovered_today: int = 0
    died_today: int = 0
    under_treatment: dict[str, int] = field(default_factory=dict)  # status → active cases

    @property
    def wave_total(self) -> int:
        return self.wave_local + self.wave_imported

    @property
    def today_total(self) -> int:
        return self.today_local + self.today_imported

    @property
    def active_total(self) -> int:
        return sum(self.under_treatment.values())

    @property
    def treatment_rows(self) -> list[tuple[str, str, int]]:
        labels = dict(CaseStatus.choices)
        return [(s.value, labels[s], self.under_treatment.get(s.value, 0)) for s in TREATMENT_ORDER]


def wave_start(*, actor, unit: AdminUnit | None = None) -> dt.date | None:
    """The first day with a case in the data (the wave's start when none is given)."""
    return CaseDayCount.objects.filter(_where(actor, unit)).aggregate(d=Min("day"))["d"]


def dashboard_figures(*, actor, unit: AdminUnit | None = None, today: dt.date | None = None,
                      since: dt.date | None = None) -> Figures:
    """The daily report: cases this wave and today (local / imported), recovered, deaths and
    active cases by treatment tier. People traced are counted apart (tracing_figures): they are
    the one figure that grows with the size of the contact graph."""
    report = report_day(actor=actor, unit=unit, today=today)
    since = since or wave_start(actor=actor, unit=unit)
    where = _where(actor, unit)
    if since is None:
        return Figures(unit=unit, since=None, report=report,
                       under_treatment=_under_treatment(actor, unit))
    on_day = Q(day=report.day)
    sums = CaseDayCount.objects.filter(where, day__gte=since, day__lte=report.day).aggregate(
        wave_local=Coalesce(Sum("new_local"), 0),
        wave_imported=Coalesce(Sum("new_imported"), 0),
        wave_recovered=Coalesce(Sum("recovered"), 0),
        wave_died=Coalesce(Sum("died"), 0),
        today_local=Coalesce(Sum("new_local", filter=on_day), 0),
        today_imported=Coalesce(Sum("new_imported", filter=on_day), 0),
        recovered_today=Coalesce(Sum("recovered", filter=on_day), 0),
        died_today=Coalesce(Sum("died", filter=on_day), 0),
    )
    sums["recovered"], sums["died"] = sums.pop("wave_recovered"), sums.pop("wave_died")
    return Figures(unit=unit, since=since, report=report, **sums,
                   under_treatment=_under_treatment(actor, unit))


def _under_treatment(actor, unit) -> dict[str, int]:
    """Active cases by status now: one count on the partial index of active cases."""
    return dict(
        Case.objects.filter(_where(actor, unit), active_cases_q())
        .values("status").annotate(n=Count("*")).values_list("status", "n")
    )


@dataclass(frozen=True)
class Tracing:
    traced: dict[int, int]  # rank 1, 2, 3 → people now
    contacts_recent: int  # contacts recorded on the report's day
    report: ReportDay


def tracing_figures(*, actor, unit: AdminUnit | None = None, report: ReportDay) -> Tracing:
    """People traced by rank now (F1, F2, F3) and contacts recorded on the report's day, read from
    the counters the services keep (RankCount, CaseDayCount.contacts)."""
    traced = dict(
        RankCount.objects.filter(_where(actor, unit), rank__in=[1, 2, 3], people__gt=0)
        .values("rank").annotate(n=Sum("people")).values_list("rank", "n")
    )
    contacts_recent = (CaseDayCount.objects.filter(_where(actor, unit), day=report.day)
                       .aggregate(n=Coalesce(Sum("contacts"), 0))["n"])
    return Tracing(traced={r: n for r, n in traced.items() if n}, contacts_recent=contacts_recent, report=report)


def recent_contacts(*, actor, unit: AdminUnit | None = None, limit: int = 8) -> list[Contact]:
    return list(
        Contact.objects.filter(_where(actor, unit, "person__"))
        .select_related("person", "contact")
        .order_by("-created_at", "-pk")[:limit]
    )


def epidemic_curve(*, actor, unit: AdminUnit | None = None, since: dt.date | None = None,
                   until: dt.date | None = None) -> dict:
    """New cases per day, local and imported, with the 7-day average of all new cases."""
    rows = CaseDayCount.objects.filter(_where(actor, unit))
    if since:
        rows = rows.filter(day__gte=since)
    if until:
        rows = rows.filter(day__lte=until)
    by_day = {
        r["day"]: (r["local"], r["imported"])
        for r in rows.values("day").annotate(local=Sum("new_local"), imported=Sum("new_imported"))
    }
    if not by_day:
        return {"days": [], "local": [], "imported": [], "avg7": []}
    first, last = since or min(by_day), until or max(by_day)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    local = [by_day.get(d, (0, 0))[0] for d in days]
    imported = [by_day.get(d, (0, 0))[1] for d in days]
    totals = [a + b for a, b in zip(local, imported, strict=True)]
    avg7 = [round(sum(totals[max(0, i - 6): i + 1]) / min(i + 1, 7), 1) for i in range(len(totals))]
    return {"days": [d.isoformat() for d in days], "local": local, "imported": imported, "avg7": avg7}


def commune_map(*, actor, unit: AdminUnit | None = None, today: dt.date | None = None,
                days: int = MAP_WINDOW_DAYS) -> dict:
    """Every commune of the area at its real location with its new cases in the last `days` days,
    and the districts' bounding boxes for context."""
    today = today or clock.today()
    start = today - dt.timedelta(days=days - 1)
    counts = dict(
        CaseDayCount.objects.filter(_where(actor, unit), day__gte=start, day__lte=today)
        .values("commune_id").annotate(n=Sum("new_local") + Sum("new_imported"))
        .values_list("commune_id", "n")
    )
    communes = unit_list(actor=actor, level=UnitLevel.COMMUNE).filter(lat__isnull=False)
    districts = unit_list(actor=actor, level=UnitLevel.DISTRICT)
    if unit is not None:
        key = "pk" if unit.level == UnitLevel.COMMUNE else f"{unit.level}_id"
        communes = communes.filter(**{key: unit.pk})
        if unit.level == UnitLevel.PROVINCE:
            districts = districts.filter(province_id=unit.pk)
        else:
            districts = districts.filter(pk=unit.district_id or unit.pk)
    points = [
        {"code": c.code, "name": c.name_with_type, "district": c.district_id, "lat": c.lat,
         "lon": c.lon, "cases": int(counts.get(c.pk) or 0)}
        for c in communes.only("pk", "code", "name_with_type", "district_id", "lat", "lon")
    ]
    boxes = [
        {"code": d.code, "name": d.name_with_type, "bbox": d.bbox, "lat": d.lat, "lon": d.lon}
        for d in districts.only("code", "name_with_type", "bbox", "lat", "lon")
        if d.bbox or d.lat is not None
    ]
    return {"from": start, "to": today, "days": days,
            "communes": points, "districts": boxes,
            "max": max((p["cases"] for p in points), default=0)}


def case_count_from_daily(*, actor, filters: CaseFilters) -> int | None:
    """The exact number of cases `case_list` would return, from the daily counters, when the
    filters are only a unit and confirmation dates; None when they say more than that."""
    if filters.status or filters.detection or filters.cluster_id or filters.search:
        return None
    rows = CaseDayCount.objects.filter(_where(actor, filters.unit))
    if filters.confirmed_from:
        rows = rows.filter(day__gte=filters.confirmed_from)
    if filters.confirmed_to:
        rows = rows.filter(day__lte=filters.confirmed_to)
    total = rows.aggregate(n=Coalesce(Sum("new_local"), 0) + Coalesce(Sum("new_imported"), 0))["n"]
    return int(total)
