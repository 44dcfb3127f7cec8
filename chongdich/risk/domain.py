"""The level rule, pure: a unit's figures for one week and a rule set's `rules` (risk/data) give a
level 1–4 and an explanation in words. No ORM here; the assessment, the what-if form and the
tests all call `evaluate` and `explain`.

How a rule set decides (every number is data):
- each indicator (new community cases, all new cases, cases on oxygen, deaths) is read per
  100,000 people per week (or as a plain count) and falls in band 1–4: the band is one more than
  the highest bound it reaches (value >= bound); a null bound is never reached;
- the worst band wins; coverage is "high" when every coverage criterion is met (unknown coverage
  counts as the rule set says, "low" for 4800); the matrix gives the level for band × coverage;
- failing the treatment-capacity criterion raises the level by `capacity.raise_by` (max 4);
- optionally, a very high figure (218: over 600 cases/100,000/week) is level 4 whatever else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import get_format
from django.utils.translation import gettext as _

LEVELS = (1, 2, 3, 4)
INDICATORS = ("community_cases", "all_cases", "oxygen_cases", "deaths")
GROUPS = ("all", "18+", "12-17", "50+", "65+")
DOSES = ("1", "full", "booster")
PER_100K = 100_000


@dataclass(frozen=True)
class Inputs:
    """One unit's figures for one week. None means unknown."""

    population: int | None
    all_cases: int = 0
    community_cases: int = 0
    oxygen_cases: int | None = None
    deaths: int | None = None
    coverage: dict[str, float] | None = None  # "18+|1" → percent; None: no coverage figures
    coverage_source: str = ""
    capacity_met: bool | None = None  # the committee's statement (or the what-if), if any
    free_beds_per_100k: float | None = None  # free treatment beds around the unit
    capacity_how: str = ""  # "statement" | "beds" | "whatif" | ""
    population_note: str = ""  # "summed" (from the units below) | "unknown" | ""

    def as_dict(self) -> dict:
        # not dataclasses.asdict: it deep-copies, and an assessment turns ten thousand of these into JSON
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict) -> Inputs:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def coverage_key(group: str, dose: str) -> str:
    return f"{group}|{dose}"


@dataclass(frozen=True)
class Reading:
    key: str
    per: str  # "100k" | "count"
    count: int | None
    value: float | None  # per 100,000 (or the count); None when the population is unknown
    band: int


@dataclass(frozen=True)
class Outcome:
    level: int
    band: int
    readings: tuple[Reading, ...]
    coverage: str  # "high" | "low" | "unused"
    coverage_known: bool
    coverage_short: tuple[tuple[str, str, float | None, float], ...]  # unmet criteria
    capacity: str  # "met" | "not_met" | "unknown" | "unused"
    raised_by: int
    very_high: float | None  # the threshold passed, when it decided level 4
    inputs: Inputs
    labels: dict = field(default_factory=dict)


def rate(count: int | None, population: int | None) -> float | None:
    if count is None:
        return None
    if count == 0:
        return 0.0
    if not population:
        return None
    return count * PER_100K / population


def band_of(value: float | None, bounds: list, *, unknown_band: int = 4) -> int:
    """1 + the highest position whose bound the value reaches (value >= bound); an unknown
    value (cases but no population) counts as `unknown_band`."""
    if value is None:
        return unknown_band
    band = 1
    for i, bound in enumerate(bounds):
        if bound is not None and value >= bound:
            band = i + 2
    return band


def _reading(indicator: dict, inputs: Inputs) -> Reading | None:
    count = getattr(inputs, indicator["key"])
    if count is None:
        return None  # figures this rule needs but nobody has (oxygen, deaths): not counted
    per = indicator.get("per", "100k")
    value = float(count) if per == "count" else rate(count, inputs.population)
    return Reading(indicator["key"], per, count, value, band_of(value, indicator["bounds"]))


def _coverage(rules: dict, inputs: Inputs) -> tuple[str, bool, tuple]:
    spec = rules.get("coverage") or {}
    criteria = spec.get("criteria") or []
    if not criteria:
        return "unused", True, ()
    values = inputs.coverage or {}
    short, known = [], True
    for c in criteria:
        pct = values.get(coverage_key(c["group"], c["dose"]))
        if pct is None:
            known = False
            short.append((c["group"], c["dose"], None, c["min_pct"]))
        elif pct < c["min_pct"]:
            short.append((c["group"], c["dose"], pct, c["min_pct"]))
    if not known:
        return spec.get("unknown", "low"), False, tuple(short)
    return ("low" if short else "high"), True, tuple(short)


def _capacity(rules: dict, inputs: Inputs) -> str:
    spec = rules.get("capacity") or {}
    if not spec.get("raise_by"):
        return "unused"
    if inputs.capacity_met is not None:
        return "met" if inputs.capacity_met else "not_met"
    minimum = spec.get("min_free_beds_per_100k")
    if minimum is not None and inputs.free_beds_per_100k is not None:
        return "met" if inputs.free_beds_per_100k >= minimum else "not_met"
    return "unknown_met" if spec.get("unknown", "met") == "met" else "unknown_not_met"


