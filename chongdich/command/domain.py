"""Rules of command work (chỉ đạo, điều hành), without the database: document numbers, the life of
a task, recurring reports, lateness, escalation levels and attached files."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from chongdich.core.errors import Conflict, InvalidInput

# --- Document numbers ---------------------------------------------------------------------------


def normalise_number(raw: str) -> str:
    """'2033 -TB/TU' → '2033-TB/TU': numbers are typed from paper with stray spaces and in any
    case; the abbreviations are upper case on every Vietnamese document."""
    return re.sub(r"\s+", "", raw or "").upper()


def normalise_name(raw: str) -> str:
    """Collapse the spaces in a body's name ('Ban  Thường vụ Tỉnh ủy ' → 'Ban Thường vụ Tỉnh ủy')."""
    return " ".join((raw or "").split())


# --- The life of a task -------------------------------------------------------------------------


class Status(StrEnum):
    ASSIGNED = "assigned"  # đã giao
    IN_PROGRESS = "in_progress"  # đang thực hiện
    REPORTED_DONE = "reported_done"  # đơn vị báo cáo hoàn thành, chờ xác nhận
    VERIFIED = "verified"  # Ban chỉ đạo xác nhận hoàn thành
    SENT_BACK = "sent_back"  # trả lại, làm tiếp
    CANCELLED = "cancelled"  # huỷ (văn bản bị thay thế, nhiệm vụ không còn cần)


OPEN = frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.SENT_BACK})  # the agency owes it
AWAITING = frozenset({Status.REPORTED_DONE})  # the committee owes a verdict
CLOSED = frozenset({Status.VERIFIED, Status.CANCELLED})


class Action(StrEnum):
    START = "start"
    REPORT = "report"  # a progress report
    REPORT_DONE = "report_done"
    VERIFY = "verify"
    SEND_BACK = "send_back"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"


# action → (statuses it may start from, status it leads to; None = the status does not change)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.START: (frozenset({Status.ASSIGNED, Status.SENT_BACK}), Status.IN_PROGRESS),
    Action.REPORT: (OPEN, Status.IN_PROGRESS),
    Action.REPORT_DONE: (OPEN, Status.REPORTED_DONE),
    Action.VERIFY: (AWAITING, Status.VERIFIED),
    Action.SEND_BACK: (AWAITING, Status.SENT_BACK),
    Action.CANCEL: (OPEN | AWAITING, Status.CANCELLED),
    Action.RESCHEDULE: (OPEN | AWAITING, None),
}


def next_status(current: str, action: Action) -> Status:
    """The status after `action`, or Conflict when the task is not in a state that allows it."""
    allowed, to = TRANSITIONS[action]
    if current not in allowed:
        raise Conflict(
            _("Nhiệm vụ đang ở trạng thái “%(status)s”, không thể thực hiện thao tác này.")
            % {"status": status_label(current)},
            field="status",
        )
    return to or Status(current)


def status_label(status: str) -> str:
    labels = {
        Status.ASSIGNED: _("Đã giao"), Status.IN_PROGRESS: _("Đang thực hiện"),
        Status.REPORTED_DONE: _("Báo cáo hoàn thành, chờ xác nhận"),
        Status.VERIFIED: _("Đã xác nhận hoàn thành"), Status.SENT_BACK: _("Bị trả lại, làm tiếp"),
        Status.CANCELLED: _("Đã huỷ"),
    }
    return str(labels.get(status, status))


# --- Recurring reports --------------------------------------------------------------------------


class Timing(StrEnum):
    DEADLINE = "deadline"  # có thời hạn
    RECURRING = "recurring"  # định kỳ: a report is due at each occurrence
    ONGOING = "ongoing"  # thường xuyên: no date, never late


