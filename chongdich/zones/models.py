"""Zoning and lockdown areas (phong tỏa): areas made of units or villages, or a point with
rings (core, buffer, watch), each over a time, with its reason and the case that triggered it;
and the red/orange/yellow/green zone designations of units over time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AreaShape(models.TextChoices):
    UNITS = "units", _("Tập hợp địa bàn (xã, thôn)")
    POINT = "point", _("Điểm và các vòng")


class LockdownArea(models.Model):
    """A lockdown area. `commune`/`district`/`province` locate it for access checks (the commune
    of its point or of its first unit; a wider area is located at the lowest unit covering it,
    with the lower keys empty)."""

    name = models.CharField(max_length=200)
    shape = models.CharField(max_length=10, choices=AreaShape.choices)
    reason = models.TextField()
    trigger_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="lockdown_areas")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["trigger_case"]), models.Index(fields=["province", "starts_at"])]
        constraints = [
            models.CheckConstraint(name="lockdown_ends_after_start",
                                   condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at"))),
            models.CheckConstraint(name="lockdown_point_has_coordinates",
                                   condition=~Q(shape="point") | Q(lat__isnull=False, lon__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.name


class LockdownMember(models.Model):
    """A unit (commune or district) or a village inside an area made of units."""

    area = models.ForeignKey(LockdownArea, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geography.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(name="lockdown_member_unit_xor_village",
                                   condition=Q(unit__isnull=False, village__isnull=True)
                                   | Q(unit__isnull=True, village__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.unit_id or ''}{self.village_id or ''}"


class Ring(models.TextChoices):
    CORE = "core", _("Vùng lõi")
    BUFFER = "buffer", _("Vùng đệm")
    WATCH = "watch", _("Vùng giám sát")


class LockdownRing(models.Model):
    """A ring around a point area: radius in metres from the point, core < buffer < watch."""

    area = models.ForeignKey(LockdownArea, on_delete=models.CASCADE, related_name="rings")
    ring = models.CharField(max_length=10, choices=Ring.choices)
    radius_m = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "ring"], name="lockdown_ring_once")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.ring} {self.radius_m} m"


class ZoneColour(models.TextChoices):
    RED = "red", _("Vùng đỏ")
    ORANGE = "orange", _("Vùng cam")
    YELLOW = "yellow", _("Vùng vàng")
    GREEN = "green", _("Vùng xanh")


class ZoneDesignation(models.Model):
    """A unit (or a village) designated a colour zone from a date, until a date or the next
    designation of the same place."""

    unit = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geography.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    colour = models.CharField(max_length=10, choices=ZoneColour.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    trigger_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["unit", "-starts_on"]
        indexes = [models.Index(fields=["unit", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.colour} from {self.starts_on}"
