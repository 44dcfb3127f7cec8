"""Reads for testing, always scoped to the actor: samples and pools by the sampling site's keys,
case proposals by the person's home, campaigns and laboratories by their unit (see access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import scope_q
from chongdich.people.models import Person
from chongdich.testing import domain
from chongdich.testing.access import person_visible, unit_area_q
from chongdich.testing.models import (
    CampaignMember,
    CaseProposal,
    Laboratory,
    LabResult,
    Pool,
    ProposalStatus,
    Result,
    Sample,
    SampleReason,
    ScreeningCampaign,
)

SAMPLE_RELATED = ("person", "commune", "pool", "pool__lab_result", "lab_result", "lab_result__laboratory",
                  "campaign")


def outcome_of(sample: Sample) -> domain.Outcome:
    """The result that applies to the person (select_related lab_result and pool__lab_result)."""
    own = getattr(sample, "lab_result", None) if _has_result(sample) else None
    pool_result = None
    if sample.pool_id and _has_result(sample.pool):
        pool_result = sample.pool.lab_result.result
    return domain.person_outcome(own=own.result if own else None, pool=pool_result,
                                 pooled=bool(sample.pool_id))


def _has_result(tube) -> bool:
    try:
        return tube.lab_result is not None
    except LabResult.DoesNotExist:
        return False


def result_of(tube) -> LabResult | None:
    """A sample's or pool's own result, or None."""
    return tube.lab_result if _has_result(tube) else None


# --- Samples ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleFilters:
    campaign_id: int | None = None
    taken_from: dt.date | None = None
    taken_to: dt.date | None = None
    reason: str = ""
    code: str = ""


def sample_list(*, actor, filters: SampleFilters | None = None) -> QuerySet[Sample]:
    f = filters or SampleFilters()
    qs = Sample.objects.filter(scope_q(actor)).select_related(*SAMPLE_RELATED)
    if f.campaign_id:
        qs = qs.filter(campaign_id=f.campaign_id)
    if f.taken_from:
        qs = qs.filter(taken_on__gte=f.taken_from)
    if f.taken_to:
        qs = qs.filter(taken_on__lte=f.taken_to)
    if f.reason:
        qs = qs.filter(reason=f.reason)
    if f.code:
        qs = qs.filter(code=f.code.strip().upper())
    return qs.order_by("-taken_at", "-pk")


def _sample_visible_q(actor) -> Q:
    """A sample is seen where it was taken and where its person lives."""
    return scope_q(actor) | scope_q(actor, "person__")


def sample_get(*, actor, sample_id: int) -> Sample:
    sample = (Sample.objects.filter(_sample_visible_q(actor), pk=sample_id)
              .select_related(*SAMPLE_RELATED, "district", "retest_of", "case_proposal").first())
    if sample is None:
        raise NotFound(_("Không tìm thấy mẫu xét nghiệm."))
    return sample


def sample_get_by_code(*, actor, code: str) -> Sample:
    sample = (Sample.objects.filter(scope_q(actor), code=(code or "").strip().upper())
              .select_related(*SAMPLE_RELATED).first())
    if sample is None:
        raise NotFound(_("Không tìm thấy mẫu %(code)s.") % {"code": code})
    return sample


def samples_by_ids(*, actor, sample_ids: list[int]) -> list[Sample]:
    """The samples with these ids in the actor's area; any missing one is 'not found'."""
    wanted = list(dict.fromkeys(sample_ids))
    found = {s.pk: s for s in Sample.objects.filter(scope_q(actor), pk__in=wanted).select_related("commune")}
    if len(found) != len(wanted):
        raise NotFound(_("Không tìm thấy mẫu xét nghiệm."), field="samples")
    return [found[pk] for pk in wanted]


def samples_of_person(*, actor, person: Person) -> QuerySet[Sample]:
    """All of a person's samples, for whoever may see the person (wherever they were taken)."""
    if not person_visible(actor, person):
        raise NotFound(_("Không tìm thấy người này."))
    return (Sample.objects.filter(person=person).select_related(*SAMPLE_RELATED)
            .order_by("-taken_at", "-pk"))


def people_by_ids(*, actor, person_ids: list[int]) -> list[Person]:
    """People picked on a form or named in a request, in the order given; any missing or outside
    the actor's area is 'not found'."""
    wanted = list(dict.fromkeys(person_ids))
    found = {p.pk: p for p in Person.objects.filter(scope_q(actor), pk__in=wanted).select_related("commune")}
    if len(found) != len(wanted):
        raise NotFound(_("Không tìm thấy người này."), field="people")
    return [found[pk] for pk in wanted]


