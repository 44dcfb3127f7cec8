"""/api/samples, /api/pools, /api/results, /api/case-proposals, /api/campaigns, /api/laboratories.

Each operation resolves what it names through selectors (outside the actor's area is 'not found',
like a missing id) and calls one service."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from chongdich.core import clock
from chongdich.core.api_support import Page, PageIn, actor_of, error_responses, paginate, resolve
from chongdich.core.errors import InvalidInput
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.geography.selectors import unit_get
from chongdich.testing import selectors, services, services_campaigns
from chongdich.testing.models import Pool
from chongdich.testing.schemas import (
    BatchOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    ConfirmedOut,
    ConfirmIn,
    DismissIn,
    LaboratoryIn,
    LaboratoryOut,
    MembersIn,
    MembersOut,
    PoolDetailOut,
    PoolIn,
    PoolOut,
    ProgressOut,
    ProposalFiltersIn,
    ProposalOut,
    ResultIn,
    ResultOut,
    ResultsBatchIn,
    ResultsBatchOut,
    SampleBatchIn,
    SampleFiltersIn,
    SampleIn,
    SampleOut,
)

samples_router = Router(tags=["testing"])
pools_router = Router(tags=["testing"])
results_router = Router(tags=["testing"])
proposals_router = Router(tags=["testing"])
campaigns_router = Router(tags=["campaigns"])
laboratories_router = Router(tags=["testing"])


def campaign_ref(actor, campaign_id: int | None):
    if campaign_id is None:
        return None
    return resolve("campaign_id", selectors.campaign_get, actor=actor, campaign_id=campaign_id)


def _sample_out(actor, sample_id: int):
    return selectors.sample_get(actor=actor, sample_id=sample_id)


def _pool_out(actor, pool_id: int, *, members: bool = False):
    pool = selectors.pool_get(actor=actor, pool_id=pool_id)
    pool.size = pool.members.count()
    if members:
        pool.members_list = list(selectors.pool_members(pool=pool).select_related(
            "commune", "pool", "pool__lab_result", "campaign"))
    return pool


# --- Samples ----------------------------------------------------------------------------------


@samples_router.get("", response={200: Page[SampleOut], **error_responses(401, 422)})
def sample_list(request, filters: Query[SampleFiltersIn]):
    """Samples taken in the actor's area, newest first (`awaiting`: individual tubes without a
    result, oldest first — the lab's worklist)."""
    actor = actor_of(request)
    if filters.awaiting:
        rows = selectors.awaiting_samples(actor=actor).select_related("pool", "lab_result")
    else:
        rows = selectors.sample_list(actor=actor, filters=selectors.SampleFilters(
            campaign_id=filters.campaign, taken_from=filters.taken_from, taken_to=filters.taken_to,
            reason=filters.reason or "", code=filters.code))
    return paginate(rows, filters)


@samples_router.get("/retest-due", response={200: Page[SampleOut], **error_responses(401, 422)})
def retest_due(request, page: Query[PageIn]):
    """Members of positive pools still waiting for their individual retest."""
    rows = selectors.retest_due(actor=actor_of(request)).select_related("lab_result", "campaign")
    return paginate(rows, page)


@samples_router.get("/{int:sample_id}", response={200: SampleOut, **error_responses(401, 404)})
def sample_get(request, sample_id: int):
    return _sample_out(actor_of(request), sample_id)


@samples_router.post("", response={201: SampleOut, **error_responses()})
def sample_take(request, payload: SampleIn):
    """One person's swab. Reason `retest` for a member of a positive pool clears its retest mark."""
    actor = actor_of(request)
    person = resolve("person_id", selectors.people_by_ids, actor=actor, person_ids=[payload.person_id])[0]
    sample = services.sample_take(
        actor=actor, person=person, taken_at=payload.taken_at or clock.now(), reason=payload.reason,
        commune=unit_in_jurisdiction(actor, payload.commune, "commune"), kind=payload.kind,
        code=payload.code, place=payload.place, campaign=campaign_ref(actor, payload.campaign_id),
    )
    return Status(201, _sample_out(actor, sample.pk))


@samples_router.post("/batch", response={201: BatchOut, **error_responses()})
def samples_take(request, payload: SampleBatchIn):
    """A sampling team's round at one site and time: individual samples, or with `pool: true`
    one pooled tube of 5–15 people (their samples coded `<pool code>-01`, `-02`, …)."""
    actor = actor_of(request)
    people = resolve("person_ids", selectors.people_by_ids, actor=actor, person_ids=payload.person_ids)
    if len(people) != len(payload.person_ids):
        raise InvalidInput(_("Một người được chọn hai lần."), field="person_ids")
    common = {
        "actor": actor, "people": people, "commune": unit_in_jurisdiction(actor, payload.commune, "commune"),
        "taken_at": payload.taken_at or clock.now(), "reason": payload.reason, "kind": payload.kind,
        "place": payload.place, "campaign": campaign_ref(actor, payload.campaign_id),
    }
    if payload.pool:
        pool = services.pool_take(code=payload.pool_code, **common)
        ids = list(pool.members.order_by("code").values_list("pk", flat=True))
        pool_out = _pool_out(actor, pool.pk)
    else:
        ids = [s.pk for s in services.samples_take(codes=payload.codes, **common)]
        pool_out = None
    samples = selectors.sample_list(actor=actor).filter(pk__in=ids).order_by("code")
    return Status(201, {"samples": list(samples), "pool": pool_out})


