from django.contrib import admin

from chongdich.response.models import Disinfection, Response, ResponseRuleSet, Stage


@admin.register(ResponseRuleSet)
class ResponseRuleSetAdmin(admin.ModelAdmin):
    """A change of the standard is a new set from a later date, never an edit of a set in use."""

    list_display = ("code", "name", "valid_from", "trace_minutes", "zone_minutes", "move_minutes", "warn_minutes",
                    "tracked_hours", "needs_verification")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and Response.objects.filter(rule_set=obj).exists():
            return [f.name for f in obj._meta.fields]
        return []


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Stage._meta.fields]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read only: stages change through the services (system events, sign-off)."""

    list_display = ("case", "confirmed_at", "closed_at", "district", "commune")
    list_select_related = ("case", "district", "commune")
    raw_id_fields = ("case",)
    readonly_fields = ("case", "rule_set", "confirmed_at", "opened_at", "closed_at", "province", "district", "commune")
    inlines = [StageInline]

    def has_add_permission(self, request):
        return False


@admin.register(Disinfection)
class DisinfectionAdmin(admin.ModelAdmin):
    list_display = ("place", "done_at", "done_by_name", "response")
    raw_id_fields = ("response",)
