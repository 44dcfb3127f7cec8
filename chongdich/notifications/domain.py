"""Pure rules for notifications: which channels a person gets for an event, when to try a failed
delivery again, and how a webhook body is signed. No ORM here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

IN_APP = "in_app"
EMAIL = "email"
WEBHOOK = "webhook"
CHANNELS = (IN_APP, EMAIL, WEBHOOK)
EXTERNAL_CHANNELS = (EMAIL, WEBHOOK)  # delivered in the background, with retries

SIGNATURE_HEADER = "X-ChongDich-Signature"


def channels_for(defaults: Iterable[str], chosen: Mapping[str, bool]) -> set[str]:
    """The channels an event reaches a person by: the event's defaults, then the person's own
    choices (channel → on/off) where they made one."""
    wanted = set(defaults)
    for channel, enabled in chosen.items():
        if enabled:
            wanted.add(channel)
        else:
            wanted.discard(channel)
    return wanted & set(CHANNELS)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: the n-th failed attempt waits base × 2^(n-1), at most `cap`; after
    `max_attempts` attempts the delivery gives up."""

    max_attempts: int = 5
    base: dt.timedelta = dt.timedelta(minutes=1)
    cap: dt.timedelta = dt.timedelta(hours=1)

    def delay_after(self, attempts: int) -> dt.timedelta:
        """How long to wait after the `attempts`-th failed attempt (1-based)."""
        exponent = max(attempts - 1, 0)
        # 2**exponent grows fast; compare before multiplying so a huge count cannot overflow.
        if exponent >= 32 or self.base * (2**exponent) > self.cap:
            return self.cap
        return self.base * (2**exponent)

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: "sha256=" + HMAC-SHA256 of the raw body with the secret.
    A receiver recomputes it over the bytes it received and compares in constant time."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def is_success(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


def shorten(text: str, limit: int = 500) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
