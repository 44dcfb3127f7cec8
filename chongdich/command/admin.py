"""Admin: for looking things up. Tasks, reports and escalations are read-only here: their changes
go through command.services, which keep the history and tell the people concerned."""

from django.contrib import admin

from chongdich.command.models import (
    Agency,
    Document,
    Finding,
    Inspection,
    InspectionTeam,
    Task,
    TaskEscalation,
    TaskEvent,
    TaskReport,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = TaskEvent
    fields = ("at", "kind", "status", "actor", "note")
    readonly_fields = fields


class ReportInline(ReadOnlyInline):
    model = TaskReport
    fields = ("submitted_at", "submitted_by", "period", "is_done", "on_behalf", "text")
    readonly_fields = fields


class EscalationInline(ReadOnlyInline):
    model = TaskEscalation
    fields = ("level", "due_at", "period", "escalated_at", "to_agency", "to_unit", "notified")
    readonly_fields = fields


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "head_name", "superior", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "head_name")
    raw_id_fields = ("unit", "province", "district", "commune", "superior", "head_account")
    filter_horizontal = ("members",)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("reference", "issuing_body", "title", "unit")
    list_filter = ("kind",)
    search_fields = ("number", "title", "issuing_body")
    raw_id_fields = ("unit", "province", "district", "commune", "created_by")
    filter_horizontal = ("recipient_agencies", "replaces", "follows_up")
    exclude = ("recipient_units",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Read-only: statuses move through the services (history, notifications, escalation)."""

    list_display = ("pk", "agency", "document", "timing", "deadline", "status")
    list_filter = ("status", "timing")
    search_fields = ("description", "agency__name", "document__number")
    inlines = [EventInline, ReportInline, EscalationInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(InspectionTeam)
class InspectionTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "leader", "leader_name")
    raw_id_fields = ("unit", "province", "district", "commune", "leader", "document", "created_by")
    filter_horizontal = ("members",)


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "inspected_unit", "team", "scheduled_on", "status")
    list_filter = ("kind", "status")
    raw_id_fields = ("team", "led_by", "inspected_unit", "inspected_agency", "issuer_unit", "issuer_province",
                     "issuer_district", "issuer_commune", "province", "district", "commune", "created_by")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("pk", "severity", "agency", "recorded_at", "closed_at")
    list_filter = ("severity",)
    search_fields = ("text",)
    raw_id_fields = ("inspection", "checklist_item", "agency", "province", "district", "commune",
                     "recorded_by", "closed_by")
