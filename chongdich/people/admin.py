from django.contrib import admin

from chongdich.people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Read-mostly: changes go through the pages and the API, which keep identity rules and ranks."""

    list_display = ("full_name", "birth_year", "phone", "commune", "rank")
    list_filter = ("rank",)
    search_fields = ("name_folded", "phone", "citizen_id")
    raw_id_fields = ("commune", "district", "province", "village", "created_by")
    readonly_fields = ("rank", "rank_changed_at", "name_folded")
