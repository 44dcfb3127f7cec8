"""Alerts of the response clock: a stage nearing its deadline (`warn_minutes` before) and a stage
past it alert the officers of the F0's commune and district, in the app and by the channels each
chose (notifications). Each (stage, kind) is sent once: the alert is claimed with a conditional
UPDATE of the stage (`near_alerted_at` / `late_alerted_at` still empty → now), so the task queued
at the deadline and the `chongdich response-alerts` sweep never both send it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.accounts.models import User
from chongdich.notifications.services import notify
from chongdich.response import domain
from chongdich.response.models import Response, Stage, StageKind

EVENTS = {domain.NEAR: "response_stage_near", domain.LATE: "response_stage_late"}
SWEEP_WINDOW = dt.timedelta(hours=48)  # open responses re-checked by the sweep


def recipients_for(response: Response) -> list[User]:
    """Active accounts of the F0's commune and district whose role may sign a stage off."""
    users = User.objects.filter(unit_id__in=[response.commune_id, response.district_id], is_active=True)
    return [u for u in users if u.can("sign_off_response")]


def _claim(stage: Stage, kind: str, now: dt.datetime) -> bool:
    field = "near_alerted_at" if kind == domain.NEAR else "late_alerted_at"
    changes = {field: now} if kind == domain.NEAR else {field: now, "near_alerted_at": stage.near_alerted_at or now}
    return Stage.objects.filter(pk=stage.pk, done_at__isnull=True, **{f"{field}__isnull": True}).update(**changes) == 1


def _message(stage: Stage, kind: str) -> tuple[str, str]:
    case = stage.response.case
    values = {"stage": StageKind(stage.kind).label, "case": case.code,
              "due": timezone.localtime(stage.due_at).strftime("%H:%M %d/%m"),
              "commune": stage.response.commune.name_with_type}
    if kind == domain.NEAR:
        subject = _("Sắp hết hạn: %(stage)s — ca %(case)s") % values
        body = _("Giai đoạn \"%(stage)s\" của ca %(case)s (%(commune)s) phải xong trước %(due)s.") % values
    else:
        subject = _("Quá hạn: %(stage)s — ca %(case)s") % values
        body = _("Giai đoạn \"%(stage)s\" của ca %(case)s (%(commune)s) đã quá hạn lúc %(due)s "
                 "mà chưa hoàn thành.") % values
    return subject, body


def stage_alert(stage: Stage, now: dt.datetime) -> str | None:
    """Send the alert this stage needs now, once. Returns the kind sent, if any."""
    kind = domain.alert_due(due_at=stage.due_at, warn_at=stage.warn_at, done=stage.done_at is not None,
                            near_sent=stage.near_alerted_at is not None,
                            late_sent=stage.late_alerted_at is not None, now=now)
    if kind is None:
        return None
    with transaction.atomic():
        if not _claim(stage, kind, now):
            return None
        subject, body = _message(stage, kind)
        people = recipients_for(stage.response)
        if people:
            notify(recipients=people, event=EVENTS[kind], subject=subject, body=body,
                   url=reverse("response:detail", args=[stage.response_id]), unit=stage.response.commune)
    return kind


def _stages(q: Q):
    """Stages with what an alert names; never those of a case discarded since (a wrong result)."""
    return (Stage.objects.filter(q, response__case__discarded_at__isnull=True)
            .select_related("response__case", "response__commune"))


def response_check(*, response_id: int, now: dt.datetime) -> dt.datetime | None:
    """The task queued at a response's next moment: re-check its stages against the records,
    send the alerts due, and return the next moment it needs looking at (None: nothing left)."""
    from chongdich.response.services import stages_recheck

    with transaction.atomic():
        stages_recheck([response_id])
    stages = list(_stages(Q(response_id=response_id)))
    for stage in stages:
        stage_alert(stage, now)
    return domain.next_check(((s.warn_at, s.due_at, s.done_at is not None) for s in stages), now)


def alerts_send_due(*, now: dt.datetime) -> dict[str, int]:
    """The safety sweep (cron): re-check the open responses of the last two days, then send every
    alert due and not yet sent. Idempotent."""
    from chongdich.response.services import stages_recheck

    open_ids = list(Response.objects.filter(closed_at__isnull=True, confirmed_at__gte=now - SWEEP_WINDOW)
                    .values_list("pk", flat=True))
    marked = 0
    for start in range(0, len(open_ids), 500):
        with transaction.atomic():
            marked += stages_recheck(open_ids[start:start + 500])
    due = _stages(Q(done_at__isnull=True, warn_at__lte=now)
                  & (Q(near_alerted_at__isnull=True, due_at__gt=now) | Q(late_alerted_at__isnull=True, due_at__lte=now)))
    sent = {domain.NEAR: 0, domain.LATE: 0}
    for stage in due.order_by("due_at"):
        if kind := stage_alert(stage, now):
            sent[kind] += 1
    return {"rechecked": len(open_ids), "marked_done": marked, **sent}
