"""Clusters (ổ dịch): the list with sizes, a cluster's page with its cases, creating one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.cases.forms import ClusterForm
from chongdich.cases.selectors import (
    CaseFilters,
    case_list,
    cluster_get,
    cluster_list,
    cluster_search,
    cluster_sizes,
)
from chongdich.cases.services import cluster_create
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, paginate, query_without_page


@login_required
def cluster_list_view(request):
    actor = request.user
    form = ClusterForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            cluster = cluster_create(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã tạo ổ dịch %(name)s.") % {"name": cluster.name})
            return redirect("cases:cluster", pk=cluster.pk)
    page, capped = paginate(request, cluster_list(actor=actor))
    sizes = cluster_sizes(actor=actor, cluster_ids=[c.pk for c in page])
    context = {"page": page, "capped": capped, "query": query_without_page(request),
               "clusters": [(c, sizes.get(c.pk, 0)) for c in page], "form": form,
               "can_create": actor.can("manage_clusters")}
    return render(request, "cases/cluster_list.html", context)


@login_required
def cluster_pick(request):
    """Clusters matching ?cluster= (the field being typed) or ?q=, as <option>s (htmx)."""
    search = request.GET.get("cluster") or request.GET.get("q") or ""
    clusters = cluster_search(actor=request.user, search=search) if search.strip() else []
    return render(request, "cases/_cluster_options.html", {"cluster_options": clusters})


@login_required
def cluster_detail(request, pk: int):
    actor = request.user
    cluster = or_404(cluster_get, actor=actor, cluster_id=pk)
    page, capped = paginate(request, case_list(actor=actor, filters=CaseFilters(cluster_id=cluster.pk)))
    context = {"cluster": cluster, "page": page, "capped": capped, "query": query_without_page(request)}
    return render(request, "cases/cluster_detail.html", context)
