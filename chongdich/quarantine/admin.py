"""Admin: facilities and placements read-only (their counters and states move only through the
services); rule sets may be added with their rows, and changed or deleted only while no
placement uses them (a change of rules is a new version with a later valid_from)."""

from django import forms
from django.contrib import admin

from chongdich.core.admin import ReadOnlyAdmin
from chongdich.quarantine import domain
from chongdich.quarantine.models import Facility, Placement, PlacementRule, QuarantineRuleSet
from chongdich.quarantine.selectors import rule_set_in_use


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "tier", "capacity", "occupied", "status", "district")
    list_filter = ("kind", "status", "tier")
    search_fields = ("code", "name")


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("person", "purpose", "setting", "facility", "started_on", "planned_end_on", "status")
    list_filter = ("purpose", "setting", "status")
    raw_id_fields = ("person", "case", "facility", "rule", "previous")


class RuleAdminForm(forms.ModelForm):
    """The same checks as the rule-sets page (domain.rule_errors)."""

    class Meta:
        model = PlacementRule
        fields = ("purpose", "condition", "setting", "stay_days", "monitoring_days", "test_days",
                  "release_needs_negative")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            days = tuple(int(d) for d in data.get("test_days") or ())
        except (TypeError, ValueError):
            raise forms.ValidationError({"test_days": "[1, 7, 14]"}) from None
        rule = domain.Rule(purpose=data.get("purpose"), condition=data.get("condition"),
                           setting=data.get("setting"), stay_days=data.get("stay_days") or 0,
                           monitoring_days=data.get("monitoring_days") or 0, test_days=days)
        for field, message in domain.rule_errors(rule):
            self.add_error(field if field in self.fields else None, message)
        data["test_days"] = sorted(set(days))
        return data


class RuleInline(admin.TabularInline):
    model = PlacementRule
    form = RuleAdminForm
    extra = 2
    fields = ("purpose", "condition", "setting", "stay_days", "monitoring_days", "test_days",
              "release_needs_negative")


@admin.register(QuarantineRuleSet)
class QuarantineRuleSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "legal_source", "needs_verification")
    inlines = [RuleInline]

    def _used(self, obj) -> bool:
        return obj is not None and obj.pk is not None and rule_set_in_use(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._used(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._used(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
