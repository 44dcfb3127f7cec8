"""Reads for notifications. A person sees only their own: anyone else's notification is 'not
found', the same as a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from chongdich.core.errors import NotFound
from chongdich.notifications import domain
from chongdich.notifications.events import EventKind, event_kinds
from chongdich.notifications.models import (
    ChannelSettings,
    Delivery,
    DeliveryAttempt,
    Notification,
    Preference,
)


def notification_list(*, actor, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=actor, in_app=True).select_related("unit")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def notification_get(*, actor, notification_id: int) -> Notification:
    n = Notification.objects.filter(recipient=actor, in_app=True, pk=notification_id).first()
    if n is None:
        raise NotFound(_("Không tìm thấy thông báo."))
    return n


def unread_count(*, actor) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=actor, in_app=True, read_at__isnull=True).count()


@dataclass(frozen=True)
class PreferenceRow:
    kind: EventKind
    channels: dict[str, bool]  # channel → on/off, defaults applied
    chosen: frozenset[str]  # channels where the person made a choice (not the default)
    webhook_url: str  # this event's own webhook URL, "" for the account's


@dataclass(frozen=True)
class Preferences:
    rows: list[PreferenceRow]
    webhook_url: str
    has_webhook_secret: bool
    email: str


def preferences_get(*, actor) -> Preferences:
    """Every event kind with the channels it reaches the actor by."""
    mine: dict[str, dict[str, Preference]] = {}
    for pref in Preference.objects.filter(user=actor):
        mine.setdefault(pref.event, {})[pref.channel] = pref
    rows = []
    for kind in event_kinds():
        prefs = mine.get(kind.code, {})
        on = domain.channels_for(kind.defaults, {c: p.enabled for c, p in prefs.items()})
        webhook = prefs.get(domain.WEBHOOK)
        rows.append(PreferenceRow(
            kind=kind, channels={c: c in on for c in domain.CHANNELS}, chosen=frozenset(prefs),
            webhook_url=webhook.webhook_url if webhook else "",
        ))
    account = ChannelSettings.objects.filter(user=actor).first()
    return Preferences(rows=rows, webhook_url=account.webhook_url if account else "",
                       has_webhook_secret=bool(account and account.webhook_secret),
                       email=actor.email or "")


def delivery_list(*, actor) -> QuerySet[Delivery]:
    """The actor's own deliveries by e-mail and webhook, newest first, with their attempts."""
    return (Delivery.objects.filter(notification__recipient=actor)
            .select_related("notification")
            .prefetch_related(Prefetch("attempt_log", DeliveryAttempt.objects.order_by("number")))
            .order_by("-created_at", "-pk"))


def attempt_list(*, actor) -> QuerySet[DeliveryAttempt]:
    return (DeliveryAttempt.objects.filter(delivery__notification__recipient=actor)
            .select_related("delivery__notification").order_by("-started_at", "-pk"))
