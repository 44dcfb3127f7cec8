"""Testing rules as tables: no database."""

import datetime as dt
from decimal import Decimal

import pytest

from chongdich.testing import domain
from chongdich.testing.domain import Outcome

OUTCOMES = [
    # (own result, pool result, pooled?, what applies to the person)
    (None, None, False, Outcome.AWAITING),
    ("negative", None, False, Outcome.NEGATIVE),
    ("positive", None, False, Outcome.POSITIVE),
    ("invalid", None, False, Outcome.INVALID),
    (None, None, True, Outcome.AWAITING),
    (None, "negative", True, Outcome.NEGATIVE),
    (None, "positive", True, Outcome.RETEST),
    (None, "invalid", True, Outcome.INVALID),
    ("negative", "positive", True, Outcome.NEGATIVE),  # an own result always wins
]


@pytest.mark.parametrize(("own", "pool", "pooled", "expected"), OUTCOMES)
def test_the_result_that_applies_to_a_person(own, pool, pooled, expected):
    assert domain.person_outcome(own=own, pool=pool, pooled=pooled) == expected


POOL_SIZES = [
    # (members, campaign pool size, allowed?)
    (4, None, False),
    (5, None, True),
    (10, None, True),
    (15, None, True),
    (16, None, False),
    (5, 5, True),
    (6, 5, False),
    (7, 10, True),  # the day's last pool may be smaller than the campaign's size
    (11, 10, False),
    (4, 10, False),
]


@pytest.mark.parametrize(("size", "campaign_size", "allowed"), POOL_SIZES)
def test_pool_sizes(size, campaign_size, allowed):
    assert (domain.pool_size_error(size, campaign_pool_size=campaign_size) is None) is allowed


@pytest.mark.parametrize(("size", "allowed"), [(None, True), (5, True), (15, True), (4, False), (16, False)])
def test_a_campaign_pools_by_5_to_15_or_not_at_all(size, allowed):
    assert (domain.campaign_pool_size_error(size) is None) is allowed


RESULT_WORDS = [
    ("Dương tính", "positive"), ("DƯƠNG TÍNH", "positive"), ("duong tinh", "positive"),
    ("positive", "positive"), ("Positive", "positive"), ("P", "positive"), ("(+)", "positive"),
    ("+", "positive"), (" dương tính. ", "positive"), ("Âm tính", "negative"), ("am tinh", "negative"),
    ("negative", "negative"), ("N", "negative"), ("-", "negative"), ("Không phát hiện", "negative"),
    ("Không xác định", "invalid"), ("invalid", "invalid"), ("KXĐ", "invalid"),
    ("", None), (None, None), ("dương", "positive"), ("maybe", None), ("âm tính?", None),
]


@pytest.mark.parametrize(("text", "expected"), RESULT_WORDS)
def test_result_words_labs_write(text, expected):
    assert domain.parse_result(text) == expected


CT_VALUES = [("27,5", Decimal("27.5")), ("31.25", Decimal("31.2")), ("", None), (None, None),
             (Decimal("18"), Decimal("18.0")), (40, Decimal("40.0"))]


@pytest.mark.parametrize(("text", "expected"), CT_VALUES)
def test_ct_values_read_with_comma_or_point(text, expected):
    assert domain.parse_ct_value(text) == expected


@pytest.mark.parametrize("text", ["abc", "-1", "51", "NaN", "inf"])
def test_impossible_ct_values_are_refused(text):
    with pytest.raises(ValueError):
        domain.parse_ct_value(text)


DETECTIONS = [
    # (reason of the positive sample, reason of the sample it retests, detection of the case)
    ("screening", None, "community"),
    ("quarantine", None, "quarantine"),
    ("symptoms", None, "symptoms"),
    ("contact", None, "quarantine"),
    ("other", None, "community"),
    ("retest", "screening", "community"),
    ("retest", "quarantine", "quarantine"),
    ("retest", None, "community"),
]


@pytest.mark.parametrize(("reason", "original", "expected"), DETECTIONS)
def test_detection_of_a_confirmed_case_from_why_it_was_sampled(reason, original, expected):
    assert domain.detection_for(reason, original_reason=original) == expected


D1, D2, D3, D4 = (dt.date(2021, 5, d) for d in (10, 11, 12, 13))


def test_every_campaign_day_has_a_row_with_running_coverage():
    progress = domain.campaign_progress(
        starts_on=D1, ends_on=D3, target=40,
        counts={"sampled": {D1: 10, D3: 20}, "pooled": {D1: 10}, "pools": {D1: 2}},
    )
    assert [(r.day, r.sampled, r.sampled_to_date, r.coverage) for r in progress.days] == [
        (D1, 10, 10, 25.0), (D2, 0, 10, 25.0), (D3, 20, 30, 75.0)]
    assert (progress.sampled, progress.pooled, progress.pools, progress.coverage) == (30, 10, 2, 75.0)


def test_results_after_the_last_day_extend_the_table():
    progress = domain.campaign_progress(
        starts_on=D1, ends_on=D2, target=None,
        counts={"sampled": {D1: 5}, "results": {D4: 5}, "positives": {D4: 1}},
    )
    assert [r.day for r in progress.days] == [D1, D2, D3, D4]
    assert (progress.days[-1].results, progress.days[-1].positives, progress.coverage) == (5, 1, None)


def test_days_still_to_come_have_no_row_yet():
    progress = domain.campaign_progress(starts_on=D1, ends_on=D4, target=None,
                                        counts={"sampled": {D1: 5}}, until=D2)
    assert [r.day for r in progress.days] == [D1, D2]


def test_a_campaign_not_started_shows_its_first_day():
    progress = domain.campaign_progress(starts_on=D3, ends_on=D4, target=None, counts={}, until=D1)
    assert [r.day for r in progress.days] == [D3]


@pytest.mark.parametrize(("target", "sampled", "expected"), [(None, 5, None), (0, 5, None), (3, 1, 33.3),
                                                              (200, 200, 100.0), (10, 12, 120.0)])
def test_coverage(target, sampled, expected):
    assert domain.coverage(target, sampled) == expected
