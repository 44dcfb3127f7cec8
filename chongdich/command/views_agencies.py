"""Agencies: the list, an agency's page (its inbox: what it owes and by when), creating and
editing one; and 'my tasks' for an account that works for agencies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.command import selectors, services
from chongdich.command.forms import AgencyForm
from chongdich.command.models import Agency
from chongdich.command.views import units_queryset
from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, or_404


@login_required
def my_tasks(request):
    """What the agencies I work for owe: straight to the agency's inbox when there is one."""
    actor = request.user
    agencies = list(selectors.agencies_of(actor=actor))
    if len(agencies) == 1:
        return redirect("command:agency", pk=agencies[0].pk)
    boxes = [(agency, selectors.inbox(actor=actor, agency=agency)) for agency in agencies]
    return render(request, "command/my_tasks.html", {"boxes": boxes, "now": clock.now()})


@login_required
def agency_list_view(request):
    actor = request.user
    search = request.GET.get("q", "")
    agencies = list(selectors.agency_list(actor=actor, search=search, active_only=request.GET.get("all") != "1"))
    owed = selectors.open_task_counts(actor=actor, agency_ids=[a.pk for a in agencies])
    for agency in agencies:
        agency.owed = owed.get(agency.pk, {})
    context = {"agencies": agencies, "search": search,
               "can_manage": actor.unit_id is not None and actor.can("manage_agencies")}
    return render(request, "command/agency_list.html", context)


@login_required
def agency_detail(request, pk: int):
    actor = request.user
    agency = or_404(selectors.agency_get, actor=actor, agency_id=pk)
    context = {
        "agency": agency, "box": selectors.inbox(actor=actor, agency=agency), "now": clock.now(),
        "members": list(agency.members.select_related("unit").order_by("full_name")),
        "subordinates": list(agency.subordinates.filter(is_active=True)),
        "can_manage": covers(actor, agency.unit) and actor.can("manage_agencies"),
    }
    return render(request, "command/agency_detail.html", context)


def _form(actor, data=None, *, initial=None, editing=False, unit=None) -> AgencyForm:
    return AgencyForm(
        data, initial=initial, editing=editing,
        units=units_queryset(actor),
        people=selectors.user_choices(actor=actor, unit=unit),
        agencies=selectors.agency_list(actor=actor),
    )


@login_required
def agency_new(request):
    actor = request.user
    form = _form(actor, request.POST if request.method == "POST" else None, initial={"unit": actor.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=actor, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": agency.name})
            return redirect("command:agency", pk=agency.pk)
    context = {"form": form, "can_manage": actor.unit_id is not None and actor.can("manage_agencies")}
    return render(request, "command/agency_form.html", context)


@login_required
def agency_edit(request, pk: int):
    actor = request.user
    agency: Agency = or_404(selectors.agency_get, actor=actor, agency_id=pk)
    initial = {f: getattr(agency, f) for f in ("name", "short_name", "kind", "head_name", "head_title", "is_active")}
    initial |= {"head_account": agency.head_account_id, "superior": agency.superior_id,
                "members": list(agency.members.values_list("pk", flat=True))}
    form = _form(actor, request.POST if request.method == "POST" else None, initial=initial, editing=True,
                 unit=agency.unit)
    form.fields["superior"].queryset = form.fields["superior"].queryset.exclude(pk=agency.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=actor, agency=agency, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("command:agency", pk=agency.pk)
    context = {"form": form, "agency": agency,
               "can_manage": covers(actor, agency.unit) and actor.can("manage_agencies")}
    return render(request, "command/agency_form.html", context)
