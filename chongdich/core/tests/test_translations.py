import io
import os
import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from chongdich.cases.models import CaseStatus

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"

# The catalogue is regenerated from the repository root with
#   manage.py makemessages -l en --ignore=.venv/* --ignore=var/* --ignore=test-artifacts/* \
#       --ignore=docs/* --ignore=*.egg-info/*
MAKEMESSAGES_IGNORE = [".venv/*", "var/*", "test-artifacts/*", "docs/*", "*.egg-info/*"]


def _keys(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete and e.msgid}


class TranslationTests(SimpleTestCase):
    def test_every_catalog_is_translated_and_its_compiled_file_is_current(self):
        call_command("compile_translations", check=True)

    def test_choice_labels_are_vietnamese_by_default_and_english_on_request(self):
        with translation.override("vi"):
            self.assertEqual(str(CaseStatus.RECOVERED.label), "Khỏi bệnh")
        with translation.override("en"):
            self.assertEqual(str(CaseStatus.RECOVERED.label), "Recovered")


class CatalogCoverageTests(SimpleTestCase):
    def test_every_string_marked_for_translation_in_the_code_is_in_the_english_catalog(self):
        if shutil.which("xgettext") is None:
            self.skipTest("GNU gettext (xgettext) is not installed: cannot extract the strings")
        committed = CATALOG.read_bytes()
        extracted = _keys(polib.pofile(str(self._extract_into_empty_locale_dir())))
        self.assertEqual(CATALOG.read_bytes(), committed, "the extraction wrote to the real catalog")
        missing = sorted(extracted - _keys(polib.pofile(str(CATALOG))), key=lambda k: k[1])
        listing = "\n".join(f"  {ctx + ' | ' if ctx else ''}{msgid!r}" for ctx, msgid in missing)
        self.assertFalse(missing, f"Strings missing from {CATALOG}: run `manage.py makemessages "
                                  f"-l en` from the repository root, translate them, then "
                                  f"`manage.py compile_translations`:\n{listing}")

    def _extract_into_empty_locale_dir(self) -> Path:
        # makemessages adopts every directory named "locale" it walks past as the target for the
        # files around it, so the real chongdich/locale is ignored: every file then falls back to
        # LOCALE_PATHS[0], an empty temporary directory that receives a fresh catalogue.
        tmp = Path(tempfile.mkdtemp(prefix="chongdich-messages-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        locale_dir = tmp / "locale"
        locale_dir.mkdir()
        cwd = os.getcwd()
        os.chdir(settings.BASE_DIR)  # makemessages scans the current directory
        try:
            with override_settings(LOCALE_PATHS=[str(locale_dir)]):
                call_command("makemessages", locale=["en"],
                             ignore_patterns=[*MAKEMESSAGES_IGNORE, "locale"],
                             verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        finally:
            os.chdir(cwd)
        return locale_dir / "en" / "LC_MESSAGES" / "django.po"
