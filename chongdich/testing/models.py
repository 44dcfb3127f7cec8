"""Testing: samples (individual or pooled), laboratory results, proposals of new F0 from positive
results, and screening campaigns.

A sample's jurisdiction keys are those of the commune where it was taken (the sampling site): the
team that takes samples and follows the results is the site's. The person's own area sees the
person's samples through the person.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.cases.models import Located


class SampleKind(models.TextChoices):
    RT_PCR = "rt_pcr", _("RT-PCR")
    RAPID_ANTIGEN = "rapid_antigen", _("Test nhanh kháng nguyên")


class SampleReason(models.TextChoices):
    SCREENING = "screening", _("Sàng lọc (chiến dịch)")
    QUARANTINE = "quarantine", _("Theo lịch cách ly")
    SYMPTOMS = "symptoms", _("Có triệu chứng")
    CONTACT = "contact", _("Tiếp xúc với ca bệnh")
    RETEST = "retest", _("Xét nghiệm lại (mẫu gộp dương tính)")
    OTHER = "other", _("Khác")


class Result(models.TextChoices):
    POSITIVE = "positive", _("Dương tính")
    NEGATIVE = "negative", _("Âm tính")
    INVALID = "invalid", _("Không xác định")


class TargetGroup(models.TextChoices):
    MARKET_TRADERS = "market_traders", _("Tiểu thương chợ")
    INDUSTRIAL_WORKERS = "industrial_workers", _("Công nhân khu công nghiệp")
    FISHERMEN = "fishermen", _("Ngư dân")
    PORT_WORKERS = "port_workers", _("Công nhân cảng")
    DRIVERS = "drivers", _("Lái xe, vận tải")
    HEALTH_WORKERS = "health_workers", _("Nhân viên y tế")
    STUDENTS = "students", _("Học sinh, sinh viên")
    RESIDENTS = "residents", _("Người dân khu vực")
    OTHER = "other", _("Nhóm khác")


class Laboratory(models.Model):
    """A laboratory that returns results (CDC lab, hospital lab, a licensed private lab)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    unit = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScreeningCampaign(models.Model):
    """Mass screening of a target group in an area over dates (e.g. market traders of a district).

    Its area may be a province, district or commune: `unit` is it, and the jurisdiction keys below
    it are null (a district campaign has no commune)."""

    name = models.CharField(max_length=200)
    target_group = models.CharField(max_length=24, choices=TargetGroup.choices)
    target_note = models.CharField(max_length=255, blank=True, help_text="e.g. chợ Vĩnh Yên, KCN Quế Võ")
    unit = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geography.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    target_headcount = models.PositiveIntegerField(null=True, blank=True, help_text="people to sample, when no list")
    pool_size = models.PositiveSmallIntegerField(null=True, blank=True, help_text="5–15, or empty for individual samples")
    sample_kind = models.CharField(max_length=16, choices=SampleKind.choices, default=SampleKind.RT_PCR)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(name="campaign_dates_ordered", condition=Q(ends_on__gte=models.F("starts_on"))),
            models.CheckConstraint(name="campaign_pool_size_5_15",
                                   condition=Q(pool_size__isnull=True) | Q(pool_size__gte=5, pool_size__lte=15)),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignMember(models.Model):
    """A person on a campaign's list of people to sample (when the campaign has a list)."""

    campaign = models.ForeignKey(ScreeningCampaign, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="campaign_member_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.person_id}"


class Pool(Located):
    """Gộp mẫu: 5–15 people's swabs tested as one. A positive pool sends every member to an
    individual retest; a negative pool is a negative result for every member."""

    code = models.CharField(max_length=40, unique=True, help_text="barcode on the pooled tube")
    kind = models.CharField(max_length=16, choices=SampleKind.choices, default=SampleKind.RT_PCR)
    taken_at = models.DateTimeField()
    taken_on = models.DateField(help_text="local date of taken_at (all members were taken that day)")
    campaign = models.ForeignKey(ScreeningCampaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="pools")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-taken_at", "pk"]
        indexes = [models.Index(fields=["campaign", "taken_on"])]

    def __str__(self) -> str:
        return self.code


class Sample(Located):
    """One person's swab. The result that applies to the person is the sample's own `lab_result`,
    or its pool's when the pool is negative (a positive pool asks for an individual retest). Results
    are not copied onto samples: a million results land with one COPY and nothing to update."""

    code = models.CharField(max_length=40, unique=True, help_text="barcode on the tube")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="samples")
    kind = models.CharField(max_length=16, choices=SampleKind.choices, default=SampleKind.RT_PCR)
    reason = models.CharField(max_length=12, choices=SampleReason.choices)
    taken_at = models.DateTimeField()
    taken_on = models.DateField(help_text="local date of taken_at")
    place = models.CharField(max_length=255, blank=True, help_text="where it was taken, e.g. trạm y tế, chợ")
    campaign = models.ForeignKey(ScreeningCampaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="samples")
    pool = models.ForeignKey(Pool, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    retest_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retests")
    # Set when the pool this sample was in came back positive; cleared when a retest is taken.
    retest_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-taken_at", "pk"]
        indexes = [
            models.Index(fields=["person", "taken_on"]),
            models.Index(fields=["province", "taken_on"]),
            models.Index(fields=["district", "taken_on"]),
            models.Index(fields=["commune", "taken_on"]),
            models.Index(fields=["campaign", "taken_on"]),
            models.Index(fields=["province", "retest_requested_at"], name="sample_retest_due_idx",
                         condition=Q(retest_requested_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.code


class LabResult(models.Model):
    """A laboratory's result for a sample or a pool — exactly one of them. One result per tube: a
    retest is a new sample. `external_ref` is the lab's own result id when it sent one."""

    sample = models.OneToOneField(Sample, null=True, blank=True, on_delete=models.CASCADE, related_name="lab_result")
    pool = models.OneToOneField(Pool, null=True, blank=True, on_delete=models.CASCADE, related_name="lab_result")
    # No index on laboratory and recorded_by: nothing looks results up by them, and a million-row
    # import paid for both (decision 0004). Deleting a laboratory or an account scans the table.
    laboratory = models.ForeignKey(Laboratory, null=True, blank=True, on_delete=models.PROTECT, related_name="results",
                                   db_index=False)
    result = models.CharField(max_length=10, choices=Result.choices)
    ct_value = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True, help_text="RT-PCR cycle threshold")
    resulted_at = models.DateTimeField()
    external_ref = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="labresult_sample_xor_pool",
                condition=(Q(sample__isnull=False) & Q(pool__isnull=True)) | (Q(sample__isnull=True) & Q(pool__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.get_result_display()


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận F0")
    DISMISSED = "dismissed", _("Bác bỏ")


class CaseProposal(Located):
    """A positive individual result proposes an F0; an officer confirms it (registering the case) or
    dismisses it with a reason. Nothing becomes a case silently. Keys: the person's home commune."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    sample = models.OneToOneField(Sample, on_delete=models.CASCADE, related_name="case_proposal")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    proposed_at = models.DateTimeField()
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-proposed_at", "pk"]
        constraints = [
            # Many positive tubes of one person make one proposal to decide, not several.
            models.UniqueConstraint(fields=["person"], condition=Q(status="proposed"),
                                    name="one_open_case_proposal_per_person"),
        ]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["district", "status"]),
            models.Index(fields=["commune", "status"]),
        ]
