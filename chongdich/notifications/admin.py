from django.contrib import admin

from chongdich.notifications.models import Delivery, DeliveryAttempt, Notification


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "ok", "response_code", "error", "started_at", "duration_ms")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what left by e-mail or webhook, each attempt and its error."""

    list_display = ("pk", "channel", "target", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("target", "notification__subject", "notification__recipient__username")
    readonly_fields = ("notification", "channel", "target", "attempts", "claimed_at", "sent_at", "created_at")
    inlines = [AttemptInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "event", "subject", "in_app", "read_at")
    list_filter = ("event", "in_app")
    search_fields = ("subject", "recipient__username")
    raw_id_fields = ("recipient", "unit")
