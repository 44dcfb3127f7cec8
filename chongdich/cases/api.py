"""/api/cases, /api/contacts, /api/clusters: register F0s with their contacts, follow treatment,
read transmission chains. Each operation resolves its inputs through selectors (so anything
outside the actor's jurisdiction is 'not found') and calls one service."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from chongdich.cases import selectors, services
from chongdich.cases.schemas import (
    CaseDetailOut,
    CaseFiltersIn,
    CaseIn,
    CaseOut,
    CasePatch,
    ChainOut,
    ClusterIn,
    ClusterOut,
    ClusterPatch,
    ContactAddedOut,
    ContactFilters,
    ContactIn,
    ContactOut,
    DiscardIn,
    StatusIn,
)
from chongdich.core import clock
from chongdich.core.api_support import (
    Page,
    PageIn,
    actor_of,
    error_responses,
    paginate,
    resolve,
)
from chongdich.core.errors import InvalidInput
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.people.api import person_create_kwargs
from chongdich.people.selectors import person_get

cases_router = Router(tags=["cases"])
contacts_router = Router(tags=["contacts"])
clusters_router = Router(tags=["clusters"])


def case_ref(actor, ref, field: str):
    """A case named in a request by id (123 or "123") or by code ("BN26-000123")."""
    if ref is None or ref == "":
        return None
    if isinstance(ref, int) or str(ref).isdigit():
        return resolve(field, selectors.case_get, actor=actor, case_id=int(ref))
    return resolve(field, selectors.case_get_by_code, actor=actor, code=str(ref))


def cluster_ref(actor, cluster_id: int | None, field: str = "cluster_id"):
    if cluster_id is None:
        return None
    return resolve(field, selectors.cluster_get, actor=actor, cluster_id=cluster_id)


def case_detail(actor, case_id: int):
    """The case with its status history and its place in its transmission chain."""
    case = selectors.case_get(actor=actor, case_id=case_id)
    position = selectors.case_chain_position(actor=actor, case=case)
    root = case if position.root == case.pk else selectors.case_get(actor=actor, case_id=position.root)
    case.generation, case.chain_root, case.in_cycle = position.generation, root.code, position.in_cycle
    case.history = list(selectors.case_status_history(case=case))
    return case


# --- Cases --------------------------------------------------------------------------------


@cases_router.get("", response={200: Page[CaseOut], **error_responses(401, 404, 422)})
def case_list(request, filters: Query[CaseFiltersIn]):
    """Cases in the actor's jurisdiction, newest first. Discarded cases only with status=discarded."""
    actor = actor_of(request)
    wanted = selectors.CaseFilters(
        unit=unit_in_jurisdiction(actor, filters.unit, "unit"),
        confirmed_from=filters.confirmed_from, confirmed_to=filters.confirmed_to,
        status=filters.status, detection=filters.detection or "", cluster_id=filters.cluster,
        search=filters.q,
    )
    cases = selectors.case_list(actor=actor, filters=wanted).select_related("infected_by")
    return paginate(cases, filters)


@cases_router.get("/{int:case_id}", response={200: CaseDetailOut, **error_responses(401, 404)})
def case_get(request, case_id: int):
    return case_detail(actor_of(request), case_id)


@cases_router.post("", response={201: CaseDetailOut, **error_responses()})
def case_register(request, payload: CaseIn):
    """Confirm an F0: an existing person (`person_id`) or a new one (`person`, registered in the
    same transaction). Their contacts become F1, the contacts of those F2, at once."""
    actor = actor_of(request)
    if (payload.person_id is None) == (payload.person is None):
        raise InvalidInput(_("Cần đúng một trong hai: person_id hoặc person."), field="person")
    fields = {
        "confirmed_at": payload.confirmed_at or clock.now(), "detection": payload.detection,
        "code": payload.code, "infected_by": case_ref(actor, payload.infected_by, "infected_by"),
        "cluster": cluster_ref(actor, payload.cluster_id), "status": payload.status,
        "onset_on": payload.onset_on, "note": payload.note,
    }
    if payload.person is not None:
        case = services.case_register_new_person(
            actor=actor, person=person_create_kwargs(actor, payload.person), **fields
        )
    else:
        person = resolve("person_id", person_get, actor=actor, person_id=payload.person_id)
        case = services.case_register(actor=actor, person=person, **fields)
    return Status(201, case_detail(actor, case.pk))


@cases_router.patch("/{int:case_id}", response={200: CaseDetailOut, **error_responses()})
def case_update(request, case_id: int, payload: CasePatch):
    """Link the case to its infector (id or code) or cluster, correct onset date or note.
    Send null to remove a link."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    changes = payload.model_dump(exclude_unset=True)
    if "infected_by" in changes:
        changes["infected_by"] = case_ref(actor, changes["infected_by"], "infected_by")
    if "cluster_id" in changes:
        changes["cluster"] = cluster_ref(actor, changes.pop("cluster_id"))
    if changes.get("note") is None:
        changes.pop("note", None)
    services.case_update(actor=actor, case=case, **changes)
    return case_detail(actor, case_id)


@cases_router.post("/{int:case_id}/status", response={200: CaseDetailOut, **error_responses()})
def case_record_status(request, case_id: int, payload: StatusIn):
    """Treatment status over time; 'recovered' and 'died' end the case and move its contacts' ranks."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_record_status(
        actor=actor, case=case, status=payload.status, at=payload.at or clock.now(), note=payload.note
    )
    return case_detail(actor, case_id)


