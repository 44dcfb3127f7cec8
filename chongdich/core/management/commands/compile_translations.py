"""Compile the .po catalogs under LOCALE_PATHS into .mo files with polib (no GNU gettext needed).

    chongdich compile-translations          # writes django.mo next to each django.po
    chongdich compile-translations --check  # fails if a .mo is stale or a message is untranslated
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile translation catalogs (.po → .mo) with polib."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="do not write; fail if a catalog is untranslated or its .mo is stale")

    def handle(self, *args, check=False, **options):
        catalogs = sorted(p for root in settings.LOCALE_PATHS for p in Path(root).glob("*/LC_MESSAGES/*.po"))
        if not catalogs:
            raise CommandError("No .po catalogs under LOCALE_PATHS.")
        problems = []
        for po_path in catalogs:
            po = polib.pofile(str(po_path))
            mo_path = po_path.with_suffix(".mo")
            untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
            if check:
                if untranslated:
                    problems.append(f"{po_path}: {len(untranslated)} untranslated, e.g. {untranslated[0]!r}")
                if not mo_path.exists() or mo_path.read_bytes() != _compiled(po):
                    problems.append(f"{mo_path}: out of date (run compile-translations)")
                continue
            mo_path.write_bytes(_compiled(po))
            self.stdout.write(f"{mo_path}: {len(po.translated_entries())} messages"
                              + (f", {len(untranslated)} untranslated" if untranslated else ""))
        if problems:
            raise CommandError("\n".join(problems))


def _compiled(po: polib.POFile) -> bytes:
    return po.to_binary()
