"""Writes for testing: taking samples (one, a team's batch, a pooled set), pooling, results and what
they imply (retests, F0 proposals), confirming or dismissing proposals. Campaigns and
laboratories are in services_campaigns. Every write is atomic and checks the actor.

A sample lives where it was taken (the sampling site's commune); a case proposal lives in the
person's home commune, whose officers confirm F0 there.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils.timezone import localdate as local_day
from django.utils.translation import gettext as _

from chongdich.cases.models import Case, CaseStatus
from chongdich.cases.ranks import active_cases_q
from chongdich.cases.services import case_register
from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput, NotFound
from chongdich.core.jurisdiction import require_write
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.testing import domain
from chongdich.testing.access import commune_inside, person_visible, unit_in_area
from chongdich.testing.hooks import run_sample_taken
from chongdich.testing.models import (
    CaseProposal,
    Laboratory,
    LabResult,
    Pool,
    ProposalStatus,
    Result,
    Sample,
    SampleKind,
    SampleReason,
    ScreeningCampaign,
)

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# Barcode-free codes: no 0/O, 1/I/L to misread when a team writes them on a tube.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _not_future(moment: dt.datetime, field: str) -> None:
    if moment > clock.now() + FUTURE_TOLERANCE:
        raise InvalidInput(_("Thời điểm này ở tương lai."), field=field)


def _choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(_("Giá trị không hợp lệ: %(value)s") % {"value": value}, field=field)
    return value


def _auto_code(prefix: str, day: dt.date) -> str:
    token = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
    return f"{prefix}{day:%y%m%d}-{token}"


def _site(commune: AdminUnit | None) -> AdminUnit:
    if commune is None or commune.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Cần chọn xã/phường nơi lấy mẫu."), field="commune")
    return commune


def _check_campaign(actor, campaign: ScreeningCampaign | None, commune: AdminUnit, day: dt.date) -> None:
    if campaign is None:
        return
    if not unit_in_area(actor, campaign.unit):
        raise NotFound(_("Không tìm thấy chiến dịch sàng lọc."), field="campaign")
    if not commune_inside(commune, campaign.unit):
        raise InvalidInput(_("Nơi lấy mẫu nằm ngoài địa bàn của chiến dịch."), field="commune")
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise InvalidInput(
            _("Ngày lấy mẫu ngoài thời gian chiến dịch (%(start)s – %(end)s).")
            % {"start": f"{campaign.starts_on:%d/%m/%Y}", "end": f"{campaign.ends_on:%d/%m/%Y}"},
            field="taken_at")


def _codes(codes: Sequence[str] | None, count: int, make) -> list[str]:
    """The tube codes typed or scanned (blank ones generated), refused if repeated or taken."""
    given = [(c or "").strip().upper() for c in (codes or [""] * count)]
    if len(given) != count:
        raise InvalidInput(_("Số mã ống mẫu không khớp số người."), field="codes")
    typed = [c for c in given if c]
    if len(set(typed)) != len(typed):
        raise InvalidInput(_("Một mã ống mẫu được nhập hai lần."), field="codes")
    taken = list(Sample.objects.filter(code__in=typed).values_list("code", flat=True)[:1])
    taken += list(Pool.objects.filter(code__in=typed).values_list("code", flat=True)[:1])
    if taken:
        raise Conflict(_("Mã ống mẫu %(code)s đã được dùng.") % {"code": taken[0]}, field="codes")
    return [c or make(i) for i, c in enumerate(given)]


def _take(
    actor, people: Sequence[Person], *, commune: AdminUnit, taken_at: dt.datetime, reason: str,
    kind: str | None, place: str, campaign: ScreeningCampaign | None, codes: Sequence[str] | None,
    pool: Pool | None = None, code_of=None,
) -> list[Sample]:
    """The shared body of every way of taking samples: checks, retest links, one insert, hooks."""
    commune = _site(commune)
    require_write(actor, commune, "take_sample")
    _choice(reason, SampleReason, "reason")
    kind = kind or (campaign.sample_kind if campaign else SampleKind.RT_PCR)
    _choice(kind, SampleKind, "kind")
    _not_future(taken_at, "taken_at")
    day = local_day(taken_at)
    _check_campaign(actor, campaign, commune, day)
    if not people:
        raise InvalidInput(_("Chưa chọn người nào để lấy mẫu."), field="people")
    if len({p.pk for p in people}) != len(people):
        raise InvalidInput(_("Một người được chọn hai lần."), field="people")
    for person in people:
        if not person_visible(actor, person):
            raise NotFound(_("Không tìm thấy người này."), field="people")
    codes = _codes(codes, len(people), code_of or (lambda i: _auto_code("M", day)))
    retest_of: dict[int, int] = {}
    if reason == SampleReason.RETEST:
        pending = (Sample.objects.filter(person__in=[p.pk for p in people], retest_requested_at__isnull=False)
                   .order_by("taken_at", "pk").values_list("person_id", "pk"))
        retest_of = dict(pending)  # the latest pending mark of each person wins
        Sample.objects.filter(person__in=list(retest_of), retest_requested_at__isnull=False).update(
            retest_requested_at=None)
    samples = [
        Sample(code=code, person=person, kind=kind, reason=reason, taken_at=taken_at, taken_on=day,
               place=(place or "").strip()[:255], campaign=campaign, pool=pool,
               retest_of_id=retest_of.get(person.pk), created_by=actor, **commune.jurisdiction_keys())
        for person, code in zip(people, codes, strict=True)
    ]
    try:
        with transaction.atomic():
            Sample.objects.bulk_create(samples)
    except IntegrityError as exc:  # a concurrent take used the same code
        raise Conflict(_("Mã ống mẫu đã được dùng."), field="codes") from exc
    if samples and samples[0].pk is None:  # backends that do not return ids
        by_code = dict(Sample.objects.filter(code__in=codes).values_list("code", "pk"))
        for sample in samples:
            sample.pk = by_code[sample.code]
    run_sample_taken([s.pk for s in samples])
    return samples


@transaction.atomic
def sample_take(
    *, actor, person: Person, taken_at: dt.datetime, reason: str, commune: AdminUnit | None = None,
    kind: str | None = None, code: str = "", place: str = "", campaign: ScreeningCampaign | None = None,
) -> Sample:
    """One person's swab, taken at `commune` (default: where the person lives). A retest of a
    member of a positive pool (reason 'retest') clears the mark and links the pooled sample."""
    return _take(actor, [person], commune=commune or person.commune, taken_at=taken_at, reason=reason,
                 kind=kind, place=place, campaign=campaign, codes=[code])[0]


@transaction.atomic
def samples_take(
    *, actor, people: Sequence[Person], commune: AdminUnit, taken_at: dt.datetime, reason: str,
    kind: str | None = None, codes: Sequence[str] | None = None, place: str = "",
    campaign: ScreeningCampaign | None = None,
) -> list[Sample]:
    """A sampling team's round: one individual sample for each person, at one site and time."""
    return _take(actor, list(people), commune=commune, taken_at=taken_at, reason=reason, kind=kind,
                 place=place, campaign=campaign, codes=codes)


