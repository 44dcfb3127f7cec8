"""The response standards shipped with the app (`data/rule_sets.json`), checked with the domain
rules and loaded by migration 0002. Afterwards they are data (admin): a new version, never an edit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from chongdich.response import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "rule_sets.json"
RULE_FIELDS = ("trace_minutes", "zone_minutes", "move_minutes", "warn_minutes", "tracked_hours")


def read_rule_sets(path: Path = DATA_FILE) -> list[dict]:
    sets = json.loads(Path(path).read_text(encoding="utf-8"))["rule_sets"]
    for item in sets:
        item["valid_from"] = dt.date.fromisoformat(item["valid_from"])
        if errors := domain.rule_errors(domain.Rule(**{k: item[k] for k in RULE_FIELDS})):
            raise ValueError(f"{item['code']}: {errors}")
        if len(item["legal_source"]) > 255 or len(item["code"]) > 40 or len(item["name"]) > 200:
            raise ValueError(f"{item['code']}: a text is longer than its column")
    return sets


def load_rule_sets(model, path: Path = DATA_FILE) -> int:
    """Create the sets not in the database yet (by code); returns how many. Takes the model as an
    argument so a migration can pass its historical one."""
    created = 0
    for item in read_rule_sets(path):
        if not model.objects.filter(code=item["code"]).exists():
            model.objects.create(**{k: v for k, v in item.items()})
            created += 1
    return created
