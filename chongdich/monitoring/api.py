"""/api/monitoring: community teams and households, daily checks (single and batch), the
self-report endpoint, the lists (team follow-up, not reporting, escalations) and the rule sets.
Inputs are resolved through selectors (outside the jurisdiction is 'not found'); each write is
one service call."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from chongdich.core import clock
from chongdich.core.api_support import (
    Page,
    PageIn,
    actor_of,
    error_body,
    error_responses,
    paginate,
    resolve,
)
from chongdich.core.errors import NotFound
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.geography.models import Village
from chongdich.monitoring import domain, selectors, services
from chongdich.monitoring.models import DailyCheck, EscalationStatus
from chongdich.monitoring.schemas import (
    AssignIn,
    AssignOut,
    BatchIn,
    BatchOut,
    CheckIn,
    CheckOut,
    CountsOut,
    EscalationFiltersIn,
    EscalationOut,
    HouseholdFiltersIn,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    MemberIn,
    MemberOut,
    MemberPersonIn,
    MonitoredFiltersIn,
    MonitoredPersonOut,
    ReportLinkOut,
    ResolveIn,
    RuleSetOut,
    SelfReportIn,
    SelfReportOut,
    SymptomOut,
    TeamIn,
    TeamOut,
    TeamPatch,
)
from chongdich.people.selectors import person_get

router = Router(tags=["monitoring"])


def _village(commune, village_id: int | None):
    if village_id is None:
        return None
    village = Village.objects.filter(pk=village_id, commune=commune).first()
    if village is None:
        raise NotFound(_("Không tìm thấy thôn/tổ dân phố trong xã này."), field="village_id")
    return village


def _team(actor, team_id: int | None, field: str = "team_id"):
    if team_id is None:
        return None
    return resolve(field, selectors.team_get, actor=actor, team_id=team_id)


def _person(actor, person_id: int, field: str = "person_id"):
    return resolve(field, person_get, actor=actor, person_id=person_id)


# --- Rules --------------------------------------------------------------------------------


@router.get("/rule-sets", response={200: list[RuleSetOut], **error_responses(401)})
def rule_set_list(request):
    """Every monitoring rule set with its legal source; the one in force on a day is the latest
    `valid_from` on or before it."""
    return list(selectors.rule_set_list())


@router.get("/symptoms", response={200: list[SymptomOut], **error_responses(401, 409)})
def symptom_list(request):
    """The fixed symptom list, with the danger signs of the rule set in force today."""
    danger = set(selectors.rule_set_in_force(clock.today()).danger_symptoms)
    return [{"code": s.value, "label": str(domain.SYMPTOM_LABELS[s]), "danger": s.value in danger}
            for s in domain.Symptom]


# --- Teams --------------------------------------------------------------------------------


def _team_out(actor, team):
    team = selectors.team_list(actor=actor, include_inactive=True).get(pk=team.pk)
    team.monitored_count = selectors.monitored_per_team(actor=actor, team_ids=[team.pk]).get(team.pk, 0)
    team.member_list = list(selectors.team_members(team=team))
    return team


@router.get("/teams", response={200: Page[TeamOut], **error_responses(401, 404, 422)})
def team_list(request, page: Query[PageIn], unit: str = ""):
    actor = actor_of(request)
    teams = selectors.team_list(actor=actor, unit=unit_in_jurisdiction(actor, unit, "unit"))
    body = paginate(teams, page)
    counts = selectors.monitored_per_team(actor=actor, team_ids=[t.pk for t in body["items"]])
    for team in body["items"]:
        team.monitored_count = counts.get(team.pk, 0)
        team.member_list = list(selectors.team_members(team=team))
    return body


@router.post("/teams", response={201: TeamOut, **error_responses()})
def team_create(request, payload: TeamIn):
    actor = actor_of(request)
    commune = unit_in_jurisdiction(actor, payload.commune, "commune")
    team = services.team_create(actor=actor, commune=commune, name=payload.name,
                                village=_village(commune, payload.village_id), note=payload.note)
    return Status(201, _team_out(actor, team))


@router.get("/teams/{int:team_id}", response={200: TeamOut, **error_responses(401, 404)})
def team_get(request, team_id: int):
    actor = actor_of(request)
    return _team_out(actor, selectors.team_get(actor=actor, team_id=team_id))


@router.patch("/teams/{int:team_id}", response={200: TeamOut, **error_responses()})
def team_update(request, team_id: int, payload: TeamPatch):
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None or k == "village_id"}
    if "village_id" in changes:
        changes["village"] = _village(team.commune, changes.pop("village_id"))
    services.team_update(actor=actor, team=team, **changes)
    return _team_out(actor, team)


@router.post("/teams/{int:team_id}/members", response={201: MemberOut, **error_responses()})
def team_member_add(request, team_id: int, payload: MemberIn):
    """Add an account of the commune (who then sees the team's list) or a named volunteer."""
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    user = resolve("user_id", selectors.account_get, actor=actor, user_id=payload.user_id) if payload.user_id else None
    member = services.team_member_add(actor=actor, team=team, user=user, full_name=payload.full_name,
                                      phone=payload.phone, is_leader=payload.is_leader)
    return Status(201, member)


@router.delete("/teams/{int:team_id}/members/{int:member_id}", response={204: None, **error_responses()})
def team_member_remove(request, team_id: int, member_id: int):
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    member = team.members.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Không tìm thấy thành viên."))
    services.team_member_remove(actor=actor, member=member)
    return Status(204, None)


@router.post("/teams/{int:team_id}/households", response={200: AssignOut, **error_responses()})
def households_assign(request, team_id: int, payload: AssignIn):
    """Put households of the team's commune under the team."""
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    households = [resolve("household_ids", selectors.household_get, actor=actor, household_id=pk)
                  for pk in dict.fromkeys(payload.household_ids)]
    return {"assigned": services.households_assign(actor=actor, team=team, households=households)}


@router.get("/teams/{int:team_id}/followup", response={200: list[MonitoredPersonOut], **error_responses(401, 404, 409)})
def team_followup(request, team_id: int):
    """The team's list for today: its households' monitored people, those needing escalation
    first, then those not reporting, then those not yet checked today."""
    actor = actor_of(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    return [_monitored_out(row) for row in selectors.team_followup(actor=actor, team=team)]


# --- Households ---------------------------------------------------------------------------


def _household_out(actor, household):
    household = selectors.household_get(actor=actor, household_id=household.pk)
    household.people = [m.person for m in selectors.household_members(household=household)]
    return household


@router.get("/households", response={200: Page[HouseholdOut], **error_responses(401, 404, 422)})
def household_list(request, filters: Query[HouseholdFiltersIn]):
    actor = actor_of(request)
    wanted = selectors.HouseholdFilters(
        unit=unit_in_jurisdiction(actor, filters.unit, "unit"), team=_team(actor, filters.team, "team"),
        unassigned=filters.unassigned, search=filters.q,
    )
    body = paginate(selectors.household_list(actor=actor, filters=wanted), filters)
    for household in body["items"]:
        household.people = [m.person for m in selectors.household_members(household=household)]
    return body


@router.post("/households", response={201: HouseholdOut, **error_responses()})
def household_create(request, payload: HouseholdIn):
    actor = actor_of(request)
    commune = unit_in_jurisdiction(actor, payload.commune, "commune")
    household = services.household_create(
        actor=actor, commune=commune, address=payload.address, village=_village(commune, payload.village_id),
        members=[_person(actor, pk, "member_ids") for pk in dict.fromkeys(payload.member_ids)],
        head=_person(actor, payload.head_id, "head_id") if payload.head_id else None,
        team=_team(actor, payload.team_id), note=payload.note,
    )
    return Status(201, _household_out(actor, household))


@router.get("/households/{int:household_id}", response={200: HouseholdOut, **error_responses(401, 404)})
def household_get(request, household_id: int):
    actor = actor_of(request)
    return _household_out(actor, selectors.household_get(actor=actor, household_id=household_id))


@router.patch("/households/{int:household_id}", response={200: HouseholdOut, **error_responses()})
def household_update(request, household_id: int, payload: HouseholdPatch):
    """Change the address, village, head or team; send null to clear the village, head or team."""
    actor = actor_of(request)
    household = selectors.household_get(actor=actor, household_id=household_id)
    changes = payload.model_dump(exclude_unset=True)
    if "village_id" in changes:
        changes["village"] = _village(household.commune, changes.pop("village_id"))
    if "head_id" in changes:
        head_id = changes.pop("head_id")
        changes["head"] = _person(actor, head_id, "head_id") if head_id else None
    if "team_id" in changes:
        changes["team"] = _team(actor, changes.pop("team_id"))
    if changes.get("address") is None:
        changes.pop("address", None)
    if changes.get("note") is None:
        changes.pop("note", None)
    services.household_update(actor=actor, household=household, **changes)
    return _household_out(actor, household)


@router.post("/households/{int:household_id}/members", response={201: HouseholdOut, **error_responses()})
def household_member_add(request, household_id: int, payload: MemberPersonIn):
    actor = actor_of(request)
    household = selectors.household_get(actor=actor, household_id=household_id)
    services.household_member_add(actor=actor, household=household, person=_person(actor, payload.person_id))
    return Status(201, _household_out(actor, household))


@router.delete("/households/{int:household_id}/members/{int:person_id}", response={200: HouseholdOut, **error_responses()})
def household_member_remove(request, household_id: int, person_id: int):
    actor = actor_of(request)
    household = selectors.household_get(actor=actor, household_id=household_id)
    services.household_member_remove(actor=actor, household=household, person=_person(actor, person_id))
    return _household_out(actor, household)


# --- Lists --------------------------------------------------------------------------------


def _monitored_out(row: selectors.MonitoredRow) -> dict:
    person = row.person
    return {
        "person_id": person.pk, "full_name": person.full_name, "phone": person.phone,
        "household_id": row.household.pk if row.household else None,
        "address": row.household.address if row.household else person.address,
        "team_id": row.team.pk if row.team else None, "team": row.team.name if row.team else None,
        "kind": row.kind_label, "since": row.since, "until": row.until, "days_left": row.days_left,
        "state": row.state.kind.value, "silent_since": row.state.silent_since,
        "last_checked_at": row.last_checked_at, "last_level": row.last_level,
        "last_temperature": row.last_temperature, "last_spo2": row.last_spo2,
        "checked_today": row.checked_today, "open_escalation_id": row.open_escalation_id,
    }


@router.get("/people", response={200: Page[MonitoredPersonOut], **error_responses(401, 404, 409, 422)})
def monitored_list(request, filters: Query[MonitoredFiltersIn]):
    """Everyone monitored at home in the actor's jurisdiction. `state=not_reporting` gives the
    longest silent first; other lists are by name."""
    actor = actor_of(request)
    now = clock.now()
    rules = selectors.rules_of(selectors.rule_set_in_force(clock.today()))
    wanted = selectors.ListFilters(unit=unit_in_jurisdiction(actor, filters.unit, "unit"),
                                   team=_team(actor, filters.team, "team"), state=filters.state, search=filters.q)
    rows = selectors.monitored_list(actor=actor, filters=wanted, now=now, rules=rules)
    rows = rows.order_by("silent_since", "pk") if filters.state == "not_reporting" else rows.order_by("person__name_folded", "pk")
    return paginate(rows, filters, render=lambda p: _monitored_out(selectors.monitored_row(p, now=now, rules=rules)))


@router.get("/counts", response={200: CountsOut, **error_responses(401, 404, 409)})
def monitoring_counts(request, unit: str = "", team: int | None = None):
    actor = actor_of(request)
    return selectors.monitoring_counts(actor=actor, unit=unit_in_jurisdiction(actor, unit, "unit"),
                                       team=_team(actor, team, "team"))


@router.get("/people/{int:person_id}/checks", response={200: list[CheckOut], **error_responses(401, 404)})
def check_history(request, person_id: int):
    actor = actor_of(request)
    person = person_get(actor=actor, person_id=person_id)
    return selectors.check_history(actor=actor, person_id=person.pk)


@router.post("/people/{int:person_id}/report-link", response={201: ReportLinkOut, **error_responses()})
def report_link_issue(request, person_id: int):
    """A new self-report link for the person (the previous one stops working). The key is in the
    answer only this once."""
    actor = actor_of(request)
    link, key = services.report_link_issue(actor=actor, person=person_get(actor=actor, person_id=person_id))
    url = request.build_absolute_uri(reverse("monitoring:self_report", args=[key]))
    return Status(201, {"prefix": link.prefix, "created_at": link.created_at, "key": key, "url": url})


# --- Checks -------------------------------------------------------------------------------


def _check_kwargs(payload) -> dict:
    return {"temperature": payload.temperature, "spo2": payload.spo2,
            "symptoms": [s.value for s in payload.symptoms], "note": payload.note}


@router.post("/checks", response={201: CheckOut, **error_responses()})
def check_record(request, payload: CheckIn):
    """One check by a team member or a health worker. A danger check (SpO2 under the threshold,
    a danger symptom) opens an escalation for the commune health station."""
    actor = actor_of(request)
    check = services.check_record(actor=actor, person=_person(actor, payload.person_id),
                                  checked_at=payload.checked_at, source=payload.source, **_check_kwargs(payload))
    return Status(201, check)


@router.post("/checks/batch", response={200: BatchOut, **error_responses(401, 422)})
def check_record_batch(request, payload: BatchIn):
    """Up to 200 checks; each lands or fails on its own (an item's error names its field)."""
    items = [{"person_id": item.person_id, "checked_at": item.checked_at, "source": item.source,
              **_check_kwargs(item)} for item in payload.items]
    outcomes = services.check_record_batch(actor=actor_of(request), items=items)
    ids = [o.check.pk for o in outcomes if o.check]
    checks = DailyCheck.objects.select_related("rule_set", "recorded_by").in_bulk(ids)
    out = []
    for o in outcomes:
        if o.check:
            out.append({"index": o.index, "ok": True, "check": checks[o.check.pk]})
        else:
            out.append({"index": o.index, "ok": False, **error_body(o.error)})
    return {"recorded": len(ids), "failed": len(outcomes) - len(ids), "items": out}


@router.post("/self/{token}", auth=None, response={201: SelfReportOut, **error_responses(404, 409, 422)})
def self_report(request, token: str, payload: SelfReportIn):
    """The monitored person's own report through their link (no account). Only that person's
    checks, at most a few an hour."""
    check = services.check_record_self(token=token, **_check_kwargs(payload))
    return Status(201, {"level": check.level, "message": domain.advice_after_self_report(check.level)})


# --- Escalations --------------------------------------------------------------------------


def _escalation_out(e) -> dict:
    household = getattr(getattr(e.person, "household_link", None), "household", None)
    return {
        "id": e.pk, "person_id": e.person_id, "full_name": e.person.full_name, "phone": e.person.phone,
        "address": household.address if household else e.person.address, "commune": e.commune,
        "opened_at": e.opened_at, "reasons": e.reasons, "check_count": e.check_count,
        "last_check": e.last_check, "status": e.status, "resolved_at": e.resolved_at,
        "officer_name": e.officer_name, "action": e.action, "action_note": e.action_note,
    }


@router.get("/escalations", response={200: Page[EscalationOut], **error_responses(401, 404, 422)})
def escalation_list(request, filters: Query[EscalationFiltersIn]):
    """The commune health station's list: open ones oldest first, or resolved ones newest first."""
    actor = actor_of(request)
    rows = selectors.escalation_list(actor=actor, status=filters.status,
                                     unit=unit_in_jurisdiction(actor, filters.unit, "unit"))
    return paginate(rows.select_related("last_check__rule_set", "last_check__recorded_by"), filters,
                    render=_escalation_out)


@router.post("/escalations/{int:escalation_id}/resolve", response={200: EscalationOut, **error_responses()})
def escalation_resolve(request, escalation_id: int, payload: ResolveIn):
    """Record what the station did (visited, moved to tier 2, called 115, …) and who did it."""
    actor = actor_of(request)
    escalation = selectors.escalation_get(actor=actor, escalation_id=escalation_id)
    services.escalation_resolve(actor=actor, escalation=escalation, action=payload.action, note=payload.note,
                                officer_name=payload.officer_name)
    resolved = selectors.escalation_list(actor=actor, status=EscalationStatus.RESOLVED).get(pk=escalation_id)
    return _escalation_out(resolved)
