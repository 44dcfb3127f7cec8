"""Rule sets shipped as JSON in an app's `data/` (a `{"rule_sets": [...]}` file): read and checked
before a data migration loads them, then created by code where missing. Sets already in the
database are left exactly as they are: a change of rules is a new version, never an edit."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path

# The columns every rule-set model shares, and their lengths.
TEXT_LIMITS = {"code": 40, "name": 200, "legal_source": 255}


def read_rule_file(path: Path, check: Callable[[dict], object], *,
                   limits: dict[str, int] = TEXT_LIMITS) -> list[dict]:
    """The sets in the file, dates parsed. `check(item)` returns the domain's errors (falsy when
    none); a set with errors or a text longer than its column raises ValueError, so a bad file
    stops the migration that loads it."""
    sets = json.loads(Path(path).read_text(encoding="utf-8"))["rule_sets"]
    for item in sets:
        item["valid_from"] = dt.date.fromisoformat(item["valid_from"])
        if "valid_to" in item:
            item["valid_to"] = dt.date.fromisoformat(item["valid_to"]) if item["valid_to"] else None
        if errors := check(item):
            raise ValueError(f"{item['code']}: {errors}")
        if any(len(item.get(field, "")) > limit for field, limit in limits.items()):
            raise ValueError(f"{item['code']}: a text is longer than its column")
    return sets


def create_missing(model, sets: Iterable[dict], fields: Iterable[str] | None = None) -> int:
    """Create the sets whose code is not in the database yet, with these fields (all of the
    file's, by default); how many. Takes the model so that a migration can pass its historical
    one."""
    created = 0
    for item in sets:
        if not model.objects.filter(code=item["code"]).exists():
            model.objects.create(**{k: item.get(k) for k in (item if fields is None else fields)})
            created += 1
    return created
