"""The rule sets shipped with the app (`data/rule_sets.json`): read, checked with the domain rules,
and loaded into the database by migration 0003. Afterwards they are data: new versions are added
on the rule-sets page or through the API, never by editing this file into a set already loaded."""

from __future__ import annotations

from pathlib import Path

from chongdich.core import rule_data
from chongdich.risk import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "rule_sets.json"
FIELDS = ("code", "name", "legal_source", "valid_from", "valid_to", "is_default", "needs_verification",
          "note", "rules")


def read_rule_sets(path: Path = DATA_FILE) -> list[dict]:
    """The sets in the file, as dicts of the model's fields. Raises ValueError when a set breaks
    the domain rules (so a bad file stops the migration)."""
    return rule_data.read_rule_file(path, lambda item: domain.rule_set_errors(item["rules"]),
                                    limits={**rule_data.TEXT_LIMITS, "legal_source": 300})


def load_rule_sets(rule_set_model, path: Path = DATA_FILE) -> int:
    """Create the sets of the file that are not in the database yet (matched by code); sets
    already there are left as they are. Takes the model so a migration can pass its own."""
    return rule_data.create_missing(rule_set_model, read_rule_sets(path), FIELDS)
