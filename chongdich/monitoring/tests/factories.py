"""Placements for monitoring tests, written straight to the table: the quarantine services are
another app's business; here only the fields monitoring reads matter."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from chongdich.quarantine.models import (
    Facility,
    FacilityKind,
    Placement,
    PlacementRule,
    QuarantineRuleSet,
)

_seq = itertools.count(1)


def _rule(purpose: str, setting: str) -> PlacementRule:
    rule_set = QuarantineRuleSet.objects.filter(code="MON-TEST").first() or QuarantineRuleSet.objects.create(
        code="MON-TEST", name="test", legal_source="test", valid_from=dt.date(1999, 1, 1))
    rule, _ = PlacementRule.objects.get_or_create(
        rule_set=rule_set, purpose=purpose, condition="standard", setting=setting,
        defaults={"stay_days": 14, "monitoring_days": 14, "test_days": [1, 14]},
    )
    return rule


def home_placement(person, *, started_at: dt.datetime, purpose: str = "quarantine", stay_days: int = 14,
                   monitoring_days: int = 14, **extra) -> Placement:
    """An active placement at home starting at `started_at` (local day 1)."""
    day1 = timezone.localdate(started_at)
    end = day1 + dt.timedelta(days=stay_days - 1)
    fields = {
        "person": person, "purpose": purpose, "setting": "home", "rule": _rule(purpose, "home"),
        "started_at": started_at, "started_on": day1, "planned_end_on": end,
        "monitoring_until": end + dt.timedelta(days=monitoring_days), "status": "active",
        "province_id": person.province_id, "district_id": person.district_id, "commune_id": person.commune_id,
    } | extra
    return Placement.objects.create(**fields)


def facility(commune) -> Facility:
    n = next(_seq)
    return Facility.objects.create(code=f"MONF{n}", name=f"Khu cách ly {n}", kind=FacilityKind.QUARANTINE,
                                   capacity=100, **commune.jurisdiction_keys())


def released_placement(person, *, ended_at: dt.datetime, monitoring_days: int = 14, in_facility=None,
                       end_reason: str = "completed", stay_days: int = 14) -> Placement:
    """A facility stay (in `in_facility`, else a new facility in the person's commune) that ended
    at `ended_at`, with home monitoring for `monitoring_days` days after its last day."""
    place = in_facility or facility(person.commune)
    last = timezone.localdate(ended_at)
    start = last - dt.timedelta(days=stay_days - 1)
    return Placement.objects.create(
        person=person, purpose="quarantine", setting="facility", facility=place,
        rule=_rule("quarantine", "facility"),
        started_at=ended_at - dt.timedelta(days=stay_days), started_on=start, planned_end_on=last,
        monitoring_until=last + dt.timedelta(days=monitoring_days), status="released", ended_at=ended_at,
        end_reason=end_reason, province_id=place.province_id, district_id=place.district_id,
        commune_id=place.commune_id,
    )
