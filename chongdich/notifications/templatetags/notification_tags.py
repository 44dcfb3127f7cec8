"""The bell in the header: `{% load notification_tags %}{% notification_bell %}`."""

from django import template

from chongdich.notifications.events import event_kind
from chongdich.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(actor=user) if user is not None else 0}


@register.filter
def event_label(code: str) -> str:
    """An event kind's name in the user's language (its code if no app registered it)."""
    try:
        return event_kind(code).label
    except ValueError:
        return code
