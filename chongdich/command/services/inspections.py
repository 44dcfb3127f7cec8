"""Writes for inspections: teams, planned and surprise checks, their checklists (drawn from the
documents in force), findings, and the corrective tasks that findings become."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.command import domain, notify
from chongdich.command.access import require_agency_visible, require_inspector
from chongdich.command.models import (
    Agency,
    ChecklistItem,
    ChecklistResult,
    Document,
    Finding,
    Inspection,
    InspectionKind,
    InspectionStatus,
    InspectionTeam,
    Severity,
    Task,
    unit_keys,
)
from chongdich.command.services.tasks import NewTask, committee_people, task_assign
from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput, NotFound
from chongdich.core.jurisdiction import covers, require_write, unit_within


def _check_accounts(actor, people: Sequence, field: str) -> None:
    for person in people:
        if person is not None and (person.unit_id is None or not covers(actor, person.unit)):
            raise NotFound(_("Không tìm thấy tài khoản %(name)s.") % {"name": person.username}, field=field)


@transaction.atomic
def team_create(*, actor, unit, name: str, leader=None, leader_name: str = "", members: Sequence = (),
                document: Document | None = None, note: str = "") -> InspectionTeam:
    """Form an inspection team (đoàn kiểm tra) of the committee of `unit`."""
    require_write(actor, unit, "manage_inspections")
    name = domain.normalise_name(name)
    if not name:
        raise InvalidInput(_("Cần nhập tên đoàn kiểm tra."), field="name")
    if InspectionTeam.objects.filter(unit=unit, name__iexact=name).exists():
        raise Conflict(_("Đã có đoàn kiểm tra cùng tên."), field="name")
    _check_accounts(actor, [leader], "leader")
    _check_accounts(actor, members, "members")
    if document is not None and document.unit_id != unit.pk:
        raise InvalidInput(_("Quyết định thành lập phải của cùng cấp."), field="document")
    team = InspectionTeam.objects.create(unit=unit, name=name, leader=leader, leader_name=leader_name.strip(),
                                         document=document, note=note.strip(), created_by=actor, **unit_keys(unit))
    team.members.set(members)
    return team


@transaction.atomic
def team_update(*, actor, team: InspectionTeam, **changes) -> InspectionTeam:
    require_write(actor, team.unit, "manage_inspections")
    if unknown := set(changes) - {"name", "leader", "leader_name", "members", "note"}:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_accounts(actor, [changes.get("leader")], "leader")
    _check_accounts(actor, changes.get("members", ()), "members")
    members = changes.pop("members", None)
    for field, value in changes.items():
        setattr(team, field, domain.normalise_name(value) if field == "name" else value)
    if changes:
        team.save(update_fields=list(changes))
    if members is not None:
        team.members.set(members)
    return team


@transaction.atomic
def inspection_schedule(*, actor, inspected_unit, scheduled_on: dt.date, kind: str = InspectionKind.PLANNED,
                        team: InspectionTeam | None = None, led_by=None, led_by_name: str = "",
                        inspected_agency: Agency | None = None, topic: str = "") -> Inspection:
    """Plan a check of a unit by a team, or open a leader's surprise check (kind 'surprise': the
    leader is the actor unless another is named). The inspected unit must be in the inspecting
    committee's area."""
    if kind not in InspectionKind.values:
        raise InvalidInput(_("Loại kiểm tra không hợp lệ."), field="kind")
    if kind == InspectionKind.PLANNED and team is None:
        raise InvalidInput(_("Kiểm tra theo kế hoạch cần chọn đoàn kiểm tra."), field="team")
    if kind == InspectionKind.SURPRISE and team is None and led_by is None and not led_by_name.strip():
        led_by = actor
    issuer = team.unit if team is not None else actor.unit
    require_write(actor, issuer, "manage_inspections")
    if not unit_within(inspected_unit, issuer):
        raise NotFound(_("Đơn vị được kiểm tra không thuộc địa bàn."), field="inspected_unit")
    if inspected_agency is not None:
        require_agency_visible(actor, inspected_agency, field="inspected_agency")
        if not unit_within(inspected_agency.unit, inspected_unit):
            raise InvalidInput(_("Cơ quan được kiểm tra không thuộc đơn vị được kiểm tra."), field="inspected_agency")
    _check_accounts(actor, [led_by], "led_by")
    if scheduled_on is None:
        raise InvalidInput(_("Cần nhập ngày kiểm tra."), field="scheduled_on")
    return Inspection.objects.create(
        kind=kind, team=team, led_by=led_by, led_by_name=led_by_name.strip(), inspected_unit=inspected_unit,
        inspected_agency=inspected_agency, topic=topic.strip(), scheduled_on=scheduled_on,
        created_at=clock.now(), created_by=actor, issuer_unit=issuer, **unit_keys(inspected_unit),
        **unit_keys(issuer, "issuer_"),
    )


