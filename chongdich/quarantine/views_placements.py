"""Pages for placements: admit (with the rule that applies shown as the officer fills the form),
a placement with its tests, transfer, release (override fields only when the rule is not met),
the list, the due tests and the releases due today."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock
from chongdich.core.errors import DomainError, InvalidInput
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.people.selectors import person_get
from chongdich.quarantine import domain, selectors, services
from chongdich.quarantine.forms import (
    AdmitForm,
    DueFilterForm,
    PlacementFilterForm,
    ReleaseForm,
    TransferForm,
)
from chongdich.quarantine.models import Placement, PlacementStatus

PER_PAGE = 50


def _offered(actor, data, purpose: str = ""):
    """Facilities a form offers: those with a free place. A posted choice is checked against every
    open facility, so that a place taken meanwhile gets the service's answer (no free place)."""
    if data is None:
        return selectors.facility_choices(actor=actor, purpose=purpose)
    return selectors.facility_list(actor=actor, filters=selectors.FacilityFilters(status="open"))


def _chosen_person(request):
    raw = request.POST.get("person") if request.method == "POST" else request.GET.get("person")
    if not raw or not str(raw).isdigit():
        return None
    return or_404(person_get, actor=request.user, person_id=int(raw))


@login_required
def admit(request):
    actor = request.user
    data = request.POST if request.method == "POST" else None
    initial = {"purpose": request.GET.get("purpose") or "quarantine"}
    if str(request.GET.get("facility", "")).isdigit():
        initial["facility"] = int(request.GET["facility"])
    form = AdmitForm(data, facilities=_offered(actor, data), initial=initial)
    chosen = _chosen_person(request)
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            if chosen is None:
                raise InvalidInput(_("Chọn người cần cách ly."), field="person")
            placement = services.placement_create(
                actor=actor, person=chosen, purpose=values["purpose"], setting=values["setting"],
                facility=values["facility"], condition=values["condition"],
                started_at=values["started_at"], note=values["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã tiếp nhận %(name)s.") % {"name": chosen.full_name})
            return redirect("quarantine:placement", pk=placement.pk)
    context = {"form": form, "chosen": chosen, "can_place": actor.can("place_person"),
               "preview": _preview(form.data if data is not None else {
                   "purpose": form["purpose"].value(), "condition": form["condition"].value(),
                   "setting": form["setting"].value()})}
    return render(request, "quarantine/admit.html", context)


def _preview(values) -> dict:
    """The rule that applies to what the form says so far, and the stay it gives."""
    started = clock.now()
    raw = values.get("started_at") or ""
    if raw:
        try:
            started = timezone.make_aware(dt.datetime.fromisoformat(str(raw)))
        except (TypeError, ValueError):
            return {"error": _("Nhập thời điểm bắt đầu để xem quy định áp dụng.")}
    started_on = timezone.localdate(started)
    try:
        rule_set, rule = selectors.rule_for_placement(
            on=started_on, purpose=values.get("purpose") or "quarantine",
            condition=values.get("condition") or "standard", setting=values.get("setting") or "facility")
    except DomainError as exc:
        return {"error": exc.message}
    return {"rule_set": rule_set, "rule": rule,
            "plan": domain.plan(selectors.as_domain_rule(rule), started_on)}


@login_required
def admit_preview(request):
    """htmx: the rule and planned dates for the admission form's current values."""
    return render(request, "quarantine/admit.html#preview", {"preview": _preview(request.GET)})


def _placement_page(request, placement, status: int = 200, **forms):
    actor = request.user
    chain = selectors.placement_chain(actor=actor, placement=placement)
    active = placement.status == PlacementStatus.ACTIVE
    verdict = selectors.release_verdict(placement) if active else None
    destinations = selectors.facility_choices(actor=actor, purpose=placement.purpose)
    if placement.facility_id:
        destinations = destinations.exclude(pk=placement.facility_id)
    context = {
        "placement": placement, "person": placement.person, "chain": chain,
        "tests": selectors.scheduled_tests_for(placements=chain), "today": clock.today(),
        "verdict": verdict,
        "verdict_messages": verdict.messages(placement.planned_end_on) if verdict else [],
        "can_place": actor.can("place_person") and active,
        "can_override": actor.can("release_override"),
        "transfer_form": TransferForm(facilities=destinations),
        "release_form": ReleaseForm(),
    }
    context.update(forms)
    return render(request, "quarantine/placement_detail.html", context, status=status)


def _placement(request, pk: int) -> Placement:
    return or_404(selectors.placement_get, actor=request.user, placement_id=pk)


@login_required
def placement_detail(request, pk: int):
    return _placement_page(request, _placement(request, pk))


@login_required
@require_POST
def transfer(request, pk: int):
    actor = request.user
    placement = _placement(request, pk)
    form = TransferForm(request.POST, facilities=_offered(actor, request.POST))
    if form.is_valid():
        try:
            moved = services.placement_transfer(actor=actor, placement=placement,
                                                to_facility=form.cleaned_data["facility"],
                                                note=form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã chuyển %(name)s.") % {"name": placement.person.full_name})
            return redirect("quarantine:placement", pk=moved.pk)
    return _placement_page(request, placement, transfer_form=form)


@login_required
@require_POST
def release(request, pk: int):
    actor = request.user
    placement = _placement(request, pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.placement_release(actor=actor, placement=placement, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã kết thúc cách ly cho %(name)s.") % {"name": placement.person.full_name})
            return redirect("quarantine:placement", pk=placement.pk)
    return _placement_page(request, placement, release_form=form)


@login_required
def placement_list_view(request):
    actor = request.user
    facilities = selectors.facility_list(actor=actor).select_related(None).only("pk", "name")
    form = PlacementFilterForm(request.GET or None, facilities=facilities)
    filters = selectors.PlacementFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PlacementFilters(
            status="" if data["status"] == "all" else (data["status"] or PlacementStatus.ACTIVE),
            ending=data["ending"], facility_id=data["facility"], setting=data["setting"],
            purpose=data["purpose"], search=data["q"])
    page, capped = paginate(request, selectors.placement_list(actor=actor, filters=filters),
                            per_page=PER_PAGE, count=not filters.search)
    context = {"form": form, "page": page, "capped": capped, "query": query_without_page(request),
               "today": clock.today(), "can_place": actor.can("place_person")}
    return render(request, template_for(request, "quarantine/placement_list.html", "results"), context)


@login_required
def due_tests(request):
    """Tests due today or overdue, the most overdue first: the sampling team's list."""
    actor = request.user
    form = DueFilterForm(request.GET or None)
    day, setting = clock.today(), ""
    if form.is_valid():
        day = form.cleaned_data["on"] or day
        setting = form.cleaned_data["setting"]
    tests = selectors.due_test_list(actor=actor, on=day, setting=setting)
    page, capped = paginate(request, tests, per_page=PER_PAGE)
    context = {"form": form, "page": page, "capped": capped, "query": query_without_page(request),
               "day": day, "today": clock.today()}
    return render(request, template_for(request, "quarantine/due_tests.html", "results"), context)


@login_required
def releases_due(request):
    """Stays whose planned end is reached, with whether the rule's test is in."""
    actor = request.user
    page, capped = paginate(request, selectors.release_due_list(actor=actor), per_page=PER_PAGE)
    verdicts = selectors.release_verdicts(list(page))
    rows = [(p, verdicts[p.pk]) for p in page]
    context = {"page": page, "rows": rows, "capped": capped, "query": query_without_page(request),
               "today": clock.today(), "can_place": actor.can("place_person")}
    return render(request, "quarantine/releases_due.html", context)
