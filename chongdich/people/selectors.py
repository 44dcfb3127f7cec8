from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import scope_q
from chongdich.core.text import fold
from chongdich.people.models import Person

# A name search answers with at most this many people (the most recently registered matches),
# sorted by name. Sorting every match by name would make PostgreSQL walk the whole name index past
# millions of people; a search that matches more than this wants more words, not more pages.
SEARCH_LIMIT = 500


def person_list(*, actor, search: str = "", unit=None, rank: int | None = None) -> QuerySet[Person]:
    qs = Person.objects.filter(scope_q(actor))
    if unit is not None:
        qs = qs.filter(**{f"{unit.level}_id": unit.pk})
    if rank is not None:
        qs = qs.filter(rank=rank)
    term = search.strip()
    if term.isdigit() and len(term) >= 9:
        qs = qs.filter(citizen_id=term) | qs.filter(phone=term)
    elif term:
        matches = qs.filter(name_folded__contains=fold(term)).order_by("-pk").values("pk")[:SEARCH_LIMIT]
        qs = Person.objects.filter(pk__in=matches)
    return qs.select_related("commune", "district").order_by("name_folded", "pk")


def person_get(*, actor, person_id: int) -> Person:
    """The person, if inside the actor's jurisdiction; 'not found' otherwise, as for a missing id."""
    person = (
        Person.objects.filter(scope_q(actor), pk=person_id)
        .select_related("commune", "district", "province", "village")
        .first()
    )
    if person is None:
        raise NotFound(_("Không tìm thấy người này."))
    return person
