"""Reads for cases, contacts, clusters and chains, always scoped to the actor's jurisdiction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from chongdich.cases import domain
from chongdich.cases.models import Case, Cluster, Contact
from chongdich.cases.ranks import active_cases_q
from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import scope_q
from chongdich.core.text import fold
from chongdich.people.models import Person


@dataclass(frozen=True)
class CaseFilters:
    unit: object | None = None  # an AdminUnit inside the actor's jurisdiction
    confirmed_from: dt.date | None = None
    confirmed_to: dt.date | None = None
    status: str = ""  # a CaseStatus, or "active", or "discarded"
    detection: str = ""
    cluster_id: int | None = None
    search: str = ""  # case code or folded person name


def case_list(*, actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    f = filters or CaseFilters()
    qs = Case.objects.filter(scope_q(actor)).select_related("person", "commune", "district", "cluster")
    if f.status == "discarded":
        qs = qs.filter(discarded_at__isnull=False)
    else:
        qs = qs.filter(discarded_at__isnull=True)
        if f.status == "active":
            qs = qs.filter(active_cases_q())
        elif f.status:
            qs = qs.filter(status=f.status)
    if f.unit is not None:
        qs = qs.filter(**{f"{f.unit.level}_id": f.unit.pk})
    if f.confirmed_from:
        qs = qs.filter(confirmed_on__gte=f.confirmed_from)
    if f.confirmed_to:
        qs = qs.filter(confirmed_on__lte=f.confirmed_to)
    if f.detection:
        qs = qs.filter(detection=f.detection)
    if f.cluster_id:
        qs = qs.filter(cluster_id=f.cluster_id)
    if f.search:
        term = f.search.strip()
        qs = qs.filter(Q(code__iexact=term) | Q(person__name_folded__contains=fold(term)))
    return qs.order_by("-confirmed_at", "-pk")


def case_get(*, actor, case_id: int, related: bool = True) -> Case:
    """The case, if the actor may see it. `related=False` reads only the case and its commune:
    planning the nine-table join of the full read costs about 5 ms on PostgreSQL, more than
    running it, which counts for an API call that needs no more."""
    joins = (("person", "person__commune", "commune", "district", "province", "cluster", "infected_by",
              "infected_by__person") if related else ("commune",))
    case = Case.objects.filter(scope_q(actor), pk=case_id).select_related(*joins).order_by().first()
    if case is None:
        raise NotFound(_("Không tìm thấy ca bệnh."))
    return case


def case_get_by_code(*, actor, code: str) -> Case:
    case = Case.objects.filter(scope_q(actor), code__iexact=code.strip()).first()
    if case is None:
        raise NotFound(_("Không tìm thấy ca bệnh %(code)s.") % {"code": code})
    return case


def case_status_history(*, case: Case):
    return case.status_events.select_related("recorded_by").order_by("at", "pk")


def contact_list_for_person(*, actor, person: Person) -> list[tuple[Contact, Person]]:
    """The person's contacts with the other side of each, only those the actor may see."""
    visible = scope_q(actor, "contact__")
    out = [(c, c.contact) for c in Contact.objects.filter(visible, person=person).select_related("contact", "contact__commune")]
    visible = scope_q(actor, "person__")
    out += [(c, c.person) for c in Contact.objects.filter(visible, contact=person).select_related("person", "person__commune")]
    return sorted(out, key=lambda pair: (pair[1].rank is None, pair[1].rank or 0, pair[1].full_name))


def contact_list(*, actor, since: dt.datetime | None = None) -> QuerySet[Contact]:
    qs = Contact.objects.filter(scope_q(actor, "person__")).select_related("person", "contact")
    if since:
        qs = qs.filter(created_at__gte=since)
    return qs.order_by("-created_at", "-pk")


def cluster_list(*, actor) -> QuerySet[Cluster]:
    return Cluster.objects.filter(scope_q(actor)).select_related("commune", "district").order_by("-started_on", "name")


def cluster_get(*, actor, cluster_id: int) -> Cluster:
    cluster = Cluster.objects.filter(scope_q(actor), pk=cluster_id).select_related("commune").first()
    if cluster is None:
        raise NotFound(_("Không tìm thấy ổ dịch."))
    return cluster


