"""/api/scorecards: the ranked table of a unit's subunits and one unit's scorecard, as JSON.
A value of null means "no data" (the system does not know it)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from chongdich.command import scorecards
from chongdich.core import clock
from chongdich.core.api_support import actor_of, error_responses
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.geography.schemas import UnitRef

router = Router(tags=["scorecards"])


class PeriodIn(Schema):
    start: dt.date | None = Field(None, description="Mặc định: 7 ngày đến hôm nay")
    end: dt.date | None = Field(None, description="Mặc định: hôm nay")


class RankingIn(PeriodIn):
    unit: str = Field("", description="Mã đơn vị có các đơn vị cấp dưới được xếp hạng (mặc định: đơn vị của tài khoản)")
    sort: str = Field(scorecards.DEFAULT_SORT, description="Chỉ tiêu xếp hạng (khoá của một cột)")


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    days: int


class ColumnOut(Schema):
    key: str
    label: str
    indicator: str
    better: int = Field(..., description="1: cao là tốt, -1: thấp là tốt, 0: không dùng để xếp hạng")
    kind: str = Field(..., description="count, ratio (0–1), change (tương đối so với kỳ trước), rate")


class HeadOut(Schema):
    name: str
    title: str


class RowOut(Schema):
    rank: int | None
    unit: UnitRef
    head: HeadOut | None
    values: dict[str, float | int | None]


class RankingOut(Schema):
    unit: UnitRef | None
    level: str
    period: PeriodOut
    sort: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class UnitScorecardOut(Schema):
    unit: UnitRef
    head: HeadOut | None
    period: PeriodOut
    previous_period: PeriodOut
    columns: list[ColumnOut]
    values: dict[str, float | int | None]
    previous: dict[str, float | int | None]


def _period(p) -> dict:
    return {"start": p.start, "end": p.end, "days": p.days}


def _columns(indicators) -> list[dict]:
    return [{"key": c.key, "label": str(c.label), "indicator": i.key, "better": c.better, "kind": c.kind}
            for i in indicators for c in i.columns]


def _head(head) -> dict | None:
    return {"name": head.name, "title": head.title} if head else None


@router.get("", response={200: RankingOut, **error_responses(401, 404, 422)})
def ranking(request, params: Query[RankingIn]):
    """Communes of a district or districts of a province, ranked by `sort`, best first."""
    actor = actor_of(request)
    parent = unit_in_jurisdiction(actor, params.unit, "unit") if params.unit else actor.unit
    period = scorecards.period_from(params.start, params.end, today=clock.today())
    result = scorecards.scorecard_ranking(actor=actor, parent=parent, period=period, sort=params.sort)
    return {
        "unit": parent, "level": result.level, "period": _period(period), "sort": result.sort.key,
        "columns": _columns(result.indicators),
        "rows": [{"rank": r.rank, "unit": r.unit, "head": _head(r.head), "values": r.values} for r in result.rows],
    }


@router.get("/{code}", response={200: UnitScorecardOut, **error_responses(401, 404, 422)})
def unit_scorecard(request, code: str, params: Query[PeriodIn]):
    """One unit over the period, beside the period of equal length before it."""
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, code, "code")
    period = scorecards.period_from(params.start, params.end, today=clock.today())
    card = scorecards.scorecard_unit(actor=actor, unit=unit, period=period)
    return {"unit": unit, "head": _head(card.head), "period": _period(period),
            "previous_period": _period(period.previous()), "columns": _columns(card.indicators),
            "values": card.values, "previous": card.previous}
