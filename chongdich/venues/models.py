"""Venues with a QR code, the check-ins people make there, and the exposures found among them.

Check-ins are short-lived and many (millions a week in a province): on PostgreSQL the table is
partitioned by day on `checked_in_at` and old days are dropped whole (decision 0006); it has no
foreign-key constraints so that batches load with COPY at full speed — the services check the
venue and the person instead. Exposure proposals copy the times of both visits into their
evidence, so they outlive the check-ins they came from.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.cases.models import Located


class VenueKind(models.TextChoices):
    SHOP = "shop", _("Cửa hàng, siêu thị")
    MARKET = "market", _("Chợ")
    RESTAURANT = "restaurant", _("Nhà hàng, quán ăn")
    FACTORY = "factory", _("Nhà máy, xí nghiệp")
    OFFICE = "office", _("Cơ quan, văn phòng")
    SCHOOL = "school", _("Trường học")
    HEALTH = "health", _("Cơ sở y tế")
    BUS = "bus", _("Xe khách, xe buýt")
    CHECKPOINT = "checkpoint", _("Chốt kiểm soát")
    OTHER = "other", _("Khác")


class Venue(Located):
    """Địa điểm: a place (or vehicle) people check in to by scanning its QR code."""

    code = models.CharField(max_length=16, unique=True, help_text="public code in the QR link")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=VenueKind.choices)
    address = models.CharField(max_length=255, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True,
                                           help_text="size hint: people there at once / a day")
    active = models.BooleanField(default=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["province", "kind"]),
            models.Index(fields=["district", "kind"]),
            models.Index(fields=["commune", "kind"]),
        ]

    def __str__(self) -> str:
        return self.name


class CheckInSource(models.TextChoices):
    QR = "qr", _("Quét mã QR")
    API = "api", _("API")
    BATCH = "batch", _("Lô")
    FILE = "file", _("Tệp nhập")


class CheckIn(models.Model):
    """One visit: who, where, from when (until when, if they checked out). The primary key on
    PostgreSQL is (id, checked_in_at), the partition key being part of it (decision 0006)."""

    id = models.BigAutoField(primary_key=True)
    venue = models.ForeignKey(Venue, on_delete=models.DO_NOTHING, db_constraint=False,
                              db_index=False, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.DO_NOTHING, db_constraint=False,
                               db_index=False, related_name="+")
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=5, choices=CheckInSource.choices, default=CheckInSource.API)

    class Meta:
        ordering = ["-checked_in_at"]
        indexes = [
            models.Index(fields=["venue", "checked_in_at"], name="checkin_venue_time_idx"),
            models.Index(fields=["person", "checked_in_at"], name="checkin_person_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.venue_id} {self.checked_in_at:%Y-%m-%d %H:%M}"


class ExposureRuleSet(models.Model):
    """How visits are matched: the margin between two visits at the same venue (narrower per
    venue kind), the stay assumed for a visit without a check-out, the longest stay counted,
    and the infectious window. Versioned by `valid_from`; the set in force on a case's
    confirmation day applies to its matching."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    legal_source = models.CharField(max_length=255)
    valid_from = models.DateField(unique=True)
    needs_verification = models.BooleanField(default=True)
    margin_minutes = models.PositiveSmallIntegerField(default=60)
    kind_margins = models.JSONField(default=dict, help_text="{venue kind: minutes}, narrower")
    default_stay_minutes = models.PositiveSmallIntegerField(default=60)
    max_stay_minutes = models.PositiveSmallIntegerField(default=720)
    days_before_onset = models.PositiveSmallIntegerField(default=2)
    days_before_sample = models.PositiveSmallIntegerField(default=2)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from:%d/%m/%Y})"


class MatchStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ đối chiếu")
    DONE = "done", _("Đã đối chiếu")


