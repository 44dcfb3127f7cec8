"""The pure rules: channels from defaults and choices, backoff, giving up, signatures."""

import datetime as dt
import hashlib
import hmac

import pytest

from chongdich.notifications.domain import (
    EMAIL,
    IN_APP,
    WEBHOOK,
    RetryPolicy,
    channels_for,
    is_success,
    sign,
)
from chongdich.notifications.events import event_kind, event_kinds, register_event

CHANNEL_CASES = [
    # defaults,          person's choices,                       channels
    ({IN_APP},           {},                                     {IN_APP}),
    ({IN_APP, EMAIL},    {},                                     {IN_APP, EMAIL}),
    ({IN_APP},           {EMAIL: True},                          {IN_APP, EMAIL}),
    ({IN_APP, EMAIL},    {EMAIL: False},                         {IN_APP}),
    ({IN_APP},           {IN_APP: False},                        set()),
    ({IN_APP},           {WEBHOOK: True, IN_APP: False},         {WEBHOOK}),
    ({IN_APP},           {"fax": True},                          {IN_APP}),
]


@pytest.mark.parametrize(("defaults", "chosen", "expected"), CHANNEL_CASES)
def test_a_persons_choices_override_the_event_defaults(defaults, chosen, expected):
    assert channels_for(defaults, chosen) == expected


MINUTE = dt.timedelta(minutes=1)
BACKOFF_CASES = [
    # failed attempts so far, wait before the next
    (1, 1 * MINUTE),
    (2, 2 * MINUTE),
    (3, 4 * MINUTE),
    (4, 8 * MINUTE),
    (7, 60 * MINUTE),  # 64 minutes, capped at an hour
    (500, 60 * MINUTE),
]


@pytest.mark.parametrize(("attempts", "wait"), BACKOFF_CASES)
def test_the_wait_doubles_after_each_failure_up_to_the_cap(attempts, wait):
    policy = RetryPolicy(max_attempts=10, base=MINUTE, cap=dt.timedelta(hours=1))
    assert policy.delay_after(attempts) == wait


@pytest.mark.parametrize(("attempts", "gives_up"), [(1, False), (4, False), (5, True), (6, True)])
def test_a_delivery_gives_up_after_the_maximum_attempts(attempts, gives_up):
    assert RetryPolicy(max_attempts=5).gives_up_after(attempts) is gives_up


def test_the_signature_is_hmac_sha256_of_the_raw_body():
    body = '{"event": "task_escalated", "subject": "Quá hạn"}'.encode()
    expected = hmac.new(b"bi-mat", body, hashlib.sha256).hexdigest()
    assert sign("bi-mat", body) == f"sha256={expected}"


@pytest.mark.parametrize(("code", "ok"), [(200, True), (204, True), (301, False), (404, False),
                                          (500, False), (None, False)])
def test_only_2xx_responses_count_as_delivered(code, ok):
    assert is_success(code) is ok


def test_escalations_default_to_email_as_well_as_the_app():
    assert event_kind("task_escalated").defaults == {IN_APP, EMAIL}
    assert event_kind("task_assigned").defaults == {IN_APP}


def test_another_app_can_register_a_kind_and_it_joins_the_table():
    kind = register_event("test_stage_deadline", "Sắp đến hạn", defaults=(IN_APP, WEBHOOK))
    try:
        assert kind in event_kinds()
        assert event_kind("test_stage_deadline").defaults == {IN_APP, WEBHOOK}
    finally:
        from chongdich.notifications import events

        events._EVENTS.pop("test_stage_deadline")


def test_an_unknown_channel_cannot_be_a_default():
    with pytest.raises(ValueError):
        register_event("bad_kind", "x", defaults=("pigeon",))


def test_an_unregistered_event_is_a_programming_error():
    with pytest.raises(ValueError):
        event_kind("no_such_event")
