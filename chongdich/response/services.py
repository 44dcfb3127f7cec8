"""Writes of the response clock: opening responses for new F0, marking stages done (by the
system's own records, or by a named officer's sign-off), recording disinfection.

The hook functions (`*_hook`) run inside other apps' transactions (cases, venues, zones,
quarantine): each maps the ids it is given to the responses concerned and re-checks their open
stages in a few set-based queries (`evaluate`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from chongdich.cases.models import Case, Contact
from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput
from chongdich.core.jurisdiction import require_write
from chongdich.response import domain, evaluate
from chongdich.response.models import Disinfection, DoneHow, Response, ResponseRuleSet, Stage

FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def rule_of(rule_set: ResponseRuleSet) -> domain.Rule:
    return domain.Rule(rule_set.trace_minutes, rule_set.zone_minutes, rule_set.move_minutes,
                       rule_set.warn_minutes, rule_set.tracked_hours)


def _rule_set_on(rule_sets: list[ResponseRuleSet], day: dt.date) -> ResponseRuleSet | None:
    """The set in force on `day` (sets sorted newest first)."""
    return next((s for s in rule_sets if s.valid_from <= day), None)


# --- Opening -------------------------------------------------------------------------------------


def responses_open(case_ids: list[int]) -> list[Response]:
    """Open a response for each new F0 (the `case_confirmed_hooks` entry): one insert of responses,
    one of their stages, and a clock check queued for the first warning once the transaction
    commits. Cases confirmed longer ago than the rule's `tracked_hours` (history being imported)
    and cases that already have a response open nothing."""
    now = clock.now()
    cases = list(Case.objects.filter(pk__in=case_ids, discarded_at__isnull=True, response__isnull=True)
                 .values("pk", "confirmed_at", "confirmed_on", "province_id", "district_id", "commune_id"))
    if not cases:
        return []
    rule_sets = list(ResponseRuleSet.objects.order_by("-valid_from"))
    planned: list[tuple[Response, domain.Rule]] = []
    for c in cases:
        rule_set = _rule_set_on(rule_sets, c["confirmed_on"])
        if rule_set is None or not domain.is_tracked(c["confirmed_at"], now, rule := rule_of(rule_set)):
            continue
        planned.append((Response(case_id=c["pk"], rule_set=rule_set, confirmed_at=c["confirmed_at"], opened_at=now,
                                 province_id=c["province_id"], district_id=c["district_id"],
                                 commune_id=c["commune_id"]), rule))
    if not planned:
        return []
    responses = Response.objects.bulk_create([r for r, _rule in planned])
    Stage.objects.bulk_create([
        Stage(response=response, kind=d.stage, due_at=d.due_at, warn_at=d.warn_at)
        for response, (_r, rule) in zip(responses, planned, strict=True)
        for d in domain.deadlines(response.confirmed_at, rule)])
    from chongdich.response.tasks import schedule_checks

    schedule_checks([(r.pk, r.confirmed_at + dt.timedelta(minutes=rule.trace_minutes - rule.warn_minutes))
                     for r, (_r, rule) in zip(responses, planned, strict=True)])
    return responses


# --- Re-checking stages against the records -------------------------------------------------------


def stages_recheck(response_ids) -> int:
    """Mark done every open stage of these responses that the records now satisfy; close the
    responses whose stages are all done. Returns the number of stages marked."""
    ids = list(set(response_ids))
    if not ids:
        return 0
    now = clock.now()
    open_stages: dict[int, dict[str, int]] = {}
    for stage_id, response_id, kind in Stage.objects.filter(response_id__in=ids, done_at__isnull=True).values_list(
            "pk", "response_id", "kind"):
        open_stages.setdefault(response_id, {})[kind] = stage_id
    if not open_stages:
        return 0
    wanted = [evaluate.Open(r["pk"], r["case_id"], r["commune_id"], r["district_id"], r["confirmed_at"],
                            frozenset(open_stages[r["pk"]]))
              for r in Response.objects.filter(pk__in=open_stages).values(
                  "pk", "case_id", "commune_id", "district_id", "confirmed_at")]
    marked = 0
    for kind, check in evaluate.CHECKS.items():
        for response_id, found in check(wanted, now).items():
            marked += Stage.objects.filter(pk=open_stages[response_id][kind], done_at__isnull=True).update(
                done_at=found.done_at, done_how=DoneHow.AUTO, evidence=found.evidence)
    if marked:
        _close_done(list(open_stages))
    return marked


def _close_done(response_ids: list[int]) -> None:
    last_done = Stage.objects.filter(response=OuterRef("pk")).order_by("-done_at").values("done_at")[:1]
    (Response.objects.filter(pk__in=response_ids, closed_at__isnull=True)
     .exclude(stages__done_at__isnull=True).update(closed_at=Subquery(last_done)))


def _open_response_ids(q: Q) -> list[int]:
    return list(Response.objects.filter(q, closed_at__isnull=True).values_list("pk", flat=True))


def contacts_added_hook(contact_ids: list[int]) -> None:
    case_ids = set(Contact.objects.filter(pk__in=contact_ids, case__isnull=False).values_list("case_id", flat=True))
    if case_ids:
        stages_recheck(_open_response_ids(Q(case_id__in=case_ids)))


def proposals_resolved_hook(case_ids: list[int]) -> None:
    stages_recheck(_open_response_ids(Q(case_id__in=case_ids)))


def areas_recorded_hook(area_ids: list[int]) -> None:
    from chongdich.zones.models import LockdownArea, LockdownMember

    areas = list(LockdownArea.objects.filter(pk__in=area_ids).values_list("trigger_case_id", "commune_id",
                                                                          "district_id"))
    units = {u for _case, commune, district in areas for u in (commune, district) if u}
    units |= {u for pair in LockdownMember.objects.filter(area_id__in=area_ids).values_list(
        "unit_id", "village__commune_id") for u in pair if u}
    cases = {case for case, _c, _d in areas if case}
    stages_recheck(_open_response_ids(Q(case_id__in=cases) | Q(commune_id__in=units) | Q(district_id__in=units)))


def zones_designated_hook(designation_ids: list[int]) -> None:
    from chongdich.zones.models import ZoneDesignation

    rows = list(ZoneDesignation.objects.filter(pk__in=designation_ids).values_list("trigger_case_id", "unit_id"))
    cases = {case for case, _unit in rows if case}
    units = {unit for _case, unit in rows}
    stages_recheck(_open_response_ids(Q(case_id__in=cases) | Q(commune_id__in=units)))


def placements_started_hook(placement_ids: list[int]) -> None:
    from chongdich.quarantine.models import Placement

    people = list(Placement.objects.filter(pk__in=placement_ids).values_list("person_id", flat=True))
    case_ids = set(Contact.objects.filter(Q(person_id__in=people) | Q(contact_id__in=people), case__isnull=False)
                   .values_list("case_id", flat=True))
    if case_ids:
        stages_recheck(_open_response_ids(Q(case_id__in=case_ids)))


# --- Officers' writes ------------------------------------------------------------------------------


@transaction.atomic
def stage_sign_off(*, actor, stage: Stage, note: str) -> Stage:
    """A named officer declares a stage done, with a note saying how (e.g. "F1 đã được công an
    đưa đi cách ly, danh sách gửi kèm"). The stage's deadline stays what it was."""
    stage = Stage.objects.select_for_update().select_related("response__commune").get(pk=stage.pk)
    require_write(actor, stage.response.commune, "sign_off_response")
    if not note.strip():
        raise InvalidInput(_("Cần ghi chú cách giai đoạn đã hoàn thành."), field="note")
    if stage.done_at is not None:
        raise Conflict(_("Giai đoạn này đã hoàn thành."), field="stage")
    stage.done_at, stage.done_how, stage.done_by = clock.now(), DoneHow.SIGN_OFF, actor
    stage.note = note.strip()
    stage.save(update_fields=["done_at", "done_how", "done_by", "note"])
    _close_done([stage.response_id])
    return stage


@transaction.atomic
def disinfection_record(*, actor, response: Response, place: str, done_by_name: str,
                        done_at: dt.datetime | None = None, note: str = "") -> Disinfection:
    """Disinfection of a place for an F0's response; the move stage is re-checked at once."""
    require_write(actor, response.commune, "record_disinfection")
    now = clock.now()
    done_at = done_at or now
    if not place.strip():
        raise InvalidInput(_("Cần ghi nơi đã khử khuẩn."), field="place")
    if not done_by_name.strip():
        raise InvalidInput(_("Cần ghi người hoặc đội đã khử khuẩn."), field="done_by_name")
    if done_at > now + FUTURE_TOLERANCE:
        raise InvalidInput(_("Thời điểm này ở tương lai."), field="done_at")
    if done_at < response.confirmed_at - dt.timedelta(days=1):
        raise InvalidInput(_("Thời điểm khử khuẩn trước khi xác định ca bệnh."), field="done_at")
    record = Disinfection.objects.create(response=response, place=place.strip()[:255], done_at=done_at,
                                         done_by_name=done_by_name.strip()[:150], note=note.strip()[:255],
                                         recorded_by=actor, recorded_at=now)
    stages_recheck([response.pk])
    return record
