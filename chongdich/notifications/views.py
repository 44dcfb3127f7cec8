"""Pages: the inbox (mark read, mark all read, open), the bell in the header, preferences and the
delivery log. Each person sees only their own notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page, template_for
from chongdich.notifications import domain, selectors, services
from chongdich.notifications.forms import PreferencesForm
from chongdich.notifications.models import Channel

BELL_EVENT = "notifications-changed"  # sent as HX-Trigger; the bell listens and refreshes its count


@login_required
def inbox(request):
    actor = request.user
    unread_only = request.GET.get("unread") == "1"
    page, capped = paginate(request, selectors.notification_list(actor=actor, unread_only=unread_only))
    context = {"page": page, "capped": capped, "query": query_without_page(request),
               "unread_only": unread_only,
               "unread": selectors.unread_count(actor=actor)}
    return render(request, template_for(request, "notifications/inbox.html", "results"), context)


@login_required
@require_POST
def mark_read(request, pk: int):
    actor = request.user
    n = or_404(selectors.notification_get, actor=actor, notification_id=pk)
    services.notification_mark_read(actor=actor, notification=n)
    if request.htmx:
        response = render(request, "notifications/inbox.html#row", {"n": n})
        response["HX-Trigger"] = BELL_EVENT
        return response
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    marked = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": marked})
    return redirect("notifications:inbox")


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    actor = request.user
    n = or_404(selectors.notification_get, actor=actor, notification_id=pk)
    services.notification_mark_read(actor=actor, notification=n)
    if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return redirect(n.url)
    return redirect("notifications:inbox")


@login_required
def bell(request):
    return render(request, "notifications/_bell.html",
                  {"unread": selectors.unread_count(actor=request.user)})


@login_required
def preferences(request):
    actor = request.user
    prefs = selectors.preferences_get(actor=actor)
    form = PreferencesForm(request.POST or None, preferences=prefs)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(actor=actor, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
            return redirect("notifications:preferences")
    context = {"form": form, "prefs": prefs, "channels": [Channel(c) for c in domain.CHANNELS]}
    return render(request, "notifications/preferences.html", context)


@login_required
def deliveries(request):
    page, capped = paginate(request, selectors.delivery_list(actor=request.user), per_page=30)
    context = {"page": page, "capped": capped, "query": query_without_page(request)}
    return render(request, "notifications/deliveries.html", context)
