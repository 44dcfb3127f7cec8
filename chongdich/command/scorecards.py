"""Scorecards (bảng đánh giá): each unit and its head judged over a period by concrete results —
tasks done on time, inspection findings still open, and what the system knows of the ground:
cases and their trend, contacts traced, tests done against plan.

Indicators are registered in one list (`INDICATORS`); each computes its columns for many units at
once (one grouped query per indicator, whatever the number of units), so a ranked table of a
district's communes costs the same few queries as one unit's page. Another part of the system adds
its own with `register_indicator(Indicator(...))` (e.g. from its AppConfig.ready()).

A value of None means "no data": the system does not know it, and nothing is made up in its place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, F, Min, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.command import domain
from chongdich.command.models import (
    LEADING_KINDS,
    Agency,
    AgencyKind,
    Finding,
    Severity,
    Task,
    TaskReport,
)
from chongdich.command.services.tasks import local_tz, recurrence_of
from chongdich.core import clock
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.core.jurisdiction import require_visible
from chongdich.geography.models import AdminUnit, UnitLevel

Number = int | float | None

DEFAULT_DAYS = 7
MAX_DAYS = 366

# --- Pure rules: periods, change, ranking (no ORM) ----------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length just before this one (for trends)."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def bounds(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """[start of the first day, start of the day after the last) as instants."""
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        return start, dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def period_from(start: dt.date | None, end: dt.date | None, *, today: dt.date,
                default_days: int = DEFAULT_DAYS, max_days: int = MAX_DAYS) -> Period:
    """The period asked for; by default the last `default_days` days up to today."""
    end = end or today
    start = start or end - dt.timedelta(days=default_days - 1)
    if start > end:
        raise InvalidInput(_("Ngày bắt đầu phải trước ngày kết thúc."), field="start")
    if (end - start).days + 1 > max_days:
        raise InvalidInput(_("Kỳ đánh giá dài tối đa %(n)s ngày.") % {"n": max_days}, field="start")
    return Period(start, end)


def change(current: Number, previous: Number) -> Number:
    """Relative change from the previous period (0.25 = up 25 %); None when it has no meaning
    (no data, or nothing to compare with)."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


def ratio(part: Number, whole: Number) -> Number:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def ranked(values: list[tuple[object, Number]], *, higher_is_better: bool) -> list[tuple[object, int | None]]:
    """Competition ranking (1, 2, 2, 4) of items by value, best first; items without data come
    last, unranked."""
    known = sorted((v for v in values if v[1] is not None), key=lambda v: v[1], reverse=higher_is_better)
    out: list[tuple[object, int | None]] = []
    previous, rank = object(), 0
    for position, (item, value) in enumerate(known, start=1):
        if value != previous:
            rank, previous = position, value
        out.append((item, rank))
    return out + [(item, None) for item, value in values if value is None]


# --- The indicator registry ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    better: int = 0  # +1 higher is better, -1 lower is better, 0 not for ranking
    kind: str = "count"  # count | ratio (shown as %) | change (shown as ±%) | rate (one decimal)
    help: str | Promise = ""


