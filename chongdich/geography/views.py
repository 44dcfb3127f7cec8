"""Unit pages: population with its source, units below, villages (thôn, tổ dân phố)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404
from chongdich.geography.forms import VillageForm
from chongdich.geography.models import UnitLevel
from chongdich.geography.selectors import unit_get, unit_list, village_list
from chongdich.geography.services import village_create


@login_required
def unit_home(request):
    """The actor's own unit; national accounts get the list of provinces."""
    actor = request.user
    if actor.unit is not None:
        return redirect("geography:unit", code=actor.unit.code)
    provinces = unit_list(actor=actor, level=UnitLevel.PROVINCE)
    return render(request, "geography/unit_home.html", {"provinces": provinces})


def _unit_page(request, unit, village_form=None, status=200):
    actor = request.user
    is_commune = unit.level == UnitLevel.COMMUNE
    context = {
        "unit": unit,
        "children": unit_list(actor=actor, parent=unit),
        "villages": village_list(actor=actor, commune=unit) if is_commune else [],
        "can_add_village": is_commune and actor.can("edit_units"),
        "village_form": village_form or VillageForm(),
    }
    return render(request, "geography/unit_detail.html", context, status=status)


@login_required
def unit_detail(request, code: str):
    unit = or_404(unit_get, actor=request.user, code=code)
    return _unit_page(request, unit)


@login_required
@require_POST
def village_add(request, code: str):
    unit = or_404(unit_get, actor=request.user, code=code)
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            village = village_create(actor=request.user, commune=unit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": village.name})
            return redirect("geography:unit", code=unit.code)
    return _unit_page(request, unit, village_form=form)
