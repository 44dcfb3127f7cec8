from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def share(value) -> str:
    """0.875 → "88%"; no data → "—"."""
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def minutes(value) -> str:
    """Minutes as "1 giờ 05" / "45 phút"; no data → "—"."""
    if value is None:
        return "—"
    value = int(round(value))
    hours, rest = divmod(value, 60)
    if hours:
        return _("%(h)s giờ %(m)s") % {"h": hours, "m": f"{rest:02d}"}
    return _("%(m)s phút") % {"m": rest}


@register.filter
def pick(mapping, key):
    return mapping.get(key) if mapping else None
