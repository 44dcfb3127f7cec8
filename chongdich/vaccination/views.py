"""Pages: coverage of a unit by age group and dose with its source and each child unit's (the
drill-down), a person's doses with a form to record one, and the aggregate reports with their
form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, template_for
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.geography.selectors import unit_get
from chongdich.people.selectors import person_get
from chongdich.vaccination import presenting, selectors, services
from chongdich.vaccination.forms import AsOfForm, DoseForm, ReportForm
from chongdich.vaccination.selectors import coverage_for_units

HEADLINE = (("18+", "1"), ("18+", "full"), ("12-17", "1"), ("50+", "full"), ("65+", "full"))


def _headline(coverage) -> list[float | None]:
    return [None if (p := coverage.pct(g, d)) is None else round(p, 1) for g, d in HEADLINE]


@login_required
def index(request):
    unit = request.user.unit
    if unit is not None:
        return redirect("vaccination:coverage", code=unit.code)
    return coverage(request, code=None)


@login_required
def coverage(request, code: str | None):
    """A unit's coverage table (group × dose, with percentages and the source) and its child
    units, each linking to its own page. National accounts without a code see the provinces."""
    actor = request.user
    form = AsOfForm(request.GET or None)
    as_of = form.day()
    config = selectors.config_in_force(as_of)
    if code is None:
        if not (actor.is_superuser or actor.is_national):
            return redirect("dashboard:home")
        unit, own = None, None
        kids = list(AdminUnit.objects.filter(level=UnitLevel.PROVINCE).order_by("code"))
        found = coverage_for_units(unit_ids=[k.pk for k in kids], as_of=as_of)
        children = [(k, found[k.pk]) for k in kids]
    else:
        unit = or_404(unit_get, actor=actor, code=code)
        own, children = selectors.coverage_with_children(actor=actor, unit=unit, as_of=as_of)
    context = {
        "unit": unit, "coverage": own, "as_of": as_of, "form": form, "config": config,
        "rows": presenting.coverage_rows(own, config) if own else [],
        "headline": [f"{g} · {d}" for g, d in HEADLINE],
        "children": [{"unit": k, "coverage": c, "pcts": _headline(c)} for k, c in children],
        "can_report": actor.can("report_coverage"),
    }
    return render(request, template_for(request, "vaccination/coverage.html", "coverage"), context)


def _person_page(request, person, form, status=200):
    actor = request.user
    return render(request, "vaccination/person_doses.html", {
        "person": person, "doses": selectors.dose_list_for_person(actor=actor, person=person),
        "form": form, "can_record": actor.can("record_vaccination")}, status=status)


@login_required
def person_doses(request, pk: int):
    actor = request.user
    person = or_404(person_get, actor=actor, person_id=pk)
    form = DoseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dose = services.dose_record(actor=actor, person=person, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã ghi mũi %(n)s.") % {"n": dose.dose_number})
            return redirect("vaccination:person", pk=person.pk)
    return _person_page(request, person, form, status=422 if form.errors else 200)


@login_required
@require_POST
def dose_delete(request, pk: int):
    actor = request.user
    dose = or_404(selectors.dose_get, actor=actor, dose_id=pk)
    try:
        services.dose_delete(actor=actor, dose=dose)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xoá mũi %(n)s.") % {"n": dose.dose_number})
    return redirect("vaccination:person", pk=dose.person_id)


def _report_units(actor):
    unit = actor.unit
    if unit is None:
        return AdminUnit.objects.filter(level=UnitLevel.PROVINCE).order_by("code")
    if unit.level == UnitLevel.COMMUNE:  # a commune has no units below it
        return AdminUnit.objects.filter(pk=unit.pk)
    return AdminUnit.objects.filter(Q(pk=unit.pk) | Q(**{f"{unit.level}_id": unit.pk})).order_by("code")


@login_required
def reports(request):
    """The aggregate reports of the actor's area, newest first, and the form to add one."""
    actor = request.user
    form = ReportForm(request.POST or None, units=_report_units(actor))
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.coverage_report_submit(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, (_("Đã ghi báo cáo của %(unit)s.") if created
                                       else _("Đã thay báo cáo cùng ngày của %(unit)s."))
                             % {"unit": report.unit.name_with_type})
            return redirect("vaccination:reports")
    return render(request, "vaccination/reports.html", {
        "form": form, "reports": selectors.coverage_report_list(actor=actor)[:100],
        "can_report": actor.can("report_coverage"), "today": clock.today(),
    }, status=422 if form.errors else 200)