@cases_router.post("/{int:case_id}/discard", response={200: CaseDetailOut, **error_responses()})
def case_discard(request, case_id: int, payload: DiscardIn):
    """Not a case after all: it leaves every count and chain, and its contacts' ranks drop."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_discard(actor=actor, case=case, reason=payload.reason)
    return case_detail(actor, case_id)


@cases_router.get("/{int:case_id}/chain", response={200: ChainOut, **error_responses(401, 404, 422)})
def case_chain(request, case_id: int, depth: int = Query(2, ge=1, le=3)):
    """Nodes (people) and edges (contacts, infections) around the case, for the chain graph."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    return selectors.case_chain_graph(actor=actor, case=case, depth=depth)


# --- Contacts -----------------------------------------------------------------------------


def _contact_out(actor, contact_id: int):
    return (
        selectors.contact_list(actor=actor)
        .select_related("person__commune", "contact__commune")
        .get(pk=contact_id)
    )


@contacts_router.post("", response={201: ContactAddedOut, **error_responses()})
def contact_add(request, payload: ContactIn):
    """Record an exposure between `person_id` and an existing person (`contact_id`) or a new one
    (`contact`). The answer carries the contact's rank afterwards (1 = F1 when person_id is F0)."""
    actor = actor_of(request)
    if (payload.contact_id is None) == (payload.contact is None):
        raise InvalidInput(_("Cần đúng một trong hai: contact_id hoặc contact."), field="contact")
    person = resolve("person_id", person_get, actor=actor, person_id=payload.person_id)
    existing = None
    if payload.contact_id is not None:
        existing = resolve("contact_id", person_get, actor=actor, person_id=payload.contact_id)
    record = services.contact_add(
        actor=actor, person=person, contact=existing,
        new_contact=person_create_kwargs(actor, payload.contact) if payload.contact else None,
        last_contact_at=payload.last_contact_at, setting=payload.setting, note=payload.note,
        case=case_ref(actor, payload.case_id, "case_id"),
    )
    other = person_get(actor=actor, person_id=existing.pk if existing else record.contact_id)
    body = {"contact": _contact_out(actor, record.pk), "contact_rank": other.rank,
            "contact_rank_label": other.rank_label}
    return Status(201, body)


@contacts_router.get("", response={200: Page[ContactOut], **error_responses(401, 422)})
def contact_list(request, filters: Query[ContactFilters]):
    """Contacts recorded recently in the actor's jurisdiction, newest first."""
    actor = actor_of(request)
    contacts = selectors.contact_list(actor=actor, since=filters.since)
    return paginate(contacts.select_related("person__commune", "contact__commune"), filters)


# --- Clusters -----------------------------------------------------------------------------


def _with_size(cluster, size: int):
    cluster.size = size
    return cluster


@clusters_router.get("", response={200: Page[ClusterOut], **error_responses(401, 422)})
def cluster_list(request, page: Query[PageIn]):
    actor = actor_of(request)
    sizes = selectors.cluster_sizes(actor=actor)
    return paginate(selectors.cluster_list(actor=actor), page,
                    render=lambda cluster: _with_size(cluster, sizes.get(cluster.pk, 0)))


def cluster_detail(actor, cluster_id: int):
    cluster = selectors.cluster_get(actor=actor, cluster_id=cluster_id)
    cases = selectors.case_list(actor=actor, filters=selectors.CaseFilters(cluster_id=cluster.pk))
    return _with_size(cluster, cases.count())


@clusters_router.get("/{int:cluster_id}", response={200: ClusterOut, **error_responses(401, 404)})
def cluster_get(request, cluster_id: int):
    return cluster_detail(actor_of(request), cluster_id)


@clusters_router.post("", response={201: ClusterOut, **error_responses()})
def cluster_create(request, payload: ClusterIn):
    actor = actor_of(request)
    cluster = services.cluster_create(
        actor=actor, commune=unit_in_jurisdiction(actor, payload.commune, "commune"),
        **payload.model_dump(exclude={"commune"}),
    )
    return Status(201, cluster_detail(actor, cluster.pk))


@clusters_router.patch("/{int:cluster_id}", response={200: ClusterOut, **error_responses()})
def cluster_update(request, cluster_id: int, payload: ClusterPatch):
    actor = actor_of(request)
    cluster = selectors.cluster_get(actor=actor, cluster_id=cluster_id)
    services.cluster_update(actor=actor, cluster=cluster, **payload.model_dump(exclude_unset=True))
    return cluster_detail(actor, cluster_id)
