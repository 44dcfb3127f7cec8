"""Monitoring rules as tables: what a check means, where a person stands. No database."""

import datetime as dt
from decimal import Decimal

import pytest

from chongdich.monitoring.domain import (
    CheckLevel,
    Reading,
    ReadingError,
    Rules,
    RulesError,
    StateKind,
    classify_check,
    clean_reading,
    days_left,
    in_force,
    person_state,
    validate_rules,
)

RULES = Rules(silence_hours=24, spo2_escalate_below=96, fever_from=Decimal("37.5"),
              danger_symptoms=frozenset({"dyspnoea", "chest_pain", "confusion"}))

CHECKS = [
    # (temperature, SpO2, symptoms, level, reasons)
    (None, None, (), CheckLevel.NORMAL, ()),
    ("36.8", 98, (), CheckLevel.NORMAL, ()),
    ("36.8", 96, (), CheckLevel.NORMAL, ()),  # exactly the threshold is not under it
    ("36.8", 95, (), CheckLevel.ESCALATE, ("spo2",)),
    ("37.4", 97, ("cough",), CheckLevel.NORMAL, ()),
    ("37.5", 97, (), CheckLevel.FEVER, ("fever",)),  # the fever threshold counts as fever
    (None, None, ("fever",), CheckLevel.FEVER, ("fever",)),  # felt feverish, no thermometer
    ("36.9", 98, ("dyspnoea",), CheckLevel.ESCALATE, ("dyspnoea",)),
    ("38.6", 93, ("chest_pain", "cough"), CheckLevel.ESCALATE, ("spo2", "chest_pain", "fever")),
    ("36.5", None, ("cyanosis",), CheckLevel.NORMAL, ()),  # not a danger sign in this rule set
]


@pytest.mark.parametrize(("temperature", "spo2", "symptoms", "level", "reasons"), CHECKS)
def test_a_check_is_classified_by_the_rules(temperature, spo2, symptoms, level, reasons):
    reading = Reading(Decimal(temperature) if temperature else None, spo2, frozenset(symptoms))
    verdict = classify_check(reading, RULES)
    assert (verdict.level, verdict.reasons) == (level, reasons)


def test_a_stricter_rule_set_escalates_what_another_leaves_alone():
    strict = Rules(silence_hours=12, spo2_escalate_below=97, fever_from=Decimal("38.0"),
                   danger_symptoms=frozenset({"cyanosis"}))
    reading = Reading(Decimal("37.4"), 96, frozenset({"cyanosis"}))
    assert classify_check(reading, RULES).level == CheckLevel.NORMAL
    assert classify_check(reading, strict).reasons == ("spo2", "cyanosis")


START = dt.datetime(2021, 5, 10, 8, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)

STATES = [
    # (hours since the start now, hours after the start of the last check (None: none), escalation
    # open, expected state, silent since (hours after the start))
    (2, None, False, StateKind.OK, None),
    (24, None, False, StateKind.NOT_REPORTING, 0),  # exactly 24 h without a check
    (23.99, None, False, StateKind.OK, None),
    (30, 7, False, StateKind.OK, None),
    (31, 7, False, StateKind.NOT_REPORTING, 7),  # 24 h after the last check
    (40, 39, True, StateKind.NEEDS_ESCALATION, None),  # an open escalation comes first
    (48, None, True, StateKind.NEEDS_ESCALATION, None),
    (30, -72, False, StateKind.NOT_REPORTING, 0),  # a check from an earlier period does not count
]


@pytest.mark.parametrize(("now_h", "last_h", "escalated", "kind", "silent_h"), STATES)
def test_where_a_monitored_person_stands(now_h, last_h, escalated, kind, silent_h):
    state = person_state(now=START + now_h * H, monitored_since=START,
                         last_checked_at=None if last_h is None else START + last_h * H,
                         escalation_open=escalated, rules=RULES)
    assert state.kind == kind
    assert state.silent_since == (None if silent_h is None else START + silent_h * H)


READINGS = [
    # (temperature, SpO2, symptoms, field at fault or None, parsed temperature, parsed SpO2)
    ("37,2", "97%", ["cough"], None, Decimal("37.2"), 97),
    ("", "", [], None, None, None),
    ("33.9", None, [], "temperature", None, None),
    ("43.1", None, [], "temperature", None, None),
    ("ba bảy", None, [], "temperature", None, None),
    (None, "49", [], "spo2", None, None),
    (None, "101", [], "spo2", None, None),
    (None, "100", [], None, None, 100),
    (None, None, ["sneezing"], "symptoms", None, None),
]


@pytest.mark.parametrize(("temperature", "spo2", "symptoms", "field", "temp", "sat"), READINGS)
def test_what_was_typed_is_parsed_or_refused_on_its_field(temperature, spo2, symptoms, field, temp, sat):
    if field:
        with pytest.raises(ReadingError) as caught:
            clean_reading(temperature=temperature, spo2=spo2, symptoms=symptoms)
        assert caught.value.field == field
    else:
        reading = clean_reading(temperature=temperature, spo2=spo2, symptoms=symptoms)
        assert (reading.temperature, reading.spo2) == (temp, sat)


RULE_VALUES = [
    # (silence hours, SpO2 threshold, fever from, danger symptoms, field at fault or None)
    (24, 96, "37.5", {"dyspnoea"}, None),
    (0, 96, "37.5", set(), "silence_hours"),
    (24, 79, "37.5", set(), "spo2_escalate_below"),
    (24, 96, "36.9", set(), "fever_from"),
    (24, 96, "37.5", {"hiccups"}, "danger_symptoms"),
]


@pytest.mark.parametrize(("hours", "spo2", "fever", "danger", "field"), RULE_VALUES)
def test_a_rule_set_holds_only_sensible_values(hours, spo2, fever, danger, field):
    rules = Rules(hours, spo2, Decimal(fever), frozenset(danger))
    if field is None:
        validate_rules(rules)
    else:
        with pytest.raises(RulesError) as caught:
            validate_rules(rules)
        assert caught.value.field == field


DAYS_LEFT = [
    # (today, last day of monitoring, days left)
    (dt.date(2021, 5, 20), dt.date(2021, 5, 20), 1),
    (dt.date(2021, 5, 20), dt.date(2021, 5, 27), 8),
    (dt.date(2021, 5, 21), dt.date(2021, 5, 20), 0),
]


@pytest.mark.parametrize(("today", "until", "left"), DAYS_LEFT)
def test_days_left_count_today(today, until, left):
    assert days_left(today=today, until=until) == left


VERSIONS = [(dt.date(2020, 3, 12), "879"), (dt.date(2021, 8, 21), "4038"), (dt.date(2022, 1, 31), "261")]
IN_FORCE = [
    (dt.date(2020, 3, 11), None),
    (dt.date(2020, 3, 12), "879"),
    (dt.date(2021, 8, 20), "879"),
    (dt.date(2021, 8, 21), "4038"),
    (dt.date(2023, 1, 1), "261"),
]


@pytest.mark.parametrize(("day", "expected"), IN_FORCE)
def test_the_version_in_force_is_the_latest_started_on_or_before_the_day(day, expected):
    assert in_force(VERSIONS, day) == expected
