"""The board's colours and bars, overdue days, and the placements section of the person page."""

from __future__ import annotations

from django import template

from chongdich.quarantine import domain
from chongdich.quarantine.models import FacilityStatus

register = template.Library()


@register.filter
def band(facility) -> str:
    """empty / low / high / near / full / closed, for the colour of a facility or a summary."""
    closed = getattr(facility, "status", "") == FacilityStatus.CLOSED
    return domain.fullness_band(facility.occupied, facility.capacity, closed=closed)


@register.filter
def percent(item) -> int:
    """Share of the places taken, as a whole percent for a bar's width (0–100)."""
    return min(int(round(domain.fullness(item.occupied, item.capacity))), 100)


@register.filter
def days_late(due_on, today) -> int:
    return max((today - due_on).days, 0) if due_on and today else 0


@register.inclusion_tag("quarantine/_person_placements.html", takes_context=True)
def person_placements(context, person):
    """The person's stays in quarantine or treatment, as far as the viewer may see them."""
    from chongdich.quarantine.selectors import placement_list_for_person

    request = context.get("request")
    actor = getattr(request, "user", None)
    if actor is None or not actor.is_authenticated:
        return {"placements": [], "person": person}
    return {"placements": list(placement_list_for_person(actor=actor, person=person)[:20]),
            "person": person, "can_place": actor.can("place_person")}
