"""The two ways out of the app: an e-mail through Django's mail settings, and an HTTP POST of JSON
to a webhook (an SMS or chat gateway), signed when the account has a secret. Each returns an
Outcome and never raises for a delivery failure; the caller logs and retries."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail

from chongdich.notifications import domain
from chongdich.notifications.models import Delivery, Notification

USER_AGENT = "ChongDich-Notifications/1"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    response_code: int | None = None
    error: str = ""


def absolute_url(path: str) -> str:
    """Links in e-mails and webhooks need the site's address (settings.SITE_URL, e.g.
    https://chongdich.example.vn); without it they stay paths."""
    if not path or "://" in path:
        return path
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def webhook_payload(delivery: Delivery) -> dict:
    n: Notification = delivery.notification
    unit = n.unit
    return {
        "id": n.pk,
        "delivery": delivery.pk,
        "event": n.event,
        "subject": n.subject,
        "body": n.body,
        "url": absolute_url(n.url),
        "unit": {"code": unit.code, "name": unit.name_with_type} if unit else None,
        "created_at": n.created_at.isoformat(),
        "recipient": {"username": n.recipient.username, "name": n.recipient.display_name},
    }


def send_email(delivery: Delivery) -> Outcome:
    n = delivery.notification
    text = n.body
    if n.url:
        text = f"{text}\n\n{absolute_url(n.url)}".strip()
    try:
        sent = send_mail(n.subject, text, None, [delivery.target], fail_silently=False)
    except Exception as exc:  # SMTP errors, refused connections, bad addresses: all retryable
        return Outcome(ok=False, error=domain.shorten(f"{type(exc).__name__}: {exc}"))
    return Outcome(ok=bool(sent), error="" if sent else "no message sent")


def send_webhook(delivery: Delivery, secret: str = "") -> Outcome:
    if urlsplit(delivery.target).scheme not in {"http", "https"}:
        return Outcome(ok=False, error="only http:// and https:// webhooks are sent")
    body = json.dumps(webhook_payload(delivery), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-ChongDich-Event": delivery.notification.event,
        "X-ChongDich-Delivery": str(delivery.pk),
    }
    if secret:
        headers[domain.SIGNATURE_HEADER] = domain.sign(secret, body)
    request = urllib.request.Request(delivery.target, data=body, headers=headers, method="POST")
    timeout = getattr(settings, "NOTIFICATIONS_WEBHOOK_TIMEOUT", 5)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        return Outcome(ok=False, response_code=exc.code, error=domain.shorten(f"HTTP {exc.code} {exc.reason}"))
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, bad URLs
        reason = getattr(exc, "reason", exc)
        return Outcome(ok=False, error=domain.shorten(f"{type(exc).__name__}: {reason}"))
    if domain.is_success(code):
        return Outcome(ok=True, response_code=code)
    return Outcome(ok=False, response_code=code, error=f"HTTP {code}")
