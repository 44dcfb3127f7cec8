"""Writes for notifications.

`notify` is what other apps call. It records the in-app notifications in the caller's transaction
and, once that transaction commits, hands each e-mail or webhook delivery to a background task.
A delivery is sent by `delivery_attempt`: it claims the delivery with a conditional UPDATE
(pending and due → sending), so a task and `chongdich send-notifications` never send it twice,
sends it, logs the attempt, and on failure schedules the next attempt with exponential backoff
until the maximum number of attempts (settings NOTIFICATIONS_MAX_ATTEMPTS, _RETRY_BASE_SECONDS,
_RETRY_MAX_SECONDS)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import InvalidInput
from chongdich.notifications import domain, senders
from chongdich.notifications.events import event_kind
from chongdich.notifications.models import (
    ChannelSettings,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    Preference,
)

logger = logging.getLogger(__name__)

STALE_CLAIM = dt.timedelta(minutes=10)  # a worker that held a delivery this long has died


def retry_policy() -> domain.RetryPolicy:
    return domain.RetryPolicy(
        max_attempts=getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5),
        base=dt.timedelta(seconds=getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", 60)),
        cap=dt.timedelta(seconds=getattr(settings, "NOTIFICATIONS_RETRY_MAX_SECONDS", 3600)),
    )


# --- Sending ---------------------------------------------------------------------------------


def _unique_active(recipients: Iterable) -> list:
    seen: dict[int, object] = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


@transaction.atomic
def notify(*, recipients: list, event: str, subject: str, body: str, url: str = "",
           unit=None) -> list[Notification]:
    """Tell each recipient about an event, by the channels they chose for its kind (the kind's
    defaults where they chose nothing). Returns the notifications recorded, one per recipient who
    gets it by any channel; e-mail and webhook deliveries leave after the transaction commits."""
    kind = event_kind(event)
    users = _unique_active(recipients)
    if not users:
        return []
    now = clock.now()
    chosen: dict[int, dict[str, Preference]] = {}
    for pref in Preference.objects.filter(user__in=users, event=event):
        chosen.setdefault(pref.user_id, {})[pref.channel] = pref
    webhooks = dict(ChannelSettings.objects.filter(user__in=users).values_list("user_id", "webhook_url"))

    notifications: list[Notification] = []
    planned: list[tuple[Notification, str, str]] = []
    for user in users:
        prefs = chosen.get(user.pk, {})
        channels = domain.channels_for(kind.defaults, {c: p.enabled for c, p in prefs.items()})
        if not channels:
            continue
        n = Notification(recipient=user, event=event, subject=domain.shorten(subject, 200), body=body,
                         url=url, unit=unit, in_app=domain.IN_APP in channels, created_at=now)
        notifications.append(n)
        if domain.EMAIL in channels:
            planned.append((n, domain.EMAIL, user.email))
        if domain.WEBHOOK in channels:
            own = prefs.get(domain.WEBHOOK)
            planned.append((n, domain.WEBHOOK, (own and own.webhook_url) or webhooks.get(user.pk, "")))
    Notification.objects.bulk_create(notifications)

    deliveries = [
        Delivery(notification=n, channel=channel, target=target, created_at=now,
                 status=DeliveryStatus.PENDING if target else DeliveryStatus.SKIPPED,
                 next_attempt_at=now if target else None,
                 last_error="" if target else _("Tài khoản chưa có địa chỉ cho kênh này."))
        for n, channel, target in planned
    ]
    Delivery.objects.bulk_create(deliveries)
    due = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
    if due:
        transaction.on_commit(lambda: _enqueue(due))
    return notifications


def _enqueue(delivery_ids: list[int], run_after: dt.datetime | None = None) -> None:
    """Hand deliveries to the task queue. If that fails, or the backend cannot run a task later,
    nothing is lost: the deliveries stay pending and `send-notifications` sends them when due."""
    from chongdich.notifications.tasks import deliver_notification

    task = deliver_notification
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return
            task = task.using(run_after=run_after)
        for pk in delivery_ids:
            task.enqueue(pk)
    except Exception:
        logger.exception("could not enqueue notification deliveries %s", delivery_ids)


def _send(delivery: Delivery) -> senders.Outcome:
    try:
        if delivery.channel == domain.EMAIL:
            return senders.send_email(delivery)
        secret = (ChannelSettings.objects.filter(user_id=delivery.notification.recipient_id)
                  .values_list("webhook_secret", flat=True).first()) or ""
        return senders.send_webhook(delivery, secret=secret)
    except Exception as exc:  # a bug must not leave the delivery claimed for ever
        logger.exception("notification delivery %s crashed", delivery.pk)
        return senders.Outcome(ok=False, error=domain.shorten(f"{type(exc).__name__}: {exc}"))


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Claim a due delivery, send it, log the attempt, and settle what happens next: sent, tried
    again after a backoff, or given up. None when it is not due or another worker holds it.
    Not atomic as a whole on purpose: no transaction stays open while the network is slow."""
    claimed_at = clock.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=claimed_at
    ).update(status=DeliveryStatus.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("notification__recipient", "notification__unit").get(
        pk=delivery_id
    )
    started = time.monotonic()
    outcome = _send(delivery)
    duration_ms = int((time.monotonic() - started) * 1000)
    return _settle(delivery, outcome, started_at=claimed_at, duration_ms=duration_ms)


@transaction.atomic
def _settle(delivery: Delivery, outcome: senders.Outcome, *, started_at: dt.datetime,
            duration_ms: int) -> Delivery:
    DeliveryAttempt.objects.create(
        delivery=delivery, number=delivery.attempts, channel=delivery.channel, ok=outcome.ok,
        response_code=outcome.response_code, error=outcome.error, started_at=started_at,
        duration_ms=duration_ms,
    )
    now = clock.now()
    policy = retry_policy()
    if outcome.ok:
        changes = {"status": DeliveryStatus.SENT, "sent_at": now, "next_attempt_at": None, "last_error": ""}
    elif policy.gives_up_after(delivery.attempts):
        changes = {"status": DeliveryStatus.FAILED, "next_attempt_at": None, "last_error": outcome.error}
    else:
        retry_at = now + policy.delay_after(delivery.attempts)
        changes = {"status": DeliveryStatus.PENDING, "next_attempt_at": retry_at,
                   "last_error": outcome.error}
        transaction.on_commit(lambda: _enqueue([delivery.pk], run_after=retry_at))
    # Only if the claim is still ours: a claim released as stale may belong to another worker now.
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING,
                            claimed_at=delivery.claimed_at).update(claimed_at=None, **changes)
    delivery.refresh_from_db()
    return delivery


