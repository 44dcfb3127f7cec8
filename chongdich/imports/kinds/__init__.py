"""The kinds of file the importer takes. Each module defines `KIND`, an `ImportKind`
(see chongdich.imports.domain); the registry maps its name to it."""

from __future__ import annotations

from importlib import import_module

from chongdich.imports.domain import ImportKind

_MODULES = {
    "people": "chongdich.imports.kinds.people",
    "lab_results": "chongdich.imports.kinds.lab_results",
    "cases": "chongdich.imports.kinds.cases",
    # Kinds other apps define in their own package (skipped by available() until they exist):
    "vaccinations": "chongdich.vaccination.import_doses",
    "checkins": "chongdich.venues.import_checkins",
}


def names() -> list[str]:
    return list(_MODULES)


def get(name: str) -> ImportKind:
    try:
        module = _MODULES[name]
    except KeyError:
        raise KeyError(name) from None
    return import_module(module).KIND


def available() -> list[ImportKind]:
    """The kinds whose module is installed, in registry order."""
    found = []
    for name in _MODULES:
        try:
            found.append(get(name))
        except ModuleNotFoundError:
            continue
    return found
