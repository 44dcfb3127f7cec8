"""Pages of the response clock: the board of live clocks (a small script counts down from the
deadlines the server gives; htmx reloads the state every 30 seconds), one response with the
evidence of each stage, sign-off and disinfection forms, and the compliance table per unit."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.command.scorecards import period_from
from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.geography.selectors import unit_get
from chongdich.response import domain, selectors, services, stats
from chongdich.response.forms import BoardFilterForm, DisinfectionForm, PeriodForm, SignOffForm
from chongdich.response.models import StageKind

PER_PAGE = 60
POLL_SECONDS = 30
RECENT = dt.timedelta(hours=48)


class _Labels(dict):
    """Stage labels in the language of the request (the lazy labels translated once per page)."""

    def __missing__(self, kind: str) -> str:
        self[kind] = str(StageKind(kind).label)
        return self[kind]


def _units(actor, district_id: int | None) -> tuple[list[AdminUnit], list[AdminUnit]]:
    unit = actor.unit
    if unit is None or unit.level == UnitLevel.COMMUNE:
        return [], []
    districts = []
    if unit.level == UnitLevel.PROVINCE:
        districts = list(AdminUnit.objects.filter(province=unit, level=UnitLevel.DISTRICT).order_by("name"))
        district_id = district_id if district_id in {d.pk for d in districts} else None
    else:
        district_id = unit.pk
    communes = list(AdminUnit.objects.filter(district_id=district_id, level=UnitLevel.COMMUNE)
                    .order_by("name")) if district_id else []
    return districts, communes


def stage_view(stage, now, labels=None) -> dict:
    """A stage as the templates print it (plain values: a board of hundreds of clocks renders in
    milliseconds when the template only prints)."""
    labels = labels if labels is not None else _Labels()
    light = domain.light(due_at=stage.due_at, warn_at=stage.warn_at, done_at=stage.done_at, now=now)
    return {
        "kind": stage.kind, "label": labels[stage.kind], "due_at": stage.due_at, "light": light,
        "due_hm": timezone.localtime(stage.due_at).strftime("%H:%M"),
        "done_hm": timezone.localtime(stage.done_at).strftime("%H:%M") if stage.done_at else "",
        "due_iso": timezone.localtime(stage.due_at).isoformat(),
        "warn_iso": timezone.localtime(stage.warn_at).isoformat(),
        "done_at": stage.done_at, "done_how": stage.done_how, "done_by": stage.done_by, "note": stage.note,
        "evidence": stage.evidence, "minutes": (int((stage.done_at - stage.response.confirmed_at).total_seconds() // 60)
                                                if stage.done_at else None),
    }


@login_required
def board(request):
    actor = request.user
    raw_district = request.GET.get("district")
    districts, communes = _units(actor, int(raw_district) if str(raw_district).isdigit() else None)
    form = BoardFilterForm(request.GET or None, districts=districts, communes=communes)
    filters = selectors.ResponseFilters()
    now = clock.now()
    if form.is_valid():
        data = form.cleaned_data
        state = data["state"] or "open"
        filters = selectors.ResponseFilters(district_id=data["district"], commune_id=data["commune"],
                                            stage=data["stage"], state=state,
                                            since=now - RECENT if state in ("all", "closed") else None)
    rows = selectors.response_list(actor=actor, filters=filters, now=now)
    page, capped = paginate(request, rows, per_page=PER_PAGE)
    labels = _Labels()
    url = reverse("response:detail", args=[987654321])
    cards = [{"id": r.pk, "url": url.replace("987654321", str(r.pk)), "code": r.case.code,
              "person": r.case.person.full_name, "commune": r.commune.name_with_type,
              "confirmed": timezone.localtime(r.confirmed_at).strftime("%H:%M %d/%m"), "closed_at": r.closed_at,
              "stages": [stage_view(s, now, labels) for s in r.stages.all()]} for r in page]
    lights = [s["light"] for c in cards for s in c["stages"]]
    words = {"due": _("hạn"), "late": _("muộn"), "confirmed": _("xác định")}
    context = {"form": form, "page": page, "capped": capped, "cards": cards, "query": query_without_page(request),
               "now_iso": now.isoformat(), "poll": POLL_SECONDS,
               "red": lights.count(domain.RED), "amber": lights.count(domain.AMBER), "words": words}
    return render(request, template_for(request, "response/board.html", "board"), context)


@login_required
def for_case(request, case_id: int):
    response = or_404(selectors.response_for_case, actor=request.user, case_id=case_id)
    return redirect("response:detail", pk=response.pk)


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _detail(request, response, *, sign_off_forms=None, disinfection_form=None, status=200):
    actor = request.user
    now = clock.now()
    evidence = selectors.response_evidence(response=response)
    stages = [stage_view(s, now) for s in response.stages.all()]
    sign_off_forms = sign_off_forms or {}
    for s in stages:
        s["form"] = sign_off_forms.get(s["kind"]) or SignOffForm(prefix=s["kind"])
    context = {
        "response": response, "case": response.case, "stages": stages, "evidence": evidence,
        "areas": [(a, _url("zones:area", a.pk)) for a in evidence.areas],
        "disinfection_form": disinfection_form or DisinfectionForm(),
        "can_sign_off": actor.can("sign_off_response"), "can_disinfect": actor.can("record_disinfection"),
        "now_iso": now.isoformat(), "poll": POLL_SECONDS,
    }
    return render(request, template_for(request, "response/detail.html", "stages"), context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, or_404(selectors.response_get, actor=request.user, response_id=pk))


@login_required
@require_POST
def sign_off(request, pk: int, kind: str):
    actor = request.user
    if kind not in domain.STAGES:
        raise Http404()
    stage = or_404(selectors.stage_get, actor=actor, response_id=pk, kind=kind)
    form = SignOffForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.stage_sign_off(actor=actor, stage=stage, note=form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc, {"stage": "note"})
        else:
            messages.success(request, _("Đã xác nhận hoàn thành: %(stage)s.") % {"stage": StageKind(kind).label})
            return redirect("response:detail", pk=pk)
    return _detail(request, selectors.response_get(actor=actor, response_id=pk), sign_off_forms={kind: form},
                   status=422)


@login_required
@require_POST
def disinfection(request, pk: int):
    actor = request.user
    response = or_404(selectors.response_get, actor=actor, response_id=pk)
    form = DisinfectionForm(request.POST)
    if form.is_valid():
        try:
            services.disinfection_record(actor=actor, response=response, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận khử khuẩn."))
            return redirect("response:detail", pk=pk)
    return _detail(request, selectors.response_get(actor=actor, response_id=pk), disinfection_form=form, status=422)


@login_required
def compliance(request):
    actor = request.user
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        period = period_from(data.get("start"), data.get("end"), today=clock.today(), default_days=7)
    except DomainError as exc:
        add_domain_error(form, exc)
        period = period_from(None, None, today=clock.today())
    code = data.get("unit") or ""
    parent = or_404(unit_get, actor=actor, code=code) if code else actor.unit
    table = None
    if parent is not None:
        start, end = period.bounds(timezone.get_current_timezone())
        own, rows = stats.compliance_table(actor=actor, parent=parent, start=start, end=end, now=clock.now())
        table = {"own": own, "rows": rows}
    return render(request, "response/compliance.html", {
        "form": form, "period": period, "parent": parent, "table": table, "stages": StageKind.choices,
        "query": f"start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"})
