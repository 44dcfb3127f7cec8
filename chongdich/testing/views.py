"""Testing pages: the hub, taking samples (one person, a team's round, a pooled set), a tube's page,
recording results, the lab's worklist, the retest list and a person's samples. Phone-first: a
sampling team works on a phone at the market gate. Campaigns and proposals have their own modules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock
from chongdich.core.errors import DomainError, NotFound
from chongdich.core.web import (
    add_domain_error,
    lookup,
    or_404,
    paginate,
    query_without_page,
    template_for,
)
from chongdich.people.selectors import person_get, person_list
from chongdich.testing import selectors, services
from chongdich.testing.forms import QuickResultForm, ResultForm, TakeForm
from chongdich.testing.models import Pool, SampleReason

PICK_LIMIT = 10
WORKLIST_SIZE = 100


@login_required
def home(request):
    """What needs doing: tubes awaiting results, retests due, F0 proposals, running campaigns."""
    actor = request.user
    context = {
        "awaiting": selectors.awaiting_samples(actor=actor).count() + selectors.awaiting_pools(actor=actor).count(),
        "retests": selectors.retest_due(actor=actor).count(),
        "proposals": selectors.proposal_list(actor=actor).count(),
        "campaigns": list(selectors.campaign_list(actor=actor, active_on=clock.today())[:10]),
        "recent": selectors.sample_list(actor=actor)[:20],
        "can_take": actor.can("take_sample"),
        "can_record": actor.can("record_result"),
    }
    return render(request, "testing/home.html", context)


# --- Taking samples ---------------------------------------------------------------------------


def _posted_people(request) -> list[int]:
    ids = [int(v) for v in request.POST.getlist("people") if v.isdigit()]
    return list(dict.fromkeys(ids))


def _take_context(request, form, chosen, campaign=None):
    actor = request.user
    members = []
    if campaign is not None:
        members = list(selectors.campaign_members(campaign=campaign, day=clock.today())[:500])
    member_ids = {p.pk for p in members}
    for person in chosen:  # what was typed stays on the page when the form comes back
        person.typed_code = request.POST.get(f"code_{person.pk}", "")
    return {"form": form, "campaign": campaign, "members": members, "chosen_ids": {p.pk for p in chosen},
            "chosen": [p for p in chosen if p.pk not in member_ids], "can_take": actor.can("take_sample"),
            "campaigns": list(selectors.campaign_list(actor=actor, active_on=clock.today())[:20])}


@login_required
def take(request):
    """Pick people (search, or tick them off a campaign's list), say where and why, take."""
    actor = request.user
    initial = {k: request.GET[k] for k in ("reason", "campaign") if request.GET.get(k)}
    campaign = None
    raw_campaign = request.POST.get("campaign") or request.GET.get("campaign")
    if raw_campaign and str(raw_campaign).isdigit():
        campaign = or_404(selectors.campaign_get, actor=actor, campaign_id=int(raw_campaign))
        initial.setdefault("kind", campaign.sample_kind)
        initial.setdefault("reason", SampleReason.SCREENING)
    if request.method != "POST":
        chosen = []
        if request.GET.get("person", "").isdigit():
            chosen = [or_404(person_get, actor=actor, person_id=int(request.GET["person"]))]
        form = TakeForm(actor=actor, initial=initial)
        return render(request, "testing/take.html", _take_context(request, form, chosen, campaign))
    form = TakeForm(request.POST, actor=actor)
    try:
        chosen = selectors.people_by_ids(actor=actor, person_ids=_posted_people(request))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if form.is_valid():
        if not chosen:
            form.add_error(None, _("Chưa chọn người nào để lấy mẫu."))
        else:
            try:
                done = _take(actor, form.cleaned_data, chosen, request.POST)
            except DomainError as exc:
                add_domain_error(form, exc, {"people": None, "codes": None, "code": "pool_code",
                                             "samples": None})
            else:
                messages.success(request, done)
                return redirect(request.path + (f"?campaign={campaign.pk}" if campaign else ""))
    return render(request, "testing/take.html", _take_context(request, form, chosen, campaign))


def _take(actor, data, people, post) -> str:
    common = {"actor": actor, "people": people, "commune": data["commune"], "taken_at": data["taken_at"],
              "reason": data["reason"], "kind": data["kind"], "place": data["place"],
              "campaign": data["campaign"]}
    if data["pooled"]:
        pool = services.pool_take(code=data["pool_code"], **common)
        return _("Đã lấy %(n)s mẫu, gộp vào ống %(code)s.") % {"n": len(people), "code": pool.code}
    codes = [post.get(f"code_{p.pk}", "") for p in people]
    samples = services.samples_take(codes=codes, **common)
    return _("Đã lấy %(n)s mẫu: %(codes)s.") % {"n": len(samples), "codes": ", ".join(s.code for s in samples)}


@login_required
def pick(request):
    """htmx: people matching ?q=, each with a button that adds them to the chosen list."""
    search = request.GET.get("q", "").strip()
    people = person_list(actor=request.user, search=search)[:PICK_LIMIT] if len(search) >= 2 else []
    return render(request, "testing/_pick.html", {"people": people, "search": search})


@login_required
def chosen(request, person_id: int):
    """htmx: one chosen person's row (hidden id, optional tube code, remove button)."""
    person = or_404(person_get, actor=request.user, person_id=person_id)
    return render(request, "testing/_chosen.html", {"person": person})


# --- Samples and pools ------------------------------------------------------------------------


@login_required
def sample_list(request):
    actor = request.user
    code = request.GET.get("code", "").strip()
    filters = selectors.SampleFilters(code=code)
    page, capped = paginate(request, selectors.sample_list(actor=actor, filters=filters))
    context = {"page": page, "capped": capped, "query": query_without_page(request), "code": code}
    return render(request, template_for(request, "testing/sample_list.html", "results"), context)


def _result_form(request, tube, data=None):
    return QuickResultForm(data, actor=request.user, prefix="r", initial={"tube_code": tube.code})


@login_required
def sample_detail(request, pk: int):
    actor = request.user
    sample = or_404(selectors.sample_get, actor=actor, sample_id=pk)
    context = {"sample": sample, "outcome": selectors.outcome_of(sample),
               "result": selectors.result_of(sample),
               "retests": sample.retests.order_by("taken_at"),
               "can_record": actor.can("record_result") and not sample.pool_id,
               "result_form": _result_form(request, sample), "lab_default": request.session.get(LAB_KEY)}
    return render(request, "testing/sample_detail.html", context)


@login_required
def pool_detail(request, pk: int):
    actor = request.user
    pool = or_404(selectors.pool_get, actor=actor, pool_id=pk)
    members = list(selectors.pool_members(pool=pool).select_related("pool", "pool__lab_result"))
    context = {"pool": pool, "members": members, "result": selectors.result_of(pool),
               "can_record": actor.can("record_result"), "result_form": _result_form(request, pool),
               "lab_default": request.session.get(LAB_KEY)}
    return render(request, "testing/pool_detail.html", context)


# --- Results ----------------------------------------------------------------------------------


LAB_KEY = "testing_laboratory"  # the laboratory last chosen, preselected on the next result


def _record(request, data) -> tuple[object, object]:
    actor = request.user
    tube = lookup(selectors.tube_get_by_code, "tube_code", actor=actor, code=data["tube_code"])
    key = "pool" if isinstance(tube, Pool) else "sample"
    record = services.result_record(
        actor=actor, result=data["result"], resulted_at=data.get("resulted_at") or clock.now(),
        ct_value=data["ct_value"], laboratory=data["laboratory"],
        external_ref=data.get("external_ref", ""), **{key: tube})
    if record.laboratory_id:
        request.session[LAB_KEY] = record.laboratory_id
    return tube, record


def _recorded_message(tube, record) -> str:
    return _("Đã ghi kết quả %(result)s cho ống %(code)s.") % {
        "result": record.get_result_display().lower(), "code": tube.code}


@login_required
def result_new(request):
    """Record one result by tube code (typed or scanned)."""
    actor = request.user
    form = ResultForm(request.POST or None, actor=actor, initial={
        "tube_code": request.GET.get("code", ""), "laboratory": request.session.get(LAB_KEY)})
    if request.method == "POST" and form.is_valid():
        try:
            tube, record = _record(request, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc, {"sample": "tube_code", "pool": "tube_code"})
        else:
            messages.success(request, _recorded_message(tube, record))
            return redirect("testing:result_new")
    return render(request, "testing/result_new.html", {"form": form, "can_record": actor.can("record_result")})


@login_required
@require_POST
def result_quick(request):
    """A result from a worklist row or a tube's page. htmx: the row answers with its new state."""
    actor = request.user
    form = QuickResultForm(request.POST, actor=actor, prefix="r")
    tube = record = error = None
    if form.is_valid():
        try:
            tube, record = _record(request, form.cleaned_data)
        except DomainError as exc:
            error = exc.message
    else:
        error = "; ".join(e for errors in form.errors.values() for e in errors)
    if request.htmx:
        code = form.data.get("r-tube_code", "")
        return render(request, "testing/_worklist_done.html",
                      {"tube": tube, "record": record, "error": error, "code": code})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _recorded_message(tube, record))
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return redirect(target if target and safe else reverse("testing:worklist"))


