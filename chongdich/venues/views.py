"""Pages: venues (list, new, detail with the QR code, printable poster) and the tracer's work queue
of exposure proposals, grouped by venue and hour, decided in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.cases.selectors import case_get_by_code
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.venues import qr, selectors, services, services_exposures
from chongdich.venues.forms import QueueFilterForm, VenueForm

GROUPS_PER_PAGE = 50
PROPOSALS_PER_PAGE = 100


def _url(request, venue) -> str:
    return qr.checkin_url(request.build_absolute_uri("/"), venue.code)


@login_required
def venue_list(request):
    actor = request.user
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.venue_list(actor=actor, search=search), 50).get_page(request.GET.get("page"))
    return render(request, "venues/venue_list.html", {"page": page, "q": search,
                                                      "can_manage": actor.can("manage_venues")})


def _communes(actor):
    """The communes a venue may be placed in: those of the actor's jurisdiction."""
    qs = AdminUnit.objects.filter(level=UnitLevel.COMMUNE).order_by("name")
    unit = actor.unit
    if unit is None:
        return qs if (actor.is_superuser or actor.is_national) else qs.none()
    if unit.level == UnitLevel.COMMUNE:
        return qs.filter(pk=unit.pk)
    return qs.filter(**{f"{unit.level}_id": unit.pk})


@login_required
def venue_new(request):
    actor = request.user
    form = VenueForm(request.POST or None, communes=_communes(actor))
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_create(actor=actor, **form.cleaned_data)
            messages.success(request, _("Đã thêm địa điểm %(name)s.") % {"name": venue.name})
            return redirect("venues:detail", pk=venue.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "venues/venue_new.html", {"form": form, "can_manage": actor.can("manage_venues")})


@login_required
def venue_detail(request, pk: int):
    venue = or_404(selectors.venue_get, actor=request.user, venue_id=pk)
    groups = list(selectors.proposal_groups(actor=request.user, filters=selectors.ProposalFilters(venue_id=pk))[:10])
    return render(request, "venues/venue_detail.html", {
        "venue": venue, "url": _url(request, venue), "qr_svg": mark_safe(qr.qr_svg(_url(request, venue))),
        "groups": groups})


@login_required
def venue_poster(request, pk: int):
    venue = or_404(selectors.venue_get, actor=request.user, venue_id=pk)
    return render(request, "venues/poster.html", {
        "venue": venue, "url": _url(request, venue), "qr_svg": mark_safe(qr.qr_svg(_url(request, venue), scale=12))})


@login_required
def venue_qr_png(request, pk: int):
    venue = or_404(selectors.venue_get, actor=request.user, venue_id=pk)
    return HttpResponse(qr.qr_png(_url(request, venue)), content_type="image/png")


@login_required
def venue_poster_pdf(request, pk: int):
    venue = or_404(selectors.venue_get, actor=request.user, venue_id=pk)
    pdf = qr.poster_pdf(url=_url(request, venue), name=venue.name, code=venue.code, address=venue.address)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{venue.code}.pdf"'
    return response


# --- The tracer's work queue ------------------------------------------------------------------


@login_required
def queue(request):
    """Without a venue: the groups (venue × hour), largest first. With one: its hours and a page
    of its proposals ranked by overlap, checkboxes to confirm or dismiss in bulk."""
    actor = request.user
    form = QueueFilterForm(request.GET or None)
    margin, case, error = None, None, ""
    if form.is_valid():
        margin = form.cleaned_data["margin"]
        if code := form.cleaned_data["case"].strip():
            try:
                case = case_get_by_code(actor=actor, code=code)
            except DomainError as exc:
                error = exc.message
    venue = None
    if request.GET.get("venue", "").isdigit():
        venue = or_404(selectors.venue_get, actor=actor, venue_id=int(request.GET["venue"]))
    filters = selectors.ProposalFilters(venue_id=venue.pk if venue else None, margin=margin,
                                        case_id=case.pk if case else None)
    groups = selectors.proposal_groups(actor=actor, filters=filters)
    context = {"form": form, "venue": venue, "case": case, "error": error,
               "can_decide": actor.can("confirm_exposures"), "next": request.get_full_path()}
    if venue is None:
        context["groups"] = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    else:
        raw = request.GET.get("page", "1")
        number = max(int(raw), 1) if raw.isdigit() else 1
        slots = list(groups)
        total = sum(g["people"] for g in slots)
        rows = selectors.proposal_page(actor=actor, filters=filters, page=number, size=PROPOSALS_PER_PAGE)
        context.update({"slots": slots, "total": total, "rows": rows, "number": number,
                        "has_next": number * PROPOSALS_PER_PAGE < total, "has_previous": number > 1})
    return render(request, "venues/queue.html", context)


@login_required
@require_POST
def decide(request):
    action = request.POST.get("action", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("venues:queue")
    try:
        result = services_exposures.proposals_decide(actor=request.user, proposal_ids=ids, action=action)
        text = (_("Đã xác nhận %(n)s người là tiếp xúc.") if action == "confirm"
                else _("Đã bỏ qua %(n)s đề xuất.")) % {"n": result["decided"]}
        messages.success(request, text)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(back or reverse("venues:queue"))
