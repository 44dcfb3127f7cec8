"""Vaccination: products, the age-group configuration (versioned data), dose records per person,
aggregate coverage reports from places that only report totals, and the weekly counters that
make coverage of every unit of the country cheap to read (decision 0005)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VaccineProduct(models.Model):
    """A COVID-19 vaccine as written on dose records (code as in the national platform)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    manufacturer = models.CharField(max_length=120, blank=True)
    series_doses = models.PositiveSmallIntegerField(help_text="doses in the primary series")
    aliases = models.JSONField(default=list, blank=True, help_text="spellings seen in files (folded)")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.CheckConstraint(name="product_series_1_3",
                                              condition=Q(series_doses__gte=1, series_doses__lte=3))]

    def __str__(self) -> str:
        return self.name


class CoverageConfig(models.Model):
    """One version of the age groups coverage is counted in, and the national age structure used
    to estimate each group's people where no report gives them. The newest version valid on a day
    applies; counters are keyed by group code, so a new version is followed by a recount."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=300)
    valid_from = models.DateField()
    groups = models.JSONField(help_text='[{"code": "18+", "label": "…", "min_age": 18, "max_age": null}]')
    age_structure = models.JSONField(help_text='{"18+": 0.72, …}: share of the total population')
    age_structure_source = models.CharField(max_length=300)
    needs_verification = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "code"]

    def __str__(self) -> str:
        return self.name


class DoseSource(models.TextChoices):
    MANUAL = "manual", _("Nhập tay")
    IMPORT = "import", _("Nhập từ tệp")
    API = "api", _("Qua API")


class DoseRecord(models.Model):
    """One dose given to one person. Located by the person's commune when recorded; one record
    per person and dose number (a re-import changes nothing)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="doses",
                               db_index=False)  # the unique (person, dose_number) serves
    product = models.ForeignKey(VaccineProduct, on_delete=models.PROTECT, related_name="+", db_index=False)
    dose_number = models.PositiveSmallIntegerField()
    given_on = models.DateField()
    site = models.CharField(max_length=200, blank=True, help_text="điểm tiêm")
    site_unit = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    batch = models.CharField(max_length=40, blank=True, help_text="số lô")
    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    source = models.CharField(max_length=8, choices=DoseSource.choices, default=DoseSource.MANUAL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "dose_number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "dose_number"], name="dose_person_number"),
            models.CheckConstraint(name="dose_number_1_10", condition=Q(dose_number__gte=1, dose_number__lte=10)),
        ]
        indexes = [models.Index(fields=["commune", "given_on"], name="dose_commune_day")]

    def __str__(self) -> str:
        return f"{self.person_id} #{self.dose_number} {self.given_on}"


class DoseWeekCount(models.Model):
    """People covered per commune, ISO week (Monday) and age group, counted from the dose records
    given that week: moved in the transaction of every write of dose records."""

    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    week = models.DateField()
    grp = models.CharField(max_length=10)
    one_dose = models.IntegerField(default=0)
    full_series = models.IntegerField(default=0)
    booster = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "week", "grp"], name="dose_week_count_key")]
        indexes = [models.Index(fields=["week"], name="dose_week_count_week")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.week} {self.grp}"


class DoseTotal(models.Model):
    """All weeks of DoseWeekCount summed per commune and group: coverage on a recent date is the
    total less the few weeks after it (decision 0005)."""

    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    grp = models.CharField(max_length=10)
    one_dose = models.IntegerField(default=0)
    full_series = models.IntegerField(default=0)
    booster = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "grp"], name="dose_total_key")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.grp}"


class CoverageReport(models.Model):
    """Totals reported by a unit that keeps no dose records of its own (or only totals), for one
    age group as of a date. A second report for the same unit, date and group replaces it."""

    unit = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    # The unit's place for scope_q: a district's report has no commune, a province's neither.
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey("geography.AdminUnit", null=True, on_delete=models.PROTECT, related_name="+",
                                 db_index=False)
    commune = models.ForeignKey("geography.AdminUnit", null=True, on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    as_of = models.DateField()
    grp = models.CharField(max_length=10)
    population = models.PositiveIntegerField(null=True, blank=True)
    one_dose = models.PositiveIntegerField()
    full_series = models.PositiveIntegerField()
    booster = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="e.g. báo cáo số 123/BC-TTYT")
    note = models.TextField(blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "-as_of", "grp"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "as_of", "grp"], name="coverage_report_key"),
            models.CheckConstraint(name="coverage_report_full_le_dose1", condition=Q(full_series__lte=models.F("one_dose"))),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.as_of} {self.grp}"
