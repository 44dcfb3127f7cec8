"""Pages: the week's levels per unit (computed vs decided, decide inline), a unit's page (decide,
capacity statement, what-if), its history, the rule sets, and a re-run of the week."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.geography import selectors as geo
from chongdich.geography.models import UnitLevel
from chongdich.risk import domain, selectors, services
from chongdich.risk.forms import CapacityForm, DecideForm, RuleSetForm, WeekForm, WhatIfForm

PER_PAGE = 100


def last_complete_week(today: dt.date | None = None) -> dt.date:
    today = today or clock.today()
    return today - dt.timedelta(days=today.weekday() + 7)


def _week(request) -> dt.date:
    try:
        return domain.parse_iso_week(request.GET.get("week") or request.POST.get("week") or "")
    except ValueError:
        return last_complete_week()


def _row(actor, assessment, in_force) -> dict:
    return {"a": assessment, "unit": assessment.unit, "explanation": selectors.explanation_of(assessment),
            "level": in_force.level if in_force else assessment.level, "source": in_force.source if in_force else "",
            "may_decide": services.may_decide(actor, assessment.unit)}


@login_required
def levels(request):
    actor = request.user
    week, level = last_complete_week(), "commune"
    form = WeekForm(request.GET or None, initial={"week": domain.iso_week_label(week), "level": level})
    if form.is_valid():
        week = form.cleaned_data["week"] or week
        level = form.cleaned_data["level"] or level
    rows = selectors.assessment_list(actor=actor, week=week, level=level)
    page, capped = paginate(request, rows, per_page=PER_PAGE)
    in_force = selectors.levels_for_week(week=week, unit_ids=[a.unit_id for a in page])
    context = {"form": form, "week": week, "week_label": domain.iso_week_label(week), "level": level,
               "page": page, "capped": capped, "query": query_without_page(request),
               "rows": [_row(actor, a, in_force.get(a.unit_id)) for a in page],
               "decide_form": DecideForm(), "can_run": actor.can("assess_levels"),
               "previous": domain.iso_week_label(week - dt.timedelta(days=7)),
               "next": domain.iso_week_label(week + dt.timedelta(days=7))}
    return render(request, template_for(request, "risk/levels.html", "table"), context)


def _unit_context(request, unit, week, **forms) -> dict:
    actor = request.user
    assessment = selectors.assessment_get(actor=actor, unit=unit, week=week)
    inputs = domain.Inputs.from_dict(assessment.inputs) if assessment and assessment.inputs else None
    in_force = selectors.levels_for_week(week=week, unit_ids=[unit.pk])[unit.pk]
    return {"unit": unit, "week": week, "week_label": domain.iso_week_label(week), "assessment": assessment,
            "explanation": selectors.explanation_of(assessment) if assessment else "", "in_force": in_force,
            "may_decide": services.may_decide(actor, unit), "can_record": actor.can("record_capacity"),
            "decide_form": forms.get("decide_form") or DecideForm(initial={"level": assessment.level if assessment else 1}),
            "capacity_form": forms.get("capacity_form") or CapacityForm(),
            "whatif_form": WhatIfForm(initial=WhatIfForm.initial_from(inputs)),
            "statements": selectors.capacity_statements(actor=actor, unit=unit)[:5],
            "rule_set": assessment.rule_set if assessment else selectors.rule_set_for_week(week),
            "previous": domain.iso_week_label(week - dt.timedelta(days=7)),
            "next": domain.iso_week_label(week + dt.timedelta(days=7))}


@login_required
def unit_page(request, code: str):
    unit = or_404(geo.unit_get, actor=request.user, code=code)
    return render(request, "risk/unit.html", _unit_context(request, unit, _week(request)))


@login_required
def unit_history(request, code: str):
    unit = or_404(geo.unit_get, actor=request.user, code=code)
    assessments, decisions = selectors.unit_history(actor=request.user, unit=unit, weeks=52)
    rows = [{"a": a, "label": domain.iso_week_label(a.week), "explanation": selectors.explanation_of(a)}
            for a in assessments]
    return render(request, "risk/history.html", {"unit": unit, "rows": rows, "decisions": decisions})


@require_POST
@login_required
def whatif(request, code: str):
    """The level the rules give for the figures typed in (nothing is saved)."""
    unit = or_404(geo.unit_get, actor=request.user, code=code)
    week = _week(request)
    assessment = selectors.assessment_get(actor=request.user, unit=unit, week=week)
    rule_set = assessment.rule_set if assessment else selectors.rule_set_for_week(week)
    form = WhatIfForm(request.POST)
    outcome = None
    if form.is_valid() and rule_set is not None:
        base = domain.Inputs.from_dict(assessment.inputs) if assessment and assessment.inputs else None
        outcome = domain.evaluate(rule_set.rules, form.inputs(base))
    context = {"unit": unit, "whatif_form": form, "outcome": outcome, "rule_set": rule_set,
               "explanation": domain.explain(outcome) if outcome else "", "week_label": domain.iso_week_label(week)}
    return render(request, "risk/unit.html#whatif", context)


@require_POST
@login_required
def decide(request, code: str):
    actor = request.user
    unit = or_404(geo.unit_get, actor=actor, code=code)
    week = _week(request)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.level_decide(actor=actor, unit=unit, week=week, level=form.cleaned_data["level"],
                                  reason=form.cleaned_data["reason"], effective_at=form.cleaned_data["effective_at"])
        except DomainError as exc:
            add_domain_error(form, exc)
    if request.htmx and request.POST.get("row"):
        assessment = selectors.assessment_get(actor=actor, unit=unit, week=week)
        in_force = selectors.levels_for_week(week=week, unit_ids=[unit.pk])[unit.pk]
        return render(request, "risk/levels.html#row", {
            "row": _row(actor, assessment, in_force), "decide_form": form, "week_label": domain.iso_week_label(week),
            "row_errors": form.errors})
    if form.errors:
        context = _unit_context(request, unit, week, decide_form=form)
        return render(request, "risk/unit.html", context, status=422)
    messages.success(request, _("Đã ghi quyết định cấp độ dịch."))
    return redirect(f"{reverse('risk:unit', args=[unit.code])}?week={domain.iso_week_label(week)}")


@require_POST
@login_required
def capacity(request, code: str):
    unit = or_404(geo.unit_get, actor=request.user, code=code)
    week = _week(request)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            services.capacity_record(actor=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận năng lực điều trị. Chạy lại đánh giá để áp dụng."))
            return redirect(f"{reverse('risk:unit', args=[unit.code])}?week={domain.iso_week_label(week)}")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "risk/unit.html", _unit_context(request, unit, week, capacity_form=form), status=422)


@require_POST
@login_required
def run(request):
    week = _week(request)
    try:
        result = services.assessment_run(actor=request.user, week=week)
        messages.success(request, _("Đã đánh giá %(n)s đơn vị cho tuần %(week)s.") % {
            "n": result.units, "week": domain.iso_week_label(result.week)})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('risk:levels')}?week={domain.iso_week_label(week)}")


@login_required
def rule_sets(request):
    actor = request.user
    can_add = services.may_add_rule_sets(actor)
    form = None
    if can_add:
        current = selectors.rule_set_for_week(clock.today())
        form = RuleSetForm(request.POST or None, initial={
            "rules": json.dumps(current.rules, ensure_ascii=False, indent=2) if current else ""})
        if request.method == "POST" and form.is_valid():
            try:
                created = services.rule_set_create(actor=actor, **form.cleaned_data)
                messages.success(request, _("Đã thêm bộ tiêu chí %(code)s.") % {"code": created.code})
                return redirect("risk:rules")
            except DomainError as exc:
                add_domain_error(form, exc)
    sets = selectors.rule_set_list()
    return render(request, "risk/rule_sets.html", {
        "rule_sets": sets, "current": selectors.rule_set_for_week(clock.today()), "form": form, "can_add": can_add,
        "unit_levels": UnitLevel})
