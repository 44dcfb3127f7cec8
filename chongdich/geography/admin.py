from django.contrib import admin

from chongdich.geography.models import AdminUnit, Village


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_with_type", "level", "parent", "population", "population_source")
    list_filter = ("level", "population_source")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent", "province", "district")


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "commune", "population")
    search_fields = ("name",)
    raw_id_fields = ("commune", "district", "province")
