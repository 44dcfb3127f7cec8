"""The commune health station's list: people whose check needs escalation, oldest first, each
resolved in place (htmx) with what was done and who did it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core.errors import DomainError
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page
from chongdich.monitoring import selectors, services
from chongdich.monitoring.forms import ResolveForm
from chongdich.monitoring.models import EscalationStatus

PER_PAGE = 30


@login_required
def escalations(request):
    actor = request.user
    status = EscalationStatus.RESOLVED if request.GET.get("status") == "resolved" else EscalationStatus.OPEN
    page, capped = paginate(request, selectors.escalation_list(actor=actor, status=status), per_page=PER_PAGE)
    context = {
        "page": page, "capped": capped, "query": query_without_page(request), "status": status,
        "can_resolve": actor.can("resolve_escalation"),
        "items": [(e, ResolveForm(prefix=f"e{e.pk}")) for e in page.object_list],
    }
    return render(request, "monitoring/escalations.html", context)


@login_required
@require_POST
def resolve(request, pk: int):
    """htmx: answers with the escalation's item, resolved or with the form's errors."""
    actor = request.user
    escalation = or_404(selectors.escalation_get, actor=actor, escalation_id=pk)
    form = ResolveForm(request.POST, prefix=f"e{pk}")
    done = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.escalation_resolve(actor=actor, escalation=escalation, action=data["action"],
                                        note=data["note"], officer_name=data["officer_name"])
            done = True
        except DomainError as exc:
            add_domain_error(form, exc)
    if not request.htmx:
        if done:
            messages.success(request, _("Đã ghi nhận xử trí cho %(name)s.") % {"name": escalation.person.full_name})
        else:
            for error in form.errors.values():
                messages.error(request, " ".join(error))
        return redirect("monitoring:escalations")
    escalation = selectors.escalation_get(actor=actor, escalation_id=pk)
    context = {"escalation": escalation, "form": form, "can_resolve": covers(actor, escalation.commune)
               and actor.can("resolve_escalation")}
    return render(request, "monitoring/escalations.html#item", context)