def deliveries_release_stale(*, older_than: dt.timedelta = STALE_CLAIM) -> int:
    """Deliveries claimed by a worker that died: back to pending (or failed, when that attempt
    was the last one allowed)."""
    now = clock.now()
    stale = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - older_than)
    policy = retry_policy()
    interrupted = _("Lần gửi bị gián đoạn (tiến trình gửi dừng giữa chừng).")
    failed = stale.filter(attempts__gte=policy.max_attempts).update(
        status=DeliveryStatus.FAILED, claimed_at=None, next_attempt_at=None, last_error=interrupted)
    retried = stale.update(status=DeliveryStatus.PENDING, claimed_at=None, next_attempt_at=now,
                           last_error=interrupted)
    return failed + retried


def deliveries_send_due(*, limit: int = 200) -> dict[str, int]:
    """Send what is due now, oldest first (what `send-notifications` runs on each pass)."""
    deliveries_release_stale()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=clock.now())
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    tally = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for pk in due:
        delivery = delivery_attempt(delivery_id=pk)
        if delivery is None:
            tally["skipped"] += 1  # another worker took it first
        elif delivery.status == DeliveryStatus.SENT:
            tally["sent"] += 1
        elif delivery.status == DeliveryStatus.FAILED:
            tally["failed"] += 1
        else:
            tally["retry"] += 1
    return tally


# --- The inbox ----------------------------------------------------------------------------------


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (selectors.notification_get checks it)."""
    if notification.recipient_id != actor.pk:
        raise InvalidInput(field="notification")
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, in_app=True, read_at__isnull=True).update(
        read_at=clock.now())


# --- Preferences --------------------------------------------------------------------------------


def _check_webhook_url(url: str, field: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(url) > 500:
        raise InvalidInput(_("Địa chỉ webhook phải là một URL http:// hoặc https://."), field=field)
    return url


@transaction.atomic
def preferences_set(
    *, actor, choices: Mapping[tuple[str, str], bool] | None = None,
    event_webhook_urls: Mapping[str, str] | None = None,
    webhook_url: str | None = None, webhook_secret: str | None = None,
) -> None:
    """Set what reaches the actor. `choices` maps (event, channel) to on/off; a choice equal to
    the event's default is stored as no choice, so defaults can evolve. `event_webhook_urls` gives
    an event its own webhook URL ("" clears it). `webhook_url`/`webhook_secret`: the account's
    (None leaves them as they are; "" clears them). Choices not given are unchanged."""
    choices = dict(choices or {})
    event_urls = {e: _check_webhook_url(u, f"webhook_url:{e}") for e, u in (event_webhook_urls or {}).items()}
    for event, channel in list(choices) + [(e, domain.WEBHOOK) for e in event_urls]:
        try:
            event_kind(event)
        except ValueError:
            raise InvalidInput(_("Loại sự kiện không tồn tại: %(event)s") % {"event": event},
                               field="event") from None
        if channel not in domain.CHANNELS:
            raise InvalidInput(_("Kênh không tồn tại: %(channel)s") % {"channel": channel}, field="channel")

    account, _created = ChannelSettings.objects.select_for_update().get_or_create(user=actor)
    if webhook_url is not None:
        account.webhook_url = _check_webhook_url(webhook_url, "webhook_url")
    if webhook_secret is not None:
        account.webhook_secret = webhook_secret.strip()[:200]
    account.save()

    current = {(p.event, p.channel): p for p in Preference.objects.filter(user=actor)}
    touched = set(choices) | {(e, domain.WEBHOOK) for e in event_urls}
    for key in touched:
        event, channel = key
        pref = current.get(key)
        default = channel in event_kind(event).defaults
        enabled = choices.get(key, pref.enabled if pref else default)
        url = event_urls.get(event, pref.webhook_url if pref else "") if channel == domain.WEBHOOK else ""
        if enabled == default and not url:
            if pref is not None:
                pref.delete()
        elif pref is None:
            Preference.objects.create(user=actor, event=event, channel=channel, enabled=enabled,
                                      webhook_url=url)
        elif (pref.enabled, pref.webhook_url) != (enabled, url):
            pref.enabled, pref.webhook_url = enabled, url
            pref.save(update_fields=["enabled", "webhook_url"])

    _require_webhook_address(actor, account)


def _require_webhook_address(actor, account: ChannelSettings) -> None:
    """Choosing the webhook channel without any URL to send to is refused, not silently skipped."""
    if account.webhook_url:
        return
    from chongdich.notifications.selectors import preferences_get

    for row in preferences_get(actor=actor).rows:
        if row.channels.get(domain.WEBHOOK) and not row.webhook_url:
            raise InvalidInput(
                _("Cần địa chỉ webhook để nhận thông báo qua webhook (%(event)s).")
                % {"event": row.kind.label},
                field="webhook_url",
            )
