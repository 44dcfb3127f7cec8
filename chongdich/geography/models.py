from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/Thành phố")
    DISTRICT = "district", _("Quận/Huyện")
    COMMUNE = "commune", _("Xã/Phường/Thị trấn")


class PopulationSource(models.TextChoices):
    CENSUS_2019 = "census_2019", _("Tổng điều tra dân số 01/4/2019")
    ESTIMATE = "estimate", _("Ước tính")
    USER = "user", _("Do người dùng nhập")


class AdminUnit(models.Model):
    """An administrative unit as it stood in 2021, with its official code (GSO)."""

    code = models.CharField(max_length=5, unique=True)
    level = models.CharField(max_length=10, choices=UnitLevel.choices)
    kind = models.CharField(max_length=20, help_text="tinh, thanh-pho, quan, huyen, thi-xa, xa, phuong, thi-tran")
    name = models.CharField(max_length=100)
    name_with_type = models.CharField(max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Denormalised ancestors: a commune has both, a district only province, a province neither.
    province = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    bbox = models.JSONField(null=True, blank=True, help_text="[south, west, north, east]")
    coordinates_note = models.CharField(max_length=200, blank=True, help_text="why a point is approximate")
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=20, choices=PopulationSource.choices, blank=True)
    population_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]
        constraints = [
            models.CheckConstraint(
                name="unit_level_ancestors",
                condition=(
                    Q(level="province", parent__isnull=True, province__isnull=True, district__isnull=True)
                    | Q(level="district", parent__isnull=False, province__isnull=False, district__isnull=True)
                    | Q(level="commune", parent__isnull=False, province__isnull=False, district__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name_with_type

    def jurisdiction_keys(self) -> dict:
        """The (province, district, commune) keys a record located in this commune carries."""
        return {"province_id": self.province_id, "district_id": self.district_id, "commune_id": self.pk}


class VillageKind(models.TextChoices):
    VILLAGE = "thon", _("Thôn/Xóm/Bản/Ấp")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Tổ dân phố")


class Village(models.Model):
    """A village or residential group (thôn, tổ dân phố) under a commune, added by users."""

    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="villages")
    district = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=VillageKind.choices, default=VillageKind.VILLAGE)
    population = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commune", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="village_unique_name")]

    def __str__(self) -> str:
        return self.name
