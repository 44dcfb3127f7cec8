"""Notifications (one per recipient per event), their deliveries by e-mail and webhook, a log of
every delivery attempt, and what each person chose to receive."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.notifications import domain


class Channel(models.TextChoices):
    IN_APP = domain.IN_APP, _("Trong ứng dụng")
    EMAIL = domain.EMAIL, _("E-mail")
    WEBHOOK = domain.WEBHOOK, _("Webhook (SMS, nhóm chat)")


class Notification(models.Model):
    """What one person is told about one event. It is shown in the app's inbox when `in_app`;
    its e-mail and webhook deliveries hang off it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=40, help_text="an event kind code (notifications.events)")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="where the thing is, a path in the app")
    unit = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_idx"),
            # The bell's count on every page reads only this.
            models.Index(fields=["recipient"], name="notif_unread_idx",
                         condition=Q(in_app=True, read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}: {self.subject}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Không gửi được (đã dừng thử lại)")
    SKIPPED = "skipped", _("Bỏ qua (thiếu địa chỉ)")


class Delivery(models.Model):
    """A notification on its way by e-mail or webhook. Claimed by one worker at a time
    (a conditional UPDATE from pending to sending); tried again with backoff until it is sent or
    reaches the maximum number of attempts."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    target = models.CharField(max_length=500, blank=True, help_text="e-mail address or webhook URL")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(name="delivery_external_channel",
                                   condition=Q(channel__in=domain.EXTERNAL_CHANNELS)),
            models.CheckConstraint(name="delivery_pending_has_time",
                                   condition=~Q(status="pending") | Q(next_attempt_at__isnull=False)),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="delivery_due_idx", condition=Q(status="pending")),
            models.Index(fields=["claimed_at"], name="delivery_sending_idx", condition=Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.status}"


class DeliveryAttempt(models.Model):
    """One try at delivering: the log an administrator reads when a message did not arrive."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    ok = models.BooleanField()
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="attempt_unique_number")]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number} {'ok' if self.ok else 'error'}"


class ChannelSettings(models.Model):
    """A person's own addresses beyond the app: the webhook (an SMS or chat gateway) and the
    secret its requests are signed with. E-mail goes to the account's e-mail address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_channels")
    webhook_url = models.URLField(max_length=500, blank=True)
    webhook_secret = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.webhook_url or '-'}"


class Preference(models.Model):
    """A person's choice for one event kind and channel; without a row, the event's default holds.
    A webhook choice may name its own URL (else the account's webhook URL is used)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    event = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField()
    webhook_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["user", "event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="preference_unique"),
            models.CheckConstraint(name="preference_url_only_for_webhook",
                                   condition=Q(channel="webhook") | Q(webhook_url="")),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}/{self.channel}: {self.enabled}"
