"""The exposure rule sets shipped with the app (`data/exposure_rules.json`), checked with the
domain rules and loaded by migration 0002. Sets already loaded (by code) are left as they are."""

from __future__ import annotations

from pathlib import Path

from chongdich.core import rule_data
from chongdich.venues import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "exposure_rules.json"
FIELDS = ("code", "name", "legal_source", "valid_from", "needs_verification", "margin_minutes",
          "kind_margins", "default_stay_minutes", "max_stay_minutes", "days_before_onset",
          "days_before_sample", "note")
RULE_FIELDS = ("margin_minutes", "kind_margins", "default_stay_minutes", "max_stay_minutes",
               "days_before_onset", "days_before_sample")


def read_rule_sets(path: Path = DATA_FILE) -> list[dict]:
    return rule_data.read_rule_file(
        path, lambda item: domain.rule_errors(domain.Rule(**{k: item[k] for k in RULE_FIELDS})))


def load_rule_sets(model, path: Path = DATA_FILE) -> int:
    return rule_data.create_missing(model, read_rule_sets(path), FIELDS)


def as_rule(rule_set) -> domain.Rule:
    return domain.Rule(**{k: getattr(rule_set, k) for k in RULE_FIELDS})
