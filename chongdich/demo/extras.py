"""The rest of the demo province, after its outbreak: laboratories, a screening campaign and
results (testing), facilities and placements (quarantine), community teams and home checks
(monitoring), saved column mappings (imports), doses and coverage reports (vaccination), lockdown
areas and zones (zones), venues, check-ins and exposure proposals (venues), weekly levels and
decisions (risk), and the 5-hour responses of the last day's F0 (response). Each app's `load_demo` does nothing when its data
is already there, so this can run after every `chongdich demo`, also on a database filled by an
earlier version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db.models import Max

from chongdich.cases.models import Case
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.imports import demo as imports_demo
from chongdich.monitoring import demo as monitoring_demo
from chongdich.quarantine import demo as quarantine_demo
from chongdich.response import demo as response_demo
from chongdich.risk import demo as risk_demo
from chongdich.testing import demo as testing_demo
from chongdich.vaccination import demo as vaccination_demo
from chongdich.venues import demo as venues_demo
from chongdich.zones import demo as zones_demo

# In this order: risk levels read vaccination coverage and facilities; the response clock reads
# contacts and proposals (venues), lockdown areas (zones) and placements (quarantine).
LOADERS = (("testing", testing_demo.load_demo), ("quarantine", quarantine_demo.load_demo),
           ("monitoring", monitoring_demo.load_demo), ("imports", imports_demo.load_demo),
           ("vaccination", vaccination_demo.load_demo), ("zones", zones_demo.load_demo),
           ("venues", venues_demo.load_demo), ("risk", risk_demo.load_demo),
           ("response", response_demo.load_demo))


def demo_extras_load(*, province_code: str, seed: int, today: dt.date | None = None,
                     progress: Callable[[str], object] = lambda _: None) -> dict[str, object]:
    """Run each app's demo loader in order, on the day the outbreak's data ends (or `today`)."""
    province = AdminUnit.objects.get(code=province_code, level=UnitLevel.PROVINCE)
    if today is None:
        today = Case.objects.filter(province=province).aggregate(last=Max("confirmed_on"))["last"]
        if today is None:
            return {}
    summaries = {}
    for i, (name, load) in enumerate(LOADERS):
        summaries[name] = load(province=province, rng=np.random.default_rng(seed * 1000 + i), today=today)
        progress(f"{name}: {summaries[name]}")
    return summaries
