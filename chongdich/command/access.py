"""Who sees and who may change command records.

Seeing (selectors filter every read with these, and a record outside them is 'not found'):
- a task: inside the actor's jurisdiction by the assignee's unit or by the issuing committee's
  unit, or assigned to (or shared with, as a partner) an agency the actor belongs to;
- a document: issued inside the actor's jurisdiction, addressed to a unit inside it or to an
  agency the actor belongs to, or holding a task the actor sees;
- an agency: inside the jurisdiction, at a unit above the actor's (the bodies that give it
  orders), or one the actor belongs to;
- an inspection: the inspected unit or the inspecting committee inside the jurisdiction, or the
  actor is on its team or leads it.

Changing: the assignee agency's members (and head) report on its tasks; the issuing committee's
leaders and secretaries enter documents and tasks and may record a report on an agency's behalf;
its leaders verify or send back (capabilities in accounts.domain)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from chongdich.command.models import Agency, Document, Inspection, InspectionTeam, Task
from chongdich.core.errors import NotFound, PermissionDenied
from chongdich.core.jurisdiction import ancestor_ids, covers, is_national, require_write, scope_q


def agency_ids_of(actor) -> list[int]:
    """The agencies the actor belongs to, as a member or as the head's account."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    return list(Agency.objects.filter(Q(members=actor) | Q(head_account=actor))
                .values_list("pk", flat=True).distinct())


def _units_inside_q(actor, field: str) -> Q:
    """`field` (a unit) is the actor's unit or below it."""
    unit = actor.unit
    if unit.level == "commune":
        return Q(**{f"{field}_id": unit.pk})
    return Q(**{f"{field}_id": unit.pk}) | Q(**{f"{field}__{unit.level}_id": unit.pk})


def task_q(actor) -> Q:
    if is_national(actor):
        return Q()
    q = scope_q(actor) | scope_q(actor, "issuer_")
    if ids := agency_ids_of(actor):
        partner_of = Task.partners.through.objects.filter(agency_id__in=ids).values("task_id")
        q |= Q(agency_id__in=ids) | Q(pk__in=partner_of)
    return q


def document_q(actor) -> Q:
    if is_national(actor):
        return Q()
    q = scope_q(actor)
    if actor.unit_id:
        addressed = Document.recipient_units.through.objects.filter(_units_inside_q(actor, "adminunit"))
        q |= Q(pk__in=addressed.values("document_id"))
    if ids := agency_ids_of(actor):
        received = Document.recipient_agencies.through.objects.filter(agency_id__in=ids)
        q |= Q(pk__in=received.values("document_id"))
    q |= Q(pk__in=Task.objects.filter(task_q(actor), document__isnull=False).values("document_id"))
    return q


def agency_q(actor) -> Q:
    if is_national(actor):
        return Q()
    q = scope_q(actor)
    if actor.unit_id:
        q |= Q(unit_id__in=ancestor_ids(actor.unit))
    if ids := agency_ids_of(actor):
        q |= Q(pk__in=ids)
    return q


def inspection_q(actor) -> Q:
    if is_national(actor):
        return Q()
    q = scope_q(actor) | scope_q(actor, "issuer_") | Q(led_by=actor)
    teams = InspectionTeam.objects.filter(Q(members=actor) | Q(leader=actor)).values("pk")
    return q | Q(team_id__in=teams)


def team_q(actor) -> Q:
    if is_national(actor):
        return Q()
    return scope_q(actor) | Q(pk__in=InspectionTeam.objects.filter(Q(members=actor) | Q(leader=actor)).values("pk"))


# --- Checks used by the services ----------------------------------------------------------------


def require_task_visible(actor, task: Task) -> None:
    if not Task.objects.filter(task_q(actor), pk=task.pk).exists():
        raise NotFound(_("Không tìm thấy nhiệm vụ."))


def require_agency_visible(actor, agency: Agency, field: str = "agency") -> None:
    if not Agency.objects.filter(agency_q(actor), pk=agency.pk).exists():
        raise NotFound(_("Không tìm thấy cơ quan, đơn vị."), field=field)


def is_member(actor, agency: Agency) -> bool:
    return agency.head_account_id == actor.pk or agency.members.filter(pk=actor.pk).exists()


def require_reporter(actor, task: Task) -> bool:
    """May the actor report on this task? Its agency's members and head may; so may the issuing
    committee's office, on the agency's behalf (returns True then: the report is marked so)."""
    require_task_visible(actor, task)
    if actor.can("report_tasks") and is_member(actor, task.agency):
        return False
    if covers(actor, task.issuer_unit) and actor.can("issue_documents"):
        return True
    raise PermissionDenied(_("Chỉ cán bộ của cơ quan được giao (hoặc văn phòng Ban chỉ đạo ra văn bản) "
                             "mới báo cáo được nhiệm vụ này."))


def require_committee(actor, task: Task, capability: str) -> None:
    """Verdicts and changes to a task belong to the committee that issued it."""
    require_task_visible(actor, task)
    if not covers(actor, task.issuer_unit):
        raise PermissionDenied(_("Chỉ Ban chỉ đạo đã giao nhiệm vụ mới thực hiện được thao tác này."))
    require_write(actor, task.issuer_unit, capability)


def require_inspector(actor, inspection: Inspection) -> None:
    """Checklist results and findings: the team's members and leader, the leader of a surprise
    check, or the inspecting committee's office."""
    if not Inspection.objects.filter(inspection_q(actor), pk=inspection.pk).exists():
        raise NotFound(_("Không tìm thấy cuộc kiểm tra."))
    on_team = inspection.led_by_id == actor.pk or (
        inspection.team_id is not None
        and InspectionTeam.objects.filter(Q(members=actor) | Q(leader=actor), pk=inspection.team_id).exists()
    )
    if on_team and actor.can("record_findings"):
        return
    if covers(actor, inspection.issuer_unit) and actor.can("manage_inspections"):
        return
    raise PermissionDenied(_("Chỉ thành viên đoàn kiểm tra hoặc Ban chỉ đạo cấp kiểm tra mới ghi được kết quả."))
