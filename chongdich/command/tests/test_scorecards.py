"""Scorecard rules without a database: periods, change against the previous period, ranking."""

import datetime as dt

import pytest

from chongdich.command.scorecards import Period, change, period_from, ranked, ratio
from chongdich.core.errors import InvalidInput

D = dt.date


@pytest.mark.parametrize(("start", "end", "days", "previous"), [
    (D(2021, 5, 14), D(2021, 5, 20), 7, (D(2021, 5, 7), D(2021, 5, 13))),
    (D(2021, 5, 20), D(2021, 5, 20), 1, (D(2021, 5, 19), D(2021, 5, 19))),
    (D(2021, 3, 1), D(2021, 3, 31), 31, (D(2021, 1, 29), D(2021, 2, 28))),
])
def test_the_previous_period_has_the_same_length_and_ends_the_day_before(start, end, days, previous):
    period = Period(start, end)
    assert period.days == days
    assert (period.previous().start, period.previous().end) == previous


def test_by_default_the_period_is_the_last_seven_days_up_to_today():
    assert period_from(None, None, today=D(2021, 5, 20)) == Period(D(2021, 5, 14), D(2021, 5, 20))


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidInput) as caught:
        period_from(D(2021, 5, 20), D(2021, 5, 1), today=D(2021, 5, 20))
    assert caught.value.field == "start"


def test_a_period_longer_than_a_year_is_refused():
    with pytest.raises(InvalidInput):
        period_from(D(2020, 1, 1), D(2021, 5, 20), today=D(2021, 5, 20))


@pytest.mark.parametrize(("current", "previous", "expected"), [
    (4, 2, 1.0),      # doubled
    (1, 4, -0.75),
    (3, 3, 0.0),
    (5, 0, None),     # nothing to compare with: no made-up percentage
    (None, 3, None),  # no data
])
def test_change_is_relative_to_the_previous_period(current, previous, expected):
    assert change(current, previous) == expected


@pytest.mark.parametrize(("part", "whole", "expected"), [(1, 4, 0.25), (0, 4, 0.0), (3, 0, None), (None, 2, None)])
def test_a_ratio_of_nothing_is_no_data(part, whole, expected):
    assert ratio(part, whole) == expected


RANKING_CASES = [
    # values (item, value),                         higher is better, ranks in order
    ([("a", 0.5), ("b", 1.0), ("c", 0.2)],          True,  [("b", 1), ("a", 2), ("c", 3)]),
    ([("a", 3), ("b", 0), ("c", 1)],                False, [("b", 1), ("c", 2), ("a", 3)]),
    ([("a", 2), ("b", 5), ("c", 2), ("d", 1)],      True,  [("b", 1), ("a", 2), ("c", 2), ("d", 4)]),
    ([("a", None), ("b", 1), ("c", None)],          True,  [("b", 1), ("a", None), ("c", None)]),
]


@pytest.mark.parametrize(("values", "higher", "expected"), RANKING_CASES)
def test_ranking_puts_the_best_first_shares_ties_and_leaves_no_data_unranked(values, higher, expected):
    assert ranked(values, higher_is_better=higher) == expected
