"""/api/notifications: the signed-in person's own notifications, their delivery log, and what
reaches them (per event kind and channel, and their webhook)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from chongdich.core.api_support import Page, actor_of, error_responses, paginate
from chongdich.core.errors import InvalidInput
from chongdich.notifications import domain, selectors, services
from chongdich.notifications.events import event_kind
from chongdich.notifications.schemas import (
    DeliveryOut,
    MarkedOut,
    NotificationFiltersIn,
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    UnreadOut,
)

router = Router(tags=["notifications"])


def _label(code: str) -> str:
    try:
        return str(event_kind(code).label)
    except ValueError:
        return code


def notification_body(n) -> dict:
    return {"id": n.pk, "event": n.event, "event_label": _label(n.event), "subject": n.subject,
            "body": n.body, "url": n.url, "unit": n.unit, "created_at": n.created_at, "read_at": n.read_at}


def delivery_body(d) -> dict:
    return {"id": d.pk, "notification_id": d.notification_id, "event": d.notification.event,
            "subject": d.notification.subject, "channel": d.channel, "target": d.target,
            "status": d.status, "attempts": d.attempts, "next_attempt_at": d.next_attempt_at,
            "sent_at": d.sent_at, "last_error": d.last_error, "created_at": d.created_at,
            "attempt_log": list(d.attempt_log.all())}


def preferences_body(actor) -> dict:
    prefs = selectors.preferences_get(actor=actor)
    return {
        "events": [{"event": r.kind.code, "label": str(r.kind.label), "channels": r.channels,
                    "webhook_url": r.webhook_url} for r in prefs.rows],
        "channels": list(domain.CHANNELS), "webhook_url": prefs.webhook_url,
        "has_webhook_secret": prefs.has_webhook_secret, "email": prefs.email,
    }


@router.get("", response={200: Page[NotificationOut], **error_responses(401, 422)})
def notification_list(request, filters: Query[NotificationFiltersIn]):
    """My notifications in the app, newest first."""
    rows = selectors.notification_list(actor=actor_of(request), unread_only=filters.unread)
    return paginate(rows, filters, render=notification_body)


@router.get("/unread-count", response={200: UnreadOut, **error_responses(401)})
def unread_count(request):
    return {"unread": selectors.unread_count(actor=actor_of(request))}


@router.post("/read-all", response={200: MarkedOut, **error_responses(401)})
def mark_all_read(request):
    return {"marked": services.notification_mark_all_read(actor=actor_of(request))}


@router.post("/{int:notification_id}/read", response={200: NotificationOut, **error_responses(401, 404)})
def mark_read(request, notification_id: int):
    actor = actor_of(request)
    n = selectors.notification_get(actor=actor, notification_id=notification_id)
    return notification_body(services.notification_mark_read(actor=actor, notification=n))


@router.get("/deliveries", response={200: Page[DeliveryOut], **error_responses(401, 422)})
def delivery_list(request, filters: Query[NotificationFiltersIn]):
    """The log of my e-mail and webhook deliveries: every attempt, its response code or error."""
    return paginate(selectors.delivery_list(actor=actor_of(request)), filters, render=delivery_body)


@router.get("/preferences", response={200: PreferencesOut, **error_responses(401)})
def preferences_get(request):
    return preferences_body(actor_of(request))


@router.patch("/preferences", response={200: PreferencesOut, **error_responses(401, 422)})
def preferences_set(request, payload: PreferencesIn):
    """Turn channels on or off per event kind, set an event's own webhook URL, or the account's
    webhook URL and signing secret. What is not sent is unchanged."""
    actor = actor_of(request)
    choices, urls = {}, {}
    for c in payload.choices:
        if c.enabled is not None:
            choices[(c.event, c.channel)] = c.enabled
        if c.webhook_url is not None:
            if c.channel != domain.WEBHOOK:
                raise InvalidInput(_("Chỉ kênh webhook có URL riêng."), field="choices.webhook_url")
            urls[c.event] = c.webhook_url
    services.preferences_set(actor=actor, choices=choices, event_webhook_urls=urls,
                             webhook_url=payload.webhook_url, webhook_secret=payload.webhook_secret)
    return preferences_body(actor)