# --- Pools ------------------------------------------------------------------------------------


@pools_router.get("", response={200: Page[PoolOut], **error_responses(401, 422)})
def pool_list(request, page: Query[PageIn], campaign: int | None = None, awaiting: bool = False):
    actor = actor_of(request)
    rows = (selectors.awaiting_pools(actor=actor).select_related("lab_result") if awaiting
            else selectors.pool_list(actor=actor, campaign_id=campaign))
    return paginate(rows, page)


@pools_router.get("/{int:pool_id}", response={200: PoolDetailOut, **error_responses(401, 404)})
def pool_get(request, pool_id: int):
    return _pool_out(actor_of(request), pool_id, members=True)


@pools_router.post("", response={201: PoolOut, **error_responses()})
def pool_create(request, payload: PoolIn):
    """Pool samples already taken: 5–15 of them, taken the same day at one site."""
    actor = actor_of(request)
    samples = resolve("sample_ids", selectors.samples_by_ids, actor=actor, sample_ids=payload.sample_ids)
    for code in payload.sample_codes:
        samples.append(resolve("sample_codes", selectors.sample_get_by_code, actor=actor, code=code))
    pool = services.pool_create(actor=actor, samples=samples, code=payload.code)
    return Status(201, _pool_out(actor, pool.pk))


# --- Results ----------------------------------------------------------------------------------


@results_router.post("", response={201: ResultOut, **error_responses()})
def result_record(request, payload: ResultIn):
    """One laboratory result for one tube. A positive pool sends its members to retest; a
    positive individual sample opens an F0 proposal for an officer to confirm."""
    actor = actor_of(request)
    named = [payload.tube_code != "", payload.sample_id is not None, payload.pool_id is not None]
    if sum(named) != 1:
        raise InvalidInput(_("Cần đúng một trong ba: tube_code, sample_id hoặc pool_id."), field="tube_code")
    if payload.tube_code:
        tube = resolve("tube_code", selectors.tube_get_by_code, actor=actor, code=payload.tube_code)
    elif payload.sample_id is not None:
        tube = resolve("sample_id", selectors.sample_get, actor=actor, sample_id=payload.sample_id)
    else:
        tube = resolve("pool_id", selectors.pool_get, actor=actor, pool_id=payload.pool_id)
    lab = (resolve("laboratory", selectors.laboratory_get_by_code, actor=actor, code=payload.laboratory)
           if payload.laboratory else None)
    key = "pool" if isinstance(tube, Pool) else "sample"
    record = services.result_record(
        actor=actor, result=payload.result, resulted_at=payload.resulted_at or clock.now(),
        ct_value=payload.ct_value, laboratory=lab, external_ref=payload.external_ref, **{key: tube},
    )
    return Status(201, record)


@results_router.post("/batch", response={200: ResultsBatchOut, **error_responses()})
def results_store(request, payload: ResultsBatchIn):
    """Up to 5,000 results at once, by tube code. Every row is accounted for: created, duplicate
    (the same result is already recorded) or an error with its reason; the good rows are kept."""
    from chongdich.testing.bulk import ResultRow, results_store_bulk

    rows = [ResultRow(row=i, sample_code=r.sample_code.strip(), pool_code=r.pool_code.strip(),
                      result=r.result, resulted_at=r.resulted_at, ct_value=r.ct_value,
                      laboratory_code=r.laboratory_code.strip(), external_ref=r.external_ref.strip())
            for i, r in enumerate(payload.rows, start=1)]
    outcomes = results_store_bulk(actor=actor_of(request), rows=rows)
    counts = {"created": 0, "updated": 0, "duplicate": 0, "error": 0}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    errors = sorted((o for o in outcomes if o.status == "error"), key=lambda o: o.row)
    return {"created": counts["created"] + counts["updated"], "duplicate": counts["duplicate"],
            "error": counts["error"],
            "errors": [{"row": o.row, "column": o.column, "value": o.value, "reason": o.reason}
                       for o in errors]}


# --- Case proposals ---------------------------------------------------------------------------


@proposals_router.get("", response={200: Page[ProposalOut], **error_responses(401, 422)})
def proposal_list(request, filters: Query[ProposalFiltersIn]):
    """F0 proposals from positive individual results, open ones first by default."""
    rows = selectors.proposal_list(actor=actor_of(request), status=filters.status or "")
    return paginate(rows, filters)


@proposals_router.get("/{int:proposal_id}", response={200: ProposalOut, **error_responses(401, 404)})
def proposal_get(request, proposal_id: int):
    return selectors.proposal_get(actor=actor_of(request), proposal_id=proposal_id)


