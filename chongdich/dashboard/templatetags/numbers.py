"""Numbers as each language writes them: 12.345 in Vietnamese, 12,345 in English."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def num(value):
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    separator = "," if (get_language() or "vi").startswith("en") else "."
    return f"{number:,}".replace(",", separator)