@dataclass(frozen=True)
class Scope:
    """What an indicator computes over: units of one level, a period, and the moment it is now."""

    units: list[AdminUnit]
    level: str
    period: Period
    now: dt.datetime

    @property
    def unit_ids(self) -> list[int]:
        return [u.pk for u in self.units]

    @property
    def key(self) -> str:
        """The jurisdiction key that groups records by these units (e.g. "district_id")."""
        return f"{self.level}_id"

    def within(self) -> Q:
        return Q(**{f"{self.key}__in": self.unit_ids})

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end of the period as instants; the end is never later than now."""
        start, end = self.period.bounds(local_tz())
        return start, min(end, self.now)


Values = dict[int, dict[str, Number]]  # unit id → column key → value


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str | Promise
    columns: tuple[Column, ...]
    compute: Callable[[Scope], Values]
    available: Callable[[], bool] = field(default=lambda: True)


INDICATORS: list[Indicator] = []


def register_indicator(indicator: Indicator) -> Indicator:
    """Add an indicator to every scorecard (replacing one with the same key)."""
    INDICATORS[:] = [i for i in INDICATORS if i.key != indicator.key] + [indicator]
    return indicator


def all_columns() -> list[Column]:
    return [c for i in INDICATORS for c in i.columns]


def column(key: str) -> Column:
    for c in all_columns():
        if c.key == key:
            return c
    raise InvalidInput(_("Không có chỉ tiêu %(key)s.") % {"key": key}, field="sort")


def compute(scope: Scope) -> Values:
    """Every registered indicator for every unit in scope; None where there is no data."""
    out: Values = {u.pk: {} for u in scope.units}
    for indicator in INDICATORS:
        available = indicator.available()
        found = indicator.compute(scope) if available else {}
        for unit_id, row in out.items():
            got = found.get(unit_id)
            for c in indicator.columns:
                if got is not None:
                    row[c.key] = got.get(c.key)
                else:
                    # Nothing recorded in a unit the indicator covers: its counts are zero.
                    row[c.key] = 0 if available and c.kind == "count" else None
    return out


# --- Indicators: tasks, recurring reports, findings ---------------------------------------------

DONE = [domain.Status.REPORTED_DONE.value, domain.Status.VERIFIED.value]


def task_counts(tasks, group: str, start: dt.datetime, end: dt.datetime) -> Values:
    """Tasks of a deadline or none: done in the period on time or late; at its end, still owed
    (open) and owed past the deadline (overdue). A task reported done counts as done whether or
    not the committee has verified it yet; a task sent back is owed again."""
    done = Q(status__in=DONE, done_at__gte=start, done_at__lt=end)
    on_time = done & (Q(deadline__isnull=True) | Q(done_at__lte=F("deadline")))
    late = done & Q(deadline__isnull=False, done_at__gt=F("deadline"))
    owed = (Q(created_at__lt=end) & (Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=end))
            & (~Q(status__in=DONE) | Q(done_at__isnull=True) | Q(done_at__gte=end)))
    overdue = owed & Q(timing=domain.Timing.DEADLINE, deadline__lt=end)
    rows = tasks.values(group).annotate(
        tasks_on_time=Count("pk", filter=on_time), tasks_late=Count("pk", filter=late),
        tasks_open=Count("pk", filter=owed), tasks_overdue=Count("pk", filter=overdue),
    )
    out: Values = {}
    for row in rows:
        values = {k: row[k] for k in ("tasks_on_time", "tasks_late", "tasks_open", "tasks_overdue")}
        judged = values["tasks_on_time"] + values["tasks_late"] + values["tasks_overdue"]
        values["tasks_on_time_rate"] = ratio(values["tasks_on_time"], judged)
        out[row[group]] = values
    return out


def _tasks(scope: Scope) -> Values:
    start, end = scope.moments()
    return task_counts(Task.objects.filter(scope.within()), scope.key, start, end)


def report_counts(tasks, group: str, period: Period, now: dt.datetime) -> Values:
    """Recurring reports ("báo cáo hằng ngày trước 17 giờ") falling due in the period: sent on
    time, sent late, or still missing."""
    tz = local_tz()
    start = period.bounds(tz)[0]
    tasks = list(tasks.filter(timing=domain.Timing.RECURRING, starts_on__lte=period.end)
                 .exclude(cancelled_at__lt=start).exclude(verified_at__lt=start))
    firsts: dict[int, dict[dt.date, dt.datetime]] = {}
    rows = (TaskReport.objects.filter(task_id__in=[t.pk for t in tasks], period__isnull=False)
            .values("task_id", "period").annotate(first=Min("submitted_at"))
            .values_list("task_id", "period", "first"))
    for task_id, day, first in rows:
        firsts.setdefault(task_id, {})[day] = first
    out: Values = {}
    for t in tasks:
        recurrence = recurrence_of(t)
        counts = out.setdefault(getattr(t, group), {"reports_on_time": 0, "reports_late": 0,
                                                    "reports_missing": 0})
        stopped = t.cancelled_at or t.verified_at  # no report is owed after the task was closed
        for r in domain.due_reports(recurrence, firsts.get(t.pk, {}), now=now, tz=tz, since=period.start):
            if r.period > period.end or (stopped is not None and r.due_at >= stopped):
                continue
            key = {domain.Occurrence.ON_TIME: "reports_on_time", domain.Occurrence.LATE: "reports_late",
                   domain.Occurrence.MISSING: "reports_missing"}.get(r.status)
            if key:
                counts[key] += 1
    return out


def _reports(scope: Scope) -> Values:
    return report_counts(Task.objects.filter(scope.within()), scope.key, scope.period, scope.now)


SEVERITY_COLUMNS = {Severity.SERIOUS: "findings_serious", Severity.MODERATE: "findings_moderate",
                    Severity.MINOR: "findings_minor"}


def finding_counts(findings, group: str, end: dt.datetime) -> Values:
    """Findings of inspections still open at the end of the period, by severity."""
    open_then = Q(recorded_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    rows = findings.filter(open_then).values(group).annotate(
        **{col: Count("pk", filter=Q(severity=sev)) for sev, col in SEVERITY_COLUMNS.items()})
    out: Values = {}
    for row in rows:
        values = {col: row[col] for col in SEVERITY_COLUMNS.values()}
        values["findings_open"] = sum(values.values())
        out[row[group]] = values
    return out


def _findings(scope: Scope) -> Values:
    return finding_counts(Finding.objects.filter(scope.within()), scope.key, scope.moments()[1])


# --- Indicators: the ground (cases, contacts, tests) -------------------------------------------


def _cases(scope: Scope) -> Values:
    from chongdich.cases.models import CaseDayCount

    period, before = scope.period, scope.period.previous()
    new = F("new_local") + F("new_imported")
    rows = (CaseDayCount.objects.filter(scope.within(), day__gte=before.start, day__lte=period.end)
            .values(scope.key)
            .annotate(cases=Sum(new, filter=Q(day__gte=period.start)),
                      cases_before=Sum(new, filter=Q(day__lte=before.end)),
                      contacts=Sum("contacts", filter=Q(day__gte=period.start))))
    found = {row[scope.key]: row for row in rows}
    out: Values = {}
    for unit in scope.units:
        row = found.get(unit.pk, {})
        # No counter rows means no case was recorded: zero is what the system knows, not a guess.
        cases, before_n = row.get("cases") or 0, row.get("cases_before") or 0
        contacts = row.get("contacts") or 0
        out[unit.pk] = {
            "cases": cases, "cases_previous": before_n, "cases_change": change(cases, before_n),
            "cases_per_100k": cases * 100_000 / unit.population if unit.population else None,
            "contacts": contacts, "contacts_per_case": ratio(contacts, cases),
        }
    return out


def _testing_installed() -> bool:
    return apps.is_installed("chongdich.testing")


def _tests(scope: Scope) -> Values:
    """Samples taken in the period; against plan: the screening campaigns of each unit running in
    the period, their target (head count, else the listed members) and the samples taken for them
    so far. No campaign with a target: the plan is "no data"."""
    from chongdich.testing.models import Sample, ScreeningCampaign

    period = scope.period
    taken = dict(Sample.objects.filter(scope.within(), taken_on__gte=period.start, taken_on__lte=period.end)
                 .values(scope.key).annotate(n=Count("pk")).values_list(scope.key, "n"))
    campaigns = list(ScreeningCampaign.objects.filter(scope.within(), starts_on__lte=period.end,
                                                      ends_on__gte=period.start)
                     .annotate(listed=Count("members")).values("pk", scope.key, "target_headcount", "listed"))
    target: dict[int, int] = {}
    planned_ids = []
    for c in campaigns:
        goal = c["target_headcount"] or c["listed"]
        if goal:
            target[c[scope.key]] = target.get(c[scope.key], 0) + goal
            planned_ids.append(c["pk"])
    for_plan = dict(Sample.objects.filter(campaign_id__in=planned_ids, taken_on__lte=period.end)
                    .values(f"campaign__{scope.key}").annotate(n=Count("pk"))
                    .values_list(f"campaign__{scope.key}", "n"))
    return {
        unit_id: {"tests": taken.get(unit_id, 0), "tests_planned": target.get(unit_id),
                  "tests_coverage": ratio(for_plan.get(unit_id, 0), target.get(unit_id))}
        for unit_id in scope.unit_ids
    }


# Labels are lazy: translated when shown, in the language of the person looking.
register_indicator(Indicator("tasks", gettext_lazy("Nhiệm vụ được giao"), (
    Column("tasks_on_time", gettext_lazy("Xong đúng hạn"), +1),
    Column("tasks_late", gettext_lazy("Xong muộn"), -1),
    Column("tasks_open", gettext_lazy("Đang mở"), 0, help=gettext_lazy("chưa xong vào cuối kỳ")),
    Column("tasks_overdue", gettext_lazy("Quá hạn"), -1, help=gettext_lazy("chưa xong, đã quá hạn vào cuối kỳ")),
    Column("tasks_on_time_rate", gettext_lazy("Tỉ lệ đúng hạn"), +1, "ratio",
           help=gettext_lazy("xong đúng hạn / (xong trong kỳ + quá hạn)")),
), _tasks))
register_indicator(Indicator("reports", gettext_lazy("Báo cáo định kỳ"), (
    Column("reports_on_time", gettext_lazy("Đúng hạn"), +1),
    Column("reports_late", gettext_lazy("Muộn"), -1),
    Column("reports_missing", gettext_lazy("Thiếu"), -1),
), _reports))
register_indicator(Indicator("findings", gettext_lazy("Tồn tại qua kiểm tra (chưa khắc phục)"), (
    Column("findings_open", gettext_lazy("Tổng"), -1),
    Column("findings_serious", gettext_lazy("Nghiêm trọng"), -1),
    Column("findings_moderate", gettext_lazy("Trung bình"), -1),
    Column("findings_minor", gettext_lazy("Nhẹ"), -1),
), _findings))
register_indicator(Indicator("cases", gettext_lazy("Ca bệnh và truy vết"), (
    Column("cases", gettext_lazy("Ca mới (F0)"), -1),
    Column("cases_previous", gettext_lazy("Ca mới kỳ trước"), 0),
    Column("cases_change", gettext_lazy("Xu hướng"), -1, "change", help=gettext_lazy("so với kỳ trước cùng độ dài")),
    Column("cases_per_100k", gettext_lazy("Ca mới / 100.000 dân"), -1, "rate"),
    Column("contacts", gettext_lazy("Tiếp xúc đã truy vết"), +1),
    Column("contacts_per_case", gettext_lazy("Tiếp xúc / ca"), +1, "rate"),
), _cases))
register_indicator(Indicator("tests", gettext_lazy("Xét nghiệm"), (
    Column("tests", gettext_lazy("Mẫu đã lấy"), +1),
    Column("tests_planned", gettext_lazy("Kế hoạch (người)"), 0, help=gettext_lazy("chỉ tiêu các đợt sàng lọc trong kỳ")),
    Column("tests_coverage", gettext_lazy("Đạt kế hoạch"), +1, "ratio"),
), _tests, available=lambda: _testing_installed()))


# --- Heads of units -----------------------------------------------------------------------------

HEAD_ORDER = [AgencyKind.STEERING_COMMITTEE, AgencyKind.PEOPLES_COMMITTEE, AgencyKind.PARTY_COMMITTEE]


@dataclass(frozen=True)
class Head:
    name: str
    title: str
    agency: Agency


def heads_of(unit_ids: Iterable[int]) -> dict[int, Head]:
    """The person at the head of each unit: the head of its steering committee, else of its
    people's committee, else of its party committee, as recorded in the agencies."""
    agencies = (Agency.objects.filter(unit_id__in=list(unit_ids), kind__in=LEADING_KINDS, is_active=True)
                .select_related("head_account"))
    best: dict[int, Agency] = {}
    for a in agencies:
        if not (a.head_name or a.head_account_id):
            continue
        current = best.get(a.unit_id)
        if current is None or HEAD_ORDER.index(a.kind) < HEAD_ORDER.index(current.kind):
            best[a.unit_id] = a
    return {uid: Head(a.head_name or a.head_account.display_name, a.head_title, a) for uid, a in best.items()}


