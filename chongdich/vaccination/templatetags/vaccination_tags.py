from django import template

register = template.Library()


@register.inclusion_tag("vaccination/_person_doses.html", takes_context=True)
def person_doses(context, person, editable: bool = False):
    """A person's doses, as far as the viewer may see them (for the person's page)."""
    from chongdich.vaccination.selectors import dose_list_for_person

    request = context.get("request")
    actor = getattr(request, "user", None)
    if actor is None or not actor.is_authenticated:
        return {"doses": [], "person": person}
    return {"doses": list(dose_list_for_person(actor=actor, person=person)), "person": person,
            "can_record": actor.can("record_vaccination"), "editable": editable,
            "csrf_token": context.get("csrf_token")}
