"""Quarantine rules as tables: each row is a situation and what the rules must answer.
No database: the rules run on plain values, and on the rule sets shipped in data/rule_sets.json."""

import datetime as dt

import pytest

from chongdich.quarantine import domain
from chongdich.quarantine.domain import ReleaseBlock as B
from chongdich.quarantine.domain import Rule, RuleSet
from chongdich.quarantine.rule_data import read_rule_sets


def d(text: str) -> dt.date:
    """'14/7/2021' → date(2021, 7, 14): the tables read as the committee writes dates."""
    day, month, year = (int(p) for p in text.split("/"))
    return dt.date(year, month, day)


def shipped() -> list[RuleSet]:
    return [RuleSet(code=s["code"], valid_from=s["valid_from"], rules=tuple(
        Rule(**{**r, "test_days": tuple(r["test_days"])}) for r in s["rules"]))
        for s in read_rule_sets()]


# --- Which set is in force -----------------------------------------------------------------

IN_FORCE = [
    # (start date of the placement, code of the set that applies)
    ("11/3/2020", None),  # before the first set
    ("12/3/2020", "QD-878-BYT-2020"),  # exactly on valid_from
    ("4/5/2021", "QD-878-BYT-2020"),  # the day before the 21-day rule
    ("5/5/2021", "CD-600-BCD-2021"),
    ("13/7/2021", "CD-600-BCD-2021"),
    ("14/7/2021", "CV-5599-BYT-MT-2021"),
    ("15/12/2021", "CV-5599-BYT-MT-2021"),
    ("16/12/2021", "CV-10696-BYT-MT-2021"),
    ("1/6/2022", "CV-10696-BYT-MT-2021"),
]


@pytest.mark.parametrize(("start", "code"), IN_FORCE)
def test_the_set_in_force_is_the_latest_valid_on_the_start_date(start, code):
    found = domain.rule_set_in_force(shipped(), d(start))
    assert (found.code if found else None) == code


# --- What a placement gets under the shipped sets ------------------------------------------

PLANS = [
    # (start, purpose, condition, setting, planned end, monitoring until, test due dates)
    ("1/6/2021", "quarantine", "standard", "facility", "21/6/2021", "28/6/2021",
     ["1/6/2021", "14/6/2021", "20/6/2021"]),
    ("20/7/2021", "quarantine", "standard", "facility", "2/8/2021", "16/8/2021",
     ["20/7/2021", "26/7/2021", "2/8/2021"]),
    ("20/7/2021", "quarantine", "vaccinated", "facility", "2/8/2021", "16/8/2021",  # no separate rule yet
     ["20/7/2021", "26/7/2021", "2/8/2021"]),
    ("20/12/2021", "quarantine", "vaccinated", "home", "26/12/2021", "2/1/2022",
     ["20/12/2021", "26/12/2021"]),
    ("20/12/2021", "quarantine", "standard", "home", "2/1/2022", "16/1/2022",
     ["20/12/2021", "26/12/2021", "2/1/2022"]),
    ("20/7/2021", "isolation", "standard", "facility", "29/7/2021", "12/8/2021",
     ["28/7/2021", "29/7/2021"]),
    ("20/12/2021", "isolation", "vaccinated", "home", "29/12/2021", "5/1/2022", ["29/12/2021"]),
]


@pytest.mark.parametrize(("start", "purpose", "condition", "setting", "end", "monitoring", "tests"), PLANS)
def test_a_placement_gets_its_stay_monitoring_and_test_days_from_the_rule(
        start, purpose, condition, setting, end, monitoring, tests):
    rule_set = domain.rule_set_in_force(shipped(), d(start))
    rule = domain.rule_for(rule_set.rules, purpose=purpose, condition=condition, setting=setting)
    plan = domain.plan(rule, d(start))
    assert (plan.planned_end_on, plan.monitoring_until) == (d(end), d(monitoring))
    assert [due for _day, due in plan.tests] == [d(t) for t in tests]