def evaluate(rules: dict, inputs: Inputs) -> Outcome:
    readings = tuple(r for r in (_reading(i, inputs) for i in rules["indicators"]) if r is not None)
    band = max((r.band for r in readings), default=1)
    coverage, known, short = _coverage(rules, inputs)
    row = "high" if coverage in ("high", "unused") else "low"
    level = rules["matrix"][row][band - 1]
    capacity = _capacity(rules, inputs)
    raised = 0
    if capacity in ("not_met", "unknown_not_met"):
        raised = min(rules["capacity"]["raise_by"], 4 - level)
        level += raised
    very_high = None
    if spec := rules.get("very_high"):
        value = rate(getattr(inputs, spec["key"]), inputs.population)
        if value is not None and value > spec["above"]:
            very_high, level = spec["above"], 4
    return Outcome(level=max(1, min(4, level)), band=band, readings=readings, coverage=coverage,
                   coverage_known=known, coverage_short=short, capacity=capacity, raised_by=raised,
                   very_high=very_high, inputs=inputs, labels=rules.get("labels") or {})


# --- Words ------------------------------------------------------------------------------------


class Words:
    """Every phrase of an explanation in the active language, looked up once: an assessment
    explains ten thousand units, and gettext per phrase per unit would cost seconds."""

    def __init__(self):
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.what = {"community_cases": _("ca mắc mới trong cộng đồng"), "all_cases": _("ca mắc mới"),
                     "oxygen_cases": _("ca phải thở oxy"), "deaths": _("ca tử vong")}
        self.who = {"all": _("toàn dân"), "18+": _("từ 18 tuổi"), "12-17": _("12–17 tuổi"), "50+": _("từ 50 tuổi"),
                    "65+": _("từ 65 tuổi")}
        self.shot = {"1": _("ít nhất 1 mũi"), "full": _("đủ liều"), "booster": _("mũi nhắc lại")}
        self.reading_unknown = _("%(count)s %(what)s trong tuần, chưa rõ dân số (coi là bậc %(band)s)")
        self.reading_count = _("%(count)s %(what)s trong tuần (bậc %(band)s)")
        self.reading_rate = _("%(value)s %(what)s/100.000 dân trong tuần (bậc %(band)s)")
        self.high, self.low = _("cao"), _("thấp")
        self.coverage_unknown = _("chưa có số liệu bao phủ vắc xin (coi là %(word)s)")
        self.coverage_high = _("độ bao phủ vắc xin cao")
        self.coverage_low = _("độ bao phủ vắc xin thấp: %(shortfalls)s")
        self.shortfall = _("%(who)s %(pct)s%% (cần %(min)s%%)")
        self.source = {"records": _("theo sổ tiêm chủng"), "aggregate": _("theo báo cáo tổng hợp")}
        self.capacity_unknown_met = _("chưa có số liệu năng lực điều trị (coi là đáp ứng)")
        self.capacity_unknown_not_met = _("chưa có số liệu năng lực điều trị (coi là không đáp ứng)")
        self.capacity_met = _("đáp ứng năng lực điều trị")
        self.capacity_not_met = _("không đáp ứng năng lực điều trị")
        self.by_statement = _("(theo ghi nhận của Ban chỉ đạo)")
        self.by_beds = _("(%(beds)s giường điều trị trống/100.000 dân)")
        self.raised = _("nâng %(n)s cấp")
        self.no_cases = _("không có số liệu ca mắc")
        self.level = _("Cấp %(level)s")
        self.very_high = _("trên %(above)s ca/100.000 dân trong tuần: cấp 4")
        self.population = {"summed": _("dân số cộng từ các đơn vị trực thuộc"), "unknown": _("chưa rõ dân số")}

    def num(self, value: float) -> str:
        value = round(value, 1)
        text = f"{value:.1f}" if value % 1 else f"{value:.0f}"
        return text.replace(".", self.decimal)


def _reading_words(r: Reading, w: Words) -> str:
    if r.value is None:
        return w.reading_unknown % {"count": r.count, "what": w.what[r.key], "band": r.band}
    if r.per == "count":
        return w.reading_count % {"count": r.count, "what": w.what[r.key], "band": r.band}
    return w.reading_rate % {"value": w.num(r.value), "what": w.what[r.key], "band": r.band}


