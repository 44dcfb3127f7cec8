from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    UNKNOWN = "unknown", _("Không rõ")


class Person(models.Model):
    full_name = models.CharField(max_length=150)
    name_folded = models.CharField(max_length=150, help_text="no diacritics, lower case: for search")
    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(max_length=12, blank=True, help_text="normalised: 0xxxxxxxxx")
    citizen_id = models.CharField(max_length=12, blank=True, help_text="CCCD, 12 digits")
    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geography.Village", null=True, blank=True, on_delete=models.SET_NULL)
    address = models.CharField(max_length=255, blank=True)
    occupation = models.CharField(max_length=100, blank=True)
    workplace = models.CharField(max_length=200, blank=True)
    # Distance in the contact graph to the nearest active F0 (0 = F0, 1 = F1, …); null = none within
    # TRACE_DEPTH. Kept current by chongdich.cases.ranks.
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~Q(citizen_id=""), name="person_unique_citizen_id"
            ),
        ]
        indexes = [
            models.Index(fields=["name_folded", "birth_year"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["province", "rank"]),
            models.Index(fields=["district", "rank"]),
            models.Index(fields=["commune", "rank"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def rank_label(self) -> str:
        return "" if self.rank is None else f"F{self.rank}"
