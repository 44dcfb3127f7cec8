"""The response standards shipped with the app (`data/rule_sets.json`), checked with the domain
rules and loaded by migration 0002. Afterwards they are data (admin): a new version, never an edit."""

from __future__ import annotations

from pathlib import Path

from chongdich.core import rule_data
from chongdich.response import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "rule_sets.json"
RULE_FIELDS = ("trace_minutes", "zone_minutes", "move_minutes", "warn_minutes", "tracked_hours")


def read_rule_sets(path: Path = DATA_FILE) -> list[dict]:
    return rule_data.read_rule_file(
        path, lambda item: domain.rule_errors(domain.Rule(**{k: item[k] for k in RULE_FIELDS})))


def load_rule_sets(model, path: Path = DATA_FILE) -> int:
    """Create the sets not in the database yet (by code); returns how many. Takes the model as an
    argument so a migration can pass its historical one."""
    return rule_data.create_missing(model, read_rule_sets(path))