def _pool_size(size: int, campaign: ScreeningCampaign | None) -> None:
    problem = domain.pool_size_error(size, campaign_pool_size=campaign.pool_size if campaign else None)
    if problem:
        raise InvalidInput(problem, field="people")


def _new_pool(actor, *, code: str, commune: AdminUnit, kind: str, taken_at: dt.datetime,
              campaign: ScreeningCampaign | None) -> Pool:
    code = (code or "").strip().upper()
    day = local_day(taken_at)
    if code and (Pool.objects.filter(code=code).exists() or Sample.objects.filter(code=code).exists()):
        raise Conflict(_("Mã ống mẫu %(code)s đã được dùng.") % {"code": code}, field="code")
    pool = Pool(code=code or _auto_code("G", day), kind=kind, taken_at=taken_at, taken_on=day,
                campaign=campaign, created_by=actor, **commune.jurisdiction_keys())
    try:
        with transaction.atomic():
            pool.save()
    except IntegrityError as exc:
        raise Conflict(_("Mã ống mẫu %(code)s đã được dùng.") % {"code": code}, field="code") from exc
    return pool


@transaction.atomic
def pool_take(
    *, actor, people: Sequence[Person], commune: AdminUnit, taken_at: dt.datetime,
    reason: str = SampleReason.SCREENING, kind: str | None = None, code: str = "", place: str = "",
    campaign: ScreeningCampaign | None = None,
) -> Pool:
    """Gộp mẫu at the site: 5–15 people's swabs into one tube. Their samples are recorded (coded
    `<pool code>-01`, `-02`, …) and pooled in one call."""
    commune = _site(commune)
    require_write(actor, commune, "take_sample")
    if reason == SampleReason.RETEST:
        raise InvalidInput(_("Xét nghiệm lại sau mẫu gộp dương tính phải là mẫu đơn."), field="reason")
    _pool_size(len(people), campaign)
    kind = kind or (campaign.sample_kind if campaign else SampleKind.RT_PCR)
    _choice(kind, SampleKind, "kind")
    _not_future(taken_at, "taken_at")
    _check_campaign(actor, campaign, commune, local_day(taken_at))
    pool = _new_pool(actor, code=code, commune=commune, kind=kind, taken_at=taken_at, campaign=campaign)
    _take(actor, list(people), commune=commune, taken_at=taken_at, reason=reason, kind=kind, place=place,
          campaign=campaign, codes=None, pool=pool, code_of=lambda i: f"{pool.code}-{i + 1:02d}")
    return pool


