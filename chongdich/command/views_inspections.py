"""Inspections: teams, planned checks, leaders' surprise checks, the checklist drawn from the
documents in force, findings and their corrective tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.command import selectors, services
from chongdich.command.forms import initial_deadline
from chongdich.command.forms_inspections import (
    ChecklistAddForm,
    ChecklistItemForm,
    CloseFindingForm,
    CompleteForm,
    CorrectiveTaskForm,
    FindingForm,
    InspectionForm,
    SurpriseForm,
    TeamForm,
)
from chongdich.command.models import InspectionStatus
from chongdich.command.services import NewTask
from chongdich.command.views import units_queryset
from chongdich.core.errors import DomainError
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, or_404, template_for


def _units(actor):
    return units_queryset(actor)


def can_manage(actor) -> bool:
    return actor.unit_id is not None and actor.can("manage_inspections")


@login_required
def inspection_list_view(request):
    actor = request.user
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    context = {
        "inspections": selectors.inspection_list(actor=actor, kind=kind, status=status)[:200],
        "teams": selectors.team_list(actor=actor), "kind": kind, "status": status,
        "open_findings": selectors.finding_list(actor=actor, open_only=True)[:50],
        "can_manage": can_manage(actor),
    }
    return render(request, "command/inspection_list.html", context)


@login_required
def team_new(request):
    actor = request.user
    form = TeamForm(request.POST or None, people=selectors.user_choices(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(actor=actor, unit=actor.unit, name=data["name"], leader=data["leader"],
                                        leader_name=data["leader_name"], members=list(data["members"]),
                                        note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thành lập %(name)s.") % {"name": team.name})
            return redirect("command:inspections")
    return render(request, "command/team_form.html", {"form": form, "can_manage": can_manage(actor)})


@login_required
def inspection_new(request):
    actor = request.user
    form = InspectionForm(request.POST or None, teams=selectors.team_list(actor=actor), units=_units(actor),
                          agencies=selectors.agency_list(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_schedule(
                actor=actor, team=data["team"], inspected_unit=data["inspected_unit"],
                inspected_agency=data["inspected_agency"], scheduled_on=data["scheduled_on"], topic=data["topic"])
            services.inspection_checklist_draft(actor=actor, inspection=inspection)
        except DomainError as exc:
            add_domain_error(form, exc, {"team": "team"})
        else:
            messages.success(request, _("Đã lên lịch kiểm tra; danh mục kiểm tra lấy từ các văn bản còn hiệu lực."))
            return redirect("command:inspection", pk=inspection.pk)
    return render(request, "command/inspection_form.html",
                  {"form": form, "surprise": False, "can_manage": can_manage(actor)})


@login_required
def surprise_new(request):
    """A leader records a surprise check (kiểm tra đột xuất) after the visit."""
    actor = request.user
    form = SurpriseForm(request.POST or None, units=_units(actor), agencies=selectors.agency_list(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record_surprise(
                actor=actor, inspected_unit=data["inspected_unit"], inspected_agency=data["inspected_agency"],
                carried_out_on=data["carried_out_on"], topic=data["topic"], conclusion=data["conclusion"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã ghi kiểm tra đột xuất. Ghi các phát hiện bên dưới."))
            return redirect("command:inspection", pk=inspection.pk)
    return render(request, "command/inspection_form.html",
                  {"form": form, "surprise": True, "can_manage": can_manage(actor)})


def inspection_context(request, inspection, **forms) -> dict:
    actor = request.user
    items = selectors.checklist(inspection=inspection)
    agencies = selectors.agency_list(actor=actor)
    open_ = inspection.status != InspectionStatus.CANCELLED
    committee = covers(actor, inspection.issuer_unit)
    context = {
        "inspection": inspection, "items": items, "findings": selectors.findings_of(inspection=inspection),
        "can_record": open_ and _may_record(actor, inspection),
        "can_assign": committee and actor.can("manage_inspections"),
        "can_cancel": committee and actor.can("manage_inspections") and inspection.status == InspectionStatus.PLANNED,
        "add_form": ChecklistAddForm(), "complete_form": CompleteForm(),
        "finding_form": FindingForm(items=items, agencies=agencies),
        "task_form": CorrectiveTaskForm(agencies=selectors.agencies_assignable(actor=actor, issuer=inspection.issuer_unit),
                                        initial={"deadline": initial_deadline()}),
        "close_form": CloseFindingForm(), "results": ChecklistItemForm.base_fields["result"].choices,
        "team_members": list(inspection.team.members.all()) if inspection.team_id else [],
    }
    context.update(forms)
    return context


def _may_record(actor, inspection) -> bool:
    from chongdich.command.access import require_inspector
    from chongdich.core.errors import DomainError as Refused

    try:
        require_inspector(actor, inspection)
    except Refused:
        return False
    return True


def _inspection(request, pk: int):
    return or_404(selectors.inspection_get, actor=request.user, inspection_id=pk)


def _page(request, inspection, **forms):
    return render(request, "command/inspection_detail.html", inspection_context(request, inspection, **forms))


def _back(inspection, anchor: str = ""):
    response = redirect("command:inspection", pk=inspection.pk)
    response["Location"] += anchor
    return response


@login_required
def inspection_detail(request, pk: int):
    return _page(request, _inspection(request, pk))


@login_required
@require_POST
def checklist_draft(request, pk: int):
    inspection = _inspection(request, pk)
    try:
        made = services.inspection_checklist_draft(actor=request.user, inspection=inspection)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thêm %(n)s nội dung từ các văn bản còn hiệu lực.") % {"n": len(made)})
    return _back(inspection, "#checklist")


@login_required
@require_POST
def checklist_add(request, pk: int):
    inspection = _inspection(request, pk)
    form = ChecklistAddForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(actor=request.user, inspection=inspection, text=form.cleaned_data["text"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _back(inspection, "#checklist")
    return _page(request, inspection, add_form=form)


@login_required
@require_POST
def checklist_item(request, pk: int):
    """htmx: set one item's result and note; answers with the item's row."""
    item = or_404(selectors.checklist_item_get, actor=request.user, item_id=pk)
    form = ChecklistItemForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.checklist_item_update(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Kết quả không hợp lệ.")
    if request.htmx:
        item.refresh_from_db()
        context = inspection_context(request, item.inspection) | {"item": item, "error": error}
        return render(request, template_for(request, "command/inspection_detail.html", "item"), context)
    if error:
        messages.error(request, error)
    return _back(item.inspection, "#checklist")


@login_required
@require_POST
def checklist_item_delete(request, pk: int):
    item = or_404(selectors.checklist_item_get, actor=request.user, item_id=pk)
    try:
        services.checklist_item_remove(actor=request.user, item=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(item.inspection, "#checklist")


@login_required
@require_POST
def inspection_complete_view(request, pk: int):
    inspection = _inspection(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_complete(actor=request.user, inspection=inspection, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã ghi kết quả kiểm tra."))
            return _back(inspection)
    return _page(request, inspection, complete_form=form)


@login_required
@require_POST
def inspection_cancel_view(request, pk: int):
    inspection = _inspection(request, pk)
    try:
        services.inspection_cancel(actor=request.user, inspection=inspection)
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(inspection)


@login_required
@require_POST
def finding_new(request, pk: int):
    actor = request.user
    inspection = _inspection(request, pk)
    form = FindingForm(request.POST, items=selectors.checklist(inspection=inspection),
                       agencies=selectors.agency_list(actor=actor))
    if form.is_valid():
        try:
            services.finding_record(actor=actor, inspection=inspection, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã ghi phát hiện."))
            return _back(inspection, "#findings")
    return _page(request, inspection, finding_form=form)


@login_required
@require_POST
def finding_task(request, pk: int):
    """Turn a finding into a corrective task with a deadline."""
    actor = request.user
    finding = or_404(selectors.finding_get, actor=actor, finding_id=pk)
    inspection = _inspection(request, finding.inspection_id)
    form = CorrectiveTaskForm(request.POST, agencies=selectors.agencies_assignable(actor=actor,
                                                                                  issuer=inspection.issuer_unit))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_assign_task(actor=actor, finding=finding, spec=NewTask(
                agency=data["agency"], description=data["description"], deadline=data["deadline"],
                officer_name=data["officer_name"]))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã giao nhiệm vụ khắc phục cho %(agency)s.") % {"agency": data["agency"].name})
            return _back(inspection, f"#finding-{finding.pk}")
    return _page(request, inspection, task_form=form, task_form_finding=finding.pk)


@login_required
@require_POST
def finding_close_view(request, pk: int):
    actor = request.user
    finding = or_404(selectors.finding_get, actor=actor, finding_id=pk)
    form = CloseFindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_close(actor=actor, finding=finding, note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
    return _back(finding.inspection, f"#finding-{finding.pk}")
