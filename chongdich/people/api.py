"""/api/persons: search, read, register (with duplicate warning) and correct people."""

from __future__ import annotations

from ninja import Query, Router, Status

from chongdich.cases.selectors import CaseFilters, case_list, contact_list_for_person
from chongdich.core.api_support import Page, PageIn, actor_of, error_responses, paginate
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.people import selectors, services
from chongdich.people.schemas import (
    PersonContactOut,
    PersonDetailOut,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPatch,
)

router = Router(tags=["persons"])


def person_create_kwargs(actor, data: PersonIn) -> dict:
    """The keyword arguments of people.services.person_create for a `PersonIn` (also nested in
    case and contact registration)."""
    fields = data.model_dump(exclude={"commune"})
    return {"commune": unit_in_jurisdiction(actor, data.commune, "commune"), **fields}


def person_detail(actor, person):
    active = case_list(actor=actor, filters=CaseFilters(status="active")).filter(person_id=person.pk)
    person.active_case = active.values_list("code", flat=True).first()
    return person


@router.get("", response={200: Page[PersonOut], **error_responses(401, 422)})
def person_list(request, filters: Query[PersonFilters]):
    """Search by name with or without diacritics ('nguyen van duc' finds 'Nguyễn Văn Đức'),
    by phone or citizen ID; filter by rank (F0, F1 …) and unit."""
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, filters.unit, "unit")
    people = selectors.person_list(actor=actor, search=filters.q, unit=unit, rank=filters.rank)
    return paginate(people, filters)


@router.get("/{int:person_id}", response={200: PersonDetailOut, **error_responses(401, 404)})
def person_get(request, person_id: int):
    actor = actor_of(request)
    return person_detail(actor, selectors.person_get(actor=actor, person_id=person_id))


@router.post("", response={201: PersonDetailOut, **error_responses()})
def person_create(request, payload: PersonIn):
    """Register a person. If someone probably the same is registered already, the answer is 409
    with the candidates; send again with `confirm_new: true` to register anyway."""
    actor = actor_of(request)
    person = services.person_create(actor=actor, **person_create_kwargs(actor, payload))
    return Status(201, person_detail(actor, selectors.person_get(actor=actor, person_id=person.pk)))


@router.patch("/{int:person_id}", response={200: PersonDetailOut, **error_responses()})
def person_update(request, person_id: int, payload: PersonPatch):
    actor = actor_of(request)
    person = selectors.person_get(actor=actor, person_id=person_id)
    changes = payload.model_dump(exclude_unset=True)
    commune = unit_in_jurisdiction(actor, changes.pop("commune", None), "commune")
    village_id = changes.pop("village_id", None)
    services.person_update(actor=actor, person=person, commune=commune, village_id=village_id, **changes)
    return person_detail(actor, selectors.person_get(actor=actor, person_id=person_id))


@router.get("/{int:person_id}/contacts", response={200: Page[PersonContactOut], **error_responses(401, 404, 422)})
def person_contacts(request, person_id: int, page: Query[PageIn]):
    """The person's contacts (those the actor may see), nearest rank first."""
    actor = actor_of(request)
    person = selectors.person_get(actor=actor, person_id=person_id)
    pairs = contact_list_for_person(actor=actor, person=person)
    return paginate(pairs, page, render=_seen_from_person)


def _seen_from_person(pair) -> dict:
    contact, other = pair
    return {
        "id": contact.pk, "other": other, "last_contact_at": contact.last_contact_at,
        "setting": contact.setting, "note": contact.note, "case_id": contact.case_id,
    }