def _open_inspection(inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status == InspectionStatus.CANCELLED:
        raise Conflict(_("Cuộc kiểm tra đã bị huỷ."), field="status")
    return inspection


@transaction.atomic
def inspection_complete(*, actor, inspection: Inspection, carried_out_on: dt.date, conclusion: str = "") -> Inspection:
    """Record that the check took place, and its conclusion (kết luận)."""
    require_inspector(actor, inspection)
    inspection = _open_inspection(inspection)
    if carried_out_on is None or carried_out_on > clock.today():
        raise InvalidInput(_("Ngày kiểm tra không hợp lệ (trống hoặc ở tương lai)."), field="carried_out_on")
    inspection.status, inspection.carried_out_on = InspectionStatus.DONE, carried_out_on
    inspection.conclusion = (conclusion or "").strip()
    inspection.save(update_fields=["status", "carried_out_on", "conclusion"])
    return inspection


@transaction.atomic
def inspection_cancel(*, actor, inspection: Inspection) -> Inspection:
    require_write(actor, inspection.issuer_unit, "manage_inspections")
    inspection = _open_inspection(inspection)
    if inspection.status == InspectionStatus.DONE:
        raise Conflict(_("Cuộc kiểm tra đã diễn ra, không huỷ được."), field="status")
    inspection.status = InspectionStatus.CANCELLED
    inspection.save(update_fields=["status"])
    return inspection


@transaction.atomic
def inspection_record_surprise(*, actor, inspected_unit, carried_out_on: dt.date, conclusion: str = "",
                               inspected_agency: Agency | None = None, topic: str = "") -> Inspection:
    """A leader's surprise check (kiểm tra đột xuất), recorded after the visit in one step."""
    inspection = inspection_schedule(actor=actor, inspected_unit=inspected_unit, scheduled_on=carried_out_on,
                                     kind=InspectionKind.SURPRISE, inspected_agency=inspected_agency, topic=topic)
    return inspection_complete(actor=actor, inspection=inspection, carried_out_on=carried_out_on,
                               conclusion=conclusion)


@transaction.atomic
def inspection_checklist_draft(*, actor, inspection: Inspection) -> list[ChecklistItem]:
    """Add to the checklist the points of the documents in force for the inspected unit: each
    task those documents give to the inspected agency (or to agencies in the inspected unit), and
    for a document with no such task, carrying the document out. Points already on the list are
    not added again."""
    from chongdich.command.selectors import documents_in_force

    require_inspector(actor, inspection)
    inspection = _open_inspection(inspection)
    on = inspection.carried_out_on or inspection.scheduled_on
    have_tasks = set(inspection.checklist.exclude(source_task=None).values_list("source_task_id", flat=True))
    have_docs = set(inspection.checklist.filter(source_task=None).exclude(source_document=None)
                    .values_list("source_document_id", flat=True))
    order = inspection.checklist.count()
    made: list[ChecklistItem] = []
    for document in documents_in_force(unit=inspection.inspected_unit, on=on):
        tasks = Task.objects.filter(document=document).exclude(status="cancelled").select_related("agency")
        if inspection.inspected_agency_id:
            tasks = tasks.filter(agency_id=inspection.inspected_agency_id)
        else:
            tasks = [t for t in tasks if unit_within(t.agency.unit, inspection.inspected_unit)]
        texts: set[str] = set()
        for task in tasks:
            if task.pk in have_tasks or task.description in texts:
                continue
            texts.add(task.description)
            order += 1
            made.append(ChecklistItem(inspection=inspection, text=task.description, source_document=document,
                                      source_task=task, order=order))
        if not texts and not any(t.pk in have_tasks for t in tasks) and document.pk not in have_docs:
            order += 1
            made.append(ChecklistItem(
                inspection=inspection, source_document=document, order=order,
                text=str(_("Quán triệt, triển khai %(ref)s: %(title)s") % {"ref": document.reference,
                                                                         "title": document.title}),
            ))
    ChecklistItem.objects.bulk_create(made)
    return made


@transaction.atomic
def checklist_item_add(*, actor, inspection: Inspection, text: str) -> ChecklistItem:
    require_inspector(actor, inspection)
    inspection = _open_inspection(inspection)
    if not (text or "").strip():
        raise InvalidInput(_("Cần nhập nội dung kiểm tra."), field="text")
    order = inspection.checklist.count() + 1
    return ChecklistItem.objects.create(inspection=inspection, text=text.strip(), order=order)


@transaction.atomic
def checklist_item_update(*, actor, item: ChecklistItem, **changes) -> ChecklistItem:
    """Set an item's result and note, or reword it."""
    require_inspector(actor, item.inspection)
    _open_inspection(item.inspection)
    if unknown := set(changes) - {"result", "note", "text"}:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "result" in changes and changes["result"] not in ChecklistResult.values:
        raise InvalidInput(_("Kết quả không hợp lệ."), field="result")
    if "text" in changes and not (changes["text"] or "").strip():
        raise InvalidInput(_("Cần nhập nội dung kiểm tra."), field="text")
    for field, value in changes.items():
        setattr(item, field, (value or "").strip() if field in ("note", "text") else value)
    if changes:
        item.save(update_fields=list(changes))
    return item


@transaction.atomic
def checklist_item_remove(*, actor, item: ChecklistItem) -> None:
    require_inspector(actor, item.inspection)
    _open_inspection(item.inspection)
    item.delete()


@transaction.atomic
def finding_record(*, actor, inspection: Inspection, text: str, severity: str = Severity.MODERATE,
                   checklist_item: ChecklistItem | None = None, agency: Agency | None = None) -> Finding:
    """Record what the check found wrong; the inspected unit's committee and the agency hear of it."""
    require_inspector(actor, inspection)
    inspection = _open_inspection(inspection)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Cần nhập nội dung phát hiện."), field="text")
    if severity not in Severity.values:
        raise InvalidInput(_("Mức độ không hợp lệ."), field="severity")
    if checklist_item is not None and checklist_item.inspection_id != inspection.pk:
        raise NotFound(_("Không tìm thấy nội dung kiểm tra."), field="checklist_item")
    if agency is not None:
        require_agency_visible(actor, agency)
    finding = Finding.objects.create(
        inspection=inspection, checklist_item=checklist_item, agency=agency, text=text, severity=severity,
        recorded_at=clock.now(), recorded_by=actor, **unit_keys(inspection.inspected_unit),
    )
    if checklist_item is not None and checklist_item.result == ChecklistResult.PENDING:
        checklist_item.result = ChecklistResult.NOT_MET
        checklist_item.save(update_fields=["result"])
    people = committee_people(inspection.inspected_unit) + (notify.agency_people(agency) if agency else [])
    notify.send(recipients=people, event="finding_recorded",
                subject=_("Đoàn kiểm tra có phát hiện tại %(unit)s") % {"unit": inspection.inspected_unit.name_with_type},
                body=text, url=notify.inspection_url(inspection), unit=inspection.inspected_unit)
    return finding


@transaction.atomic
def finding_assign_task(*, actor, finding: Finding, spec: NewTask) -> Task:
    """A corrective action (biện pháp khắc phục): a task with a deadline for the body that must
    put the finding right. The finding closes when its corrective tasks are verified."""
    finding = (Finding.objects.select_for_update(of=("self",)).select_related("inspection__issuer_unit")
               .get(pk=finding.pk))
    if finding.closed_at is not None:
        raise Conflict(_("Phát hiện này đã được khắc phục xong."), field="finding")
    return task_assign(actor=actor, spec=spec, finding=finding)


@transaction.atomic
def finding_close(*, actor, finding: Finding, note: str) -> Finding:
    finding = Finding.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=finding.pk)
    require_inspector(actor, finding.inspection)
    if finding.closed_at is not None:
        raise Conflict(_("Phát hiện này đã đóng."), field="finding")
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Cần ghi kết quả khắc phục."), field="note")
    finding.closed_at, finding.closed_by, finding.close_note = clock.now(), actor, note[:500]
    finding.save(update_fields=["closed_at", "closed_by", "close_note"])
    return finding