@transaction.atomic
def pool_create(*, actor, samples: Sequence[Sample], code: str = "") -> Pool:
    """Pool samples already taken: 5–15 of them, taken the same day at one site, of one kind and
    campaign, none pooled or resulted yet, none a retest."""
    if not samples:
        raise InvalidInput(_("Chưa chọn mẫu nào để gộp."), field="samples")
    first = samples[0]
    require_write(actor, first.commune, "take_sample")
    locked = list(Sample.objects.select_for_update(of=("self",)).filter(pk__in=[s.pk for s in samples])
                  .select_related("campaign"))
    if len(locked) != len(samples):
        raise InvalidInput(_("Một mẫu được chọn hai lần."), field="samples")
    if len({(s.commune_id, s.taken_on) for s in locked}) > 1:
        raise InvalidInput(_("Chỉ gộp các mẫu lấy cùng ngày, cùng một nơi."), field="samples")
    if len({s.kind for s in locked}) > 1 or len({s.campaign_id for s in locked}) > 1:
        raise InvalidInput(_("Chỉ gộp các mẫu cùng loại xét nghiệm, cùng chiến dịch."), field="samples")
    if len({s.person_id for s in locked}) != len(locked):
        raise InvalidInput(_("Một người chỉ có một mẫu trong một mẫu gộp."), field="samples")
    for sample in locked:
        if sample.pool_id:
            raise Conflict(_("Mẫu %(code)s đã được gộp.") % {"code": sample.code}, field="samples")
        if sample.reason == SampleReason.RETEST:
            raise InvalidInput(_("Mẫu xét nghiệm lại %(code)s phải xét nghiệm đơn.") % {"code": sample.code},
                               field="samples")
    if LabResult.objects.filter(sample__in=locked).exists():
        raise Conflict(_("Có mẫu đã có kết quả: không gộp được."), field="samples")
    campaign = locked[0].campaign
    _pool_size(len(locked), campaign)
    pool = _new_pool(actor, code=code, commune=first.commune, kind=first.kind,
                     taken_at=max(s.taken_at for s in locked), campaign=campaign)
    Sample.objects.filter(pk__in=[s.pk for s in locked]).update(pool=pool)
    return pool


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AfterResults:
    retests_requested: int  # members of positive pools newly marked for an individual retest
    proposals_opened: int  # F0 proposals opened from positive individual samples


