"""The shared reader of shipped rule-set files: dates parsed, a broken set or a text too long for
its column stops the load, and loading creates only the codes not there yet."""

import json
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, TestCase

from chongdich.core import rule_data
from chongdich.response.models import ResponseRuleSet
from chongdich.response.rule_data import read_rule_sets as response_sets


def _file(sets: list[dict]) -> Path:
    path = Path(tempfile.mkdtemp()) / "rule_sets.json"
    path.write_text(json.dumps({"rule_sets": sets}), encoding="utf-8")
    return path


SET = {"code": "X-1", "name": "Thử", "legal_source": "Văn bản thử", "valid_from": "2021-10-12",
       "valid_to": None}


class ReadRuleFileTests(SimpleTestCase):
    def test_dates_are_parsed_and_an_empty_end_stays_empty(self):
        [item] = rule_data.read_rule_file(_file([{**SET, "valid_to": "2022-01-26"}]), lambda item: [])
        self.assertEqual((item["valid_from"].isoformat(), item["valid_to"].isoformat()),
                         ("2021-10-12", "2022-01-26"))
        [item] = rule_data.read_rule_file(_file([SET]), lambda item: [])
        self.assertIsNone(item["valid_to"])

    def test_a_set_the_domain_refuses_stops_the_load(self):
        with self.assertRaisesMessage(ValueError, "X-1: ['bad']"):
            rule_data.read_rule_file(_file([SET]), lambda item: ["bad"])

    def test_a_text_longer_than_its_column_stops_the_load(self):
        with self.assertRaisesMessage(ValueError, "longer than its column"):
            rule_data.read_rule_file(_file([{**SET, "name": "x" * 201}]), lambda item: [])
        [item] = rule_data.read_rule_file(_file([{**SET, "legal_source": "x" * 300}]), lambda item: [],
                                          limits={**rule_data.TEXT_LIMITS, "legal_source": 300})
        self.assertEqual(len(item["legal_source"]), 300)


class CreateMissingTests(TestCase):
    def test_only_codes_not_in_the_database_are_created(self):
        sets = response_sets()
        ResponseRuleSet.objects.all().delete()
        self.assertEqual(rule_data.create_missing(ResponseRuleSet, sets), len(sets))
        self.assertEqual(rule_data.create_missing(ResponseRuleSet, response_sets()), 0)
        self.assertEqual(ResponseRuleSet.objects.count(), len(sets))
