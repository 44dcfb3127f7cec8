"""People: search, the person page, and the picker used by the case and contact forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from chongdich.cases.selectors import case_list_for_person, contact_list_for_person
from chongdich.core.web import or_404, paginate, query_without_page, template_for
from chongdich.people.forms import PersonSearchForm
from chongdich.people.selectors import person_get, person_list

PICK_LIMIT = 10


@login_required
def person_list_view(request):
    actor = request.user
    form = PersonSearchForm(request.GET or None)
    search, rank = "", None
    if form.is_valid():
        search, rank = form.cleaned_data["q"], form.cleaned_data["rank"]
    people = person_list(actor=actor, search=search, rank=rank)
    page, capped = paginate(request, people, count=not search)
    context = {"form": form, "page": page, "capped": capped, "query": query_without_page(request)}
    return render(request, template_for(request, "people/person_list.html", "results"), context)


@login_required
def person_detail(request, pk: int):
    actor = request.user
    person = or_404(person_get, actor=actor, person_id=pk)
    context = {
        "person": person,
        "cases": case_list_for_person(actor=actor, person=person).select_related("cluster"),
        "contacts": contact_list_for_person(actor=actor, person=person),
        "can_register_case": actor.can("register_case"),
    }
    return render(request, "people/person_detail.html", context)


@login_required
def person_pick(request):
    """A few people matching ?q= as radio choices named ?field= (htmx fragment)."""
    field = request.GET.get("field", "person")
    if field not in ("person", "contact"):
        field = "person"
    search = request.GET.get("q", "").strip()
    people = person_list(actor=request.user, search=search)[:PICK_LIMIT] if len(search) >= 2 else []
    return render(request, "people/_pick.html", {"people": people, "field": field, "search": search})
