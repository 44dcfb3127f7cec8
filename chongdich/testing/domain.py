"""Pure rules for testing: pool sizes, which result applies to a person, the words labs write for a
result, the detection of a confirmed case from why it was sampled, and campaign progress.

No ORM here: the services and the lab-results import call these with plain values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext as _

from chongdich.core.text import fold

# Pooling 5 in higher-risk areas, 10–15 (same households) in lower-risk ones (see DOMAIN.md).
MIN_POOL_SIZE = 5
MAX_POOL_SIZE = 15

# RT-PCR cycle thresholds are reported between 0 and 45 in practice; 50 leaves room for odd kits.
CT_MIN = Decimal("0")
CT_MAX = Decimal("50")

POSITIVE, NEGATIVE, INVALID = "positive", "negative", "invalid"  # models.Result values


class Outcome(StrEnum):
    """What a person's sample means for them, once its own or its pool's result is in."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    INVALID = "invalid"  # the tube gave no usable result: sample again
    RETEST = "retest"  # the pool was positive: an individual sample is needed
    AWAITING = "awaiting"  # no result yet


def person_outcome(*, own: str | None, pool: str | None, pooled: bool) -> Outcome:
    """The result that applies to a person: the sample's own result, or its pool's when the pool
    is negative (a negative pool clears every member). A positive pool proves nothing about one
    member: it asks for an individual retest. An invalid pool is invalid for every member."""
    if own:
        return Outcome(own)
    if not pooled or not pool:
        return Outcome.AWAITING
    if pool == POSITIVE:
        return Outcome.RETEST
    return Outcome(pool)


def pool_size_error(size: int, *, campaign_pool_size: int | None = None) -> str | None:
    """Why a pool of `size` members is refused, or None. A campaign that pools by N allows pools
    of 5 up to N (the last pool of the day may be smaller than N, never smaller than 5)."""
    largest = campaign_pool_size or MAX_POOL_SIZE
    if size < MIN_POOL_SIZE or size > largest:
        return _("Mẫu gộp phải có từ %(low)s đến %(high)s người (đang có %(n)s).") % {
            "low": MIN_POOL_SIZE, "high": largest, "n": size}
    return None


def campaign_pool_size_error(size: int | None) -> str | None:
    if size is not None and not MIN_POOL_SIZE <= size <= MAX_POOL_SIZE:
        return _("Cỡ mẫu gộp phải từ %(low)s đến %(high)s, hoặc để trống nếu lấy mẫu đơn.") % {
            "low": MIN_POOL_SIZE, "high": MAX_POOL_SIZE}
    return None


# --- Result vocabulary -------------------------------------------------------------------------

_RESULT_WORDS: dict[str, str] = {}
for _result, _words in (
    (POSITIVE, ("positive", "duong tinh", "duong", "dt", "pos", "p", "+", "(+)", "co",
                "detected", "phat hien", "sars-cov-2 duong tinh", "1")),
    (NEGATIVE, ("negative", "am tinh", "am", "at", "neg", "n", "-", "(-)", "khong",
                "not detected", "khong phat hien", "sars-cov-2 am tinh", "0")),
    (INVALID, ("invalid", "khong xac dinh", "kxd", "inconclusive", "i", "loi", "mau loi",
               "khong hop le", "khong ro", "indeterminate")),
):
    for _word in _words:
        _RESULT_WORDS[_word] = _result

_EDGE_PUNCTUATION = re.compile(r"^[\s.:;,]+|[\s.:;,]+$")


def parse_result(text: str | None) -> str | None:
    """'Dương tính', 'DUONG TINH', 'positive', 'P', '(+)' → 'positive'; 'Âm tính', 'N', '-' →
    'negative'; 'Không xác định', 'invalid' → 'invalid'. Anything else → None (the caller reports
    the value as an error: a result is never guessed)."""
    word = _EDGE_PUNCTUATION.sub("", fold(text or ""))
    if not word:
        return None
    return _RESULT_WORDS.get(word)