NO_RULE = [
    # (start, purpose, setting): combinations a set does not allow
    ("1/6/2021", "quarantine", "home"),  # no home quarantine under the 21-day rule
    ("20/7/2021", "isolation", "home"),  # F0 home care came later
]


@pytest.mark.parametrize(("start", "purpose", "setting"), NO_RULE)
def test_a_setting_the_set_has_no_rule_for_is_not_allowed(start, purpose, setting):
    rule_set = domain.rule_set_in_force(shipped(), d(start))
    assert domain.rule_for(rule_set.rules, purpose=purpose, condition="standard", setting=setting) is None


# --- Day arithmetic on a small rule --------------------------------------------------------

RULE_14_14 = Rule("quarantine", "standard", "facility", stay_days=14, monitoring_days=14, test_days=(14, 1, 7))
RULE_1_DAY = Rule("quarantine", "standard", "facility", stay_days=1, monitoring_days=0, test_days=(1,))
RULE_NO_TESTS = Rule("quarantine", "standard", "home", stay_days=7, test_days=(), release_needs_negative=True)

DAYS = [
    # (rule, start, planned end, monitoring until, release test due)
    (RULE_14_14, "1/5/2021", "14/5/2021", "28/5/2021", "14/5/2021"),
    (RULE_14_14, "25/12/2021", "7/1/2022", "21/1/2022", "7/1/2022"),  # across the year end
    (RULE_1_DAY, "1/5/2021", "1/5/2021", "1/5/2021", "1/5/2021"),  # the last day is the first
    (RULE_NO_TESTS, "1/5/2021", "7/5/2021", "7/5/2021", "7/5/2021"),  # no test days: the last day
]


@pytest.mark.parametrize(("rule", "start", "end", "monitoring", "release_test"), DAYS)
def test_day_one_is_the_start_date(rule, start, end, monitoring, release_test):
    plan = domain.plan(rule, d(start))
    assert (plan.planned_end_on, plan.monitoring_until) == (d(end), d(monitoring))
    assert domain.day_date(d(start), rule.release_test_day) == d(release_test)


def test_test_days_are_sorted_and_numbered_from_the_start():
    assert [day for day, _due in domain.plan(RULE_14_14, d("1/5/2021")).tests] == [1, 7, 14]


# --- Release -------------------------------------------------------------------------------

RELEASE = [
    # (today, negative tests taken on, positive tests taken on, allowed, blocks)
    # RULE_14_14 from 1/5/2021: planned end 14/5, the release test from 14/5.
    ("14/5/2021", ["14/5/2021"], [], True, ()),  # the last day, with its negative test
    ("20/5/2021", ["15/5/2021"], [], True, ()),  # later, with a later negative
    ("13/5/2021", ["13/5/2021"], [], False, (B.BEFORE_END, B.NO_NEGATIVE)),  # the day before
    ("14/5/2021", ["13/5/2021"], [], False, (B.NO_NEGATIVE,)),  # a negative too early
    ("14/5/2021", [], [], False, (B.NO_NEGATIVE,)),
    ("14/5/2021", ["14/5/2021"], ["8/5/2021"], False, (B.POSITIVE,)),  # positive during the stay
    ("14/5/2021", ["14/5/2021"], ["30/4/2021"], True, ()),  # a positive before the stay is history
    ("10/5/2021", [], [], False, (B.BEFORE_END, B.NO_NEGATIVE)),
]


@pytest.mark.parametrize(("today", "negatives", "positives", "allowed", "blocks"), RELEASE)
def test_release_follows_the_rule(today, negatives, positives, allowed, blocks):
    verdict = domain.release_check(
        rule=RULE_14_14, started_on=d("1/5/2021"), planned_end_on=d("14/5/2021"), today=d(today),
        negative_dates=[d(x) for x in negatives], positive_dates=[d(x) for x in positives])
    assert (verdict.allowed, verdict.blocks) == (allowed, blocks)


def test_a_rule_without_a_negative_test_releases_on_the_planned_end():
    rule = Rule("quarantine", "standard", "home", stay_days=7, release_needs_negative=False)
    verdict = domain.release_check(rule=rule, started_on=d("1/5/2021"), planned_end_on=d("7/5/2021"),
                                   today=d("7/5/2021"))
    assert verdict.allowed


