"""Admin: the monitoring rule sets are editable data (values checked by the domain rules);
teams, households, checks and escalations are read here and changed through the pages."""

from decimal import Decimal

from django import forms
from django.contrib import admin

from chongdich.core.admin import ReadOnlyAdmin
from chongdich.monitoring import domain
from chongdich.monitoring.models import (
    CommunityTeam,
    DailyCheck,
    Escalation,
    Household,
    MonitoringRuleSet,
)


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = MonitoringRuleSet
        fields = ["code", "name", "legal_source", "valid_from", "needs_verification", "silence_hours",
                  "spo2_escalate_below", "fever_from", "danger_symptoms", "note"]
        help_texts = {"danger_symptoms": ", ".join(s.value for s in domain.Symptom)}

    def clean(self):
        data = super().clean()
        try:
            domain.validate_rules(domain.Rules(
                silence_hours=data.get("silence_hours") or 0,
                spo2_escalate_below=data.get("spo2_escalate_below") or 0,
                fever_from=data.get("fever_from") or Decimal(0),
                danger_symptoms=frozenset(data.get("danger_symptoms") or ()),
            ))
        except domain.RulesError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(MonitoringRuleSet)
class MonitoringRuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ("code", "valid_from", "silence_hours", "spo2_escalate_below", "fever_from", "needs_verification")
    readonly_fields = ("created_at",)



@admin.register(CommunityTeam)
class CommunityTeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "commune", "active")
    search_fields = ("name",)


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("address", "commune", "team")
    search_fields = ("address",)


@admin.register(DailyCheck)
class DailyCheckAdmin(ReadOnlyAdmin):
    list_display = ("person", "checked_at", "level", "temperature", "spo2", "source")
    list_filter = ("level", "source")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("person", "opened_at", "status", "action", "officer_name")
    list_filter = ("status", "action")
