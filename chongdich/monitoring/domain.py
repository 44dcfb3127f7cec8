"""Pure rules for home monitoring (theo dõi sức khỏe tại nhà): what a daily check means, and where a
monitored person stands. No ORM here: the rule values come in as a `Rules`, taken from the
monitoring rule set in force (versioned data, see models.MonitoringRuleSet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A reading outside these bounds is a typing mistake, not a measurement.
TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("43.0"))
SPO2_RANGE = (50, 100)


class Symptom(StrEnum):
    """The fixed list a check is recorded against. Which of them are danger signs is rule data."""

    FEVER = "fever"
    COUGH = "cough"
    SORE_THROAT = "sore_throat"
    RUNNY_NOSE = "runny_nose"
    FATIGUE = "fatigue"
    HEADACHE = "headache"
    MUSCLE_PAIN = "muscle_pain"
    LOSS_OF_TASTE_SMELL = "loss_of_taste_smell"
    DIARRHOEA = "diarrhoea"
    NAUSEA = "nausea"
    DYSPNOEA = "dyspnoea"
    FAST_BREATHING = "fast_breathing"
    CHEST_PAIN = "chest_pain"
    CONFUSION = "confusion"
    CYANOSIS = "cyanosis"
    UNABLE_TO_DRINK = "unable_to_drink"


SYMPTOM_LABELS = {
    Symptom.FEVER: gettext_lazy("Sốt"),
    Symptom.COUGH: gettext_lazy("Ho"),
    Symptom.SORE_THROAT: gettext_lazy("Đau họng"),
    Symptom.RUNNY_NOSE: gettext_lazy("Sổ mũi, nghẹt mũi"),
    Symptom.FATIGUE: gettext_lazy("Mệt mỏi"),
    Symptom.HEADACHE: gettext_lazy("Đau đầu"),
    Symptom.MUSCLE_PAIN: gettext_lazy("Đau mỏi cơ"),
    Symptom.LOSS_OF_TASTE_SMELL: gettext_lazy("Mất vị giác, khứu giác"),
    Symptom.DIARRHOEA: gettext_lazy("Tiêu chảy"),
    Symptom.NAUSEA: gettext_lazy("Buồn nôn, nôn"),
    Symptom.DYSPNOEA: gettext_lazy("Khó thở, thở hụt hơi"),
    Symptom.FAST_BREATHING: gettext_lazy("Thở nhanh (người lớn từ 21 lần/phút)"),
    Symptom.CHEST_PAIN: gettext_lazy("Đau tức ngực, bó thắt ngực"),
    Symptom.CONFUSION: gettext_lazy("Lú lẫn, lơ mơ, li bì, rất mệt"),
    Symptom.CYANOSIS: gettext_lazy("Tím môi, tím đầu ngón tay, ngón chân"),
    Symptom.UNABLE_TO_DRINK: gettext_lazy("Không ăn, uống được (trẻ bú kém)"),
}


class CheckLevel(StrEnum):
    NORMAL = "normal"
    FEVER = "fever"
    ESCALATE = "escalate"


CHECK_LEVEL_LABELS = {
    CheckLevel.NORMAL: gettext_lazy("Bình thường"),
    CheckLevel.FEVER: gettext_lazy("Sốt"),
    CheckLevel.ESCALATE: gettext_lazy("Cần báo trạm y tế"),
}

# Why a check is what it is: a danger symptom's code, or one of these.
REASON_SPO2 = "spo2"
REASON_FEVER = "fever"


class StateKind(StrEnum):
    OK = "ok"
    NOT_REPORTING = "not_reporting"
    NEEDS_ESCALATION = "needs_escalation"


STATE_LABELS = {
    StateKind.OK: gettext_lazy("Đang theo dõi"),
    StateKind.NOT_REPORTING: gettext_lazy("Không báo cáo"),
    StateKind.NEEDS_ESCALATION: gettext_lazy("Cần xử trí"),
}


@dataclass(frozen=True)
class Rules:
    """The values of a monitoring rule set."""

    silence_hours: int  # no check for this long → "not reporting"
    spo2_escalate_below: int  # SpO2 (%) under this → needs escalation
    fever_from: Decimal  # temperature (°C) from this → fever
    danger_symptoms: frozenset[str]  # any of these → needs escalation


@dataclass(frozen=True)
class Reading:
    temperature: Decimal | None = None
    spo2: int | None = None
    symptoms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Classification:
    level: CheckLevel
    reasons: tuple[str, ...]  # REASON_SPO2, danger symptom codes, REASON_FEVER; worst first


@dataclass(frozen=True)
class PersonState:
    kind: StateKind
    silent_since: dt.datetime | None = None  # when not reporting: the last check, or the start


class ReadingError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class RulesError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def reason_label(reason: str) -> str:
    if reason == REASON_SPO2:
        return str(gettext_lazy("SpO2 thấp"))
    if reason == REASON_FEVER:
        return str(gettext_lazy("Sốt"))
    label = SYMPTOM_LABELS.get(reason)  # type: ignore[call-overload]
    return str(label) if label is not None else reason


def clean_reading(*, temperature, spo2, symptoms) -> Reading:
    """Parse and bound-check what was typed. An empty check (no values, no symptoms) is valid:
    it says "well, no symptoms"."""
    temp = None
    if temperature not in (None, ""):
        try:
            temp = Decimal(str(temperature).replace(",", ".")).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError) as exc:
            raise ReadingError("temperature", _("Nhiệt độ không hợp lệ: %(value)s") % {"value": temperature}) from exc
        low, high = TEMPERATURE_RANGE
        if not low <= temp <= high:
            raise ReadingError("temperature", _("Nhiệt độ phải từ %(low)s đến %(high)s °C.") % {"low": low, "high": high})
    sat = None
    if spo2 not in (None, ""):
        try:
            sat = int(str(spo2).strip().rstrip("%"))
        except ValueError as exc:
            raise ReadingError("spo2", _("SpO2 không hợp lệ: %(value)s") % {"value": spo2}) from exc
        low, high = SPO2_RANGE
        if not low <= sat <= high:
            raise ReadingError("spo2", _("SpO2 phải từ %(low)s đến %(high)s %%.") % {"low": low, "high": high})
    codes = frozenset(str(s) for s in (symptoms or ()))
    unknown = codes - set(Symptom)
    if unknown:
        raise ReadingError("symptoms", _("Triệu chứng không có trong danh sách: %(codes)s")
                           % {"codes": ", ".join(sorted(unknown))})
    return Reading(temperature=temp, spo2=sat, symptoms=codes)


def validate_rules(rules: Rules) -> None:
    """Values a rule set may hold (an editor's typing mistake must not silence the lists)."""
    if not 1 <= rules.silence_hours <= 168:
        raise RulesError("silence_hours", _("Số giờ không báo cáo phải từ 1 đến 168."))
    if not 80 <= rules.spo2_escalate_below <= 100:
        raise RulesError("spo2_escalate_below", _("Ngưỡng SpO2 phải từ 80 đến 100 %."))
    if not Decimal("37.0") <= rules.fever_from <= Decimal("40.0"):
        raise RulesError("fever_from", _("Ngưỡng sốt phải từ 37,0 đến 40,0 °C."))
    unknown = set(rules.danger_symptoms) - set(Symptom)
    if unknown:
        raise RulesError("danger_symptoms", _("Triệu chứng không có trong danh sách: %(codes)s")
                         % {"codes": ", ".join(sorted(unknown))})


def classify_check(reading: Reading, rules: Rules) -> Classification:
    """Normal, fever, or needs escalation (SpO2 under the threshold or any danger symptom)."""
    reasons: list[str] = []
    if reading.spo2 is not None and reading.spo2 < rules.spo2_escalate_below:
        reasons.append(REASON_SPO2)
    reasons += [s for s in Symptom if s in reading.symptoms and s in rules.danger_symptoms]
    if reasons:
        feverish = _has_fever(reading, rules)
        return Classification(CheckLevel.ESCALATE, tuple(reasons) + ((REASON_FEVER,) if feverish else ()))
    if _has_fever(reading, rules):
        return Classification(CheckLevel.FEVER, (REASON_FEVER,))
    return Classification(CheckLevel.NORMAL, ())


def _has_fever(reading: Reading, rules: Rules) -> bool:
    measured = reading.temperature is not None and reading.temperature >= rules.fever_from
    return measured or Symptom.FEVER in reading.symptoms


def person_state(*, now: dt.datetime, monitored_since: dt.datetime, last_checked_at: dt.datetime | None,
                 escalation_open: bool, rules: Rules) -> PersonState:
    """An open escalation comes first; otherwise a person is "not reporting" once `silence_hours`
    have passed since their last check in this period of monitoring (or since it began)."""
    if escalation_open:
        return PersonState(StateKind.NEEDS_ESCALATION)
    reference = silent_since(monitored_since=monitored_since, last_checked_at=last_checked_at)
    if now - reference >= dt.timedelta(hours=rules.silence_hours):
        return PersonState(StateKind.NOT_REPORTING, reference)
    return PersonState(StateKind.OK)


def silent_since(*, monitored_since: dt.datetime, last_checked_at: dt.datetime | None) -> dt.datetime:
    """A check from before this period (an earlier stay at home) does not count for it."""
    if last_checked_at is None or last_checked_at < monitored_since:
        return monitored_since
    return last_checked_at


def not_reporting_before(now: dt.datetime, rules: Rules) -> dt.datetime:
    """The lists' filter: a person silent since this moment or earlier is "not reporting"."""
    return now - dt.timedelta(hours=rules.silence_hours)


def advice_after_self_report(level: str) -> str:
    """What the person reads after sending their own check."""
    if level == CheckLevel.ESCALATE:
        return _("Đã gửi. Trạm y tế sẽ liên hệ ngay. Nếu khó thở nặng, gọi 115.")
    if level == CheckLevel.FEVER:
        return _("Đã gửi. Bạn đang sốt: nghỉ ngơi, uống đủ nước; báo ngay nếu khó thở.")
    return _("Đã gửi. Cảm ơn bạn, hẹn lần báo tiếp theo.")


def days_left(*, today: dt.date, until: dt.date) -> int:
    """Days of monitoring still to come, today included (0 once the last day has passed)."""
    return max((until - today).days + 1, 0)


def in_force(versions: list[tuple[dt.date, object]], day: dt.date):
    """The version whose `valid_from` is the latest on or before `day` (None if none is)."""
    best = None
    for valid_from, value in versions:
        if valid_from <= day and (best is None or valid_from > best[0]):
            best = (valid_from, value)
    return best[1] if best else None