class MatchJob(models.Model):
    """Matching one source's visits for one F0's investigation: the F0 itself (generation 1,
    proposes F1) or a confirmed F1 (generation 2, proposes F2). While queued, the F0's trace
    is not finished (selectors.open_proposal_counts)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    generation = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=MatchStatus.choices, default=MatchStatus.QUEUED)
    rule_set = models.ForeignKey(ExposureRuleSet, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    exposed_since = models.DateTimeField(null=True, blank=True,
                                         help_text="generation 2: when the F1 was exposed")
    requested_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    proposals = models.IntegerField(default=0, help_text="new proposals it made")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "source"], name="matchjob_once")]
        indexes = [models.Index(fields=["case"], name="matchjob_queued_idx",
                                condition=Q(status="queued"))]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.source_id} F{self.generation}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    DISMISSED = "dismissed", _("Đã bỏ qua")


class Proposal(models.Model):
    """A proposed F1 (or F2): a person whose visit overlapped a source's visit at a venue. One
    per person per F0 investigation, with all the evidence; jurisdiction keys are the F0 case's.
    `venue`, `slot_start`, `overlap_minutes` and `gap_minutes` are those of the best evidence
    (the tracer's page groups and ranks by them)."""

    # Few indexes and no foreign-key constraints in the database (a day of matching writes
    # hundreds of thousands of rows, decision 0006): the unique (case, person) serves a case's
    # proposals and counts, one partial index serves a venue's pending list and one the pending
    # lists of a province, district or commune (queried with every level above the actor's unit,
    # selectors.unit_q). Every reference is copied in the statement that writes the row, from rows
    # that exist; a constraint's check per row at COMMIT was a third of a day's batch.
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, db_index=False, db_constraint=False,
                             related_name="+")
    source = models.ForeignKey("people.Person", on_delete=models.CASCADE, db_index=False,
                               db_constraint=False, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, db_index=False,
                               db_constraint=False, related_name="+")
    generation = models.PositiveSmallIntegerField(default=1)
    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, db_index=False,
                                db_constraint=False, related_name="+")
    district = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, db_index=False,
                                 db_constraint=False, related_name="+")
    province = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, db_index=False,
                                 db_constraint=False, related_name="+")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING)
    # The best evidence: the venue, both visits, overlap and gap. A proposal with more than one
    # piece of evidence also has all of them (this one included) as Evidence rows.
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, db_index=False, db_constraint=False,
                              related_name="proposals")
    source_in = models.DateTimeField(help_text="the source's visit, best evidence")
    source_out = models.DateTimeField()
    visit_in = models.DateTimeField(help_text="the person's visit, best evidence")
    visit_out = models.DateTimeField()
    slot_start = models.DateTimeField(help_text="hour of the best evidence's visit")
    overlap_minutes = models.IntegerField(default=0)
    gap_minutes = models.IntegerField(default=0, help_text="0 when the visits overlap")
    last_visit_at = models.DateTimeField(help_text="latest contact time, for the contact record")
    visits = models.IntegerField(default=1, help_text="pieces of evidence")
    contact = models.ForeignKey("cases.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                db_index=False, related_name="+")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, db_index=False,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-overlap_minutes", "gap_minutes", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="proposal_once_per_case"),
            models.CheckConstraint(name="proposal_not_source", condition=~Q(person=models.F("source"))),
        ]
        indexes = [
            models.Index(fields=["venue", "slot_start"], name="proposal_pending_venue_idx",
                         condition=Q(status="pending")),
            models.Index(fields=["province", "district", "commune", "venue"], name="proposal_pending_unit_idx",
                         condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"F{self.generation} {self.person_id} ← {self.source_id} ({self.case_id})"


class Evidence(models.Model):
    """One pair of visits behind a proposal: the source's and the person's, at one venue. Only
    proposals with more than one piece have rows here (all their pieces); the one piece of every
    other proposal is in the proposal itself (`selectors.evidence_of` reads both)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, db_index=False, db_constraint=False,
                                 related_name="evidence")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, db_index=False, db_constraint=False,
                              related_name="+")
    source_in = models.DateTimeField()
    source_out = models.DateTimeField()
    visit_in = models.DateTimeField()
    visit_out = models.DateTimeField()
    overlap_minutes = models.IntegerField()
    gap_minutes = models.IntegerField()

    class Meta:
        ordering = ["visit_in"]
        constraints = [models.UniqueConstraint(fields=["proposal", "venue", "source_in", "visit_in"],
                                               name="evidence_once")]

    def __str__(self) -> str:
        return f"{self.proposal_id} @ {self.venue_id}"
