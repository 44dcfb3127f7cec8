from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chongdich.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "unit", "role", "is_active", "is_superuser")
    list_filter = ("role", "is_active", "is_superuser", "is_national")
    search_fields = ("username", "full_name", "email")
    raw_id_fields = ("unit",)
    fieldsets = BaseUserAdmin.fieldsets + (("Chống Dịch", {"fields": ("full_name", "unit", "role", "is_national")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("Chống Dịch", {"fields": ("full_name", "unit", "role")}),)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")
