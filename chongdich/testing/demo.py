"""Testing in the demo province: laboratories and a screening campaign of market traders with pooled
samples and results — among them one positive pool whose members were retested (one positive, so
one F0 proposal waits for an officer, two members still wait for their retest) and the last day's
pools still waiting at the laboratory.

Written with bulk inserts (a few hundred rows), then `results_after_insert` and the sample hooks,
exactly as the services leave things. Call once after the case demo: a second call does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chongdich.core import clock
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.testing.hooks import run_sample_taken
from chongdich.testing.models import (
    CampaignMember,
    Laboratory,
    LabResult,
    Pool,
    Result,
    Sample,
    SampleKind,
    SampleReason,
    ScreeningCampaign,
    TargetGroup,
)
from chongdich.testing.services import results_after_insert

TRADER = "Tiểu thương"  # the occupation the demo population gives market traders
LIST_SIZE = 160
POOL_SIZE = 10
SAMPLING_DAYS = 4  # the campaign sampled on the 4 days before `today`; results come the day after
RETESTS_DONE = 8  # of the positive pool's 10 members; the others are still on the retest list


@dataclass(frozen=True)
class TestingDemoSummary:
    laboratories: int = 0
    campaigns: int = 0
    samples: int = 0
    pools: int = 0
    results: int = 0
    proposals: int = 0
    skipped: bool = False


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _shuffled(items: list, rng) -> list:
    """Works with numpy's Generator and with random.Random alike (both have .random())."""
    keys = [rng.random() for _ in items]
    return [item for _key, item in sorted(zip(keys, items, strict=True), key=lambda pair: pair[0])]


def _traders(province: AdminUnit) -> tuple[AdminUnit | None, list[Person]]:
    """The district with the most market traders, and its traders (not F0 now)."""
    people = Person.objects.filter(province=province).exclude(rank=0)
    counts = Counter(people.filter(occupation=TRADER).values_list("district_id", flat=True))
    if not counts:
        counts = Counter(people.values_list("district_id", flat=True))
        if not counts:
            return None, []
        district_id = counts.most_common(1)[0][0]
        chosen = people.filter(district_id=district_id)
    else:
        district_id = counts.most_common(1)[0][0]
        chosen = people.filter(district_id=district_id, occupation=TRADER)
    return AdminUnit.objects.get(pk=district_id), list(chosen.order_by("pk")[: LIST_SIZE * 3])


