"""The pure rules of the clock, as tables (no database)."""

import datetime as dt

import pytest

from chongdich.response import domain

T0 = dt.datetime(2021, 8, 2, 2, 0, tzinfo=dt.UTC)
RULE = domain.Rule(60, 180, 300, 15, 24)


def m(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_deadlines_count_from_the_confirmation():
    got = [(d.stage, d.due_at, d.warn_at) for d in domain.deadlines(T0, RULE)]
    assert got == [("trace", m(60), m(45)), ("zone", m(180), m(165)), ("move", m(300), m(285))]


@pytest.mark.parametrize(("rule", "ok"), [
    (RULE, True),
    (domain.Rule(60, 30, 300), False),  # zone before trace
    (domain.Rule(60, 180, 120), False),
    (domain.Rule(0, 180, 300), False),
    (domain.Rule(60, 180, 300, warn_minutes=60), False),  # warning at confirmation
])
def test_rule_errors(rule, ok):
    assert (domain.rule_errors(rule) == []) is ok


@pytest.mark.parametrize(("confirmed_hours_ago", "tracked"), [(0, True), (23.9, True), (24, True), (24.1, False)])
def test_cases_confirmed_long_ago_are_not_tracked(confirmed_hours_ago, tracked):
    now = T0 + dt.timedelta(hours=confirmed_hours_ago)
    assert domain.is_tracked(T0, now, RULE) is tracked


@pytest.mark.parametrize(("now", "done", "expected"), [
    (0, None, domain.GREEN), (44.9, None, domain.GREEN), (45, None, domain.AMBER), (59.9, None, domain.AMBER),
    (60, None, domain.RED), (500, None, domain.RED), (500, 60, domain.DONE), (500, 61, domain.DONE_LATE),
])
def test_light(now, done, expected):
    assert domain.light(due_at=m(60), warn_at=m(45), done_at=m(done) if done is not None else None,
                        now=m(now)) == expected


@pytest.mark.parametrize(("now", "done", "near_sent", "late_sent", "expected"), [
    (44, False, False, False, None),
    (45, False, False, False, domain.NEAR),
    (50, False, True, False, None),  # near already sent
    (60, False, True, False, domain.LATE),
    (60, False, False, False, domain.LATE),  # found late: only the late one
    (70, False, True, True, None),
    (70, True, False, False, None),  # done: nothing
])
def test_alert_due(now, done, near_sent, late_sent, expected):
    assert domain.alert_due(due_at=m(60), warn_at=m(45), done=done, near_sent=near_sent, late_sent=late_sent,
                            now=m(now)) == expected


def test_next_check_is_the_next_warning_or_deadline_of_an_open_stage():
    stages = [(m(45), m(60), True), (m(165), m(180), False), (m(285), m(300), False)]
    assert domain.next_check(stages, m(50)) == m(165)
    assert domain.next_check(stages, m(170)) == m(180)
    assert domain.next_check(stages, m(301)) is None


@pytest.mark.parametrize(("pairs", "expected"), [
    ([(1, 2), (3, 1)], {2, 3}),  # either side of the pair
    ([(1, 2), (2, 4)], {2}),  # 4 is an F2
    ([], set()),
])
def test_f1_people(pairs, expected):
    assert domain.f1_people(1, pairs) == expected


def test_compliance_counts_done_and_overdue_and_takes_the_median_of_done():
    rows = [(T0, m(60), m(30)), (T0, m(60), m(90)), (T0, m(60), m(50)),
            (T0, m(60), None),  # overdue at now=m(100): late
            (m(80), m(140), None)]  # still running: not counted
    got = domain.compliance(rows, m(100))
    assert (got.counted, got.on_time, got.median_minutes) == (4, 2, 50)
    assert got.on_time_share == 0.5
    assert domain.compliance([], m(100)).on_time_share is None
