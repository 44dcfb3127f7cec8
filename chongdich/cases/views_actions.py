"""Forms posted from the case page: add a contact, record a status, discard, link infector/cluster.
Each parses, calls one service, and shows the refusal on the form it came from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.cases.forms import ContactAddForm, DiscardForm, LinkForm, StatusForm
from chongdich.cases.selectors import case_get, case_get_by_code, cluster_get
from chongdich.cases.services import case_discard, case_record_status, case_update, contact_add
from chongdich.cases.views import case_context
from chongdich.core.errors import DomainError, NotFound, ProbableDuplicate
from chongdich.core.web import add_domain_error, lookup, or_404
from chongdich.people.forms import NewPersonForm
from chongdich.people.selectors import person_get


def _case(request, pk: int):
    return or_404(case_get, actor=request.user, case_id=pk)


def _page(request, case, status: int = 200, **forms):
    return render(request, "cases/case_detail.html", case_context(request, case, **forms), status=status)


@login_required
@require_POST
def contact_add_view(request, pk: int):
    """htmx: answers with the contacts section (and tells the chain graph to reload)."""
    actor = request.user
    case = _case(request, pk)
    form = ContactAddForm(request.POST)
    person_form = NewPersonForm(request.POST, actor=actor, prefix="new")
    candidates, added = [], None
    if form.is_valid() and person_form.is_valid():
        try:
            added = _add(actor, case, form, person_form)
        except ProbableDuplicate as exc:
            candidates = exc.candidates
            add_domain_error(person_form, exc)
        except DomainError as exc:
            add_domain_error(person_form if exc.field in person_form.fields else form, exc)
    if added is not None:
        if not request.htmx:
            messages.success(request, _("Đã thêm tiếp xúc %(name)s.") % {"name": added.full_name})
            return redirect(reverse("cases:detail", args=[case.pk]) + "#contacts")
        context = case_context(request, _case(request, pk), contact_added=added)
        response = render(request, "cases/case_detail.html#contacts", context)
        response["HX-Trigger"] = "contactsChanged"
        return response
    forms = {"contact_form": form, "contact_person_form": person_form,
             "contact_candidates": candidates}
    if request.htmx:
        return render(request, "cases/case_detail.html#contacts", case_context(request, case, **forms))
    return _page(request, case, **forms)


def _add(actor, case, form, person_form):
    data = form.cleaned_data
    existing = None
    if data["contact"]:
        try:
            existing = person_get(actor=actor, person_id=data["contact"])
        except NotFound as exc:
            raise DomainError(exc.message, field="contact") from exc
    elif not person_form.is_filled:
        raise DomainError(_("Chọn một người đã có hoặc nhập người mới."), field="contact")
    record = contact_add(
        actor=actor, person=case.person, contact=existing,
        new_contact=None if existing else person_form.service_kwargs(),
        last_contact_at=data["last_contact_at"], setting=data["setting"], note=data["note"],
        case=case,
    )
    return record.contact if record.person_id == case.person_id else record.person


@login_required
@require_POST
def status_record(request, pk: int):
    case = _case(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            case_record_status(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã cập nhật tình trạng điều trị."))
            return redirect("cases:detail", pk=case.pk)
    return _page(request, case, status_form=form)


@login_required
@require_POST
def discard(request, pk: int):
    case = _case(request, pk)
    form = DiscardForm(request.POST)
    if form.is_valid():
        try:
            case_discard(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã loại ca bệnh %(code)s.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    return _page(request, case, discard_form=form)


@login_required
@require_POST
def link(request, pk: int):
    actor = request.user
    case = _case(request, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        code, cluster_id = form.cleaned_data["infector_code"].strip(), form.cleaned_data["cluster"]
        try:
            infector = lookup(case_get_by_code, "infector_code", actor=actor, code=code) if code else None
            cluster = lookup(cluster_get, "cluster", actor=actor, cluster_id=cluster_id) if cluster_id else None
            case_update(actor=actor, case=case, infected_by=infector, cluster=cluster)
        except DomainError as exc:
            add_domain_error(form, exc, {"infected_by": "infector_code"})
        else:
            messages.success(request, _("Đã cập nhật nguồn lây và ổ dịch."))
            return redirect("cases:detail", pk=case.pk)
    return _page(request, case, link_form=form)
