"""The level rule as tables of data: each row is a unit's week (inputs) and the level the rules
give. Rule sets are the ones shipped in risk/data, read from the file (no database)."""

from django.test import SimpleTestCase
from django.utils import translation

from chongdich.risk import domain
from chongdich.risk.rule_data import read_rule_sets

SETS = {s["code"]: s["rules"] for s in read_rule_sets()}
R4800, R218, R2686 = SETS["QD-4800-BYT-2021"], SETS["QD-218-BYT-2022"], SETS["QD-2686-BCDQG-2021"]
HIGH = {"18+|1": 90.0, "50+|full": 85.0}
LOW = {"18+|1": 60.0, "50+|full": 85.0}
FULL_HIGH = {"all|full": 80.0, "50+|full": 95.0}

# Decision 4800 — population 100,000, so community cases = cases per 100,000.
# (community cases, coverage, capacity met, expected level)
TABLE_4800 = [
    (0, HIGH, True, 1),
    (19, HIGH, True, 1),
    (20, HIGH, True, 2),      # band edge: exactly 20 is band 2
    (49, HIGH, True, 2),
    (50, HIGH, True, 3),      # band edge: exactly 50 is band 3
    (149, HIGH, True, 3),
    (150, HIGH, True, 3),     # band edge: exactly 150 is band 4; with high coverage level 3
    (150, LOW, True, 4),
    (0, LOW, True, 2),
    (20, LOW, True, 3),
    (50, LOW, True, 4),
    (0, None, True, 2),       # coverage unknown counts as low
    (0, HIGH, False, 2),      # failing the capacity criterion raises one level
    (50, HIGH, False, 4),
    (150, LOW, False, 4),     # … never above 4
    (0, HIGH, None, 1),       # capacity unknown counts as met
]

# Decision 218 — all cases, oxygen and deaths per 100,000 (population 100,000).
# (all cases, oxygen, deaths, coverage, capacity met, expected level)
TABLE_218 = [
    (10, 0, 0, FULL_HIGH, True, 1),
    (20, 0, 0, FULL_HIGH, True, 2),
    (10, 5, 0, FULL_HIGH, True, 2),    # the worst indicator decides: 5 on oxygen is band 2
    (10, 0, 5, FULL_HIGH, True, 3),    # 5 deaths/100,000 is band 4 → level 3 with high coverage
    (10, 0, 5, None, True, 4),
    (600, 0, 0, FULL_HIGH, True, 3),   # exactly 600 is not "over 600"
    (601, 0, 0, FULL_HIGH, True, 4),   # over 600 cases: level 4 whatever else
    (10, None, None, FULL_HIGH, True, 1),  # oxygen and deaths unknown: not counted
]

# Decision 2686 colours — (all cases, community cases, population, expected level)
TABLE_2686 = [
    (0, 0, 10_000, 1),   # green: no new case
    (3, 0, 10_000, 2),   # yellow: cases, none in the community
    (3, 1, 10_000, 3),   # orange: a community case
    (5, 5, 10_000, 4),   # red: 50 community cases/100,000
    (4, 4, 10_000, 3),
]


class Level4800Tests(SimpleTestCase):
    def test_the_table(self):
        for community, coverage, capacity, expected in TABLE_4800:
            inputs = domain.Inputs(population=100_000, community_cases=community, all_cases=community + 7,
                                   coverage=coverage, capacity_met=capacity, capacity_how="statement")
            with self.subTest(community=community, coverage=coverage, capacity=capacity):
                self.assertEqual(domain.evaluate(R4800, inputs).level, expected)

    def test_band_edges_per_100000_with_another_population(self):
        # 10,000 people: 2 cases = 20/100,000 (band 2), 5 = 50 (band 3), 15 = 150 (band 4)
        for cases, band in ((1, 1), (2, 2), (4, 2), (5, 3), (14, 3), (15, 4)):
            outcome = domain.evaluate(R4800, domain.Inputs(population=10_000, community_cases=cases, coverage=HIGH))
            with self.subTest(cases=cases):
                self.assertEqual(outcome.band, band)

    def test_only_community_cases_count_for_4800(self):
        outcome = domain.evaluate(R4800, domain.Inputs(population=100_000, community_cases=0, all_cases=500,
                                                       coverage=HIGH))
        self.assertEqual(outcome.level, 1)

    def test_free_beds_decide_capacity_without_a_statement(self):
        below = domain.Inputs(population=100_000, coverage=HIGH, free_beds_per_100k=19.9, capacity_how="beds")
        enough = domain.Inputs(population=100_000, coverage=HIGH, free_beds_per_100k=20, capacity_how="beds")
        self.assertEqual(domain.evaluate(R4800, below).level, 2)
        self.assertEqual(domain.evaluate(R4800, enough).level, 1)

    def test_cases_without_a_population_count_as_the_top_band(self):
        outcome = domain.evaluate(R4800, domain.Inputs(population=None, community_cases=3, coverage=HIGH))
        self.assertEqual((outcome.band, outcome.level), (4, 3))
        self.assertEqual(domain.evaluate(R4800, domain.Inputs(population=None, coverage=HIGH)).band, 1)


