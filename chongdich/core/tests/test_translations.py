from django.core.management import call_command
from django.test import SimpleTestCase
from django.utils import translation

from chongdich.cases.models import CaseStatus


class TranslationTests(SimpleTestCase):
    def test_every_catalog_is_translated_and_its_compiled_file_is_current(self):
        call_command("compile_translations", check=True)

    def test_choice_labels_are_vietnamese_by_default_and_english_on_request(self):
        with translation.override("vi"):
            self.assertEqual(str(CaseStatus.RECOVERED.label), "Khỏi bệnh")
        with translation.override("en"):
            self.assertEqual(str(CaseStatus.RECOVERED.label), "Recovered")
