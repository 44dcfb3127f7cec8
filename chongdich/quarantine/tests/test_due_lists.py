"""Scheduled tests: due lists scoped to the actor, done when the testing app reports a sample;
releases due; rule-set versions added as data."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chongdich.core.errors import Conflict, InvalidInput, PermissionDenied
from chongdich.quarantine import domain
from chongdich.quarantine.models import ScheduledTest
from chongdich.quarantine.selectors import due_test_list, release_due_list, rule_for_placement
from chongdich.quarantine.services_facilities import rule_set_create
from chongdich.quarantine.tests.base import QuarantineTestCase, on
from chongdich.testing import hooks


class DueListTests(QuarantineTestCase):
    """An (camp, A1) from 20 July: tests due 20/7, 26/7, 2/8. Giang (camp B) from 2 August."""

    def setUp(self):
        super().setUp()
        self.an = self.admit("An", started_at=on(7, 20))
        self.giang = self.admit("Giang", actor="province_leader", facility="camp_b")

    def due(self, actor="province_leader", on_day=dt.date(2021, 8, 2)):
        return [(t.placement.person.full_name, t.day) for t in due_test_list(actor=self.users[actor], on=on_day)]

    def test_the_due_list_shows_open_tests_due_by_the_day_most_overdue_first(self):
        self.assertEqual(self.due(), [("An", 1), ("An", 7), ("An", 14), ("Giang", 1)])

    def test_tests_due_later_are_not_on_the_list(self):
        self.assertEqual(self.due(on_day=dt.date(2021, 7, 26)), [("An", 1), ("An", 7)])

    def test_each_area_sees_only_its_own_due_tests(self):
        self.assertEqual(self.due(actor="commune_officer"), [("An", 1), ("An", 7), ("An", 14)])
        self.assertEqual(self.due(actor="outsider"), [("Giang", 1)])

    def test_facility_staff_see_the_due_tests_of_their_unit(self):
        self.assertEqual(self.due(actor="facility_staff_b"), [("Giang", 1)])

    def test_the_due_list_is_one_query(self):
        with CaptureQueriesContext(connection) as queries:
            rows = list(due_test_list(actor=self.users["province_leader"], on=dt.date(2021, 8, 2)))
            [(t.placement.person.full_name, t.placement.facility) for t in rows]
        self.assertEqual(len(queries), 1)

    def test_a_sample_taken_on_the_due_day_marks_that_test_done(self):
        sample = self.sample("Giang", on(8, 2, 8))
        hooks.run_sample_taken([sample.pk])
        test = self.giang.scheduled_tests.get(day=1)
        self.assertEqual((test.open, test.sample_id), (False, sample.pk))

    def test_a_late_sample_also_settles_the_overdue_tests_before_it(self):
        sample = self.sample("An", on(7, 27))
        hooks.run_sample_taken([sample.pk])
        self.assertEqual(list(self.an.scheduled_tests.values_list("day", "open")),
                         [(1, False), (7, False), (14, True)])

    def test_a_sample_taken_before_the_due_day_does_not_count(self):
        sample = self.sample("An", on(7, 25))
        hooks.run_sample_taken([sample.pk])
        self.assertEqual(list(self.an.scheduled_tests.filter(open=True).values_list("day", flat=True)), [7, 14])

    def test_a_sample_of_someone_not_in_quarantine_changes_nothing(self):
        sample = self.sample("Bình", on(8, 2))
        hooks.run_sample_taken([sample.pk])
        self.assertEqual(ScheduledTest.objects.filter(open=False).count(), 0)

    def test_a_batch_of_samples_settles_everyones_tests_at_once(self):
        ids = [self.sample("An", on(8, 2)).pk, self.sample("Giang", on(8, 2)).pk]
        with CaptureQueriesContext(connection) as queries:
            hooks.run_sample_taken(ids)
        self.assertEqual(self.due(), [])
        self.assertLessEqual(len(queries), 4)

    def test_a_sample_taken_through_the_testing_service_marks_the_test_done(self):
        from chongdich.testing.services import sample_take

        sample = sample_take(actor=self.users["province_leader"], person=self.people["Giang"],
                             taken_at=on(8, 2, 8), reason="quarantine")
        self.assertEqual(self.giang.scheduled_tests.get(day=1).sample_id, sample.pk)

    def test_the_hook_is_registered_by_the_app(self):
        from chongdich.quarantine.services import scheduled_tests_after_samples

        self.assertEqual(hooks.sample_taken_hooks.count(scheduled_tests_after_samples), 1)

    def test_an_admission_after_the_fact_counts_samples_already_taken(self):
        sample = self.sample("Bình", on(7, 30, 8))
        placement = self.admit("Bình", started_at=on(7, 30, 7))
        self.assertEqual(placement.scheduled_tests.get(day=1).sample_id, sample.pk)


class ReleasesDueTests(QuarantineTestCase):
    def test_releases_due_are_the_stays_whose_planned_end_is_reached(self):
        ended = self.admit("An", started_at=on(7, 19))  # ends 1/8
        self.admit("Bình", started_at=on(7, 20))  # ends 2/8
        self.admit("Dũng", facility=None, started_at=on(7, 21))  # ends 3/8
        due = release_due_list(actor=self.users["commune_officer"], on=dt.date(2021, 8, 2))
        self.assertEqual([p.person.full_name for p in due], ["An", "Bình"])
        self.assertEqual(due.first().pk, ended.pk)


class RuleSetTests(QuarantineTestCase):
    RULES = [domain.Rule("quarantine", "standard", "facility", stay_days=10, monitoring_days=4, test_days=(1, 10))]

    def create(self, actor="national_epi", **kw):
        data = {"code": "THU-2022", "name": "Thử", "legal_source": "Công văn thử 1/BYT", "rules": self.RULES,
                "valid_from": dt.date(2022, 1, 10)} | kw
        return rule_set_create(actor=self.users[actor], **data)

    def test_a_leader_adds_a_version_that_applies_from_its_date(self):
        self.create()
        before, _rule = rule_for_placement(on=dt.date(2022, 1, 9), purpose="quarantine",
                                           condition="standard", setting="facility")
        after, rule = rule_for_placement(on=dt.date(2022, 1, 10), purpose="quarantine",
                                         condition="standard", setting="facility")
        self.assertEqual((before.code, after.code, rule.stay_days), ("CV-10696-BYT-MT-2021", "THU-2022", 10))

    def test_a_new_version_records_who_added_it(self):
        self.assertEqual(self.create().created_by, self.users["national_epi"])

    def test_an_officer_may_not_add_a_version(self):
        with self.assertRaises(PermissionDenied):
            self.create(actor="commune_officer")

    def test_a_provinces_leader_may_not_add_a_version_for_the_whole_country(self):
        with self.assertRaises(PermissionDenied):
            self.create(actor="province_leader")

    def test_a_version_needs_its_legal_source(self):
        with self.assertRaises(InvalidInput) as refused:
            self.create(legal_source=" ")
        self.assertEqual(refused.exception.field, "legal_source")

    def test_a_version_with_a_bad_rule_is_refused(self):
        with self.assertRaises(InvalidInput) as refused:
            self.create(rules=[domain.Rule("quarantine", "standard", "facility", stay_days=5, test_days=(7,))])
        self.assertEqual(refused.exception.field, "test_days")

    def test_two_versions_cannot_start_on_the_same_day(self):
        with self.assertRaises(Conflict):
            self.create(valid_from=dt.date(2021, 12, 16))
