"""The committee's dashboard: daily figures, epidemic curve and commune map of the actor's area.
The counts of people traced come a moment later (htmx), so the page never waits on them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.dateparse import parse_date

from chongdich.core.web import or_404, template_for
from chongdich.dashboard.selectors import (
    commune_map,
    dashboard_figures,
    epidemic_curve,
    recent_contacts,
    report_day,
    tracing_figures,
)
from chongdich.geography.selectors import unit_get, unit_picker


def _area(request):
    """The unit (?unit=code, inside the actor's jurisdiction or 404) and the wave start (?since=)."""
    code = request.GET.get("unit", "").strip()
    unit = or_404(unit_get, actor=request.user, code=code) if code else None
    try:
        since = parse_date(request.GET.get("since", "").strip())
    except ValueError:
        since = None
    return unit, since


@login_required
def home(request):
    actor = request.user
    unit, since = _area(request)
    figures = dashboard_figures(actor=actor, unit=unit, since=since)
    context = {
        "unit": unit,
        "area": unit or actor.unit,
        "units": unit_picker(actor=actor),
        "since_param": since,
        "figures": figures,
        "curve": epidemic_curve(actor=actor, unit=unit, since=figures.since, until=figures.report.day),
        "commune_map": commune_map(actor=actor, unit=unit, today=figures.report.day),
        "contacts": recent_contacts(actor=actor, unit=unit),
    }
    return render(request, template_for(request, "dashboard/home.html", "panel"), context)


@login_required
def tracing(request):
    """The F1/F2/F3 and new-contact cards of the dashboard (an htmx fragment)."""
    unit, _since = _area(request)
    report = report_day(actor=request.user, unit=unit)
    context = {"unit": unit, "tracing": tracing_figures(actor=request.user, unit=unit, report=report)}
    return render(request, "dashboard/home.html#tracing", context)
