"""Products and age-group configurations shipped with the app (`data/vaccination.json`), loaded
by migration 0002 (and by tests after a flush). Rows already there, matched by code, are left as
they are: afterwards they are data, changed in the admin by adding a version."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from chongdich.vaccination import domain

DATA_FILE = Path(__file__).resolve().parent / "data" / "vaccination.json"


def read_data(path: Path = DATA_FILE) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for config in data["configs"]:
        config["valid_from"] = dt.date.fromisoformat(config["valid_from"])
        codes = [g.code for g in domain.groups_from_data(config["groups"])]  # raises on a bad row
        if unknown := set(config["age_structure"]) - set(codes):
            raise ValueError(f"{config['code']}: age structure names unknown groups {unknown}")
    return data


def load_reference_data(product_model, config_model, path: Path = DATA_FILE) -> int:
    """Create the products and configurations of the file that are missing; returns how many."""
    data = read_data(path)
    created = 0
    for item in data["products"]:
        _, new = product_model.objects.get_or_create(code=item["code"], defaults=item)
        created += new
    for item in data["configs"]:
        _, new = config_model.objects.get_or_create(code=item["code"], defaults=item)
        created += new
    return created
