"""Home-monitoring pages for the field, phone first: the overview, a team's list for today with
quick check entry (htmx, one card at a time), the list of monitored people, a person's page with
their history and self-report link, and the person's own self-report page (no account).
Team and household management is in views_manage, the health station's list in views_station."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock
from chongdich.core.errors import DomainError, NotFound
from chongdich.core.jurisdiction import covers
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.geography.selectors import unit_get, unit_picker
from chongdich.monitoring import domain, selectors, services
from chongdich.monitoring.forms import CheckForm, DatedCheckForm, MonitoredFilterForm, TeamForm
from chongdich.people.selectors import person_get

PER_PAGE = 30


def symptom_groups(day=None) -> dict:
    """The symptom choices split into ordinary ones and the danger signs of the rule set in force,
    so the page shows the danger signs apart."""
    danger = set(selectors.rule_set_in_force(day or clock.today()).danger_symptoms)
    return {"danger_codes": danger}


def _check_form(person_id: int, data=None, form_class=CheckForm):
    return form_class(data, prefix=f"p{person_id}")


# --- Overview -----------------------------------------------------------------------------


@login_required
def home(request):
    actor = request.user
    teams = list(selectors.team_list(actor=actor))
    monitored = selectors.monitored_per_team(actor=actor, team_ids=[t.pk for t in teams])
    for team in teams:
        team.monitored_count = monitored.get(team.pk, 0)
    context = {
        "counts": selectors.monitoring_counts(actor=actor),
        "my_teams": list(selectors.teams_of_user(actor=actor)),
        "teams": teams,
        "team_form": TeamForm(actor=actor) if actor.can("manage_teams") else None,
        "can_resolve": actor.can("resolve_escalation"),
        "rule_set": selectors.rule_set_in_force(clock.today()),
    }
    return render(request, "monitoring/home.html", context)


# --- A team's list for today --------------------------------------------------------------


def _team_context(request, team, rows, *, bound=None) -> dict:
    """`bound`: a form with errors for one person's card (the page without htmx)."""
    actor = request.user
    cards = [(r, bound if bound is not None and bound.prefix == f"p{r.person.pk}" else _check_form(r.person.pk))
             for r in rows]
    return {
        "team": team, "rows": rows, "cards": cards,
        "can_record": actor.can("record_check") and covers(actor, team.commune),
        "todo": sum(1 for r in rows if not r.checked_today),
        "alerts": sum(1 for r in rows if r.state.kind != domain.StateKind.OK),
        **symptom_groups(),
    }


@login_required
def team_today(request, pk: int):
    actor = request.user
    team = or_404(selectors.team_get, actor=actor, team_id=pk)
    rows = selectors.team_followup(actor=actor, team=team)
    return render(request, "monitoring/team.html", _team_context(request, team, rows))


