"""/api/command: inspection teams, inspections (planned and surprise), checklists drawn from the
documents in force, findings and their corrective tasks. Mounted under the command router."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from chongdich.command import selectors, services
from chongdich.command.api_refs import account_ref, agency_ref, new_task, task_body
from chongdich.command.schemas import (
    ChecklistItemIn,
    ChecklistItemOut,
    ChecklistItemPatch,
    CompleteIn,
    FindingFilters,
    FindingIn,
    FindingOut,
    InspectionDetailOut,
    InspectionFilters,
    InspectionIn,
    InspectionOut,
    NoteIn,
    TaskIn,
    TaskOut,
    TeamIn,
    TeamOut,
)
from chongdich.core.api_support import Page, PageIn, actor_of, error_responses, paginate, resolve
from chongdich.core.errors import InvalidInput
from chongdich.geography.api import unit_in_jurisdiction

router = Router(tags=["command"])


# --- Inspections --------------------------------------------------------------------------------


def team_body(team) -> dict:
    return {"id": team.pk, "name": team.name, "unit": team.unit, "leader_name": team.leader_name,
            "leader": team.leader.username if team.leader_id else None,
            "members": [u.username for u in team.members.all()]}


def finding_body(finding) -> dict:
    return {"id": finding.pk, "inspection_id": finding.inspection_id, "text": finding.text,
            "severity": finding.severity, "recorded_at": finding.recorded_at, "closed_at": finding.closed_at,
            "close_note": finding.close_note,
            "agency": {"id": finding.agency_id, "name": finding.agency.name} if finding.agency_id else None,
            "corrective_task_ids": [t.pk for t in finding.corrective_tasks.all()]}


def inspection_body(inspection, detail: bool = False) -> dict:
    body = {
        "id": inspection.pk, "kind": inspection.kind, "status": inspection.status, "topic": inspection.topic,
        "team": {"id": inspection.team_id, "name": inspection.team.name} if inspection.team_id else None,
        "led_by": inspection.led_by.username if inspection.led_by_id else (inspection.led_by_name or None),
        "inspected_unit": inspection.inspected_unit, "scheduled_on": inspection.scheduled_on,
        "inspected_agency": ({"id": inspection.inspected_agency_id, "name": inspection.inspected_agency.name}
                             if inspection.inspected_agency_id else None),
        "carried_out_on": inspection.carried_out_on, "conclusion": inspection.conclusion,
    }
    if detail:
        body["checklist"] = list(selectors.checklist(inspection=inspection))
        body["findings"] = [finding_body(f) for f in selectors.findings_of(inspection=inspection)]
    return body


@router.get("/teams", response={200: Page[TeamOut], **error_responses(401, 422)})
def team_list(request, page: Query[PageIn]):
    return paginate(selectors.team_list(actor=actor_of(request)), page, render=team_body)


@router.post("/teams", response={201: TeamOut, **error_responses()})
def team_create(request, payload: TeamIn):
    actor = actor_of(request)
    if actor.unit is None:
        raise InvalidInput(_("Tài khoản không thuộc đơn vị nào."), field="unit")
    team = services.team_create(
        actor=actor, unit=actor.unit, name=payload.name, leader_name=payload.leader_name, note=payload.note,
        leader=account_ref(actor, payload.leader, "leader"),
        members=[account_ref(actor, name, "members") for name in payload.members],
        document=resolve("document_id", selectors.document_get, actor=actor, document_id=payload.document_id)
        if payload.document_id else None,
    )
    return Status(201, team_body(team))


@router.get("/inspections", response={200: Page[InspectionOut], **error_responses(401, 422)})
def inspection_list(request, filters: Query[InspectionFilters]):
    rows = selectors.inspection_list(actor=actor_of(request), kind=filters.kind or "", status=filters.status)
    return paginate(rows, filters, render=inspection_body)


@router.post("/inspections", response={201: InspectionDetailOut, **error_responses()})
def inspection_create(request, payload: InspectionIn):
    """Plan a check by a team, or open a leader's surprise check; by default the checklist is drawn
    from the documents in force for the inspected unit."""
    actor = actor_of(request)
    inspection = services.inspection_schedule(
        actor=actor, kind=payload.kind, scheduled_on=payload.scheduled_on, topic=payload.topic,
        team=resolve("team_id", selectors.team_get, actor=actor, team_id=payload.team_id) if payload.team_id else None,
        inspected_unit=unit_in_jurisdiction(actor, payload.inspected_unit, "inspected_unit"),
        inspected_agency=agency_ref(actor, payload.inspected_agency_id, "inspected_agency_id"),
    )
    if payload.draft_checklist:
        services.inspection_checklist_draft(actor=actor, inspection=inspection)
    return Status(201, inspection_body(inspection, detail=True))


def _inspection(request, inspection_id: int):
    return selectors.inspection_get(actor=actor_of(request), inspection_id=inspection_id)


@router.get("/inspections/{int:inspection_id}", response={200: InspectionDetailOut, **error_responses(401, 404)})
def inspection_get(request, inspection_id: int):
    return inspection_body(_inspection(request, inspection_id), detail=True)


@router.post("/inspections/{int:inspection_id}/checklist", response={201: ChecklistItemOut, **error_responses()})
def checklist_add(request, inspection_id: int, payload: ChecklistItemIn):
    item = services.checklist_item_add(actor=actor_of(request), inspection=_inspection(request, inspection_id),
                                       text=payload.text)
    return Status(201, item)


@router.post("/inspections/{int:inspection_id}/checklist/draft", response={200: InspectionDetailOut, **error_responses()})
def checklist_draft(request, inspection_id: int):
    inspection = _inspection(request, inspection_id)
    services.inspection_checklist_draft(actor=actor_of(request), inspection=inspection)
    return inspection_body(inspection, detail=True)


@router.patch("/checklist/{int:item_id}", response={200: ChecklistItemOut, **error_responses()})
def checklist_update(request, item_id: int, payload: ChecklistItemPatch):
    actor = actor_of(request)
    item = selectors.checklist_item_get(actor=actor, item_id=item_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return services.checklist_item_update(actor=actor, item=item, **changes)


@router.post("/inspections/{int:inspection_id}/complete", response={200: InspectionDetailOut, **error_responses()})
def inspection_complete(request, inspection_id: int, payload: CompleteIn):
    inspection = services.inspection_complete(actor=actor_of(request), inspection=_inspection(request, inspection_id),
                                              carried_out_on=payload.carried_out_on, conclusion=payload.conclusion)
    return inspection_body(inspection, detail=True)


@router.post("/inspections/{int:inspection_id}/findings", response={201: FindingOut, **error_responses()})
def finding_record(request, inspection_id: int, payload: FindingIn):
    actor = actor_of(request)
    inspection = _inspection(request, inspection_id)
    item = None
    if payload.checklist_item_id:
        item = resolve("checklist_item_id", selectors.checklist_item_get, actor=actor, item_id=payload.checklist_item_id)
    finding = services.finding_record(actor=actor, inspection=inspection, text=payload.text,
                                      severity=payload.severity, checklist_item=item,
                                      agency=agency_ref(actor, payload.agency_id, "agency_id"))
    return Status(201, finding_body(finding))


@router.get("/findings", response={200: Page[FindingOut], **error_responses(401, 422)})
def finding_list(request, filters: Query[FindingFilters]):
    rows = selectors.finding_list(actor=actor_of(request), open_only=filters.open).prefetch_related("corrective_tasks")
    return paginate(rows, filters, render=finding_body)


@router.post("/findings/{int:finding_id}/tasks", response={201: TaskOut, **error_responses()})
def finding_assign_task(request, finding_id: int, payload: TaskIn):
    """A corrective action: a task (normally with a deadline) for the body that must fix it."""
    actor = actor_of(request)
    finding = selectors.finding_get(actor=actor, finding_id=finding_id)
    task = services.finding_assign_task(actor=actor, finding=finding, spec=new_task(actor, payload))
    return Status(201, task_body(selectors.task_rows([selectors.task_get(actor=actor, task_id=task.pk)])[0]))


@router.post("/findings/{int:finding_id}/close", response={200: FindingOut, **error_responses()})
def finding_close(request, finding_id: int, payload: NoteIn):
    actor = actor_of(request)
    finding = services.finding_close(actor=actor, finding=selectors.finding_get(actor=actor, finding_id=finding_id),
                                     note=payload.note)
    return finding_body(finding)