def parse_ct_value(text: str | Decimal | float | None) -> Decimal | None:
    """'27,5' or '27.5' → Decimal('27.5'); empty → None. Raises ValueError (with a message for
    people) when the value is not a number between CT_MIN and CT_MAX."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(_("Giá trị Ct không phải là số: %(value)s") % {"value": text}) from exc
    if not value.is_finite() or not CT_MIN <= value <= CT_MAX:
        raise ValueError(_("Giá trị Ct phải từ %(low)s đến %(high)s.") % {"low": CT_MIN, "high": CT_MAX})
    return value.quantize(Decimal("0.1"))


# --- Confirmed cases -------------------------------------------------------------------------

# How a confirmed case was detected (cases.Detection), from why its positive sample was taken.
# A contact (F1) is tested because they are in quarantine, at home or in a facility; a retest
# follows the reason of the sample it repeats.
DETECTION_BY_REASON = {
    "screening": "community",
    "quarantine": "quarantine",
    "symptoms": "symptoms",
    "contact": "quarantine",
    "other": "community",
}


def detection_for(reason: str, *, original_reason: str | None = None) -> str:
    if reason == "retest" and original_reason and original_reason != "retest":
        return detection_for(original_reason)
    return DETECTION_BY_REASON.get(reason, "community")


# --- Campaign progress -----------------------------------------------------------------------


@dataclass(frozen=True)
class DayProgress:
    day: dt.date
    sampled: int  # samples taken
    pooled: int  # of those, put into a pool
    pools: int  # pools made
    results: int  # people whose result came that day (a pool's result counts each member)
    positives: int  # people with an individual positive result that day
    positive_pools: int
    sampled_to_date: int
    coverage: float | None  # sampled_to_date / target, in percent


@dataclass(frozen=True)
class CampaignProgress:
    target: int | None
    days: list[DayProgress]
    sampled: int
    pooled: int
    pools: int
    results: int
    positives: int
    positive_pools: int
    awaiting: int  # samples with no result yet (own or pool's)
    coverage: float | None


def coverage(target: int | None, sampled: int) -> float | None:
    """Percent of the target sampled, one decimal; None without a target."""
    if not target:
        return None
    return round(100 * sampled / target, 1)


def campaign_progress(
    *, starts_on: dt.date, ends_on: dt.date, target: int | None,
    counts: Mapping[str, Mapping[dt.date, int]], awaiting: int = 0, until: dt.date | None = None,
) -> CampaignProgress:
    """The by-day table of a campaign from per-day counts (keys: sampled, pooled, pools, results,
    positives, positive_pools). Every day of the campaign up to `until` (today) has a row;
    results that come in after its last day add rows up to the last day with anything counted."""
    def of(name: str) -> Mapping[dt.date, int]:
        return counts.get(name, {})

    active = [d for series in counts.values() for d, n in series.items() if n]
    first = min([starts_on, *active])
    end = ends_on if until is None else max(starts_on, min(ends_on, until))
    last = max([end, *active])
    rows, to_date = [], 0
    day = first
    while day <= last:
        to_date += of("sampled").get(day, 0)
        rows.append(DayProgress(
            day=day, sampled=of("sampled").get(day, 0), pooled=of("pooled").get(day, 0),
            pools=of("pools").get(day, 0), results=of("results").get(day, 0),
            positives=of("positives").get(day, 0), positive_pools=of("positive_pools").get(day, 0),
            sampled_to_date=to_date, coverage=coverage(target, to_date),
        ))
        day += dt.timedelta(days=1)

    def total(name: str) -> int:
        return sum(of(name).values())

    return CampaignProgress(
        target=target, days=rows, sampled=total("sampled"), pooled=total("pooled"),
        pools=total("pools"), results=total("results"), positives=total("positives"),
        positive_pools=total("positive_pools"), awaiting=awaiting,
        coverage=coverage(target, total("sampled")),
    )