@transaction.atomic
def load_demo(*, province: AdminUnit, rng, today: dt.date) -> TestingDemoSummary:
    lab_code = f"CDC{province.code}"
    if Laboratory.objects.filter(code=lab_code).exists():
        return TestingDemoSummary(skipped=True)
    district, traders = _traders(province)
    labs = [
        Laboratory(code=lab_code, name=f"Trung tâm Kiểm soát bệnh tật {province.name}", unit=province),
        Laboratory(code=f"BVDK{province.code}", name=f"Bệnh viện Đa khoa {province.name}", unit=province),
    ]
    if district is not None:
        labs.append(Laboratory(code=f"TTYT{district.code}", name=f"Trung tâm Y tế {district.name_with_type}",
                               unit=district))
    Laboratory.objects.bulk_create(labs)
    lab = Laboratory.objects.get(code=lab_code)
    # Every sampling day needs at least one full pool (a small demo has few traders).
    if district is None or min(len(traders), LIST_SIZE) < POOL_SIZE * (SAMPLING_DAYS + 1):
        return TestingDemoSummary(laboratories=len(labs))

    listed = _shuffled(traders, rng)[:LIST_SIZE]
    market = Counter(p.workplace for p in listed if p.workplace).most_common(1)
    market_name = market[0][0] if market else "chợ trung tâm"
    site_id = Counter(p.commune_id for p in listed).most_common(1)[0][0]
    site = AdminUnit.objects.get(pk=site_id, level=UnitLevel.COMMUNE)
    first_day = today - dt.timedelta(days=SAMPLING_DAYS)
    campaign = ScreeningCampaign.objects.create(
        name=f"Sàng lọc tiểu thương {market_name}", target_group=TargetGroup.MARKET_TRADERS,
        target_note=f"{market_name}, {site.name_with_type}", unit=district, province_id=province.pk,
        district_id=district.pk, starts_on=first_day, ends_on=today + dt.timedelta(days=2),
        pool_size=POOL_SIZE, sample_kind=SampleKind.RT_PCR,
        note="Lấy mẫu gộp 10 tại cổng chợ, 7h–11h hằng ngày.",
    )
    CampaignMember.objects.bulk_create([CampaignMember(campaign=campaign, person=p) for p in listed])

    # Each day a fifth of the list comes to the gate; they are pooled by ten.
    per_day = len(listed) // (SAMPLING_DAYS + 1)
    pools_by_day: dict[dt.date, list[Pool]] = {}
    samples: list[Sample] = []
    keys = site.jurisdiction_keys()
    for d in range(SAMPLING_DAYS):
        day = first_day + dt.timedelta(days=d)
        group = listed[d * per_day:(d + 1) * per_day]
        group = group[: len(group) - len(group) % POOL_SIZE]
        pools_by_day[day] = []
        for k in range(0, len(group), POOL_SIZE):
            taken = _at(day, 7 + k // 40, (k // POOL_SIZE * 7) % 60)
            pool = Pool.objects.create(code=f"G{district.code}-{day:%y%m%d}-{k // POOL_SIZE + 1:02d}",
                                       kind=SampleKind.RT_PCR, taken_at=taken, taken_on=day,
                                       campaign=campaign, **keys)
            pools_by_day[day].append(pool)
            samples += [Sample(code=f"{pool.code}-{i + 1:02d}", person=p, kind=SampleKind.RT_PCR,
                               reason=SampleReason.SCREENING, taken_at=taken, taken_on=day,
                               place=market_name, campaign=campaign, pool=pool, **keys)
                        for i, p in enumerate(group[k:k + POOL_SIZE])]
    Sample.objects.bulk_create(samples)

    # Results that evening for every day but the last; the second day's first pool is positive.
    results = []
    positive_pool = pools_by_day[first_day + dt.timedelta(days=1)][0]
    for day, pools in pools_by_day.items():
        if day == today - dt.timedelta(days=1):
            continue  # still at the laboratory
        for pool in pools:
            value = Result.POSITIVE if pool.pk == positive_pool.pk else Result.NEGATIVE
            results.append(LabResult(pool=pool, laboratory=lab, result=value, resulted_at=_at(day, 21),
                                     ct_value=28 if value == Result.POSITIVE else None))
    LabResult.objects.bulk_create(results)
    with clock.frozen_at(_at(positive_pool.taken_on, 21, 5)):
        results_after_insert(actor=None, result_ids=[r.pk for r in results])

    # The positive pool's members come back the next day for individual samples.
    members = list(Sample.objects.filter(pool=positive_pool).order_by("code"))
    retest_day = positive_pool.taken_on + dt.timedelta(days=2)
    retests = [Sample(code=f"XL-{m.code}", person_id=m.person_id, kind=SampleKind.RT_PCR,
                      reason=SampleReason.RETEST, taken_at=_at(retest_day, 8, i), taken_on=retest_day,
                      place=market_name, campaign=campaign, retest_of=m, **keys)
               for i, m in enumerate(members[:RETESTS_DONE])]
    Sample.objects.bulk_create(retests)
    Sample.objects.filter(pk__in=[m.pk for m in members[:RETESTS_DONE]]).update(retest_requested_at=None)
    retest_results = [LabResult(sample=s, laboratory=lab, ct_value=24 if i == 0 else None,
                                result=Result.POSITIVE if i == 0 else Result.NEGATIVE,
                                resulted_at=_at(retest_day, 20))
                      for i, s in enumerate(retests)]
    LabResult.objects.bulk_create(retest_results)
    with clock.frozen_at(_at(retest_day, 20, 30)):
        after = results_after_insert(actor=None, result_ids=[r.pk for r in retest_results])
    run_sample_taken([s.pk for s in samples + retests])
    return TestingDemoSummary(
        laboratories=len(labs), campaigns=1, samples=len(samples) + len(retests),
        pools=sum(len(p) for p in pools_by_day.values()), results=len(results) + len(retest_results),
        proposals=after.proposals_opened,
    )
