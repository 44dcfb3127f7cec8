"""The kinds of event a notification can be about: one table, extended by other apps.

An app that sends a new kind registers it once, e.g. in its AppConfig.ready():

    from chongdich.notifications.events import register_event
    register_event("stage_deadline", _("Sắp đến hạn chuyển giai đoạn"))
    register_event("needs_escalation", _("Cần báo cáo cấp trên"), defaults=(IN_APP, EMAIL))

`defaults` are the channels a person gets until they choose otherwise on their preferences page:
in the app for everything, e-mail as well for escalations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chongdich.notifications.domain import CHANNELS, EMAIL, IN_APP


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str | Promise
    defaults: frozenset[str]


_EVENTS: dict[str, EventKind] = {}


def register_event(code: str, label: str | Promise, *, defaults: Iterable[str] = (IN_APP,)) -> EventKind:
    """Add (or redefine) an event kind. Registering the same code again replaces it, so a module
    imported twice does no harm."""
    channels = frozenset(defaults)
    unknown = channels - set(CHANNELS)
    if unknown or not code or len(code) > 40:
        raise ValueError(f"bad event kind {code!r}: channels {sorted(unknown)}")
    kind = EventKind(code=code, label=label, defaults=channels)
    _EVENTS[code] = kind
    return kind


def event_kind(code: str) -> EventKind:
    try:
        return _EVENTS[code]
    except KeyError:
        raise ValueError(f"unknown notification event {code!r}: register it first") from None


def event_kinds() -> list[EventKind]:
    """In the order they were registered (the order of the preferences table)."""
    return list(_EVENTS.values())


ESCALATION = (IN_APP, EMAIL)

for _code, _label, _defaults in (
    ("task_assigned", _("Được giao nhiệm vụ"), (IN_APP,)),
    ("task_overdue", _("Nhiệm vụ quá hạn"), (IN_APP,)),
    ("task_escalated", _("Nhiệm vụ quá hạn được báo lên cấp trên"), ESCALATION),
    ("report_submitted", _("Có báo cáo tiến độ, báo cáo hoàn thành"), (IN_APP,)),
    ("task_verified", _("Nhiệm vụ được xác nhận hoàn thành"), (IN_APP,)),
    ("finding_recorded", _("Có phát hiện mới của đoàn kiểm tra"), (IN_APP,)),
):
    register_event(_code, _label, defaults=_defaults)
