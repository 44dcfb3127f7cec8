from django.contrib import admin

from chongdich.imports.models import ColumnMapping, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are started and run by the services and the runner."""

    list_display = ("pk", "kind", "original_name", "status", "processed_rows", "total_rows",
                    "error_count", "created_by", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("original_name", "sha256")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name",)
