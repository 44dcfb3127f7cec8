"""Matching rules as tables: margins, open visits, the window, de-duplication (no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from chongdich.venues import domain

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RULE = domain.Rule(margin_minutes=60, kind_margins={"bus": 15}, default_stay_minutes=60,
                   max_stay_minutes=720)
KINDS = {1: "factory", 2: "bus"}


def t(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2021, 5, day, hour, minute, tzinfo=TZ)


WINDOW = (t(8, 0), t(10, 8))
F0 = 100


class MatchTable(SimpleTestCase):
    # (what, the F0's visit (venue, in, out), the other's visit (venue, in, out), expected
    #  (overlap, gap) or None for no match)
    CASES = [
        ("same hour, overlapping", (1, t(9, 8), t(9, 9)), (1, t(9, 8, 30), t(9, 10)), (30, 0)),
        ("exactly 60 minutes after", (1, t(9, 8), t(9, 9)), (1, t(9, 10), t(9, 11)), (0, 60)),
        ("61 minutes after", (1, t(9, 8), t(9, 9)), (1, t(9, 10, 1), t(9, 11)), None),
        ("exactly 60 minutes before", (1, t(9, 8), t(9, 9)), (1, t(9, 6), t(9, 7)), (0, 60)),
        ("other venue", (1, t(9, 8), t(9, 9)), (2, t(9, 8), t(9, 9)), None),
        ("open-ended F0 visit lasts 60 min", (1, t(9, 8), None), (1, t(9, 8, 30), t(9, 10)), (30, 0)),
        ("open-ended other visit", (1, t(9, 8), t(9, 9)), (1, t(9, 6, 30), None), (0, 30)),
        ("both open-ended, 2 h apart", (1, t(9, 8), None), (1, t(9, 10), None), (0, 60)),
        ("bus margin is 15 min", (2, t(9, 8), t(9, 9)), (2, t(9, 9, 20), t(9, 10)), None),
        ("bus, 15 min apart", (2, t(9, 8), t(9, 9)), (2, t(9, 9, 15), t(9, 10)), (0, 15)),
        ("forgotten check-out capped at 12 h", (1, t(9, 6), t(9, 23, 59)), (1, t(9, 19, 30), None), None),
        ("visit before the window", (1, t(7, 8), t(7, 9)), (1, t(7, 8), t(7, 9)), None),
        ("visit after isolation", (1, t(10, 9), t(10, 10)), (1, t(10, 9), t(10, 10)), None),
        ("visit across the window start", (1, t(7, 23, 30), t(8, 0, 30)), (1, t(7, 23), t(8, 1)), (60, 0)),
    ]

    def test_table(self):
        for what, (venue, s_in, s_out), (o_venue, o_in, o_out), expected in self.CASES:
            with self.subTest(what):
                visits = [domain.Visit(F0, venue, s_in, s_out), domain.Visit(7, o_venue, o_in, o_out)]
                found = domain.match_visits(F0, visits, window=WINDOW, rule=RULE, kinds=KINDS)
                got = (found[0].overlap_minutes, found[0].gap_minutes) if found else None
                self.assertEqual(got, expected)

    def test_the_same_person_twice_is_one_proposal_with_both_visits(self):
        visits = [domain.Visit(F0, 1, t(9, 8), t(9, 9)), domain.Visit(F0, 1, t(9, 17), t(9, 18)),
                  domain.Visit(7, 1, t(9, 8, 50), t(9, 9, 30)), domain.Visit(7, 1, t(9, 17), t(9, 18)),
                  domain.Visit(8, 1, t(9, 12), t(9, 13))]
        drafts = domain.proposals_from(domain.match_visits(F0, visits, window=WINDOW, rule=RULE, kinds=KINDS))
        self.assertEqual(set(drafts), {7})
        self.assertEqual(len(drafts[7].evidence), 2)
        self.assertEqual(drafts[7].best.overlap_minutes, 60)
        self.assertEqual(drafts[7].last_visit_at, t(9, 18))

    def test_people_already_decided_are_skipped(self):
        visits = [domain.Visit(F0, 1, t(9, 8), t(9, 9)), domain.Visit(7, 1, t(9, 8), t(9, 9))]
        matches = domain.match_visits(F0, visits, window=WINDOW, rule=RULE, kinds=KINDS)
        self.assertEqual(domain.proposals_from(matches, skip=[7]), {})

    def test_the_source_is_never_its_own_contact(self):
        visits = [domain.Visit(F0, 1, t(9, 8), t(9, 9)), domain.Visit(F0, 1, t(9, 8, 30), t(9, 9))]
        self.assertEqual(domain.match_visits(F0, visits, window=WINDOW, rule=RULE, kinds=KINDS), [])


class WindowTable(SimpleTestCase):
    CONFIRMED = t(10, 8)
    # (what, onset, first sample, isolated at, expected (start, end))
    CASES = [
        ("onset: 2 days before it", dt.date(2021, 5, 7), None, None, (t(5, 0), t(10, 8))),
        ("no onset: 2 days before sampling", None, t(9, 15), None, (t(7, 0), t(10, 8))),
        ("no onset, no sample: before confirmation", None, None, None, (t(8, 0), t(10, 8))),
        ("isolated before confirmation ends it", dt.date(2021, 5, 7), None, t(8, 10), (t(5, 0), t(8, 10))),
        ("a placement after confirmation changes nothing", None, None, t(10, 9), (t(8, 0), t(10, 8))),
    ]

    def test_table(self):
        for what, onset, sample, isolated, expected in self.CASES:
            with self.subTest(what):
                self.assertEqual(domain.infectious_window(
                    confirmed_at=self.CONFIRMED, onset_on=onset, first_sample_at=sample,
                    isolated_at=isolated, rule=RULE, tz=TZ), expected)


class RuleTable(SimpleTestCase):
    def test_margin_per_kind_is_never_wider(self):
        rule = domain.Rule(margin_minutes=60, kind_margins={"bus": 15, "market": 90})
        self.assertEqual([rule.margin_for(k) for k in ("bus", "market", "office")], [15, 60, 60])

    def test_rule_errors(self):
        self.assertEqual(domain.rule_errors(RULE), [])
        self.assertTrue(domain.rule_errors(domain.Rule(margin_minutes=0)))
        self.assertTrue(domain.rule_errors(domain.Rule(kind_margins={"bus": 90})))
        self.assertTrue(domain.rule_errors(domain.Rule(default_stay_minutes=800)))

    def test_codes_use_an_unambiguous_alphabet(self):
        codes = {domain.new_venue_code() for _ in range(50)}
        self.assertEqual(len(codes), 50)
        self.assertTrue(all(set(c) <= set(domain.CODE_ALPHABET) and len(c) == 10 for c in codes))

    def test_open_visit_and_capped_visit(self):
        self.assertEqual(domain.visit_end(t(9, 8), None, RULE), t(9, 9))
        self.assertEqual(domain.visit_end(t(9, 8), t(10, 8), RULE), t(9, 20))
        self.assertEqual(domain.visit_end(t(9, 8), t(9, 7), RULE), t(9, 8))
