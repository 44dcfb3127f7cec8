"""Screening campaign pages (list, new, edit, detail with progress by day and its chart, the list of
people) and laboratories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock
from chongdich.core.errors import DomainError, NotFound
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, lookup, or_404
from chongdich.geography.selectors import unit_get
from chongdich.testing import selectors, services_campaigns
from chongdich.testing.forms import CampaignForm, LaboratoryForm

MEMBERS_SHOWN = 300


@login_required
def campaign_list(request):
    actor = request.user
    campaigns = list(selectors.campaign_list(actor=actor)[:200])
    today = clock.today()
    return render(request, "testing/campaign_list.html", {
        "campaigns": campaigns, "today": today, "can_manage": actor.can("manage_campaigns")})


def _campaign_fields(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "unit"}


@login_required
def campaign_new(request):
    actor = request.user
    form = CampaignForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = lookup(unit_get, "unit", actor=actor, code=data["unit"])
            campaign = services_campaigns.campaign_create(actor=actor, unit=unit, **_campaign_fields(data))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã tạo chiến dịch %(name)s.") % {"name": campaign.name})
            return redirect("testing:campaign", pk=campaign.pk)
    return render(request, "testing/campaign_form.html",
                  {"form": form, "campaign": None, "can_manage": actor.can("manage_campaigns")})


@login_required
def campaign_edit(request, pk: int):
    actor = request.user
    campaign = or_404(selectors.campaign_get, actor=actor, campaign_id=pk)
    fields = ("name", "target_group", "target_note", "starts_on", "ends_on", "target_headcount",
              "pool_size", "sample_kind", "note")
    form = CampaignForm(request.POST or None, actor=actor, editing=True,
                        initial={f: getattr(campaign, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services_campaigns.campaign_update(actor=actor, campaign=campaign, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lưu chiến dịch."))
            return redirect("testing:campaign", pk=pk)
    return render(request, "testing/campaign_form.html",
                  {"form": form, "campaign": campaign, "can_manage": actor.can("manage_campaigns")})


def _chart_data(progress) -> dict:
    return {
        "days": [d.day.isoformat() for d in progress.days],
        "sampled": [d.sampled for d in progress.days],
        "results": [d.results for d in progress.days],
        "positives": [d.positives for d in progress.days],
        "positive_pools": [d.positive_pools for d in progress.days],
        "coverage": [d.coverage for d in progress.days],
    }


@login_required
def campaign_detail(request, pk: int):
    actor = request.user
    campaign = or_404(selectors.campaign_get, actor=actor, campaign_id=pk)
    progress = selectors.campaign_progress(actor=actor, campaign=campaign)
    members = list(selectors.campaign_members(campaign=campaign)[:MEMBERS_SHOWN + 1])
    context = {
        "campaign": campaign, "progress": progress, "chart": _chart_data(progress),
        "members": members[:MEMBERS_SHOWN], "more_members": len(members) > MEMBERS_SHOWN,
        "member_count": campaign.members.count(),
        # A commune team works in its district's campaign; only the district may change it.
        "can_manage": actor.can("manage_campaigns") and covers(actor, campaign.unit),
        "can_take": actor.can("take_sample"),
        "running": campaign.starts_on <= clock.today() <= campaign.ends_on,
    }
    return render(request, "testing/campaign_detail.html", context)


@login_required
@require_POST
def campaign_members_add(request, pk: int):
    actor = request.user
    campaign = or_404(selectors.campaign_get, actor=actor, campaign_id=pk)
    ids = list(dict.fromkeys(int(v) for v in request.POST.getlist("people") if v.isdigit()))
    try:
        people = selectors.people_by_ids(actor=actor, person_ids=ids)
        added = services_campaigns.campaign_members_add(actor=actor, campaign=campaign, people=people)
    except (DomainError, NotFound) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thêm %(n)s người vào danh sách.") % {"n": added})
    return redirect("testing:campaign", pk=pk)


@login_required
def laboratories(request):
    actor = request.user
    form = LaboratoryForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = lookup(unit_get, "unit", actor=actor, code=data["unit"])
            lab = services_campaigns.laboratory_create(actor=actor, code=data["code"], name=data["name"],
                                                       unit=unit)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thêm phòng xét nghiệm %(name)s.") % {"name": lab.name})
            return redirect("testing:laboratories")
    return render(request, "testing/laboratories.html", {
        "form": form, "labs": selectors.laboratory_list(actor=actor),
        "can_manage": actor.can("manage_laboratories")})
