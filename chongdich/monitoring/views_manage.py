"""Managing teams and households: create and edit a team, its members, which households it
covers; register households with their members. Each form calls one service and shows its
refusal on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core.errors import DomainError, NotFound, ProbableDuplicate
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.monitoring import selectors, services
from chongdich.monitoring.forms import (
    AssignForm,
    HouseholdFilterForm,
    HouseholdForm,
    MemberForm,
    TeamForm,
)
from chongdich.monitoring.models import Household, TeamMember
from chongdich.people.forms import NewPersonForm
from chongdich.people.selectors import person_get
from chongdich.people.services import person_create

PER_PAGE = 50


# --- Teams --------------------------------------------------------------------------------


@login_required
@require_POST
def team_create(request):
    actor = request.user
    form = TeamForm(request.POST, actor=actor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(actor=actor, commune=data["commune"], name=data["name"],
                                        village=data.get("village"), note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lập %(name)s.") % {"name": team.name})
            return redirect("monitoring:team_manage", pk=team.pk)
    return render(request, "monitoring/team_new.html", {"team_form": form}, status=422)


def _unassigned(actor, team):
    filters = selectors.HouseholdFilters(unit=team.commune, unassigned=True)
    return selectors.household_list(actor=actor, filters=filters)


def _manage_context(request, team, **forms) -> dict:
    actor = request.user
    return {
        "team": team,
        "members": list(selectors.team_members(team=team)),
        "households": list(selectors.household_list(actor=actor, filters=selectors.HouseholdFilters(team=team))),
        "team_form": forms.get("team_form") or TeamForm(
            actor=actor, team=team,
            initial={"name": team.name, "village": team.village_id, "note": team.note, "active": team.active}),
        "member_form": forms.get("member_form") or MemberForm(accounts=selectors.accounts_for_team(team=team)),
        "assign_form": forms.get("assign_form") or AssignForm(households=_unassigned(actor, team)[:300]),
        "can_manage": actor.can("manage_teams"),
    }


def _team(request, pk: int):
    return or_404(selectors.team_get, actor=request.user, team_id=pk)


@login_required
def team_manage(request, pk: int):
    team = _team(request, pk)
    return render(request, "monitoring/team_manage.html", _manage_context(request, team))


@login_required
@require_POST
def team_edit(request, pk: int):
    team = _team(request, pk)
    form = TeamForm(request.POST, actor=request.user, team=team)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.team_update(actor=request.user, team=team, name=data["name"], village=data["village"],
                                 note=data["note"], active=data["active"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin tổ."))
            return redirect("monitoring:team_manage", pk=team.pk)
    return render(request, "monitoring/team_manage.html", _manage_context(request, team, team_form=form), status=422)


@login_required
@require_POST
def member_add(request, pk: int):
    team = _team(request, pk)
    form = MemberForm(request.POST, accounts=selectors.accounts_for_team(team=team))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.team_member_add(actor=request.user, team=team, user=data["user"], full_name=data["full_name"],
                                     phone=data["phone"], is_leader=data["is_leader"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thêm thành viên."))
            return redirect("monitoring:team_manage", pk=team.pk)
    return render(request, "monitoring/team_manage.html", _manage_context(request, team, member_form=form), status=422)


def _member(team, member_id: int) -> TeamMember:
    member = team.members.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Không tìm thấy thành viên."))
    return member


@login_required
@require_POST
def member_change(request, pk: int, member_id: int):
    """Remove a member, or make them the leader (`do=leader`)."""
    team = _team(request, pk)
    try:
        member = _member(team, member_id)
        if request.POST.get("do") == "leader":
            services.team_leader_set(actor=request.user, member=member)
            messages.success(request, _("%(name)s là tổ trưởng.") % {"name": member.full_name})
        else:
            services.team_member_remove(actor=request.user, member=member)
            messages.success(request, _("Đã bỏ %(name)s khỏi tổ.") % {"name": member.full_name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:team_manage", pk=team.pk)


@login_required
@require_POST
def assign(request, pk: int):
    team = _team(request, pk)
    form = AssignForm(request.POST, households=_unassigned(request.user, team))
    if form.is_valid():
        try:
            n = services.households_assign(actor=request.user, team=team, households=list(form.cleaned_data["households"]))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã giao %(n)s hộ cho tổ.") % {"n": n})
            return redirect("monitoring:team_manage", pk=team.pk)
    return render(request, "monitoring/team_manage.html", _manage_context(request, team, assign_form=form), status=422)


@login_required
@require_POST
def unassign(request, pk: int, household_id: int):
    team = _team(request, pk)
    household = or_404(selectors.household_get, actor=request.user, household_id=household_id)
    try:
        services.households_assign(actor=request.user, team=None, households=[household])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bỏ hộ %(address)s khỏi tổ.") % {"address": household.address})
    return redirect("monitoring:team_manage", pk=team.pk)


# --- Households ---------------------------------------------------------------------------


def _teams(actor):
    return selectors.team_list(actor=actor)


@login_required
def households(request):
    actor = request.user
    form = HouseholdFilterForm(request.GET or None, teams=_teams(actor))
    filters = selectors.HouseholdFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.HouseholdFilters(team=data["team"], unassigned=data["unassigned"], search=data["q"])
    page, capped = paginate(request, selectors.household_list(actor=actor, filters=filters), per_page=PER_PAGE)
    context = {"form": form, "page": page, "capped": capped, "query": query_without_page(request),
               "new_form": HouseholdForm(actor=actor, teams=_teams(actor)) if actor.can("manage_households") else None}
    return render(request, template_for(request, "monitoring/households.html", "results"), context)


@login_required
@require_POST
def household_create(request):
    actor = request.user
    form = HouseholdForm(request.POST, actor=actor, teams=_teams(actor))
    if form.is_valid():
        data = form.cleaned_data
        try:
            household = services.household_create(actor=actor, commune=data["commune"], address=data["address"],
                                                  village=data.get("village"), team=data["team"], note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã thêm hộ %(address)s. Thêm người trong hộ bên dưới.")
                             % {"address": household.address})
            return redirect("monitoring:household", pk=household.pk)
    return render(request, "monitoring/household_new.html", {"new_form": form}, status=422)


def _household_context(request, household: Household, **forms) -> dict:
    actor = request.user
    return {
        "household": household,
        "members": list(selectors.household_members(household=household)),
        "edit_form": forms.get("edit_form") or HouseholdForm(
            actor=actor, teams=_teams(actor).filter(commune_id=household.commune_id), household=household,
            initial={"address": household.address, "village": household.village_id, "team": household.team_id,
                     "note": household.note}),
        "person_form": forms.get("person_form") or NewPersonForm(actor=actor, prefix="new",
                                                                 initial={"commune": household.commune_id}),
        "candidates": forms.get("candidates", []),
        "member_error": forms.get("member_error"),
        "can_edit": actor.can("manage_households"),
    }


def _household(request, pk: int) -> Household:
    return or_404(selectors.household_get, actor=request.user, household_id=pk)


@login_required
def household_page(request, pk: int):
    household = _household(request, pk)
    return render(request, "monitoring/household.html", _household_context(request, household))


@login_required
@require_POST
def household_edit(request, pk: int):
    actor = request.user
    household = _household(request, pk)
    form = HouseholdForm(request.POST, actor=actor, teams=_teams(actor).filter(commune_id=household.commune_id),
                         household=household)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.household_update(actor=actor, household=household, address=data["address"],
                                      village=data.get("village"), team=data["team"], note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin hộ."))
            return redirect("monitoring:household", pk=household.pk)
    return render(request, "monitoring/household.html", _household_context(request, household, edit_form=form),
                  status=422)


@login_required
@require_POST
def household_member_add(request, pk: int):
    """An existing person picked by name, phone or CCCD, or a new person registered on the spot."""
    actor = request.user
    household = _household(request, pk)
    person_form = NewPersonForm(request.POST, actor=actor, prefix="new")
    try:
        if request.POST.get("person"):
            person = person_get(actor=actor, person_id=int(request.POST["person"]))
        elif person_form.is_valid() and person_form.is_filled:
            person = person_create(actor=actor, **(person_form.service_kwargs() | {"commune": household.commune}))
        else:
            raise DomainError(_("Chọn một người đã có hoặc nhập người mới."), field="person")
        services.household_member_add(actor=actor, household=household, person=person)
        if request.POST.get("head"):
            services.household_update(actor=actor, household=household, head=person)
    except ProbableDuplicate as exc:
        add_domain_error(person_form, exc)
        context = _household_context(request, household, person_form=person_form, candidates=exc.candidates)
        return render(request, "monitoring/household.html", context, status=409)
    except (DomainError, ValueError) as exc:
        message = exc.message if isinstance(exc, DomainError) else _("Không tìm thấy người này.")
        context = _household_context(request, household, person_form=person_form, member_error=message)
        return render(request, "monitoring/household.html", context, status=422)
    messages.success(request, _("Đã thêm %(name)s vào hộ.") % {"name": person.full_name})
    return redirect("monitoring:household", pk=household.pk)


@login_required
@require_POST
def household_member_change(request, pk: int, person_id: int):
    """Remove a member, or make them the head of household (`do=head`)."""
    actor = request.user
    household = _household(request, pk)
    try:
        person = person_get(actor=actor, person_id=person_id)
        if request.POST.get("do") == "head":
            services.household_update(actor=actor, household=household, head=person)
            messages.success(request, _("%(name)s là chủ hộ.") % {"name": person.full_name})
        else:
            services.household_member_remove(actor=actor, household=household, person=person)
            messages.success(request, _("Đã bỏ %(name)s khỏi hộ.") % {"name": person.full_name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:household", pk=household.pk)
