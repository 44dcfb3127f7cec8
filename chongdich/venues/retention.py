"""How long check-ins are kept: VENUES_CHECKIN_RETENTION_DAYS (default 21 days, the longest F1
quarantine of 2020–2021 — a visit older than that cannot make anyone an F1 worth tracing)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DEFAULT_DAYS = 21


def days() -> int:
    return int(getattr(settings, "VENUES_CHECKIN_RETENTION_DAYS", DEFAULT_DAYS))


def first_kept_day(today: dt.date) -> dt.date:
    """Check-ins of this local day and later are kept; earlier days go."""
    return today - dt.timedelta(days=days())
