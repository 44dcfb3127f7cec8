"""Demo risk levels: the last 8 weeks of the demo province assessed from its cases, and a few of
the committee's decisions for the latest week — a district confirmed, a commune lowered with a
reason (its new cases were all found in quarantine), a commune raised with a reason (48 hours'
notice). Idempotent: does nothing when the province already has assessments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.risk import services
from chongdich.risk.models import Assessment

WEEKS = 8


@dataclass
class RiskDemoSummary:
    weeks: int = 0
    assessments: int = 0
    decisions: int = 0
    by_level: dict = field(default_factory=dict)
    skipped: bool = False


def load_demo(*, province: AdminUnit, rng, today: dt.date) -> RiskDemoSummary:
    if Assessment.objects.filter(unit=province).exists():
        return RiskDemoSummary(skipped=True)
    summary = RiskDemoSummary()
    last = today - dt.timedelta(days=today.weekday() + 7)  # the last complete week
    for back in range(WEEKS - 1, -1, -1):
        run = services.assessments_compute(week=last - dt.timedelta(weeks=back), province=province)
        summary.weeks += 1
        summary.assessments += run.units
        summary.by_level = run.by_level
    leader = User.objects.filter(unit=province, role=User.Role.LEADER, is_active=True).order_by("pk").first()
    if leader is not None:
        moment = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 0)))
        with clock.frozen_at(moment):
            summary.decisions = _decisions(leader, province, last, rng)
    return summary


def _decisions(leader, province: AdminUnit, week: dt.date, rng) -> int:
    rows = list(Assessment.objects.filter(week=week, unit__province=province)
                .select_related("unit").order_by("-level", "unit__code"))
    made = 0
    district = next((a for a in rows if a.unit.level == UnitLevel.DISTRICT), None)
    if district is not None:
        services.level_decide(actor=leader, unit=district.unit, week=week, level=district.level)
        made += 1
    communes = [a for a in rows if a.unit.level == UnitLevel.COMMUNE]
    high = [a for a in communes if a.level >= 3 and a.inputs.get("community_cases", 0) > 0]
    if high:
        pick = high[int(rng.integers(0, len(high)))]
        services.level_decide(
            actor=leader, unit=pick.unit, week=week, level=pick.level - 1,
            reason="Các ca mới trong tuần đều thuộc một chuỗi đã khoanh vùng, phong tỏa; "
                   "không ghi nhận lây nhiễm ngoài khu phong tỏa.")
        made += 1
    low = [a for a in communes if a.level <= 2]
    if low:
        pick = low[int(rng.integers(0, len(low)))]
        services.level_decide(
            actor=leader, unit=pick.unit, week=week, level=pick.level + 1,
            reason="Chùm ca mới tại chợ đầu mối, chưa rõ nguồn lây; nâng cấp để siết các hoạt động đông người.")
        made += 1
    return made
