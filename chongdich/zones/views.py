"""Pages: the officers' map (/map/) and the public level map (/public/levels/), lockdown areas
(list, record, detail with extend and lift) and zone designations. The maps are drawn in the
browser (static/zones/map.js, vendored Leaflet) from the JSON of zones.api."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core.errors import DomainError, NotFound
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page
from chongdich.zones import domain, mapdata, selectors, services
from chongdich.zones.forms import (
    AreaPointForm,
    AreaUnitsForm,
    DesignationFilterForm,
    DesignationForm,
    ExtendForm,
    LiftForm,
    units_for,
)
from chongdich.zones.models import AreaShape, ZoneColour


def _legend() -> list[dict]:
    return ([{"colour": domain.LEVEL_COLOURS[n], "label": label, "level": n} for n, label in (
        (1, _("Cấp 1 – xanh (nguy cơ thấp)")), (2, _("Cấp 2 – vàng (nguy cơ trung bình)")),
        (3, _("Cấp 3 – cam (nguy cơ cao)")), (4, _("Cấp 4 – đỏ (nguy cơ rất cao)")))]
            + [{"colour": domain.NO_LEVEL_COLOUR, "label": _("Chưa đánh giá"), "level": ""}])


def _map_page(request, *, public: bool):
    actor = None if public else request.user
    try:
        view = mapdata.resolve_view(actor, request.GET.get("level", ""), request.GET.get("parent", ""))
        until = domain.parse_week(request.GET["week"]) if request.GET.get("week") else None
    except NotFound:
        view, until = mapdata.default_view(actor), None
    except DomainError as exc:
        messages.error(request, exc.message)
        view, until = mapdata.default_view(actor), None
    weeks = mapdata.slider_weeks(until=until)
    config = {
        "api": reverse("api:zones_public_map") if public else reverse("api:zones_map"),
        "weeks": [domain.week_label(w) for w in weeks],
        "week_starts": [w.strftime("%d/%m/%Y") for w in weeks],
        "level": view.level, "parent": view.parent.code if view.parent else "",
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "public": public,
        "new_area_url": "" if public or not request.user.can(services.CAPABILITY) else reverse("zones:area_new"),
        "text": {"level": _("Cấp"), "none": _("Chưa đánh giá"), "decision": _("theo quyết định của Ban Chỉ đạo"),
                 "computed": _("theo tính toán"), "lockdown": _("Phong tỏa"), "from": _("từ"), "to": _("đến"),
                 "open": _("chưa gỡ"), "drill": _("Xem các đơn vị trực thuộc"), "case": _("Ca bệnh"),
                 "lock": _("Phong tỏa địa bàn này"),
                 "error": _("Không tải được dữ liệu bản đồ.")},
    }
    context = {"config": config, "legend": _legend(), "public": public,
               "zone_legend": [{"colour": domain.ZONE_COLOURS[c], "label": label}
                               for c, label in ZoneColour.choices]}
    return render(request, "zones/map.html", context)


@login_required
def officer_map(request):
    return _map_page(request, public=False)


def public_levels(request):
    """The published level map: no login, no personal data."""
    return _map_page(request, public=True)


# --- Lockdown areas --------------------------------------------------------------------------


@login_required
def area_list_view(request):
    actor = request.user
    state = request.GET.get("state", "active")
    areas = selectors.area_list(actor=actor, filters=selectors.AreaFilters(
        state=state if state in ("active", "ended", "planned") else "", search=request.GET.get("q", "")))
    page, capped = paginate(request, areas)
    for area in page:
        area.state = selectors.area_state(area)
    return render(request, "zones/area_list.html", {
        "page": page, "capped": capped, "query": query_without_page(request), "state": state,
        "q": request.GET.get("q", ""), "can_manage": actor.can(services.CAPABILITY)})


def _trigger_case(actor, form):
    code = form.cleaned_data.get("trigger_case", "").strip()
    if not code:
        return None
    from chongdich.cases.selectors import case_get_by_code

    try:
        return case_get_by_code(actor=actor, code=code)
    except NotFound as exc:
        raise NotFound(exc.message, field="trigger_case") from exc


@login_required
def area_new(request):
    actor = request.user
    shape = request.GET.get("shape") or request.POST.get("shape") or AreaShape.POINT
    form_class = AreaPointForm if shape == AreaShape.POINT else AreaUnitsForm
    initial = {}
    if request.GET.get("case"):
        initial["trigger_case"] = request.GET["case"]
    if request.GET.getlist("unit"):  # "lock down this unit" from the map
        initial["units"] = list(units_for(actor).filter(code__in=request.GET.getlist("unit")).values_list("pk", flat=True))
    form = form_class(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            common = {"actor": actor, "name": data["name"], "reason": data["reason"],
                      "starts_at": data["starts_at"], "ends_at": data["ends_at"],
                      "trigger_case": _trigger_case(actor, form)}
            if shape == AreaShape.POINT:
                area = services.area_record_point(
                    lat=data["lat"], lon=data["lon"], address=data["address"], commune=data["commune"],
                    rings={"core": data["core_m"], "buffer": data["buffer_m"], "watch": data["watch_m"]},
                    candidates=None if data["commune"] else list(selectors.communes_with_boxes(
                        actor=actor, near=(data["lat"], data["lon"]))),
                    **common)
            else:
                area = services.area_record_units(units=list(data["units"]), villages=list(data["villages"]),
                                                  **common)
        except DomainError as exc:
            add_domain_error(form, exc, {"rings": "core_m", "at": "starts_at"})
        else:
            messages.success(request, _("Đã ghi khu vực phong tỏa %(name)s.") % {"name": area.name})
            return redirect("zones:area", pk=area.pk)
    pick = _pick_config(actor, mode="pick", view=mapdata.default_view(actor),
                        lat=_number(request.POST.get("lat")), lon=_number(request.POST.get("lon")))
    return render(request, "zones/area_new.html", {
        "form": form, "shape": shape, "can_manage": actor.can(services.CAPABILITY), "pick_config": pick})


def _number(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _pick_config(actor, *, mode: str, view: mapdata.View, **extra) -> dict:
    params = f"?level={view.level}" + (f"&parent={view.parent.code}" if view.parent else "")
    return {"mode": mode, "api": reverse("api:zones_map") + params,
            "tile_url": getattr(settings, "MAP_TILE_URL", ""),
            "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", "")} | extra


def _map_url(area) -> str:
    """The officers' map at the area's place and the week it started."""
    place = area.district or area.province
    level = "commune"
    week = domain.week_label(domain.monday(timezone.localtime(area.starts_at).date()))
    return f"{reverse('zones:map')}?level={level}&parent={place.code}&week={week}"


def _area_page(request, area, *, extend_form=None, lift_form=None, status=200):
    actor = request.user
    case = area.trigger_case
    context = {
        "area": area, "state": selectors.area_state(area), "members": selectors.area_members(area),
        "rings": [{"ring": r, "label": domain.ring_label(r), "radius_m": m}
                  for r, m in selectors.area_rings(area).items()],
        "population": selectors.area_population(area),
        "case_visible": case is not None and covers(actor, case.commune),
        "can_manage": actor.can(services.CAPABILITY) and covers(actor, services.location_unit(area)),
        "extend_form": extend_form or ExtendForm(initial={"ends_at": area.ends_at}),
        "lift_form": lift_form or LiftForm(),
        "map_url": _map_url(area),
        "pick_config": _pick_config(
            actor, mode="show", view=mapdata.View("commune", area.district or area.province),
            lat=area.lat, lon=area.lon, codes=[] if area.shape == AreaShape.POINT else mapdata.area_codes(area)[0],
            rings=[{"ring": r, "radius_m": m} for r, m in selectors.area_rings(area).items()]),
    }
    return render(request, "zones/area_detail.html", context, status=status)


@login_required
def area_detail(request, pk: int):
    return _area_page(request, or_404(selectors.area_get, actor=request.user, area_id=pk))


@login_required
@require_POST
def area_extend(request, pk: int):
    actor = request.user
    area = or_404(selectors.area_get, actor=actor, area_id=pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.area_extend(actor=actor, area=area, ends_at=form.cleaned_data["ends_at"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã gia hạn phong tỏa."))
            return redirect("zones:area", pk=pk)
    return _area_page(request, area, extend_form=form, status=422)


@login_required
@require_POST
def area_lift(request, pk: int):
    actor = request.user
    area = or_404(selectors.area_get, actor=actor, area_id=pk)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            services.area_lift(actor=actor, area=area, reason=form.cleaned_data["reason"],
                               at=form.cleaned_data["at"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã gỡ phong tỏa %(name)s.") % {"name": area.name})
            return redirect("zones:area", pk=pk)
    return _area_page(request, area, lift_form=form, status=422)


# --- Zone designations -----------------------------------------------------------------------


@login_required
def designations(request):
    """Designations in the actor's area (filter by day and colour), and the form to designate."""
    actor = request.user
    filter_form = DesignationFilterForm(request.GET or None)
    filters = selectors.DesignationFilters()
    if filter_form.is_valid():
        filters = selectors.DesignationFilters(on=filter_form.cleaned_data["on"],
                                               colour=filter_form.cleaned_data["colour"])
    form = DesignationForm(request.POST or None, actor=actor)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.zone_designate(
                    actor=actor, colour=data["colour"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                    units=list(data["units"]), villages=list(data["villages"]), reason=data["reason"],
                    trigger_case=_trigger_case(actor, form))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Đã ghi phân vùng cho %(count)s địa bàn.") % {"count": len(created)})
                return redirect("zones:designations")
        status = 422
    page, capped = paginate(request, selectors.designation_list(actor=actor, filters=filters))
    return render(request, "zones/designations.html", {
        "form": form, "filter_form": filter_form, "page": page, "capped": capped,
        "query": query_without_page(request), "can_manage": actor.can(services.CAPABILITY),
        "hexes": domain.ZONE_COLOURS}, status=status)
