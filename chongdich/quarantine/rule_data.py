"""The rule sets shipped with the app (`data/rule_sets.json`): read, checked with the domain rules,
and loaded into the database by migration 0004. Afterwards they are data: new versions are added
in the admin or on the rule-sets page, never by editing this file into a set already loaded."""

from __future__ import annotations

from pathlib import Path

from chongdich.core import rule_data
from chongdich.quarantine import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "rule_sets.json"


def read_rule_sets(path: Path = DATA_FILE) -> list[dict]:
    """The sets in the file, each a dict of the model's fields plus `rules` (a list of dicts).
    Raises ValueError when a set breaks the domain rules (so a bad file stops the migration)."""
    return rule_data.read_rule_file(path, lambda item: domain.rule_set_errors(
        [domain.Rule(**{**r, "test_days": tuple(r["test_days"])}) for r in item["rules"]]))


def load_rule_sets(rule_set_model, rule_model, path: Path = DATA_FILE) -> int:
    """Create the sets of the file that are not in the database yet (matched by code); sets
    already there are left exactly as they are. Returns the number of sets created. Takes the
    models as arguments so that a migration can pass its historical ones."""
    created = 0
    for item in read_rule_sets(path):
        if rule_set_model.objects.filter(code=item["code"]).exists():
            continue
        rules = item.pop("rules")
        rule_set = rule_set_model.objects.create(**{k: item[k] for k in (
            "code", "name", "legal_source", "valid_from", "needs_verification", "note")})
        rule_model.objects.bulk_create([rule_model(rule_set=rule_set, **r) for r in rules])
        created += 1
    return created
