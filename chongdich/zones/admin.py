"""Admin: lockdown areas and zone designations read-only (they change only through the services,
which check jurisdiction and tell the hooks)."""

from django.contrib import admin

from chongdich.core.admin import ReadOnlyAdmin
from chongdich.zones.models import LockdownArea, LockdownMember, LockdownRing, ZoneDesignation


class MemberInline(admin.TabularInline):
    model = LockdownMember
    extra = 0
    can_delete = False
    readonly_fields = ("unit", "village")

    def has_add_permission(self, request, obj=None):
        return False


class RingInline(admin.TabularInline):
    model = LockdownRing
    extra = 0
    can_delete = False
    readonly_fields = ("ring", "radius_m")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LockdownArea)
class LockdownAreaAdmin(ReadOnlyAdmin):
    list_display = ("name", "shape", "starts_at", "ends_at", "province", "district", "commune")
    list_filter = ("shape",)
    search_fields = ("name",)
    inlines = [MemberInline, RingInline]


@admin.register(ZoneDesignation)
class ZoneDesignationAdmin(ReadOnlyAdmin):
    list_display = ("unit", "village", "colour", "starts_on", "ends_on")
    list_filter = ("colour",)
