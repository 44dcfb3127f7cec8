"""The task page and what is posted from it: start, report (progress or done, with files),
verify, send back, cancel, reschedule, name the officer responsible."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chongdich.command import domain, selectors, services
from chongdich.command.access import is_member
from chongdich.command.domain import Occurrence, Status
from chongdich.command.forms import OfficerForm, ReasonForm, ReportForm, RescheduleForm, VerifyForm
from chongdich.core.errors import DomainError
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, or_404

OCCURRENCE_LABELS = {
    Occurrence.ON_TIME: gettext_lazy("đúng hạn"), Occurrence.LATE: gettext_lazy("muộn"),
    Occurrence.MISSING: gettext_lazy("chưa báo cáo"), Occurrence.PENDING: gettext_lazy("chưa đến hạn"),
}


def permissions(actor, task) -> dict[str, bool]:
    """What the page offers the actor (the services check again)."""
    committee = covers(actor, task.issuer_unit)
    member = actor.can("report_tasks") and is_member(actor, task.agency)
    reporter = member or (committee and actor.can("issue_documents"))
    return {
        "is_member": member,
        "can_report": reporter and task.status in domain.OPEN,
        "can_start": reporter and task.status in (Status.ASSIGNED, Status.SENT_BACK),
        "can_verify": committee and actor.can("verify_tasks") and task.status in domain.AWAITING,
        "can_manage": committee and actor.can("issue_documents") and task.status not in domain.CLOSED,
        "can_set_officer": reporter and task.status not in domain.CLOSED,
        "on_behalf": reporter and not member,
    }


def _periods(row) -> tuple[list, object]:
    """Report periods the form offers for a recurring task (latest first) and the default."""
    if not row.due_reports:
        return [], None
    choices = [(r.period, f"{r.period:%d/%m/%Y} · {OCCURRENCE_LABELS[r.status]}") for r in reversed(row.due_reports)]
    return choices, domain.default_period(row.due_reports)


def task_context(request, task, **forms) -> dict:
    actor = request.user
    row = selectors.task_rows([task])[0]
    periods, default = _periods(row)
    context = {
        "task": task, "row": row, "history": selectors.task_history(task=task),
        "reports": selectors.task_reports(task=task), "escalations": selectors.task_escalations(task=task),
        "partners": list(task.partners.all()),
        "occurrences": [(r, OCCURRENCE_LABELS[r.status]) for r in row.due_reports],
        "report_form": ReportForm(periods=periods, default_period=default),
        "verify_form": VerifyForm(), "send_back_form": ReasonForm(prefix="back"),
        "cancel_form": ReasonForm(prefix="cancel"), "reschedule_form": RescheduleForm(initial={"deadline": task.deadline}),
        "officer_form": OfficerForm(people=_people(task), initial={"officer": task.officer_id,
                                                                   "officer_name": task.officer_name}),
        **permissions(actor, task),
    }
    context.update(forms)
    return context


def _people(task):
    from chongdich.accounts.models import User

    ids = list(task.agency.members.values_list("pk", flat=True))
    if task.agency.head_account_id:
        ids.append(task.agency.head_account_id)
    return User.objects.filter(pk__in=ids, is_active=True).select_related("unit").order_by("full_name")


def _task(request, pk: int):
    return or_404(selectors.task_get, actor=request.user, task_id=pk)


def _page(request, task, **forms):
    return render(request, "command/task_detail.html", task_context(request, task, **forms))


@login_required
def task_detail(request, pk: int):
    return _page(request, _task(request, pk))


def _done(request, task, message: str):
    messages.success(request, message)
    return redirect("command:task", pk=task.pk)


@login_required
@require_POST
def task_start_view(request, pk: int):
    task = _task(request, pk)
    try:
        services.task_start(actor=request.user, task=task)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("command:task", pk=task.pk)
    return _done(request, task, _("Đã tiếp nhận nhiệm vụ."))


@login_required
@require_POST
def task_report_view(request, pk: int):
    task = _task(request, pk)
    periods, default = _periods(selectors.task_rows([task])[0])
    form = ReportForm(request.POST, request.FILES, periods=periods, default_period=default)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_report(actor=request.user, task=task, text=data["text"], done=data["done"],
                                 period=data.get("period"), files=data["files"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, task, _("Đã gửi báo cáo hoàn thành, chờ Ban chỉ đạo xác nhận.") if data["done"]
                         else _("Đã gửi báo cáo tiến độ."))
    return _page(request, task, report_form=form)


def _act(request, pk: int, form, form_name: str, service, message: str):
    """A task action from its page: the form valid and the service willing → back to the task with
    `message`; otherwise the task page again with the form and its errors (as `form_name`)."""
    task = _task(request, pk)
    if form.is_valid():
        try:
            service(actor=request.user, task=task, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, task, message)
    return _page(request, task, **{form_name: form})


@login_required
@require_POST
def task_verify_view(request, pk: int):
    return _act(request, pk, VerifyForm(request.POST), "verify_form", services.task_verify,
                _("Đã xác nhận nhiệm vụ hoàn thành."))


@login_required
@require_POST
def task_send_back_view(request, pk: int):
    return _act(request, pk, ReasonForm(request.POST, prefix="back"), "send_back_form",
                services.task_send_back, _("Đã trả lại nhiệm vụ, yêu cầu làm tiếp."))


@login_required
@require_POST
def task_cancel_view(request, pk: int):
    return _act(request, pk, ReasonForm(request.POST, prefix="cancel"), "cancel_form",
                services.task_cancel, _("Đã huỷ nhiệm vụ."))


@login_required
@require_POST
def task_reschedule_view(request, pk: int):
    return _act(request, pk, RescheduleForm(request.POST), "reschedule_form",
                services.task_reschedule, _("Đã đổi thời hạn."))


@login_required
@require_POST
def task_officer_view(request, pk: int):
    task = _task(request, pk)
    form = OfficerForm(request.POST, people=_people(task))
    if form.is_valid():
        try:
            services.task_set_officer(actor=request.user, task=task, officer=form.cleaned_data["officer"],
                                      officer_name=form.cleaned_data["officer_name"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, task, _("Đã cập nhật người chịu trách nhiệm."))
    return _page(request, task, officer_form=form)