@login_required
@require_POST
def team_check(request, pk: int, person_id: int):
    """htmx: records one check from a card of the team's list and answers with that card."""
    actor = request.user
    team = or_404(selectors.team_get, actor=actor, team_id=pk)
    person = or_404(person_get, actor=actor, person_id=person_id)
    form = _check_form(person.pk, request.POST)
    saved = None
    if form.is_valid():
        try:
            saved = services.check_record(actor=actor, person=person, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
    if not request.htmx:
        if saved is not None:
            messages.success(request, _("Đã lưu kết quả theo dõi của %(name)s.") % {"name": person.full_name})
            return redirect(reverse("monitoring:team", args=[team.pk]) + f"#p-{person.pk}")
        rows = selectors.team_followup(actor=actor, team=team)
        return render(request, "monitoring/team.html", _team_context(request, team, rows, bound=form), status=422)
    rows = selectors.rows_of(selectors.monitored_list(
        actor=actor, filters=selectors.ListFilters(team=team)).filter(person_id=person.pk))
    if not rows:
        raise Http404(_("Người này không còn trong danh sách theo dõi của tổ."))
    context = {"team": team, "row": rows[0], "form": _check_form(person.pk) if saved else form,
               "saved": saved, "open": saved is None, "can_record": True, **symptom_groups()}
    return render(request, "monitoring/team.html#card", context)


# --- Monitored people ---------------------------------------------------------------------


@login_required
def people(request):
    actor = request.user
    form = MonitoredFilterForm(request.GET or None, units=unit_picker(actor=actor))
    filters = selectors.ListFilters()
    if form.is_valid():
        data = form.cleaned_data
        unit = None
        if data["unit"]:
            try:
                unit = unit_get(actor=actor, code=data["unit"])
            except NotFound as exc:
                form.add_error("unit", exc.message)
        filters = selectors.ListFilters(unit=unit, state=data["state"], search=data["q"])
    now = clock.now()
    rows = selectors.monitored_list(actor=actor, filters=filters, now=now)
    ordering = ("silent_since", "pk") if filters.state == "not_reporting" else ("person__name_folded", "pk")
    page, capped = paginate(request, rows.order_by(*ordering), per_page=PER_PAGE)
    page.object_list = selectors.rows_of(page.object_list, now=now)
    context = {"form": form, "page": page, "capped": capped, "query": query_without_page(request),
               "counts": selectors.monitoring_counts(actor=actor, unit=filters.unit, now=now)}
    return render(request, template_for(request, "monitoring/people.html", "results"), context)


def _person_context(request, person, **extra) -> dict:
    actor = request.user
    rows = selectors.rows_of(selectors.monitored_list(actor=actor).filter(person_id=person.pk))
    link = selectors.report_link_live(actor=actor, person_id=person.pk)
    return {
        "person": person, "row": rows[0] if rows else None,
        "history": selectors.check_history(actor=actor, person_id=person.pk),
        "form": DatedCheckForm(prefix=f"p{person.pk}"), "live_link": link,
        "can_record": actor.can("record_check") and covers(actor, person.commune),
        **symptom_groups(), **extra,
    }


@login_required
def person_page(request, person_id: int):
    person = or_404(person_get, actor=request.user, person_id=person_id)
    return render(request, "monitoring/person.html", _person_context(request, person))


@login_required
@require_POST
def person_check(request, person_id: int):
    actor = request.user
    person = or_404(person_get, actor=actor, person_id=person_id)
    form = _check_form(person.pk, request.POST, DatedCheckForm)
    saved = None
    if form.is_valid():
        try:
            saved = services.check_record(actor=actor, person=person, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
    extra = {"saved": saved} if saved else {"form": form}
    return render(request, "monitoring/person.html", _person_context(request, person, **extra),
                  status=200 if saved or form.errors else 422)


@login_required
@require_POST
def link_issue(request, person_id: int):
    """A new self-report link, shown once, to send to the person (SMS, Zalo)."""
    actor = request.user
    person = or_404(person_get, actor=actor, person_id=person_id)
    try:
        _link, key = services.report_link_issue(actor=actor, person=person)
    except DomainError as exc:
        return render(request, "monitoring/person.html", _person_context(request, person, link_error=exc.message),
                      status=exc.status)
    url = request.build_absolute_uri(reverse("monitoring:self_report", args=[key]))
    return render(request, "monitoring/person.html", _person_context(request, person, new_link_url=url))


# --- The person's own report (no account) -------------------------------------------------


def self_report(request, token: str):
    """The page behind the link sent to a monitored person."""
    try:
        link = selectors.report_link_get(token=token)
    except NotFound as exc:
        return render(request, "monitoring/self_report.html", {"invalid": exc.message}, status=404)
    person = link.person
    monitored = selectors.monitoring_period(person_id=person.pk, today=clock.today()) is not None
    form = CheckForm(request.POST or None)
    context = {"person": person, "monitored": monitored, "form": form, **symptom_groups()}
    status = 200
    if request.method == "POST" and monitored and form.is_valid():
        try:
            check = services.check_record_self(token=token, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
        else:
            context |= {"sent": check, "sent_message": domain.advice_after_self_report(check.level), "form": CheckForm()}
    return render(request, "monitoring/self_report.html", context, status=status)
