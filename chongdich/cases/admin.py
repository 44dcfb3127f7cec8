from django.contrib import admin

from chongdich.cases.models import Case, CaseStatusEvent, Cluster, Contact


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class StatusInline(ReadOnlyInline):
    model = CaseStatusEvent
    fields = ("status", "at", "note", "recorded_by")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: case changes go through the services, which keep ranks and daily counts."""

    list_display = ("code", "person", "confirmed_at", "detection", "status", "commune", "discarded_at")
    list_filter = ("status", "detection")
    search_fields = ("code", "person__name_folded")
    inlines = [StatusInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("person", "contact", "setting", "last_contact_at", "created_at")
    list_filter = ("setting",)
    raw_id_fields = ("person", "contact", "case", "created_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "source", "started_on", "closed_on")
    search_fields = ("name", "place", "source")
    raw_id_fields = ("commune", "district", "province", "created_by")