# --- Selectors ----------------------------------------------------------------------------------


@dataclass
class Row:
    unit: AdminUnit
    head: Head | None
    values: dict[str, Number]
    rank: int | None = None


@dataclass
class Ranking:
    parent: AdminUnit | None  # None: the provinces of the country
    level: str
    period: Period
    sort: Column
    rows: list[Row]
    indicators: list[Indicator]


CHILD_LEVEL = {None: UnitLevel.PROVINCE, UnitLevel.PROVINCE: UnitLevel.DISTRICT,
               UnitLevel.DISTRICT: UnitLevel.COMMUNE}
DEFAULT_SORT = "tasks_on_time_rate"


def _require_area(actor, unit: AdminUnit | None) -> None:
    if unit is None:
        if actor.unit_id is None and (actor.is_superuser or actor.is_national):
            return
        raise NotFound(_("Không tìm thấy đơn vị hành chính."))
    require_visible(actor, unit)


def scorecard_ranking(*, actor, parent: AdminUnit | None, period: Period, sort: str = DEFAULT_SORT,
                      now: dt.datetime | None = None) -> Ranking:
    """The units one level below `parent` (communes of a district, districts of a province),
    ranked by the `sort` column, best first."""
    _require_area(actor, parent)
    level = CHILD_LEVEL.get(parent.level if parent else None)
    if level is None:
        raise InvalidInput(_("Xã, phường không có đơn vị cấp dưới để xếp hạng."), field="unit")
    units = list(AdminUnit.objects.filter(parent=parent, level=level).order_by("code"))
    sort_column = column(sort)
    if not sort_column.better:
        raise InvalidInput(_("Không xếp hạng theo chỉ tiêu này."), field="sort")
    values = compute(Scope(units, level, period, now or clock.now()))
    heads = heads_of(u.pk for u in units)
    rows = [Row(u, heads.get(u.pk), values[u.pk]) for u in units]
    order = ranked([(r, r.values.get(sort_column.key)) for r in rows], higher_is_better=sort_column.better > 0)
    for row, rank in order:
        row.rank = rank
    return Ranking(parent, level, period, sort_column, [r for r, _rank in order],
                   [i for i in INDICATORS])


