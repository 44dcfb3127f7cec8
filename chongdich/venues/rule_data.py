"""The exposure rule sets shipped with the app (`data/exposure_rules.json`), checked with the
domain rules and loaded by migration 0002. Sets already loaded (by code) are left as they are."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from chongdich.venues import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "exposure_rules.json"
FIELDS = ("code", "name", "legal_source", "valid_from", "needs_verification", "margin_minutes",
          "kind_margins", "default_stay_minutes", "max_stay_minutes", "days_before_onset",
          "days_before_sample", "note")
RULE_FIELDS = ("margin_minutes", "kind_margins", "default_stay_minutes", "max_stay_minutes",
               "days_before_onset", "days_before_sample")


def read_rule_sets(path: Path = DATA_FILE) -> list[dict]:
    sets = json.loads(Path(path).read_text(encoding="utf-8"))["rule_sets"]
    for item in sets:
        item["valid_from"] = dt.date.fromisoformat(item["valid_from"])
        if errors := domain.rule_errors(domain.Rule(**{k: item[k] for k in RULE_FIELDS})):
            raise ValueError(f"{item['code']}: {errors}")
    return sets


def load_rule_sets(model, path: Path = DATA_FILE) -> int:
    created = 0
    for item in read_rule_sets(path):
        if not model.objects.filter(code=item["code"]).exists():
            model.objects.create(**{k: item[k] for k in FIELDS})
            created += 1
    return created


def as_rule(rule_set) -> domain.Rule:
    return domain.Rule(**{k: getattr(rule_set, k) for k in RULE_FIELDS})
