"""Admin: venues, proposals and match jobs read-only (they move only through the services);
exposure rule sets may be added (a change of rules is a new version with a later valid_from)."""

from django.contrib import admin

from chongdich.core.admin import ReadOnlyAdmin
from chongdich.venues.models import ExposureRuleSet, MatchJob, Proposal, Venue


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "capacity", "active", "district")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("case", "person", "generation", "status", "venue", "slot_start", "overlap_minutes")
    list_filter = ("status", "generation")
    raw_id_fields = ("case", "person", "source", "venue", "contact")


@admin.register(MatchJob)
class MatchJobAdmin(ReadOnlyAdmin):
    list_display = ("case", "source", "generation", "status", "requested_at", "done_at", "proposals")
    list_filter = ("status", "generation")


@admin.register(ExposureRuleSet)
class ExposureRuleSetAdmin(admin.ModelAdmin):
    list_display = ("code", "valid_from", "margin_minutes", "default_stay_minutes", "needs_verification")

    def has_delete_permission(self, request, obj=None):
        return obj is None or not MatchJob.objects.filter(rule_set=obj).exists()
