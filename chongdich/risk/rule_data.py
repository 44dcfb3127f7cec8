"""The rule sets shipped with the app (`data/rule_sets.json`): read, checked with the domain rules,
and loaded into the database by migration 0003. Afterwards they are data: new versions are added
on the rule-sets page or through the API, never by editing this file into a set already loaded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from chongdich.risk import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "rule_sets.json"
FIELDS = ("code", "name", "legal_source", "valid_from", "valid_to", "is_default", "needs_verification",
          "note", "rules")


def read_rule_sets(path: Path = DATA_FILE) -> list[dict]:
    """The sets in the file, as dicts of the model's fields. Raises ValueError when a set breaks
    the domain rules (so a bad file stops the migration)."""
    sets = json.loads(Path(path).read_text(encoding="utf-8"))["rule_sets"]
    for item in sets:
        item["valid_from"] = dt.date.fromisoformat(item["valid_from"])
        item["valid_to"] = dt.date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None
        if errors := domain.rule_set_errors(item["rules"]):
            raise ValueError(f"{item['code']}: {errors}")
        if len(item["legal_source"]) > 300 or len(item["code"]) > 40 or len(item["name"]) > 200:
            raise ValueError(f"{item['code']}: a text is longer than its column")
    return sets


def load_rule_sets(rule_set_model, path: Path = DATA_FILE) -> int:
    """Create the sets of the file that are not in the database yet (matched by code); sets
    already there are left as they are. Takes the model so a migration can pass its own."""
    created = 0
    for item in read_rule_sets(path):
        if not rule_set_model.objects.filter(code=item["code"]).exists():
            rule_set_model.objects.create(**{k: item.get(k) for k in FIELDS})
            created += 1
    return created