def results_after_insert(*, actor, result_ids: Sequence[int]) -> AfterResults:
    """What newly stored results imply, in a few queries whatever their number: every member of a
    positive pool is marked for an individual retest; a positive individual sample proposes its
    person as F0 (once: not for someone who is an active F0 or already has an open proposal).
    The caller has checked the actor's access to each result; this runs inside its transaction."""
    ids = list(result_ids)
    if not ids:
        return AfterResults(0, 0)
    now = clock.now()
    if connection.vendor == "postgresql":
        return _after_insert_sql(ids, now)
    positive_pools = LabResult.objects.filter(pk__in=ids, result=Result.POSITIVE, pool__isnull=False)
    marked = Sample.objects.filter(
        pool__in=positive_pools.values("pool_id"), retest_requested_at__isnull=True,
    ).update(retest_requested_at=now)
    rows = list(
        LabResult.objects.filter(pk__in=ids, result=Result.POSITIVE, sample__isnull=False)
        .order_by("resulted_at", "pk")
        .values_list("sample_id", "sample__person_id", "sample__person__commune_id",
                     "sample__person__district_id", "sample__person__province_id")
    )
    if not rows:
        return AfterResults(marked, 0)
    people = {row[1] for row in rows}
    skip = set(Case.objects.filter(active_cases_q(), person_id__in=people).values_list("person_id", flat=True))
    skip |= set(CaseProposal.objects.filter(status=ProposalStatus.PROPOSED, person_id__in=people)
                .values_list("person_id", flat=True))
    proposals = []
    for sample_id, person_id, commune_id, district_id, province_id in rows:
        if person_id in skip:
            continue
        skip.add(person_id)
        proposals.append(CaseProposal(person_id=person_id, sample_id=sample_id, proposed_at=now,
                                      commune_id=commune_id, district_id=district_id,
                                      province_id=province_id))
    # A concurrent import may open the same person's proposal: the partial unique index decides.
    CaseProposal.objects.bulk_create(proposals, ignore_conflicts=True)
    return AfterResults(marked, len(proposals))