@login_required
def worklist(request):
    """The lab's worklist: tubes without a result, oldest first, each with a quick result form."""
    actor = request.user
    pools = list(selectors.awaiting_pools(actor=actor)[:WORKLIST_SIZE])
    samples = list(selectors.awaiting_samples(actor=actor)[:WORKLIST_SIZE])
    context = {"pools": pools, "samples": samples, "limit": WORKLIST_SIZE,
               "can_record": actor.can("record_result"),
               "form": QuickResultForm(actor=actor, prefix="r"), "lab_default": request.session.get(LAB_KEY)}
    return render(request, "testing/worklist.html", context)


@login_required
def retests(request):
    """Members of positive pools waiting for their individual retest."""
    actor = request.user
    page, capped = paginate(request, selectors.retest_due(actor=actor))
    context = {"page": page, "capped": capped, "query": query_without_page(request),
               "can_take": actor.can("take_sample")}
    return render(request, template_for(request, "testing/retests.html", "results"), context)


@login_required
def person_samples(request, person_id: int):
    actor = request.user
    person = or_404(person_get, actor=actor, person_id=person_id)
    samples = list(selectors.samples_of_person(actor=actor, person=person))
    rows = [(s, selectors.outcome_of(s)) for s in samples]
    return render(request, "testing/person_samples.html",
                  {"person": person, "rows": rows, "can_take": actor.can("take_sample")})
