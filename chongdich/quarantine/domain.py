"""Pure rules for quarantine and treatment placements: which rule set is in force, how long a stay
lasts, which days a test is due, when a person may be released, where a person may be placed.

No ORM here. Rule sets come in as `RuleSet`/`Rule` values (the services read them from the
database, the data migration from `data/rule_sets.json`); dates are plain `datetime.date`.

Day numbering: day 1 is the start date, so a 14-day stay that starts on 1 May ends on 14 May
(`planned_end_on`, the last day of the stay), and home monitoring of 14 days runs 15–28 May
(`monitoring_until`, its last day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

QUARANTINE, ISOLATION = "quarantine", "isolation"  # Purpose: F1 quarantine, F0 isolation/treatment
STANDARD, VACCINATED = "standard", "vaccinated"  # Condition
FACILITY, HOME = "facility", "home"  # Setting
PURPOSES, CONDITIONS, SETTINGS = (QUARANTINE, ISOLATION), (STANDARD, VACCINATED), (FACILITY, HOME)

# Facility kinds (models.FacilityKind) and whom they take: F1 are quarantined in centralised
# quarantine facilities, F0 are isolated and treated in field hospitals and hospitals. Mixing them
# would put F1 in a room with F0.
FACILITY_KIND_PURPOSE = {"quarantine": QUARANTINE, "field_hospital": ISOLATION, "hospital": ISOLATION}

MAX_STAY_DAYS = 60
MAX_MONITORING_DAYS = 60


@dataclass(frozen=True)
class Rule:
    """One row of a rule set: for whom, how long, which test days, what release needs."""

    purpose: str
    condition: str
    setting: str
    stay_days: int
    monitoring_days: int = 0
    test_days: tuple[int, ...] = ()
    release_needs_negative: bool = True

    @property
    def release_test_day(self) -> int:
        """The day from which a negative test counts for release: the last test day, or the
        last day of the stay when the rule lists no test days."""
        return max(self.test_days) if self.test_days else self.stay_days


@dataclass(frozen=True)
class RuleSet:
    code: str
    valid_from: dt.date
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    name: str = ""
    legal_source: str = ""
    needs_verification: bool = True


def rule_set_in_force(sets: Iterable[RuleSet], on: dt.date) -> RuleSet | None:
    """The set with the latest `valid_from` on or before `on` (None before the first one)."""
    best = None
    for candidate in sets:
        if candidate.valid_from <= on and (best is None or candidate.valid_from > best.valid_from):
            best = candidate
    return best


def rule_for(rules: Iterable[Rule], *, purpose: str, condition: str, setting: str) -> Rule | None:
    """The rule for this purpose, condition and setting. A set that has no separate rule for the
    vaccinated or recovered treats them like everyone else (the standard rule); a set without a
    rule for a setting does not allow that setting (e.g. no home isolation of F0 before 2021)."""
    rules = list(rules)
    for wanted in dict.fromkeys((condition, STANDARD)):
        for rule in rules:
            if (rule.purpose, rule.condition, rule.setting) == (purpose, wanted, setting):
                return rule
    return None


def day_date(started_on: dt.date, day: int) -> dt.date:
    """The date of day `day` of a stay (day 1 = the start date)."""
    return started_on + dt.timedelta(days=day - 1)


def day_of_stay(started_on: dt.date, on: dt.date) -> int:
    return (on - started_on).days + 1


@dataclass(frozen=True)
class Plan:
    started_on: dt.date
    planned_end_on: dt.date
    monitoring_until: dt.date
    tests: tuple[tuple[int, dt.date], ...]  # (day of the stay, due date)


def plan(rule: Rule, started_on: dt.date) -> Plan:
    """The stay a rule gives a placement that starts on `started_on`."""
    end = day_date(started_on, rule.stay_days)
    return Plan(
        started_on=started_on,
        planned_end_on=end,
        monitoring_until=end + dt.timedelta(days=rule.monitoring_days),
        tests=tuple((day, day_date(started_on, day)) for day in sorted(set(rule.test_days))),
    )


class ReleaseBlock(StrEnum):
    """Why the rule does not (yet) allow a release."""

    BEFORE_END = "before_end"
    NO_NEGATIVE = "no_negative"
    POSITIVE = "positive"


@dataclass(frozen=True)
class ReleaseVerdict:
    allowed: bool
    blocks: tuple[ReleaseBlock, ...] = ()
    release_test_due: dt.date | None = None

    def messages(self, planned_end_on: dt.date) -> list[str]:
        texts = {
            ReleaseBlock.BEFORE_END: _("Chưa hết thời gian cách ly (đến hết ngày %(day)s).")
            % {"day": planned_end_on.strftime("%d/%m/%Y")},
            ReleaseBlock.NO_NEGATIVE: _("Chưa có kết quả xét nghiệm âm tính lấy từ ngày %(day)s.")
            % {"day": self.release_test_due.strftime("%d/%m/%Y") if self.release_test_due else "—"},
            ReleaseBlock.POSITIVE: _("Có kết quả xét nghiệm dương tính trong thời gian cách ly."),
        }
        return [texts[block] for block in self.blocks]


def release_check(*, rule: Rule, started_on: dt.date, planned_end_on: dt.date, today: dt.date,
                  negative_dates: Sequence[dt.date] = (), positive_dates: Sequence[dt.date] = ()
                  ) -> ReleaseVerdict:
    """May the placement end today under its rule? On or after the planned end, and — when the
    rule asks for it — with a negative test taken on or after the release test day, and no
    positive test during the stay. Anything else needs an override (a named officer, a reason).

    `negative_dates`/`positive_dates`: the days the person's samples with those results were
    taken (any order; dates before the start are ignored)."""
    due = day_date(started_on, rule.release_test_day)
    blocks = []
    if today < planned_end_on:
        blocks.append(ReleaseBlock.BEFORE_END)
    if rule.release_needs_negative and not any(due <= d <= today for d in negative_dates):
        blocks.append(ReleaseBlock.NO_NEGATIVE)
    if any(started_on <= d <= today for d in positive_dates):
        blocks.append(ReleaseBlock.POSITIVE)
    return ReleaseVerdict(allowed=not blocks, blocks=tuple(blocks), release_test_due=due)


def facility_takes(kind: str, purpose: str) -> bool:
    return FACILITY_KIND_PURPOSE.get(kind) == purpose


def tier_error(kind: str, tier: int | None) -> str | None:
    """Quarantine facilities have no treatment tier; hospitals and field hospitals have 1, 2 or 3."""
    if kind == "quarantine":
        return _("Cơ sở cách ly tập trung không có tầng điều trị.") if tier is not None else None
    if tier not in (1, 2, 3):
        return _("Bệnh viện, bệnh viện dã chiến cần tầng điều trị 1, 2 hoặc 3.")
    return None


def fullness(occupied: int, capacity: int) -> float:
    """Share of the places taken, 0–100 (a facility without places counts as full)."""
    return 100.0 if capacity <= 0 else round(100.0 * occupied / capacity, 1)


def fullness_band(occupied: int, capacity: int, *, closed: bool = False) -> str:
    """The colour band of the board: closed, empty, low (< 70 %), high (70–89 %), near (≥ 90 %),
    full (no free place)."""
    if closed:
        return "closed"
    if capacity <= 0 or occupied >= capacity:
        return "full"
    share = occupied / capacity
    if occupied == 0:
        return "empty"
    return "low" if share < 0.7 else "high" if share < 0.9 else "near"


# --- Rule-set data ---------------------------------------------------------------------------


def parse_test_days(text: str) -> tuple[int, ...]:
    """'1, 7, 14' or '1 7 14' → (1, 7, 14). Raises ValueError with a message for people."""
    parts = [p for p in str(text or "").replace(";", ",").replace(",", " ").split() if p]
    try:
        days = tuple(sorted({int(p) for p in parts}))
    except ValueError as exc:
        raise ValueError(_("Ngày xét nghiệm phải là các số, cách nhau bằng dấu phẩy.")) from exc
    return days


def rule_errors(rule: Rule) -> list[tuple[str, str]]:
    """What is wrong with one rule, as (field, message) pairs; empty when it is acceptable."""
    errors = []
    if rule.purpose not in PURPOSES:
        errors.append(("purpose", _("Mục đích không hợp lệ: %(value)s") % {"value": rule.purpose}))
    if rule.condition not in CONDITIONS:
        errors.append(("condition", _("Đối tượng không hợp lệ: %(value)s") % {"value": rule.condition}))
    if rule.setting not in SETTINGS:
        errors.append(("setting", _("Nơi cách ly không hợp lệ: %(value)s") % {"value": rule.setting}))
    if not 1 <= rule.stay_days <= MAX_STAY_DAYS:
        errors.append(("stay_days", _("Số ngày cách ly phải từ 1 đến %(n)s.") % {"n": MAX_STAY_DAYS}))
    if not 0 <= rule.monitoring_days <= MAX_MONITORING_DAYS:
        errors.append(("monitoring_days", _("Số ngày theo dõi tại nhà phải từ 0 đến %(n)s.")
                       % {"n": MAX_MONITORING_DAYS}))
    if any(not 1 <= d <= rule.stay_days for d in rule.test_days):
        errors.append(("test_days", _("Ngày xét nghiệm phải nằm trong thời gian cách ly (1–%(n)s).")
                       % {"n": rule.stay_days}))
    return errors


def rule_set_errors(rules: Sequence[Rule]) -> list[tuple[str, str]]:
    """A set needs at least one rule, each acceptable, and at most one per purpose × condition ×
    setting."""
    if not rules:
        return [("rules", _("Bộ quy định cần ít nhất một quy định."))]
    errors = [e for rule in rules for e in rule_errors(rule)]
    keys = [(r.purpose, r.condition, r.setting) for r in rules]
    if len(set(keys)) != len(keys):
        errors.append(("rules", _("Mỗi tổ hợp mục đích × đối tượng × nơi cách ly chỉ có một quy định.")))
    return errors
