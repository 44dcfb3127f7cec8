"""Reads of risk levels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from chongdich.risk.models import Assessment, LevelDecision


@dataclass(frozen=True)
class UnitLevel:
    unit_id: int
    level: int | None  # the level in force: the committee's decision if any, else the computed one
    computed_level: int | None
    source: str  # "decision" | "computed" | "none"
    explanation: str


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def levels_for_week(*, week: dt.date, unit_ids: list[int]) -> dict[int, UnitLevel]:
    """The level of each unit for the ISO week starting on (or containing) `week`: the newest
    committee decision in effect by the end of that week, else the week's assessment. Public data
    (no personal data): the published map reads it too."""
    monday = week_monday(week)
    end = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min))
    assessed = {a["unit_id"]: a for a in Assessment.objects.filter(week=monday, unit_id__in=unit_ids)
                .values("unit_id", "level", "explanation")}
    decided: dict[int, int] = {}
    for d in (LevelDecision.objects.filter(unit_id__in=unit_ids, effective_at__lt=end)
              .order_by("unit_id", "-effective_at", "-pk").values("unit_id", "level")):
        decided.setdefault(d["unit_id"], d["level"])
    out = {}
    for uid in unit_ids:
        a = assessed.get(uid)
        computed = a["level"] if a else None
        if uid in decided:
            out[uid] = UnitLevel(uid, decided[uid], computed, "decision", a["explanation"] if a else "")
        elif a:
            out[uid] = UnitLevel(uid, computed, computed, "computed", a["explanation"])
        else:
            out[uid] = UnitLevel(uid, None, None, "none", "")
    return out