def _coverage_words(o: Outcome, w: Words) -> str:
    if o.coverage == "unused":
        return ""
    if not o.coverage_known:
        return w.coverage_unknown % {"word": w.high if o.coverage == "high" else w.low}
    source = w.source.get(o.inputs.coverage_source, "")
    if o.coverage == "high":
        text = w.coverage_high
    else:
        text = w.coverage_low % {"shortfalls": ", ".join(w.shortfall % {
            "who": f"{w.who.get(g, g)} {w.shot.get(d, d)}", "pct": w.num(p or 0), "min": w.num(m)}
            for g, d, p, m in o.coverage_short)}
    return text + (f" ({source})" if source else "")


def _capacity_words(o: Outcome, w: Words) -> str:
    i = o.inputs
    if o.capacity == "unused":
        return ""
    if o.capacity in ("unknown_met", "unknown_not_met"):
        text = w.capacity_unknown_met if o.capacity == "unknown_met" else w.capacity_unknown_not_met
    else:
        text = w.capacity_met if o.capacity == "met" else w.capacity_not_met
        if i.capacity_how == "statement":
            text += " " + w.by_statement
        elif i.capacity_how == "beds" and i.free_beds_per_100k is not None:
            text += " " + w.by_beds % {"beds": w.num(i.free_beds_per_100k)}
    if o.raised_by:
        text += ": " + w.raised % {"n": o.raised_by}
    return text


def explain(o: Outcome, words: Words | None = None) -> str:
    """'Cấp 3: 63 ca mắc mới trong cộng đồng/100.000 dân trong tuần (bậc 3), độ bao phủ vắc xin cao;
    đáp ứng năng lực điều trị' — in the active language (or that of `words`, built once for many)."""
    w = words or Words()
    cases = ", ".join(_reading_words(r, w) for r in o.readings) or w.no_cases
    first = ", ".join(p for p in (cases, _coverage_words(o, w)) if p)
    parts = [p for p in (first, _capacity_words(o, w)) if p]
    head = w.level % {"level": o.level}
    if colour := o.labels.get(str(o.level)):
        head += f" ({colour})"
    text = f"{head}: " + "; ".join(parts)
    if o.very_high is not None:
        text += "; " + w.very_high % {"above": w.num(o.very_high)}
    if note := w.population.get(o.inputs.population_note):
        text += f" ({note})"
    return text


def parse_iso_week(text: str) -> dt.date:
    """'2021-W50' (or '2021-W50-1', or a date inside the week) → the Monday of that ISO week."""
    text = (text or "").strip()
    try:
        if "W" in text.upper():
            year, week = text.upper().split("-W")
            return dt.date.fromisocalendar(int(year), int(week[:2]), 1)
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(_("Tuần không hợp lệ: %(value)s (ví dụ 2021-W50).") % {"value": text}) from exc
    return day - dt.timedelta(days=day.weekday())


def iso_week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


# --- Rule set checks ----------------------------------------------------------------------------


def rule_set_errors(rules: dict) -> list[tuple[str, str]]:
    """What is wrong with a rule set's `rules` (field, message); empty when it can be used."""
    errors: list[tuple[str, str]] = []
    if not isinstance(rules, dict):
        return [("rules", _("Bộ tiêu chí phải là một đối tượng JSON."))]
    indicators = rules.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        errors.append(("indicators", _("Cần ít nhất một chỉ số (ca mắc, ca thở oxy, tử vong).")))
    else:
        for i in indicators:
            if not isinstance(i, dict) or i.get("key") not in INDICATORS:
                errors.append(("indicators", _("Chỉ số không hợp lệ: %(value)s") % {"value": i}))
            elif i.get("per", "100k") not in ("100k", "count"):
                errors.append(("indicators", _("Cách tính không hợp lệ: %(value)s") % {"value": i.get("per")}))
            elif (not isinstance(i.get("bounds"), list) or len(i["bounds"]) != 3
                  or any(b is not None and (not isinstance(b, int | float) or b < 0) for b in i["bounds"])):
                errors.append(("indicators", _("Mỗi chỉ số cần đúng 3 ngưỡng (số không âm hoặc null).")))
    matrix = rules.get("matrix")
    if (not isinstance(matrix, dict) or set(matrix) != {"high", "low"}
            or any(not isinstance(r, list) or len(r) != 4 or any(v not in LEVELS for v in r)
                   for r in matrix.values())):
        errors.append(("matrix", _("Bảng cấp độ cần 2 dòng (high, low), mỗi dòng 4 cấp từ 1 đến 4.")))
    for c in (rules.get("coverage") or {}).get("criteria") or []:
        if c.get("group") not in GROUPS or c.get("dose") not in DOSES or not 0 <= c.get("min_pct", -1) <= 100:
            errors.append(("coverage", _("Tiêu chí bao phủ không hợp lệ: %(value)s") % {"value": c}))
    capacity = rules.get("capacity") or {}
    if not isinstance(capacity.get("raise_by", 0), int) or not 0 <= capacity.get("raise_by", 0) <= 3:
        errors.append(("capacity", _("Mức nâng cấp khi không đáp ứng năng lực phải từ 0 đến 3.")))
    return errors
