"""Case pages: the list with filters, the case page with its chain graph, registering a case.
The forms posted from the case page are in views_actions, clusters in views_clusters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.cases.forms import (
    CaseFilterForm,
    CaseRegisterForm,
    ContactAddForm,
    DiscardForm,
    LinkForm,
    StatusForm,
)
from chongdich.cases.selectors import (
    CaseFilters,
    case_chain_graph,
    case_chain_position,
    case_get,
    case_get_by_code,
    case_infected_list,
    case_list,
    case_status_history,
    cluster_get,
    contact_list_for_person,
)
from chongdich.cases.services import case_register
from chongdich.core.errors import DomainError, NotFound, ProbableDuplicate
from chongdich.core.web import (
    add_domain_error,
    lookup,
    or_404,
    paginate,
    query_without_page,
    template_for,
)
from chongdich.dashboard.selectors import case_count_from_daily
from chongdich.geography.selectors import unit_get, unit_picker
from chongdich.people.forms import NewPersonForm
from chongdich.people.selectors import person_get
from chongdich.people.services import person_create

PER_PAGE = 50
# Where a service's field names differ from the form's.
CASE_FIELDS = {"infected_by": "infector_code", "code": "person"}


@login_required
def case_list_view(request):
    actor = request.user
    form = CaseFilterForm(request.GET or None, units=unit_picker(actor=actor))
    filters = CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        unit = None
        if data["unit"]:
            try:
                unit = unit_get(actor=actor, code=data["unit"])
            except NotFound as exc:
                form.add_error("unit", exc.message)
        filters = CaseFilters(
            unit=unit, confirmed_from=data["confirmed_from"], confirmed_to=data["confirmed_to"],
            status=data["status"], detection=data["detection"], cluster_id=data["cluster"],
            search=data["q"],
        )
    cases = case_list(actor=actor, filters=filters)
    exact = case_count_from_daily(actor=actor, filters=filters)
    page, capped = paginate(request, cases, per_page=PER_PAGE, exact_count=exact,
                            count=not filters.search)
    context = {"form": form, "page": page, "capped": capped, "query": query_without_page(request),
               "can_register": actor.can("register_case")}
    return render(request, template_for(request, "cases/case_list.html", "results"), context)


def case_context(request, case, **forms) -> dict:
    """Everything the case page shows; `forms` replaces a blank form by one with errors."""
    actor = request.user
    chain = case_chain_position(actor=actor, case=case)
    root = case if chain.root == case.pk else case_get(actor=actor, case_id=chain.root)
    context = {
        "case": case,
        "person": case.person,
        "history": case_status_history(case=case),
        "chain": chain,
        "root": root,
        "infected": case_infected_list(actor=actor, case=case),
        "contacts": contact_list_for_person(actor=actor, person=case.person),
        "can_add_contact": actor.can("add_contact") and case.discarded_at is None,
        "can_update": actor.can("update_case") and case.is_active,
        "can_link": actor.can("update_case") and case.discarded_at is None,
        "can_discard": actor.can("discard_case") and case.discarded_at is None,
        "contact_form": ContactAddForm(),
        "contact_person_form": NewPersonForm(actor=actor, prefix="new",
                                             initial={"commune": case.person.commune_id}),
        "contact_candidates": [],
        "status_form": StatusForm(),
        "discard_form": DiscardForm(),
        "link_form": LinkForm(initial={
            "infector_code": case.infected_by.code if case.infected_by else "",
            "cluster": case.cluster_id,
        }),
        "cluster_options": [case.cluster] if case.cluster else [],
    }
    context.update(forms)
    return context


@login_required
def case_detail(request, pk: int):
    case = or_404(case_get, actor=request.user, case_id=pk)
    return render(request, "cases/case_detail.html", case_context(request, case))


@login_required
def case_graph(request, pk: int):
    """Nodes and edges around the case for the chain graph (Cytoscape.js)."""
    case = or_404(case_get, actor=request.user, case_id=pk)
    return JsonResponse(case_chain_graph(actor=request.user, case=case))


@login_required
def case_new(request):
    actor = request.user
    data = request.POST if request.method == "POST" else None
    form = CaseRegisterForm(data)
    person_form = NewPersonForm(data, actor=actor, prefix="new")
    chosen, candidates = _chosen_person(request), []
    if data is not None and form.is_valid() and person_form.is_valid():
        try:
            case = _register(actor, form, person_form, chosen)
        except ProbableDuplicate as exc:
            candidates = exc.candidates
            add_domain_error(person_form, exc)
        except _FormError as exc:
            add_domain_error(exc.form, exc.error, CASE_FIELDS)
        else:
            messages.success(request, _("Đã đăng ký ca bệnh %(code)s.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    context = {"form": form, "person_form": person_form, "chosen": chosen, "candidates": candidates,
               "can_register": actor.can("register_case")}
    return render(request, "cases/case_new.html", context)


class _FormError(Exception):
    def __init__(self, form, error: DomainError):
        super().__init__(error.message)
        self.form, self.error = form, error


def _chosen_person(request):
    """The existing person picked on the form (POST) or linked from the person page (?person=)."""
    raw = request.POST.get("person") if request.method == "POST" else request.GET.get("person")
    if not raw or not str(raw).isdigit():
        return None
    return or_404(person_get, actor=request.user, person_id=int(raw))


def _register(actor, form, person_form, chosen):
    """A new person (if one was typed) and the case, together or not at all."""
    data = form.cleaned_data
    if chosen is None and not person_form.is_filled:
        raise _FormError(form, DomainError(_("Chọn một người đã có hoặc nhập người mới."), field="person"))
    infector = cluster = None
    try:
        if data["infector_code"]:
            infector = lookup(case_get_by_code, "infector_code", actor=actor, code=data["infector_code"])
        if data["cluster"]:
            cluster = lookup(cluster_get, "cluster", actor=actor, cluster_id=data["cluster"])
    except NotFound as exc:
        raise _FormError(form, exc) from exc
    with transaction.atomic():
        if chosen is None:
            try:
                chosen = person_create(actor=actor, **person_form.service_kwargs())
            except ProbableDuplicate:
                raise  # the page shows the candidates
            except DomainError as exc:
                raise _FormError(person_form if exc.field in person_form.fields else form, exc) from exc
        try:
            return case_register(
                actor=actor, person=chosen, confirmed_at=data["confirmed_at"],
                detection=data["detection"], status=data["status"], onset_on=data["onset_on"],
                infected_by=infector, cluster=cluster, note=data["note"],
            )
        except DomainError as exc:
            raise _FormError(form, exc) from exc