def _after_insert_sql(ids: list[int], now: dt.datetime) -> AfterResults:
    """`results_after_insert` in two statements (PostgreSQL): the same rules, for an import's
    thousands of positives without building a model per row (a second per 5,000)."""
    from chongdich.cases.domain import ENDED_STATUSES

    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE {Sample._meta.db_table} SET retest_requested_at = %s
            WHERE retest_requested_at IS NULL AND pool_id IN (
                SELECT pool_id FROM {LabResult._meta.db_table}
                WHERE id = ANY(%s) AND result = %s AND pool_id IS NOT NULL)""",
                       [now, ids, Result.POSITIVE.value])
        marked = cursor.rowcount
        # The first positive of each person (by result time), unless they are an active F0 or
        # have an open proposal; a concurrent import's proposal wins (the partial unique index).
        cursor.execute(f"""
            INSERT INTO {CaseProposal._meta.db_table} (commune_id, district_id, province_id, person_id,
                sample_id, status, proposed_at, reason)
            SELECT DISTINCT ON (s.person_id) p.commune_id, p.district_id, p.province_id, s.person_id,
                   r.sample_id, %(proposed)s, %(now)s, ''
            FROM {LabResult._meta.db_table} r
            JOIN {Sample._meta.db_table} s ON s.id = r.sample_id
            JOIN {Person._meta.db_table} p ON p.id = s.person_id
            WHERE r.id = ANY(%(ids)s) AND r.result = %(positive)s
              AND NOT EXISTS (SELECT 1 FROM {Case._meta.db_table} c WHERE c.person_id = s.person_id
                              AND c.discarded_at IS NULL AND NOT c.status = ANY(%(ended)s))
              AND NOT EXISTS (SELECT 1 FROM {CaseProposal._meta.db_table} cp
                              WHERE cp.person_id = s.person_id AND cp.status = %(proposed)s)
            ORDER BY s.person_id, r.resulted_at, r.id
            ON CONFLICT DO NOTHING""",
                       {"proposed": ProposalStatus.PROPOSED.value, "now": now, "ids": ids,
                        "positive": Result.POSITIVE.value, "ended": list(ENDED_STATUSES)})
        return AfterResults(marked, cursor.rowcount)


@transaction.atomic
def result_record(
    *, actor, sample: Sample | None = None, pool: Pool | None = None, result: str,
    resulted_at: dt.datetime, ct_value: Decimal | str | None = None,
    laboratory: Laboratory | None = None, external_ref: str = "",
) -> LabResult:
    """A laboratory's result for one tube: a sample or a pool. One result per tube (a retest is
    a new sample); a pooled sample has no tube of its own."""
    if (sample is None) == (pool is None):
        raise InvalidInput(_("Cần đúng một trong hai: mẫu đơn hoặc mẫu gộp."), field="sample")
    tube = sample or pool
    require_write(actor, tube.commune, "record_result")
    value = domain.parse_result(result)
    if value is None:
        raise InvalidInput(_("Kết quả không hợp lệ: %(value)s") % {"value": result}, field="result")
    try:
        ct = domain.parse_ct_value(ct_value)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="ct_value") from exc
    if ct is not None and tube.kind != SampleKind.RT_PCR:
        raise InvalidInput(_("Giá trị Ct chỉ có ở xét nghiệm RT-PCR."), field="ct_value")
    if sample is not None and sample.pool_id:
        raise InvalidInput(_("Mẫu này đã gộp vào mẫu gộp %(code)s: ghi kết quả cho mẫu gộp.")
                           % {"code": sample.pool.code}, field="sample")
    _not_future(resulted_at, "resulted_at")
    if resulted_at < tube.taken_at:
        raise InvalidInput(_("Thời điểm có kết quả trước thời điểm lấy mẫu."), field="resulted_at")
    if LabResult.objects.filter(**({"sample": sample} if sample else {"pool": pool})).exists():
        raise Conflict(_("Ống mẫu %(code)s đã có kết quả.") % {"code": tube.code}, field="result")
    record = LabResult(sample=sample, pool=pool, laboratory=laboratory, result=value, ct_value=ct,
                       resulted_at=resulted_at, external_ref=(external_ref or "").strip()[:64],
                       recorded_by=actor)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise Conflict(_("Ống mẫu %(code)s đã có kết quả.") % {"code": tube.code}, field="result") from exc
    results_after_insert(actor=actor, result_ids=[record.pk])
    return record


# --- Case proposals -------------------------------------------------------------------------


def _open_proposal(proposal: CaseProposal) -> CaseProposal:
    locked = (CaseProposal.objects.select_for_update(of=("self",)).filter(pk=proposal.pk)
              .select_related("person", "person__commune", "sample", "sample__retest_of").get())
    if locked.status != ProposalStatus.PROPOSED:
        raise Conflict(_("Đề xuất này đã được xử lý (%(status)s).") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def proposal_confirm(
    *, actor, proposal: CaseProposal, confirmed_at: dt.datetime | None = None,
    detection: str | None = None, status: str = CaseStatus.HOME_CARE, note: str = "",
) -> Case:
    """Confirm the proposed F0: the case is registered (contacts become F1 at once). By default it
    is confirmed at the time the positive sample was taken and detected as its reason implies."""
    require_write(actor, proposal.commune, "confirm_case_proposal")
    proposal = _open_proposal(proposal)
    sample = proposal.sample
    original = sample.retest_of.reason if sample.retest_of_id else None
    case = case_register(
        actor=actor, person=proposal.person, confirmed_at=confirmed_at or sample.taken_at,
        detection=detection or domain.detection_for(sample.reason, original_reason=original),
        status=status,
        note=note.strip() or _("Xác nhận từ mẫu xét nghiệm %(code)s.") % {"code": sample.code},
    )
    proposal.status, proposal.case = ProposalStatus.CONFIRMED, case
    proposal.decided_at, proposal.decided_by = clock.now(), actor
    proposal.save(update_fields=["status", "case", "decided_at", "decided_by"])
    return case


@transaction.atomic
def proposal_dismiss(*, actor, proposal: CaseProposal, reason: str) -> CaseProposal:
    """Not an F0 (e.g. a known recovered case still shedding, a mislabelled tube): say why."""
    require_write(actor, proposal.commune, "confirm_case_proposal")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do bác bỏ đề xuất."), field="reason")
    proposal = _open_proposal(proposal)
    proposal.status, proposal.reason = ProposalStatus.DISMISSED, reason[:255]
    proposal.decided_at, proposal.decided_by = clock.now(), actor
    proposal.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    return proposal
