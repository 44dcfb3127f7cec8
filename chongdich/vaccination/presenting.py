"""Coverage as rows for people and JSON: one row per age group with people and percent per dose,
in the order of the configuration in force."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chongdich.vaccination import domain
from chongdich.vaccination.domain import UnitCoverage


def group_labels(config) -> list[tuple[str, str]]:
    groups = domain.groups_from_data(config.groups if config else [])
    return [(g.code, _("Toàn dân") if g.code == domain.ALL else g.label) for g in groups]


def coverage_rows(coverage: UnitCoverage, config) -> list[dict]:
    """[{group, label, population, doses: {key: {people, pct}}}] for every configured group."""
    rows = []
    for code, label in group_labels(config):
        doses = {}
        for key in domain.DOSE_KEYS:
            pct = coverage.pct(code, key)
            doses[key] = {"people": coverage.covered.get((code, key)),
                          "pct": None if pct is None else round(pct, 1)}
        rows.append({"group": code, "label": label, "population": coverage.population.get(code),
                     "doses": doses})
    return rows


def coverage_body(unit, coverage: UnitCoverage, config) -> dict:
    return {"unit": unit, "level": unit.level, "as_of": coverage.as_of, "source": coverage.source,
            "population_source": coverage.population_source, "counted_through": coverage.counted_through,
            "parts": coverage.parts, "groups": coverage_rows(coverage, config)}
