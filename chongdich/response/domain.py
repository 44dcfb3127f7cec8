"""Pure rules of the 5-hour response clock: deadlines, the light of a stage, which alert is due,
who counts as an F1 to move, and the compliance figures. No ORM; tested without a database."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

TRACE, ZONE, MOVE = "trace", "zone", "move"
STAGES = (TRACE, ZONE, MOVE)
NEAR, LATE = "near", "late"

# Lights of a stage on the board.
GREEN, AMBER, RED = "green", "amber", "red"  # open: time left, nearing, passed
DONE, DONE_LATE = "done", "done_late"


@dataclass(frozen=True)
class Rule:
    trace_minutes: int
    zone_minutes: int
    move_minutes: int
    warn_minutes: int = 15
    tracked_hours: int = 24

    def minutes(self, stage: str) -> int:
        return {TRACE: self.trace_minutes, ZONE: self.zone_minutes, MOVE: self.move_minutes}[stage]


def rule_errors(rule: Rule) -> list[str]:
    errors = []
    if not 0 < rule.trace_minutes <= rule.zone_minutes <= rule.move_minutes:
        errors.append("stages must end in order: 0 < trace <= zone <= move")
    if not 0 <= rule.warn_minutes < rule.trace_minutes:
        errors.append("the warning must come before the first deadline")
    if rule.tracked_hours <= 0:
        errors.append("tracked_hours must be positive")
    return errors


@dataclass(frozen=True)
class Deadline:
    stage: str
    due_at: dt.datetime
    warn_at: dt.datetime


def deadlines(confirmed_at: dt.datetime, rule: Rule) -> list[Deadline]:
    warn = dt.timedelta(minutes=rule.warn_minutes)
    out = []
    for stage in STAGES:
        due = confirmed_at + dt.timedelta(minutes=rule.minutes(stage))
        out.append(Deadline(stage, due, due - warn))
    return out


def is_tracked(confirmed_at: dt.datetime, now: dt.datetime, rule: Rule) -> bool:
    """A case confirmed more than `tracked_hours` before it reaches the system (a line list of
    history, the demo's old cases) opens no response: its clock would be red from birth."""
    return now - confirmed_at <= dt.timedelta(hours=rule.tracked_hours)


def light(*, due_at: dt.datetime, warn_at: dt.datetime, done_at: dt.datetime | None, now: dt.datetime) -> str:
    if done_at is not None:
        return DONE if done_at <= due_at else DONE_LATE
    if now >= due_at:
        return RED
    return AMBER if now >= warn_at else GREEN


def alert_due(*, due_at: dt.datetime, warn_at: dt.datetime, done: bool, near_sent: bool, late_sent: bool,
              now: dt.datetime) -> str | None:
    """The alert a stage needs now, if any. A stage found already late gets only the late alert
    (a "nearing" one would be stale)."""
    if done:
        return None
    if now >= due_at:
        return None if late_sent else LATE
    if now >= warn_at and not near_sent:
        return NEAR
    return None


def next_check(moments: Iterable[tuple[dt.datetime, dt.datetime, bool]], now: dt.datetime) -> dt.datetime | None:
    """The next warning or deadline after `now` among stages (warn_at, due_at, done)."""
    upcoming = [m for warn_at, due_at, done in moments if not done for m in (warn_at, due_at) if m > now]
    return min(upcoming) if upcoming else None


def f1_people(f0_person_id: int, pairs: Iterable[tuple[int, int]]) -> set[int]:
    """The F1 of an F0 among contact pairs (person, contact) recorded by its investigation: the
    other side of each pair that includes the F0. Pairs between two others (F1–F2) are F2 and
    need no move to centralized quarantine."""
    out = set()
    for a, b in pairs:
        if a == f0_person_id:
            out.add(b)
        elif b == f0_person_id:
            out.add(a)
    return out


def outcome(*, due_at: dt.datetime, done_at: dt.datetime | None, now: dt.datetime) -> str | None:
    """'on_time', 'late', or None while still open and not yet due (not counted)."""
    if done_at is not None:
        return "on_time" if done_at <= due_at else "late"
    return "late" if now > due_at else None


@dataclass(frozen=True)
class Compliance:
    counted: int
    on_time: int
    median_minutes: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.counted if self.counted else None


def compliance(rows: Iterable[tuple[dt.datetime, dt.datetime, dt.datetime | None]], now: dt.datetime) -> Compliance:
    """Rows of (confirmed_at, due_at, done_at) of one stage: the share on time among those done
    or overdue, and the median minutes from confirmation to done (done stages only)."""
    counted = on_time = 0
    minutes = []
    for confirmed_at, due_at, done_at in rows:
        result = outcome(due_at=due_at, done_at=done_at, now=now)
        if result is None:
            continue
        counted += 1
        on_time += result == "on_time"
        if done_at is not None:
            minutes.append((done_at - confirmed_at).total_seconds() / 60)
    return Compliance(counted, on_time, statistics.median(minutes) if minutes else None)