# --- Worklists --------------------------------------------------------------------------------


def awaiting_samples(*, actor) -> QuerySet[Sample]:
    """Individual tubes with no result yet, oldest first (a lab's worklist)."""
    return (Sample.objects.filter(scope_q(actor), pool__isnull=True, lab_result__isnull=True)
            .select_related("person", "commune", "campaign").order_by("taken_at", "pk"))


def awaiting_pools(*, actor) -> QuerySet[Pool]:
    return (Pool.objects.filter(scope_q(actor), lab_result__isnull=True)
            .select_related("commune", "campaign").annotate(size=Count("members"))
            .order_by("taken_at", "pk"))


def retest_due(*, actor) -> QuerySet[Sample]:
    """Members of positive pools not retested yet (and not F0 meanwhile), longest waiting first."""
    return (Sample.objects.filter(scope_q(actor), retest_requested_at__isnull=False)
            .exclude(person__rank=0)
            .select_related("person", "person__commune", "commune", "pool", "pool__lab_result")
            .order_by("retest_requested_at", "pk"))


# --- Pools ------------------------------------------------------------------------------------


def pool_list(*, actor, campaign_id: int | None = None) -> QuerySet[Pool]:
    qs = Pool.objects.filter(scope_q(actor)).select_related("commune", "campaign", "lab_result")
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.annotate(size=Count("members")).order_by("-taken_at", "-pk")


def pool_get(*, actor, pool_id: int) -> Pool:
    pool = (Pool.objects.filter(scope_q(actor), pk=pool_id)
            .select_related("commune", "district", "campaign", "lab_result", "lab_result__laboratory").first())
    if pool is None:
        raise NotFound(_("Không tìm thấy mẫu gộp."))
    return pool


def pool_get_by_code(*, actor, code: str) -> Pool:
    pool = (Pool.objects.filter(scope_q(actor), code=(code or "").strip().upper())
            .select_related("commune", "campaign", "lab_result").first())
    if pool is None:
        raise NotFound(_("Không tìm thấy mẫu gộp %(code)s.") % {"code": code})
    return pool


def pool_members(*, pool: Pool) -> QuerySet[Sample]:
    return pool.members.select_related("person", "person__commune", "lab_result").order_by("code")


def tube_get_by_code(*, actor, code: str) -> Sample | Pool:
    """A tube by its code: a sample or a pool (the lab reads codes off tubes, not knowing which)."""
    try:
        return sample_get_by_code(actor=actor, code=code)
    except NotFound:
        try:
            return pool_get_by_code(actor=actor, code=code)
        except NotFound as exc:
            raise NotFound(_("Không tìm thấy ống mẫu %(code)s.") % {"code": code}) from exc


# --- Case proposals ---------------------------------------------------------------------------


def proposal_list(*, actor, status: str = ProposalStatus.PROPOSED) -> QuerySet[CaseProposal]:
    qs = CaseProposal.objects.filter(scope_q(actor)).select_related(
        "person", "commune", "sample", "sample__lab_result", "sample__lab_result__laboratory", "case",
        "decided_by")
    if status:
        qs = qs.filter(status=status)
    order = ("proposed_at", "pk") if status == ProposalStatus.PROPOSED else ("-proposed_at", "-pk")
    return qs.order_by(*order)


def proposal_get(*, actor, proposal_id: int) -> CaseProposal:
    proposal = (CaseProposal.objects.filter(scope_q(actor), pk=proposal_id)
                .select_related("person", "commune", "sample", "sample__lab_result", "sample__retest_of",
                                "case").first())
    if proposal is None:
        raise NotFound(_("Không tìm thấy đề xuất ca bệnh."))
    return proposal


# --- Campaigns ----------------------------------------------------------------------------------


def campaign_list(*, actor, active_on: dt.date | None = None) -> QuerySet[ScreeningCampaign]:
    qs = ScreeningCampaign.objects.filter(unit_area_q(actor)).select_related("unit")
    if active_on:
        qs = qs.filter(starts_on__lte=active_on, ends_on__gte=active_on)
    return qs.annotate(member_count=Count("members")).order_by("-starts_on", "name")


