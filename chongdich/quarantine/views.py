"""Pages: the facility board, a facility with its people, creating and changing facilities, and
the rule sets (with a new version for leaders and epidemiologists). Admissions, transfers,
releases and the due lists are in views_placements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.dashboard.templatetags.numbers import num
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.quarantine import domain, selectors, services_facilities
from chongdich.quarantine.forms import FacilityFilterForm, FacilityForm, RuleFormSet, RuleSetForm
from chongdich.quarantine.models import FacilityStatus

CARDS_AT_ONCE = 60
FACILITY_EDIT_FIELDS = ("name", "kind", "tier", "capacity", "address", "staff_name", "staff_phone",
                        "status", "note")


def _districts(actor) -> list[AdminUnit]:
    unit = actor.unit
    if unit is None:
        return []
    if unit.level == UnitLevel.PROVINCE:
        return list(AdminUnit.objects.filter(province=unit, level=UnitLevel.DISTRICT).order_by("code"))
    return []


def _card_groups(facilities, *, grouped: bool) -> list[tuple[str, list[dict]]]:
    """The board's cards as plain values, by district (or in one group): hundreds of cards render
    in a few milliseconds when the template only prints values."""
    url = reverse("quarantine:facility", args=[987654321])
    groups: dict[str, list[dict]] = {}
    for f in facilities:
        percent = min(int(round(domain.fullness(f.occupied, f.capacity))), 100)
        kind = f.get_kind_display()
        if f.tier:
            kind = _("%(kind)s · tầng %(tier)s") % {"kind": kind, "tier": f.tier}
        if f.status == FacilityStatus.CLOSED:
            kind = _("%(kind)s · đã đóng") % {"kind": kind}
        card = {"url": url.replace("987654321", str(f.pk)), "name": f.name, "kind": kind,
                "band": domain.fullness_band(f.occupied, f.capacity, closed=f.status == FacilityStatus.CLOSED),
                "free": num(f.free), "percent": percent,
                "counts": f"{num(f.occupied)}/{num(f.capacity)} · {percent}%"}
        groups.setdefault(f.district.name_with_type if grouped else "", []).append(card)
    return list(groups.items())


@login_required
def board(request):
    """Every facility at a glance, coloured by how full it is; free places per district and per
    kind and tier; people at home."""
    actor = request.user
    form = FacilityFilterForm(request.GET or None, districts=_districts(actor))
    filters = selectors.FacilityFilters()
    if form.is_valid():
        filters = selectors.FacilityFilters(kind=form.cleaned_data["kind"],
                                            district_id=form.cleaned_data["district"])
    board = selectors.facility_board(actor=actor, filters=filters)
    shown, attention = board.facilities, False
    if len(shown) > CARDS_AT_ONCE and not filters.district_id:
        # A province has hundreds of facilities: at a glance, the ones filling up; the rest a
        # district at a time (the district table links to each).
        attention = True
        shown = sorted((f for f in shown if domain.fullness_band(f.occupied, f.capacity) in ("near", "full")
                        and f.status != FacilityStatus.CLOSED),
                       key=lambda f: (-domain.fullness(f.occupied, f.capacity), f.name))[:CARDS_AT_ONCE]
    context = {"form": form, "board": board, "groups": _card_groups(shown, grouped=not attention),
               "shown": len(shown), "attention": attention,
               "can_manage": actor.can("manage_facilities"), "can_place": actor.can("place_person")}
    return render(request, template_for(request, "quarantine/board.html", "board"), context)


@login_required
def facility_new(request):
    actor = request.user
    form = FacilityForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            facility = services_facilities.facility_create(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ sở %(name)s.") % {"name": facility.name})
            return redirect("quarantine:facility", pk=facility.pk)
    return render(request, "quarantine/facility_new.html",
                  {"form": form, "can_manage": actor.can("manage_facilities")})


def _facility_page(request, facility, *, edit_form=None, status=200):
    actor = request.user
    people = selectors.placement_list(
        actor=actor, filters=selectors.PlacementFilters(facility_id=facility.pk))
    page, capped = paginate(request, people, exact_count=facility.occupied)
    initial = {name: getattr(facility, name) for name in FACILITY_EDIT_FIELDS}
    if facility.status == FacilityStatus.CLOSED:
        initial["status"] = FacilityStatus.READY
    context = {
        "facility": facility, "page": page, "capped": capped, "query": query_without_page(request),
        "today": clock.today(),
        "can_manage": actor.can("manage_facilities"), "can_place": actor.can("place_person"),
        "edit_form": edit_form or FacilityForm(actor=actor, editing=True, initial=initial),
    }
    return render(request, template_for(request, "quarantine/facility_detail.html", "people"), context,
                  status=status)


@login_required
def facility_detail(request, pk: int):
    return _facility_page(request, or_404(selectors.facility_get, actor=request.user, facility_id=pk))


@login_required
@require_POST
def facility_edit(request, pk: int):
    actor = request.user
    facility = or_404(selectors.facility_get, actor=actor, facility_id=pk)
    form = FacilityForm(request.POST, actor=actor, editing=True)
    if form.is_valid():
        try:
            services_facilities.facility_update(actor=actor, facility=facility, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã cập nhật cơ sở."))
            return redirect("quarantine:facility", pk=pk)
    return _facility_page(request, selectors.facility_get(actor=actor, facility_id=pk), edit_form=form)


@login_required
@require_POST
def facility_close(request, pk: int):
    actor = request.user
    facility = or_404(selectors.facility_get, actor=actor, facility_id=pk)
    try:
        services_facilities.facility_close(actor=actor, facility=facility)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã đóng cơ sở %(name)s.") % {"name": facility.name})
    return redirect("quarantine:facility", pk=pk)


# --- Rule sets -------------------------------------------------------------------------------


def _rules_initial(rule_set) -> list[dict]:
    """The rows of the set in force, as the starting point of a new version."""
    if rule_set is None:
        return []
    return [{"purpose": r.purpose, "condition": r.condition, "setting": r.setting,
             "stay_days": r.stay_days, "monitoring_days": r.monitoring_days,
             "test_days": ", ".join(str(d) for d in r.test_days),
             "release_needs_negative": r.release_needs_negative} for r in rule_set.rules.all()]


@login_required
def rule_sets(request):
    """Every version of the rules with its legal source; leaders and epidemiologists add a new
    version (a change of rules is a new version from a date, never an edit)."""
    actor = request.user
    current = selectors.rule_set_in_force(on=clock.today())
    can_add = services_facilities.may_add_rule_sets(actor)
    data = request.POST if request.method == "POST" and can_add else None
    form = RuleSetForm(data)
    rules = RuleFormSet(data, prefix="rules", initial=None if data else _rules_initial(current))
    if data is not None and form.is_valid() and rules.is_valid():
        wanted = [r for r in (f.rule() for f in rules.forms) if r is not None]
        try:
            created = services_facilities.rule_set_create(actor=actor, rules=wanted, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thêm bộ quy định %(code)s.") % {"code": created.code})
            return redirect("quarantine:rules")
    context = {"rule_sets": selectors.rule_set_list(), "current": current, "form": form,
               "rules": rules, "can_add": can_add}
    return render(request, "quarantine/rule_sets.html", context)
