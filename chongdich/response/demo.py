"""The 5-hour response clock in the demo province: a response for each F0 confirmed on the demo's
last day (`today`), in varied states — most stages done on time, some late, a few never done —
drawn from a seeded generator. The trace stage is done "by the system" when the investigation
recorded contacts, the zone stage by an officer's sign-off, the move stage with a disinfection
record. When the demo is live (its last day is the real today), stages whose deadline is still
ahead stay open, so their clocks run on the board; at least one response is left open.

Bulk inserts; a second call (responses already in the province) does nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.cases.models import Case, Contact
from chongdich.core import clock
from chongdich.response import domain
from chongdich.response.models import Disinfection, DoneHow, Response, ResponseRuleSet, Stage
from chongdich.response.services import rule_of

MAX_RESPONSES = 500
ON_TIME, LATE = 0.75, 0.20  # the rest: never done
ZONE_NOTES = ("Đã phong tỏa tạm thời khu dân cư theo quyết định của UBND xã.",
              "Đã khoanh vùng ngõ xóm, lập chốt kiểm soát.",
              "Đã phong tỏa nơi làm việc của ca bệnh.")
PLACES = ("Nhà ca bệnh và các hộ liền kề", "Chợ dân sinh", "Nơi làm việc của ca bệnh", "Nhà văn hóa thôn")


@dataclass(frozen=True)
class ResponseDemoSummary:
    responses: int = 0
    stages_done_on_time: int = 0
    stages_late: int = 0
    stages_open: int = 0
    live: bool = False
    skipped: bool = False


def _factor(rng) -> float | None:
    """Done at this fraction of the stage's allowed time (None: never done)."""
    draw = rng.random()
    if draw < ON_TIME:
        return 0.45 + 0.55 * rng.random()
    if draw < ON_TIME + LATE:
        return 1.02 + 0.6 * rng.random()
    return None


@transaction.atomic
def load_demo(*, province, rng, today: dt.date) -> ResponseDemoSummary:
    if Response.objects.filter(province=province).exists():
        return ResponseDemoSummary(skipped=True)
    rule_set = ResponseRuleSet.objects.filter(valid_from__lte=today).order_by("-valid_from").first()
    if rule_set is None:
        return ResponseDemoSummary()
    rule = rule_of(rule_set)
    real_now = clock.now()
    live = timezone.localdate(real_now) == today
    now = real_now if live else timezone.make_aware(dt.datetime.combine(today, dt.time(23, 59)))
    cases = list(Case.objects.filter(province=province, confirmed_on=today, confirmed_at__lte=now,
                                     discarded_at__isnull=True)
                 .order_by("-confirmed_at").values("pk", "confirmed_at", "province_id", "district_id", "commune_id")
                 [:MAX_RESPONSES])
    if not cases:
        return ResponseDemoSummary(live=live)
    contacts = dict(Contact.objects.filter(case_id__in=[c["pk"] for c in cases]).values("case_id")
                    .annotate(n=Count("pk")).values_list("case_id", "n"))
    officer = User.objects.filter(unit=province, is_active=True).order_by("pk").first()
    responses = Response.objects.bulk_create([
        Response(case_id=c["pk"], rule_set=rule_set, confirmed_at=c["confirmed_at"], opened_at=c["confirmed_at"],
                 province_id=c["province_id"], district_id=c["district_id"], commune_id=c["commune_id"])
        for c in cases])
    stages, disinfections, closed = [], [], {}
    counts = {"on_time": 0, "late": 0, "open": 0}
    for index, response in enumerate(responses):
        keep_open = live and index == 0  # the latest case: its clock runs (or counts how late it is)
        done_times = []
        for d in domain.deadlines(response.confirmed_at, rule):
            factor = None if keep_open else _factor(rng)
            done_at = response.confirmed_at + (d.due_at - response.confirmed_at) * factor if factor else None
            if done_at is not None and done_at > now:
                done_at = None
            stage = Stage(response=response, kind=d.stage, due_at=d.due_at, warn_at=d.warn_at, done_at=done_at,
                          near_alerted_at=d.warn_at if d.warn_at <= now and (done_at is None or done_at > d.warn_at)
                          else None,
                          late_alerted_at=d.due_at if d.due_at <= now and (done_at is None or done_at > d.due_at)
                          else None)
            if done_at is not None:
                _mark(stage, rng, contacts.get(response.case_id, 0), officer, disinfections)
            stages.append(stage)
            done_times.append(done_at)
            outcome = domain.outcome(due_at=d.due_at, done_at=done_at, now=now)
            counts["open" if done_at is None else outcome] += 1
        if all(done_times):
            closed[response.pk] = max(done_times)
    Disinfection.objects.bulk_create([d for _stage, d in disinfections])
    for stage, record in disinfections:
        stage.evidence = {"disinfection": record.pk}
    Stage.objects.bulk_create(stages)
    for response_id, closed_at in closed.items():
        Response.objects.filter(pk=response_id).update(closed_at=closed_at)
    return ResponseDemoSummary(responses=len(responses), stages_done_on_time=counts["on_time"],
                               stages_late=counts["late"], stages_open=counts["open"], live=live)


def _mark(stage: Stage, rng, contacts: int, officer, disinfections: list) -> None:
    if stage.kind == domain.TRACE and contacts:
        stage.done_how, stage.evidence = DoneHow.AUTO, {"contacts": contacts}
    elif stage.kind == domain.MOVE:
        stage.done_how = DoneHow.AUTO
        disinfections.append((stage, Disinfection(response=stage.response, place=PLACES[int(rng.integers(len(PLACES)))],
                                          done_at=stage.done_at, done_by_name="Đội phun khử khuẩn",
                                          recorded_by=officer, recorded_at=stage.done_at)))
    else:
        note = ZONE_NOTES[int(rng.integers(len(ZONE_NOTES)))] if stage.kind == domain.ZONE else \
            "Đã truy vết qua tổ COVID cộng đồng."
        stage.done_how, stage.done_by, stage.note = DoneHow.SIGN_OFF, officer, note
