"""Admin: products and age-group configurations are data an administrator may add (a new
configuration is a new version with a later valid_from, followed by `chongdich
vaccination-recount`); dose records and reports are read-only here (they move the counters, or
are checked, only through the services)."""

from django.contrib import admin

from chongdich.core.admin import ReadOnlyAdmin
from chongdich.vaccination.models import CoverageConfig, CoverageReport, DoseRecord, VaccineProduct


@admin.register(VaccineProduct)
class VaccineProductAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "series_doses", "active")


@admin.register(CoverageConfig)
class CoverageConfigAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "needs_verification")



@admin.register(DoseRecord)
class DoseRecordAdmin(ReadOnlyAdmin):
    list_display = ("person", "dose_number", "product", "given_on", "commune")
    raw_id_fields = ("person",)
    list_select_related = ("person", "product", "commune")


@admin.register(CoverageReport)
class CoverageReportAdmin(ReadOnlyAdmin):
    list_display = ("unit", "as_of", "grp", "one_dose", "full_series", "booster")
    list_select_related = ("unit",)