@proposals_router.post("/{int:proposal_id}/confirm", response={201: ConfirmedOut, **error_responses()})
def proposal_confirm(request, proposal_id: int, payload: ConfirmIn):
    """Confirm the F0: the case is registered (by default at the sample's time, detected as its
    reason implies) and the person's contacts become F1."""
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    case = services.proposal_confirm(actor=actor, proposal=proposal, confirmed_at=payload.confirmed_at,
                                     detection=payload.detection, status=payload.status, note=payload.note)
    body = {"proposal": selectors.proposal_get(actor=actor, proposal_id=proposal_id),
            "case_id": case.pk, "case_code": case.code}
    return Status(201, body)


@proposals_router.post("/{int:proposal_id}/dismiss", response={200: ProposalOut, **error_responses()})
def proposal_dismiss(request, proposal_id: int, payload: DismissIn):
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, proposal_id=proposal_id)
    services.proposal_dismiss(actor=actor, proposal=proposal, reason=payload.reason)
    return selectors.proposal_get(actor=actor, proposal_id=proposal_id)


# --- Campaigns --------------------------------------------------------------------------------


def _campaign_out(actor, campaign_id: int):
    return selectors.campaign_list(actor=actor).get(pk=campaign_id)


@campaigns_router.get("", response={200: Page[CampaignOut], **error_responses(401, 422)})
def campaign_list(request, page: Query[PageIn]):
    """Campaigns in the actor's area, and those of the units above it that cover it."""
    return paginate(selectors.campaign_list(actor=actor_of(request)), page)


@campaigns_router.get("/{int:campaign_id}", response={200: CampaignOut, **error_responses(401, 404)})
def campaign_get(request, campaign_id: int):
    actor = actor_of(request)
    selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    return _campaign_out(actor, campaign_id)


@campaigns_router.post("", response={201: CampaignOut, **error_responses()})
def campaign_create(request, payload: CampaignIn):
    actor = actor_of(request)
    unit = resolve("unit", unit_get, actor=actor, code=payload.unit)
    campaign = services_campaigns.campaign_create(actor=actor, unit=unit, **payload.model_dump(exclude={"unit"}))
    return Status(201, _campaign_out(actor, campaign.pk))


@campaigns_router.patch("/{int:campaign_id}", response={200: CampaignOut, **error_responses()})
def campaign_update(request, campaign_id: int, payload: CampaignPatch):
    """Only the fields sent change; send `target_headcount` or `pool_size` as null to clear them."""
    actor = actor_of(request)
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    changes = payload.model_dump(exclude_unset=True)
    for field in ("name", "target_group", "starts_on", "ends_on", "sample_kind"):
        if changes.get(field, "") is None:
            changes.pop(field)
    for field in ("target_note", "note"):
        if field in changes and changes[field] is None:
            changes[field] = ""
    services_campaigns.campaign_update(actor=actor, campaign=campaign, **changes)
    return _campaign_out(actor, campaign_id)


@campaigns_router.delete("/{int:campaign_id}", response={204: None, **error_responses()})
def campaign_delete(request, campaign_id: int):
    """Only a campaign with no samples yet (one entered by mistake)."""
    actor = actor_of(request)
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    services_campaigns.campaign_delete(actor=actor, campaign=campaign)
    return Status(204, None)


@campaigns_router.post("/{int:campaign_id}/members", response={200: MembersOut, **error_responses()})
def campaign_members_add(request, campaign_id: int, payload: MembersIn):
    """Put people on the campaign's list (those already on it are skipped)."""
    actor = actor_of(request)
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    people = resolve("person_ids", selectors.people_by_ids, actor=actor, person_ids=payload.person_ids)
    added = services_campaigns.campaign_members_add(actor=actor, campaign=campaign, people=people)
    return {"added": added, "member_count": campaign.members.count()}


@campaigns_router.get("/{int:campaign_id}/progress", response={200: ProgressOut, **error_responses(401, 404)})
def campaign_progress(request, campaign_id: int):
    """Sampled, pooled, results and positives per day, with the coverage of the target."""
    actor = actor_of(request)
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    return selectors.campaign_progress(actor=actor, campaign=campaign)


# --- Laboratories -----------------------------------------------------------------------------


@laboratories_router.get("", response={200: Page[LaboratoryOut], **error_responses(401, 422)})
def laboratory_list(request, page: Query[PageIn]):
    return paginate(selectors.laboratory_list(actor=actor_of(request)), page)


@laboratories_router.post("", response={201: LaboratoryOut, **error_responses()})
def laboratory_create(request, payload: LaboratoryIn):
    actor = actor_of(request)
    unit = resolve("unit", unit_get, actor=actor, code=payload.unit)
    lab = services_campaigns.laboratory_create(actor=actor, code=payload.code, name=payload.name, unit=unit)
    return Status(201, selectors.laboratory_get(actor=actor, laboratory_id=lab.pk))
