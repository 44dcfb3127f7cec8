"""Compliance with the 5-hour standard per unit: for responses of F0 confirmed in a period, the
share of each stage done on time (among stages done or already overdue) and the median minutes
from confirmation to done. One grouped read for any number of units; feeds the command
scorecards as the indicator "response"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from chongdich.core.jurisdiction import require_visible
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.response import domain
from chongdich.response.models import Stage


def compliance_by_unit(*, level: str, unit_ids: list[int], start: dt.datetime, end: dt.datetime,
                       now: dt.datetime) -> dict[int, dict[str, domain.Compliance]]:
    """unit id → stage → Compliance, for responses confirmed in [start, end)."""
    key = f"response__{level}_id"
    rows: dict[int, dict[str, list]] = {}
    for unit_id, kind, confirmed_at, due_at, done_at in Stage.objects.filter(
            **{f"{key}__in": unit_ids}, response__confirmed_at__gte=start, response__confirmed_at__lt=end
    ).values_list(key, "kind", "response__confirmed_at", "due_at", "done_at").order_by():
        rows.setdefault(unit_id, {}).setdefault(kind, []).append((confirmed_at, due_at, done_at))
    return {unit_id: {kind: domain.compliance(items, now) for kind, items in by_kind.items()}
            for unit_id, by_kind in rows.items()}


@dataclass(frozen=True)
class Row:
    unit: AdminUnit
    responses: int
    stages: dict[str, domain.Compliance]


CHILD_LEVEL = {UnitLevel.PROVINCE: UnitLevel.DISTRICT, UnitLevel.DISTRICT: UnitLevel.COMMUNE}


def compliance_table(*, actor, parent: AdminUnit, start: dt.datetime, end: dt.datetime,
                     now: dt.datetime) -> tuple[Row, list[Row]]:
    """The parent's own row and one row per unit directly below it (districts of a province,
    communes of a district)."""
    require_visible(actor, parent)
    child_level = CHILD_LEVEL.get(parent.level)
    children = list(AdminUnit.objects.filter(parent=parent, level=child_level).order_by("name")) if child_level else []
    own = compliance_by_unit(level=parent.level, unit_ids=[parent.pk], start=start, end=end, now=now)
    below = compliance_by_unit(level=child_level, unit_ids=[u.pk for u in children], start=start, end=end,
                               now=now) if children else {}

    def row(unit: AdminUnit, found: dict[str, domain.Compliance]) -> Row:
        empty = domain.Compliance(0, 0, None)
        stages = {k: found.get(k, empty) for k in domain.STAGES}
        return Row(unit, _responses(unit, level=unit.level, start=start, end=end), stages)

    return row(parent, own.get(parent.pk, {})), [row(u, below.get(u.pk, {})) for u in children]


def _responses(unit: AdminUnit, *, level: str, start: dt.datetime, end: dt.datetime) -> int:
    from chongdich.response.models import Response

    return Response.objects.filter(**{f"{level}_id": unit.pk}, confirmed_at__gte=start, confirmed_at__lt=end).count()


# --- The scorecard indicator ---------------------------------------------------------------------


def _indicator_values(scope) -> dict:
    start, end = scope.moments()
    found = compliance_by_unit(level=scope.level, unit_ids=scope.unit_ids, start=start, end=end, now=scope.now)
    out = {}
    for unit_id in scope.unit_ids:
        by_kind = found.get(unit_id, {})
        move = by_kind.get(domain.MOVE)
        out[unit_id] = {
            "response_count": move.counted if move else 0,
            **{f"response_{k}_on_time": by_kind[k].on_time_share if k in by_kind else None for k in domain.STAGES},
            "response_move_median": move.median_minutes if move else None,
        }
    return out


def register_scorecard_indicator() -> None:
    from chongdich.command.scorecards import Column, Indicator, register_indicator

    register_indicator(Indicator("response", gettext_lazy("Phản ứng 5 giờ với ca F0"), (
        Column("response_count", gettext_lazy("Ca đã đến hạn"), 0,
               help=gettext_lazy("ca F0 có giai đoạn cuối đã xong hoặc đã quá hạn")),
        Column("response_trace_on_time", gettext_lazy("Truy vết đúng hạn"), +1, "ratio"),
        Column("response_zone_on_time", gettext_lazy("Khoanh vùng đúng hạn"), +1, "ratio"),
        Column("response_move_on_time", gettext_lazy("Cách ly F1, khử khuẩn đúng hạn"), +1, "ratio"),
        Column("response_move_median", gettext_lazy("Trung vị phút đến khi xong"), -1, "rate",
               help=gettext_lazy("từ khi xác định ca đến khi xong giai đoạn cuối")),
    ), _indicator_values))