class Level218And2686Tests(SimpleTestCase):
    def test_the_218_table(self):
        for all_cases, oxygen, deaths, coverage, capacity, expected in TABLE_218:
            inputs = domain.Inputs(population=100_000, all_cases=all_cases, oxygen_cases=oxygen, deaths=deaths,
                                   coverage=coverage, capacity_met=capacity)
            with self.subTest(all_cases=all_cases, oxygen=oxygen, deaths=deaths, coverage=coverage):
                self.assertEqual(domain.evaluate(R218, inputs).level, expected)

    def test_the_2686_colours(self):
        for all_cases, community, population, expected in TABLE_2686:
            inputs = domain.Inputs(population=population, all_cases=all_cases, community_cases=community)
            with self.subTest(all_cases=all_cases, community=community):
                self.assertEqual(domain.evaluate(R2686, inputs).level, expected)


class ExplanationTests(SimpleTestCase):
    def explain(self, rules, inputs, language="vi"):
        with translation.override(language):
            return domain.explain(domain.evaluate(rules, inputs))

    def test_the_explanation_says_why_in_vietnamese(self):
        inputs = domain.Inputs(population=100_000, community_cases=63, coverage=HIGH, capacity_met=True)
        self.assertEqual(self.explain(R4800, inputs),
                         "Cấp 3: 63 ca mắc mới trong cộng đồng/100.000 dân trong tuần (bậc 3), "
                         "độ bao phủ vắc xin cao; đáp ứng năng lực điều trị")

    def test_the_explanation_names_a_coverage_shortfall_and_a_raise(self):
        text = self.explain(R4800, domain.Inputs(population=100_000, community_cases=0, coverage=LOW,
                                                 capacity_met=False, capacity_how="statement"))
        self.assertIn("độ bao phủ vắc xin thấp: từ 18 tuổi ít nhất 1 mũi 60% (cần 70%)", text)
        self.assertIn("không đáp ứng năng lực điều trị (theo ghi nhận của Ban chỉ đạo): nâng 1 cấp", text)
        self.assertTrue(text.startswith("Cấp 3:"))

    def test_unknown_coverage_is_said(self):
        text = self.explain(R4800, domain.Inputs(population=100_000))
        self.assertIn("chưa có số liệu bao phủ vắc xin (coi là thấp)", text)
        self.assertIn("chưa có số liệu năng lực điều trị (coi là đáp ứng)", text)

    def test_inputs_round_trip_through_json(self):
        inputs = domain.Inputs(population=5, community_cases=2, coverage=HIGH, capacity_met=False)
        self.assertEqual(domain.Inputs.from_dict(inputs.as_dict() | {"unknown": 1}), inputs)


class RuleSetCheckTests(SimpleTestCase):
    def test_the_shipped_sets_are_valid(self):
        for code, rules in SETS.items():
            with self.subTest(code=code):
                self.assertEqual(domain.rule_set_errors(rules), [])

    def test_broken_sets_are_refused(self):
        broken = [
            {**R4800, "indicators": []},
            {**R4800, "indicators": [{"key": "tweets", "bounds": [1, 2, 3]}]},
            {**R4800, "indicators": [{"key": "deaths", "bounds": [1, 2]}]},
            {**R4800, "matrix": {"high": [1, 2, 3], "low": [2, 3, 4, 4]}},
            {**R4800, "matrix": {"high": [1, 2, 3, 5], "low": [2, 3, 4, 4]}},
            {**R4800, "coverage": {"criteria": [{"group": "18+", "dose": "1", "min_pct": 170}]}},
        ]
        for rules in broken:
            with self.subTest(rules=rules):
                self.assertTrue(domain.rule_set_errors(rules))