@dataclass
class UnitScorecard:
    unit: AdminUnit
    head: Head | None
    period: Period
    values: dict[str, Number]
    previous: dict[str, Number]
    indicators: list[Indicator]
    agencies: list[tuple[Agency, dict[str, Number]]]


def scorecard_unit(*, actor, unit: AdminUnit, period: Period, now: dt.datetime | None = None) -> UnitScorecard:
    """One unit over the period, beside the period before it, with the tasks of each of its own
    agencies (the bodies of that level and their heads)."""
    _require_area(actor, unit)
    now = now or clock.now()
    current = compute(Scope([unit], unit.level, period, now))[unit.pk]
    previous = compute(Scope([unit], unit.level, period.previous(), now))[unit.pk]
    agencies = list(Agency.objects.filter(unit=unit, is_active=True).select_related("head_account")
                    .order_by("name"))
    start, end = Scope([unit], unit.level, period, now).moments()
    tasks = task_counts(Task.objects.filter(agency__unit=unit), "agency_id", start, end)
    reports = report_counts(Task.objects.filter(agency__unit=unit), "agency_id", period, now)
    by_agency = [(a, {**tasks.get(a.pk, {}), **reports.get(a.pk, {})}) for a in agencies]
    return UnitScorecard(unit, heads_of([unit.pk]).get(unit.pk), period, current, previous,
                         list(INDICATORS), by_agency)