class Cadence(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class Recurrence:
    """'Báo cáo hằng ngày trước 17 giờ' from `starts_on` (until `ends_on`, if set): each
    occurrence is a report due on a day (its period) at `due_time`, local time."""

    cadence: Cadence
    due_time: dt.time
    starts_on: dt.date
    ends_on: dt.date | None = None
    weekday: int | None = None  # 0 = Monday, for weekly reports

    def validate(self) -> None:
        if self.cadence not in set(Cadence):
            raise InvalidInput(_("Chu kỳ báo cáo không hợp lệ."), field="cadence")
        if self.cadence == Cadence.WEEKLY and self.weekday not in range(7):
            raise InvalidInput(_("Báo cáo hằng tuần cần chọn thứ trong tuần."), field="weekday")
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise InvalidInput(_("Ngày kết thúc phải sau ngày bắt đầu."), field="ends_on")

    def periods(self, *, until: dt.date, since: dt.date | None = None) -> list[dt.date]:
        """The days on which a report falls due, from the start (or `since`) up to `until`."""
        last = min(until, self.ends_on) if self.ends_on else until
        day = max(self.starts_on, since) if since else self.starts_on
        if self.cadence == Cadence.WEEKLY:
            day += dt.timedelta(days=(self.weekday - day.weekday()) % 7)
            step = dt.timedelta(days=7)
        else:
            step = dt.timedelta(days=1)
        out = []
        while day <= last:
            out.append(day)
            day += step
        return out

    def is_period(self, day: dt.date) -> bool:
        return bool(self.periods(since=day, until=day))

    def due_at(self, period: dt.date, tz: dt.tzinfo) -> dt.datetime:
        return dt.datetime.combine(period, self.due_time, tzinfo=tz)


class Occurrence(StrEnum):
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # muộn
    MISSING = "missing"  # thiếu: due and not reported
    PENDING = "pending"  # not due yet


def occurrence_status(due_at: dt.datetime, reported_at: dt.datetime | None, now: dt.datetime) -> Occurrence:
    if reported_at is not None:
        return Occurrence.ON_TIME if reported_at <= due_at else Occurrence.LATE
    return Occurrence.MISSING if now > due_at else Occurrence.PENDING


@dataclass(frozen=True)
class DueReport:
    """One occurrence of a recurring report and what became of it."""

    period: dt.date
    due_at: dt.datetime
    reported_at: dt.datetime | None
    status: Occurrence


def due_reports(recurrence: Recurrence, first_report_at: dict[dt.date, dt.datetime], *,
                now: dt.datetime, tz: dt.tzinfo, since: dt.date | None = None) -> list[DueReport]:
    """Every occurrence up to today (local), each with the first report made for its period."""
    today = now.astimezone(tz).date()
    out = []
    for period in recurrence.periods(since=since, until=today):
        due = recurrence.due_at(period, tz)
        reported = first_report_at.get(period)
        out.append(DueReport(period, due, reported, occurrence_status(due, reported, now)))
    return out


def default_period(reports: list[DueReport]) -> dt.date | None:
    """The occurrence a new report most likely answers: the latest one not yet reported (today's
    when today has one), so a report sent after 17:00 counts as today's, late."""
    unreported = [r.period for r in reports if r.reported_at is None]
    return unreported[-1] if unreported else None


# --- Lateness -----------------------------------------------------------------------------------


class Lateness(StrEnum):
    OVERDUE = "overdue"  # quá hạn (or a recurring report missing)
    DUE_SOON = "due_soon"  # đến hạn trong DUE_SOON
    ON_TRACK = "on_track"  # còn hạn
    NO_DEADLINE = "no_deadline"  # thường xuyên
    AWAITING = "awaiting"  # chờ xác nhận
    CLOSED = "closed"  # đã xác nhận hoặc huỷ


DUE_SOON = dt.timedelta(days=3)


def lateness(*, status: str, timing: str, deadline: dt.datetime | None, now: dt.datetime,
             latest_report: Occurrence | None = None, next_due: dt.datetime | None = None) -> Lateness:
    """Where a task stands against its time: a deadline task is overdue once its deadline has
    passed while the agency still owes it; a recurring task is overdue while its latest due report
    is missing. Tasks reported done wait for the committee and are not the agency's lateness."""
    if status in CLOSED:
        return Lateness.CLOSED
    if status in AWAITING:
        return Lateness.AWAITING
    if timing == Timing.DEADLINE and deadline is not None:
        if now > deadline:
            return Lateness.OVERDUE
        return Lateness.DUE_SOON if deadline - now <= DUE_SOON else Lateness.ON_TRACK
    if timing == Timing.RECURRING:
        if latest_report == Occurrence.MISSING:
            return Lateness.OVERDUE
        if next_due is not None and next_due - now <= DUE_SOON:
            return Lateness.DUE_SOON
        return Lateness.ON_TRACK
    return Lateness.NO_DEADLINE


def overdue_for(deadline: dt.datetime, now: dt.datetime) -> dt.timedelta:
    return max(now - deadline, dt.timedelta(0))


# --- Escalation ---------------------------------------------------------------------------------


def escalation_levels_due(due_at: dt.datetime, now: dt.datetime, *, step: dt.timedelta,
                          levels: int) -> list[int]:
    """Levels an overdue item has reached: level 1 as soon as it is late, one more level each
    `step` after that, never more than the `levels` the superior chain has."""
    if now <= due_at or levels < 1:
        return []
    reached = 1 + int((now - due_at) / step) if step > dt.timedelta(0) else levels
    return list(range(1, min(reached, levels) + 1))


def next_level_at(due_at: dt.datetime, *, step: dt.timedelta, done: int, levels: int) -> dt.datetime | None:
    """When the next level is reached, `done` levels having been escalated (None: no more)."""
    if done >= levels:
        return None
    return due_at + done * step


# --- Attached files -----------------------------------------------------------------------------

# extension → the bytes every such file begins with (DOCX and XLSX are ZIP archives)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_FILES = ("pdf", "docx")
REPORT_FILES = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_file(*, name: str, size: int, head: bytes, allowed: tuple[str, ...], max_bytes: int) -> str:
    """The file's extension if it is an allowed kind, of an allowed size, and its first bytes are
    what that kind begins with (a renamed program is refused)."""
    ext = extension(name)
    if ext not in allowed:
        raise InvalidInput(
            _("Chỉ nhận tệp %(kinds)s.") % {"kinds": ", ".join(k.upper() for k in allowed)}, field="files"
        )
    if size <= 0:
        raise InvalidInput(_("Tệp %(name)s rỗng.") % {"name": name}, field="files")
    if size > max_bytes:
        raise InvalidInput(
            _("Tệp %(name)s quá lớn (tối đa %(mb)s MB).") % {"name": name, "mb": max_bytes // 2**20},
            field="files",
        )
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise InvalidInput(
            _("Tệp %(name)s không phải là tệp %(kind)s hợp lệ.") % {"name": name, "kind": ext.upper()},
            field="files",
        )
    return ext