def test_refusals_explain_themselves():
    verdict = domain.release_check(rule=RULE_14_14, started_on=d("1/5/2021"),
                                   planned_end_on=d("14/5/2021"), today=d("10/5/2021"))
    assert verdict.messages(d("14/5/2021")) == [
        "Chưa hết thời gian cách ly (đến hết ngày 14/05/2021).",
        "Chưa có kết quả xét nghiệm âm tính lấy từ ngày 14/05/2021.",
    ]


# --- Where people go, and the board's colours ----------------------------------------------

FACILITY_TAKES = [
    ("quarantine", "quarantine", True),
    ("quarantine", "isolation", False),  # no F0 among F1
    ("field_hospital", "isolation", True),
    ("hospital", "isolation", True),
    ("hospital", "quarantine", False),
]


@pytest.mark.parametrize(("kind", "purpose", "takes"), FACILITY_TAKES)
def test_f1_go_to_quarantine_facilities_and_f0_to_hospitals(kind, purpose, takes):
    assert domain.facility_takes(kind, purpose) is takes


TIERS = [("quarantine", None, True), ("quarantine", 1, False), ("hospital", 3, True),
         ("hospital", None, False), ("field_hospital", 4, False), ("field_hospital", 1, True)]


@pytest.mark.parametrize(("kind", "tier", "ok"), TIERS)
def test_only_treatment_facilities_have_a_tier(kind, tier, ok):
    assert (domain.tier_error(kind, tier) is None) is ok


BANDS = [
    # (occupied, capacity, closed, band)
    (0, 100, False, "empty"), (1, 100, False, "low"), (69, 100, False, "low"), (70, 100, False, "high"),
    (89, 100, False, "high"), (90, 100, False, "near"), (99, 100, False, "near"),
    (100, 100, False, "full"), (0, 100, True, "closed"),
]


@pytest.mark.parametrize(("occupied", "capacity", "closed", "band"), BANDS)
def test_the_board_colours_a_facility_by_how_full_it_is(occupied, capacity, closed, band):
    assert domain.fullness_band(occupied, capacity, closed=closed) == band


# --- Rule-set data -------------------------------------------------------------------------

TEST_DAYS_TEXT = [("1, 7, 14", (1, 7, 14)), ("14 7 1", (1, 7, 14)), ("1;7", (1, 7)), ("", ()),
                  ("7, 7", (7,))]


@pytest.mark.parametrize(("text", "days"), TEST_DAYS_TEXT)
def test_test_days_are_read_from_what_people_type(text, days):
    assert domain.parse_test_days(text) == days


def test_test_days_that_are_not_numbers_are_refused():
    with pytest.raises(ValueError):
        domain.parse_test_days("1, bảy")


BAD_RULES = [
    (Rule("quarantine", "standard", "facility", stay_days=0), "stay_days"),
    (Rule("quarantine", "standard", "facility", stay_days=14, test_days=(15,)), "test_days"),
    (Rule("quarantine", "standard", "facility", stay_days=14, test_days=(0,)), "test_days"),
    (Rule("quarantine", "standard", "boat", stay_days=14), "setting"),
    (Rule("quarantine", "standard", "facility", stay_days=14, monitoring_days=-1), "monitoring_days"),
]


@pytest.mark.parametrize(("rule", "field"), BAD_RULES)
def test_a_bad_rule_is_refused_naming_its_field(rule, field):
    assert [f for f, _message in domain.rule_set_errors([rule])] == [field]


def test_a_set_has_one_rule_per_purpose_condition_and_setting():
    errors = domain.rule_set_errors([RULE_14_14, RULE_14_14])
    assert [f for f, _m in errors] == ["rules"]


def test_every_shipped_set_is_marked_for_verification_and_names_its_source():
    for rule_set in read_rule_sets():
        assert rule_set["needs_verification"] is True
        assert rule_set["legal_source"]
