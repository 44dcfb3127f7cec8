"""Pure rules of exposure at venues: how long a visit lasts, when two visits count as an exposure,
the infectious window of a source, and how matches become one proposal per person. No ORM: the
set-based SQL in `matching.py` computes the same thing for thousands of cases at once, and its
tests compare it with `match_visits` here.

Conventions (decision 0006 and the rule set's note):
- a visit without a check-out lasts the rule's default stay; no visit counts longer than the
  rule's longest stay (a check-out forgotten for a day would otherwise expose everybody);
- two visits at the same venue are an exposure when the time between them (the gap; 0 when they
  overlap) is at most the margin — exactly the margin apart still counts;
- the margin is the rule's, narrowed for some kinds of venue (a bus trip, a checkpoint);
- a source's visit counts when it overlaps its infectious window.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MINUTE = dt.timedelta(minutes=1)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
CODE_LENGTH = 10


def new_venue_code() -> str:
    """A public code that cannot be guessed from another one (≈ 50 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class Rule:
    margin_minutes: int = 60
    kind_margins: Mapping[str, int] = field(default_factory=dict)
    default_stay_minutes: int = 60
    max_stay_minutes: int = 720
    days_before_onset: int = 2
    days_before_sample: int = 2

    def margin_for(self, kind: str) -> int:
        """The margin at a venue of this kind: the kind's own when narrower, never wider."""
        return min(self.margin_minutes, self.kind_margins.get(kind, self.margin_minutes))

    @property
    def widest_margin(self) -> int:
        return max([self.margin_minutes, *self.kind_margins.values()])


def rule_errors(rule: Rule) -> list[str]:
    errors = []
    if not 0 < rule.margin_minutes <= 24 * 60:
        errors.append("margin_minutes must be 1..1440")
    if any(not 0 <= v <= rule.margin_minutes for v in rule.kind_margins.values()):
        errors.append("kind margins must be between 0 and the margin")
    if not 0 < rule.default_stay_minutes <= rule.max_stay_minutes:
        errors.append("default stay must be positive and at most the longest stay")
    if rule.days_before_onset > 14 or rule.days_before_sample > 14:
        errors.append("window start at most 14 days back")
    return errors


def visit_end(checked_in_at: dt.datetime, checked_out_at: dt.datetime | None, rule: Rule) -> dt.datetime:
    """When a visit ends for matching: its check-out, else the default stay; capped."""
    longest = checked_in_at + rule.max_stay_minutes * MINUTE
    if checked_out_at is None:
        return checked_in_at + rule.default_stay_minutes * MINUTE
    return min(max(checked_out_at, checked_in_at), longest)


def overlap_seconds(a_in: dt.datetime, a_out: dt.datetime, b_in: dt.datetime,
                    b_out: dt.datetime) -> float:
    """Seconds both were there; negative: seconds between the two visits."""
    return (min(a_out, b_out) - max(a_in, b_in)).total_seconds()


def overlap_and_gap(a_in: dt.datetime, a_out: dt.datetime, b_in: dt.datetime,
                    b_out: dt.datetime) -> tuple[int, int]:
    """(minutes both were there, minutes between them), whole minutes rounded down; one is 0."""
    seconds = overlap_seconds(a_in, a_out, b_in, b_out)
    if seconds >= 0:
        return int(seconds // 60), 0
    return 0, int(-seconds // 60)


def exposed(seconds: float, margin_minutes: int) -> bool:
    """Two visits `seconds` apart in time (overlap_seconds) are an exposure within the margin."""
    return -seconds <= margin_minutes * 60


def local_midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz)


def infectious_window(*, confirmed_at: dt.datetime, onset_on: dt.date | None,
                      first_sample_at: dt.datetime | None, isolated_at: dt.datetime | None,
                      rule: Rule, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """From `days_before_onset` days before symptom onset (the start of that local day), or —
    without an onset — `days_before_sample` days before the first sample (else confirmation);
    until isolation (a placement that started before confirmation) or confirmation."""
    if onset_on is not None:
        start = local_midnight(onset_on - dt.timedelta(days=rule.days_before_onset), tz)
    else:
        anchor = min(filter(None, (first_sample_at, confirmed_at)))
        start = local_midnight(anchor.astimezone(tz).date() - dt.timedelta(days=rule.days_before_sample), tz)
    end = confirmed_at
    if isolated_at is not None and start < isolated_at < end:
        end = isolated_at
    return min(start, end), end


@dataclass(frozen=True)
class Visit:
    person: int
    venue: int
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None = None


@dataclass(frozen=True)
class Match:
    person: int
    venue: int
    source_in: dt.datetime
    source_out: dt.datetime
    visit_in: dt.datetime
    visit_out: dt.datetime
    overlap_minutes: int
    gap_minutes: int


def match_visits(source: int, visits: Iterable[Visit], *, window: tuple[dt.datetime, dt.datetime],
                 rule: Rule, kinds: Mapping[int, str]) -> list[Match]:
    """Every pair (source's visit in the window, someone else's visit at the same venue) within
    the venue's margin. `kinds` maps venue → kind. The reference the SQL is tested against."""
    visits = list(visits)
    mine = [v for v in visits if v.person == source]
    others = [v for v in visits if v.person != source]
    out = []
    for s in mine:
        s_out = visit_end(s.checked_in_at, s.checked_out_at, rule)
        if not (s.checked_in_at < window[1] and s_out > window[0]):
            continue
        margin = rule.margin_for(kinds.get(s.venue, ""))
        for o in others:
            if o.venue != s.venue:
                continue
            o_out = visit_end(o.checked_in_at, o.checked_out_at, rule)
            seconds = overlap_seconds(s.checked_in_at, s_out, o.checked_in_at, o_out)
            if exposed(seconds, margin):
                overlap, gap = overlap_and_gap(s.checked_in_at, s_out, o.checked_in_at, o_out)
                out.append(Match(o.person, s.venue, s.checked_in_at, s_out, o.checked_in_at, o_out,
                                 overlap, gap))
    return out


@dataclass
class ProposalDraft:
    person: int
    best: Match
    evidence: list[Match]

    @property
    def last_visit_at(self) -> dt.datetime:
        return max(m.visit_out for m in self.evidence)


def better(a: Match, b: Match) -> bool:
    """Is `a` stronger evidence than `b`: more overlap, then a smaller gap, then earlier."""
    return (-a.overlap_minutes, a.gap_minutes, a.visit_in) < (-b.overlap_minutes, b.gap_minutes, b.visit_in)


def proposals_from(matches: Iterable[Match], *, skip: Iterable[int] = ()) -> dict[int, ProposalDraft]:
    """One draft per person with all their evidence (the same pair of visits once); people in
    `skip` (already proposed, confirmed or dismissed for this F0) get none."""
    skipped = set(skip)
    drafts: dict[int, ProposalDraft] = {}
    for m in matches:
        if m.person in skipped:
            continue
        draft = drafts.get(m.person)
        if draft is None:
            drafts[m.person] = ProposalDraft(m.person, m, [m])
            continue
        if any((e.venue, e.source_in, e.visit_in) == (m.venue, m.source_in, m.visit_in) for e in draft.evidence):
            continue
        draft.evidence.append(m)
        if better(m, draft.best):
            draft.best = m
    return drafts


def slot_of(moment: dt.datetime) -> dt.datetime:
    """The hour a visit began in (the tracer's page groups a venue's proposals by it)."""
    return moment.replace(minute=0, second=0, microsecond=0)