def campaign_get(*, actor, campaign_id: int) -> ScreeningCampaign:
    campaign = (ScreeningCampaign.objects.filter(unit_area_q(actor), pk=campaign_id)
                .select_related("unit", "unit__district", "unit__province").first())
    if campaign is None:
        raise NotFound(_("Không tìm thấy chiến dịch sàng lọc."))
    return campaign


def campaign_target(campaign: ScreeningCampaign) -> int | None:
    """People to sample: the list when there is one, else the headcount."""
    listed = campaign.members.count()
    return listed or campaign.target_headcount


def campaign_members(*, campaign: ScreeningCampaign, day: dt.date | None = None) -> QuerySet[Person]:
    """The people on the list, each with `sampled` = a sample in this campaign (on `day` if given);
    those not sampled come first."""
    taken = Sample.objects.filter(campaign=campaign, person=OuterRef("pk"))
    if day:
        taken = taken.filter(taken_on=day)
    return (Person.objects.filter(pk__in=CampaignMember.objects.filter(campaign=campaign).values("person_id"))
            .select_related("commune").annotate(sampled=Exists(taken)).order_by("sampled", "name_folded", "pk"))


def _local_date(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _by_day(qs, day_expr, **aggregates) -> dict[str, dict[dt.date, int]]:
    rows = qs.annotate(day=day_expr).values("day").annotate(**aggregates).order_by()
    out: dict[str, dict[dt.date, int]] = {name: {} for name in aggregates}
    for row in rows:
        for name in aggregates:
            out[name][row["day"]] = row[name]
    return out


def campaign_progress(*, actor, campaign: ScreeningCampaign) -> domain.CampaignProgress:
    """Sampled, pooled, results and positives per day over the campaign, in five grouped queries.
    'Results' are people whose result is final: an individual result, or a negative or invalid
    pool (counted once per member); a positive pool is counted apart, its members await retests.
    'Sampled' leaves retests out, so it measures people reached."""
    campaign = campaign_get(actor=actor, campaign_id=campaign.pk)  # the actor may see it
    samples = Sample.objects.filter(campaign=campaign)
    counts = _by_day(
        samples.exclude(reason=SampleReason.RETEST), F("taken_on"),
        sampled=Count("pk"), pooled=Count("pk", filter=Q(pool__isnull=False)),
    )
    counts |= _by_day(Pool.objects.filter(campaign=campaign), F("taken_on"), pools=Count("pk"))
    counts |= _by_day(
        LabResult.objects.filter(sample__campaign=campaign), _local_date("resulted_at"),
        results=Count("pk"), positives=Count("pk", filter=Q(result=Result.POSITIVE)),
    )
    pooled = _by_day(
        LabResult.objects.filter(pool__campaign=campaign), _local_date("resulted_at"),
        pool_results=Count("pool__members", filter=~Q(result=Result.POSITIVE)),
        positive_pools=Count("pk", filter=Q(result=Result.POSITIVE), distinct=True),
    )
    for day, n in pooled["pool_results"].items():
        counts["results"][day] = counts["results"].get(day, 0) + n
    counts["positive_pools"] = pooled["positive_pools"]
    awaiting = (samples.filter(pool__isnull=True, lab_result__isnull=True).count()
                + Sample.objects.filter(pool__campaign=campaign, pool__lab_result__isnull=True).count())
    return domain.campaign_progress(starts_on=campaign.starts_on, ends_on=campaign.ends_on,
                                    target=campaign_target(campaign), counts=counts, awaiting=awaiting,
                                    until=clock.today())


# --- Laboratories -----------------------------------------------------------------------------


def laboratory_list(*, actor) -> QuerySet[Laboratory]:
    return Laboratory.objects.filter(unit_area_q(actor)).select_related("unit").order_by("name")


def laboratory_get(*, actor, laboratory_id: int) -> Laboratory:
    lab = laboratory_list(actor=actor).filter(pk=laboratory_id).first()
    if lab is None:
        raise NotFound(_("Không tìm thấy phòng xét nghiệm."))
    return lab


def laboratory_get_by_code(*, actor, code: str) -> Laboratory:
    lab = laboratory_list(actor=actor).filter(code=(code or "").strip().upper()).first()
    if lab is None:
        raise NotFound(_("Không tìm thấy phòng xét nghiệm %(code)s.") % {"code": code})
    return lab
