"""The public check-in page a phone opens by scanning a venue's QR code: no account. It shows the
venue's name and address, takes a name and a phone number (or CCCD), and answers only "recorded
at hh:mm" — never whether the person was known, nor anything about anyone else."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from chongdich.core.errors import DomainError, NotFound
from chongdich.core.web import add_domain_error
from chongdich.venues import selectors, services
from chongdich.venues.forms import PublicCheckInForm


@never_cache
def checkin(request, code: str):
    try:
        venue = selectors.venue_public(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = PublicCheckInForm(request.POST or None)
    recorded = None
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.checkin_public(code=code, **form.cleaned_data)
            form = PublicCheckInForm()
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(request, "venues/public_checkin.html",
                  {"venue": venue, "form": form, "recorded": recorded})
