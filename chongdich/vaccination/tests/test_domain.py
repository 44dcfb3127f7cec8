"""The vaccination rules as tables: each row is inputs → expected."""

import datetime as dt

import pytest

from chongdich.vaccination import domain
from chongdich.vaccination.domain import UnitCoverage
from chongdich.vaccination.reference_data import read_data

D = dt.date
GROUPS = domain.groups_from_data(read_data()["configs"][0]["groups"])

# dose number, doses in the product's series → the counters the dose moves
DOSE_KEYS = [
    (1, 2, ("1",)),
    (2, 2, ("full",)),
    (3, 2, ("booster",)),
    (4, 2, ()),  # a second booster counts for nothing new
    (1, 1, ("1", "full")),  # Janssen: one dose completes the series
    (2, 1, ("booster",)),
    (3, 3, ("full",)),  # Abdala
]


@pytest.mark.parametrize(("dose_number", "series", "expected"), DOSE_KEYS)
def test_dose_keys(dose_number, series, expected):
    assert domain.dose_keys(dose_number, series) == expected


# day, birth date, birth year → age on that day
AGES = [
    (D(2021, 12, 15), D(2004, 12, 20), None, 16),  # the day before the birthday
    (D(2021, 12, 20), D(2004, 12, 20), None, 17),  # on the birthday
    (D(2021, 3, 1), D(2000, 2, 29), None, 21),
    (D(2021, 12, 15), None, 1990, 31),  # birth year only: the difference of years
    (D(2021, 12, 15), None, None, None),
]


@pytest.mark.parametrize(("on", "birth_date", "birth_year", "expected"), AGES)
def test_age_at_the_dose_date(on, birth_date, birth_year, expected):
    assert domain.age_at(on, birth_date=birth_date, birth_year=birth_year) == expected


# age at the dose → groups it counts in (shipped configuration)
GROUPS_BY_AGE = [
    (None, ["all"]),
    (11, ["all"]),
    (12, ["all", "12-17"]),
    (17, ["all", "12-17"]),
    (18, ["all", "18+"]),
    (49, ["all", "18+"]),
    (50, ["all", "18+", "50+"]),
    (64, ["all", "18+", "50+"]),
    (65, ["all", "18+", "50+", "65+"]),
]


@pytest.mark.parametrize(("age", "expected"), GROUPS_BY_AGE)
def test_groups_for_age(age, expected):
    assert domain.groups_for_age(GROUPS, age) == expected


@pytest.mark.parametrize(("on", "monday"), [
    (D(2021, 12, 13), D(2021, 12, 13)), (D(2021, 12, 19), D(2021, 12, 13)), (D(2022, 1, 2), D(2021, 12, 27)),
])
def test_week_of(on, monday):
    assert domain.week_of(on) == monday


# dose number, given on, series, birth date → field refused ("" = accepted); today 15/12/2021
CHECKS = [
    (1, D(2021, 12, 15), 2, None, ""),
    (0, D(2021, 12, 1), 2, None, "dose_number"),
    (6, D(2021, 12, 1), 2, None, "dose_number"),  # more than the series and three boosters
    (5, D(2021, 12, 1), 2, None, ""),
    (1, D(2021, 12, 16), 2, None, "given_on"),
    (1, D(2019, 12, 31), 2, None, "given_on"),
    (1, D(2021, 5, 1), 2, D(2021, 6, 1), "given_on"),
]


@pytest.mark.parametrize(("number", "given_on", "series", "birth_date", "field"), CHECKS)
def test_check_dose(number, given_on, series, birth_date, field):
    try:
        domain.check_dose(dose_number=number, given_on=given_on, today=D(2021, 12, 15),
                          series_doses=series, birth_date=birth_date)
    except domain.DoseError as exc:
        assert exc.field == field
    else:
        assert field == ""


# population, one dose, full, booster → field refused
REPORTS = [
    (1000, 900, 800, 100, ""),
    (None, 900, 800, None, ""),
    (1000, 700, 800, None, "full_series"),
    (1000, 900, 800, 850, "booster"),
    (800, 900, 800, None, "one_dose"),
    (1000, -1, 0, None, "one_dose"),
]


@pytest.mark.parametrize(("population", "one", "full", "booster", "field"), REPORTS)
def test_check_report(population, one, full, booster, field):
    try:
        domain.check_report(population=population, one_dose=one, full_series=full, booster=booster)
    except domain.DoseError as exc:
        assert exc.field == field
    else:
        assert field == ""


def test_population_estimate_from_the_age_structure():
    shares = {"18+": 0.713, "12-17": 0.092}
    assert domain.estimate_population(10_000, shares, ["all", "18+", "12-17", "65+"]) == {
        "all": 10_000, "18+": 7_130, "12-17": 920}
    assert domain.estimate_population(None, shares, ["all"]) == {}


def test_pct_is_none_when_the_population_or_the_count_is_unknown():
    cov = UnitCoverage(1, D(2021, 12, 15), "records", {"18+": 800, "65+": 0},
                       {("18+", "1"): 760, ("65+", "1"): 3})
    assert cov.pct("18+", "1") == pytest.approx(95.0)
    assert cov.pct("18+", "full") is None
    assert cov.pct("65+", "1") is None
    assert cov.pct("12-17", "1") is None


def test_a_parent_sums_the_parts_with_data_and_says_aggregate_when_one_part_is():
    on = D(2021, 12, 15)
    parts = [
        UnitCoverage(1, on, "records", {"all": 100}, {("all", "1"): 90}, "estimate", D(2021, 12, 19)),
        UnitCoverage(2, on, "aggregate", {"all": 50}, {("all", "1"): 40}, "report"),
        UnitCoverage(3, on, "none", {"all": 70}, {}, "estimate"),
    ]
    total = domain.combine(9, on, parts)
    assert (total.source, total.population, total.covered) == ("aggregate", {"all": 150}, {("all", "1"): 130})
    assert total.parts == {"records": 1, "aggregate": 1, "none": 1}
    assert total.population_source == "mixed"
    only_records = domain.combine(9, on, [parts[0], parts[2]])
    assert only_records.source == "records"
    assert domain.combine(9, on, [parts[2]]) is None


@pytest.mark.parametrize("bad", [[{"code": "all"}], [{"code": "18+"}, {"code": "18+"}],
                                 [{"code": "x y"}], [{"code": "a", "min_age": 20, "max_age": 10}]])
def test_bad_group_configurations_are_refused(bad):
    with pytest.raises(ValueError):
        domain.groups_from_data(bad)