def cluster_sizes(*, actor, cluster_ids: list[int] | None = None) -> dict[int, int]:
    """Cases per cluster; with `cluster_ids`, only those clusters (one indexed count, for a page)."""
    if cluster_ids is not None:
        rows = (Case.objects.filter(scope_q(actor), discarded_at__isnull=True, cluster_id__in=cluster_ids)
                .values("cluster_id").annotate(n=Count("pk")).values_list("cluster_id", "n"))
        return dict(rows)
    rows = (Case.objects.filter(scope_q(actor), discarded_at__isnull=True, cluster__isnull=False)
            .values("cluster_id").annotate(n=Count("pk")).values_list("cluster_id", "n"))
    return dict(rows)


def cluster_search(*, actor, search: str = "", limit: int = 20) -> list[Cluster]:
    """Clusters matching a name, place, commune (with or without diacritics) or number."""
    qs = cluster_list(actor=actor)
    term = (search or "").strip()
    if term.isdigit():
        qs = qs.filter(pk=int(term))
    elif term:
        qs = qs.filter(Q(name__icontains=term) | Q(place__icontains=term)
                       | Q(commune__name_folded__contains=fold(term)))
    return list(qs[:limit])


def chains_for(*, actor, cases: QuerySet[Case] | None = None) -> dict[int, domain.ChainPosition]:
    """Chain root and generation of every visible, not discarded case (from infector links)."""
    qs = cases if cases is not None else Case.objects.filter(scope_q(actor))
    links = dict(qs.filter(discarded_at__isnull=True).values_list("pk", "infected_by_id"))
    return domain.transmission_chains(links)


def case_chain_graph(*, actor, case: Case, depth: int = 2, limit: int = 300) -> dict:
    """Nodes and edges around a case for the chain graph: its person, contacts up to `depth`,
    the infector and the cases it infected. Only people the actor may see appear."""
    scope = scope_q(actor)
    people: dict[int, Person] = {case.person_id: case.person}
    edges: set[tuple[int, int, str]] = set()
    frontier = {case.person_id}
    for _step in range(depth):
        if not frontier or len(people) >= limit:
            break
        rows = Contact.objects.filter(Q(person_id__in=frontier) | Q(contact_id__in=frontier)).values_list("person_id", "contact_id", "setting")[: limit * 4]
        new = set()
        for a, b, setting in rows:
            edges.add((a, b, setting))
            new.update({a, b} - people.keys())
        found = Person.objects.filter(scope, pk__in=list(new)[: max(limit - len(people), 0)])
        people.update({p.pk: p for p in found})
        frontier = {p.pk for p in found}
    related = [c for c in (case.infected_by,) if c is not None] + list(
        Case.objects.filter(scope, infected_by=case, discarded_at__isnull=True).select_related("person")[:50]
    )
    for other in related:
        people.setdefault(other.person_id, other.person)
    active = dict(Case.objects.filter(active_cases_q(), person_id__in=list(people)).values_list("person_id", "code"))
    nodes = [
        {"id": p.pk, "label": p.full_name, "rank": p.rank, "case": active.get(p.pk), "centre": p.pk == case.person_id}
        for p in people.values()
    ]
    links = [{"source": a, "target": b, "kind": "contact", "setting": s} for a, b, s in edges if a in people and b in people]
    if case.infected_by is not None:
        links.append({"source": case.infected_by.person_id, "target": case.person_id, "kind": "infection"})
    for other in related[1 if case.infected_by else 0:]:
        links.append({"source": case.person_id, "target": other.person_id, "kind": "infection"})
    return {"nodes": nodes, "edges": links}


def case_chain_position(*, actor, case: Case, max_depth: int = 500) -> domain.ChainPosition:
    """Chain root and generation of one case, walking its infector links up as far as the actor
    can see: one small query per generation, whatever the size of the database."""
    links: dict[int, int | None] = {case.pk: case.infected_by_id}
    infector_id = case.infected_by_id
    scope = scope_q(actor)
    while infector_id is not None and infector_id not in links and len(links) < max_depth:
        row = (Case.objects.filter(scope, pk=infector_id, discarded_at__isnull=True)
               .values_list("pk", "infected_by_id").first())
        if row is None:
            break
        links[row[0]] = row[1]
        infector_id = row[1]
    return domain.transmission_chains(links)[case.pk]


def case_infected_list(*, actor, case: Case, limit: int = 100) -> QuerySet[Case]:
    """The visible, not discarded cases this case infected."""
    return (Case.objects.filter(scope_q(actor), infected_by=case, discarded_at__isnull=True)
            .select_related("person").order_by("confirmed_at", "pk")[:limit])


def case_list_for_person(*, actor, person: Person) -> QuerySet[Case]:
    """The person's cases (a person may be an F0 more than once), as far as the actor can see."""
    return Case.objects.filter(scope_q(actor), person=person).order_by("-confirmed_at", "-pk")
