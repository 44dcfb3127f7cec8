"""F0 proposals from positive individual results: an officer confirms (the case is registered) or
dismisses with a reason. Nothing becomes a case without this page (or its API twin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.cases.models import CaseStatus
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page
from chongdich.testing import domain, selectors, services
from chongdich.testing.forms import ConfirmForm, DismissForm
from chongdich.testing.models import ProposalStatus


def _confirm_form(proposal, data=None):
    sample = proposal.sample
    original = sample.retest_of.reason if sample.retest_of_id else None
    initial = {"detection": domain.detection_for(sample.reason, original_reason=original),
               "status": CaseStatus.HOME_CARE}
    return ConfirmForm(data, prefix=f"c{proposal.pk}", initial=initial)


def _render_list(request, *, forms: dict | None = None, status: int = 200):
    actor = request.user
    shown = request.GET.get("status", ProposalStatus.PROPOSED)
    if shown not in ProposalStatus.values:
        shown = ""
    page, capped = paginate(request, selectors.proposal_list(actor=actor, status=shown)
                            .select_related("sample__retest_of"))
    forms = forms or {}
    rows = [(p, forms.get(("confirm", p.pk)) or _confirm_form(p),
             forms.get(("dismiss", p.pk)) or DismissForm(prefix=f"d{p.pk}")) for p in page]
    context = {"page": page, "rows": rows, "capped": capped, "query": query_without_page(request),
               "shown": shown, "statuses": ProposalStatus.choices,
               "can_decide": actor.can("confirm_case_proposal")}
    return render(request, "testing/proposals.html", context, status=status)


@login_required
def proposal_list(request):
    return _render_list(request)


@login_required
@require_POST
def proposal_confirm(request, pk: int):
    actor = request.user
    proposal = or_404(selectors.proposal_get, actor=actor, proposal_id=pk)
    form = _confirm_form(proposal, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = services.proposal_confirm(actor=actor, proposal=proposal, confirmed_at=data["confirmed_at"],
                                             detection=data["detection"], status=data["status"],
                                             note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc, {"person": None, "code": None})
        else:
            messages.success(request, _("Đã xác nhận ca bệnh %(code)s (%(name)s).")
                             % {"code": case.code, "name": proposal.person.full_name})
            return redirect("cases:detail", pk=case.pk)
    return _render_list(request, forms={("confirm", pk): form}, status=422)


@login_required
@require_POST
def proposal_dismiss(request, pk: int):
    actor = request.user
    proposal = or_404(selectors.proposal_get, actor=actor, proposal_id=pk)
    form = DismissForm(request.POST, prefix=f"d{pk}")
    if form.is_valid():
        try:
            services.proposal_dismiss(actor=actor, proposal=proposal, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã bác bỏ đề xuất ca bệnh của %(name)s.")
                             % {"name": proposal.person.full_name})
            return redirect("testing:proposals")
    return _render_list(request, forms={("dismiss", pk): form}, status=422)
