"""Daily checks, escalations and self-report links through the services."""

import datetime as dt
from decimal import Decimal

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.core.testing import at
from chongdich.monitoring import selectors, services
from chongdich.monitoring.models import (
    CheckSource,
    DailyCheck,
    Escalation,
    EscalationStatus,
    MonitoringRuleSet,
    MonitoringState,
)
from chongdich.monitoring.tests.base import MonitoringWorld
from chongdich.monitoring.tests.factories import home_placement, released_placement


class RecordingChecks(MonitoringWorld):
    def test_a_normal_check_becomes_the_persons_latest(self):
        check = self.check(self.an, temperature="36.7", spo2=98)
        state = MonitoringState.objects.get(person=self.an)
        self.assertEqual((check.level, check.source), ("normal", CheckSource.TEAM))
        self.assertEqual((state.last_check, state.last_spo2, state.last_temperature), (check, 98, Decimal("36.7")))

    def test_a_check_is_classified_by_the_rule_set_in_force_on_its_day(self):
        MonitoringRuleSet.objects.create(code="STRICT", name="x", legal_source="x", valid_from=dt.date(2021, 5, 19),
                                         silence_hours=12, spo2_escalate_below=98, fever_from=Decimal("38.0"),
                                         danger_symptoms=[])
        early = self.check(self.an, spo2=97, checked_at=at(18, 20))
        late = self.check(self.an, spo2=97)
        self.assertEqual((early.level, early.rule_set.code), ("normal", "BYT-879-2020"))
        self.assertEqual((late.level, late.rule_set.code), ("escalate", "STRICT"))

    def test_a_late_entry_does_not_replace_a_newer_check(self):
        newer = self.check(self.an, spo2=98, checked_at=at(20, 8))
        self.check(self.an, spo2=97, checked_at=at(19, 8))
        self.assertEqual(MonitoringState.objects.get(person=self.an).last_check, newer)

    def test_an_officer_enters_checks_as_a_health_worker(self):
        check = self.check(self.an, persona="commune_officer")
        self.assertEqual(check.source, CheckSource.HEALTH)

    def test_someone_not_monitored_at_home_cannot_be_checked(self):
        with self.assertRaises(Conflict) as caught:
            self.check(self.chi)
        self.assertEqual(caught.exception.field, "person")

    def test_someone_released_to_home_monitoring_is_checked_there(self):
        released_placement(self.chi, ended_at=at(19, 10))
        self.assertEqual(self.check(self.chi).person, self.chi)

    def test_home_monitoring_ends_with_its_last_day(self):
        released_placement(self.chi, ended_at=at(1, 10), monitoring_days=14)  # monitored to 15 May
        with self.assertRaises(Conflict):
            self.check(self.chi)

    def test_a_check_in_the_future_is_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.check(self.an, checked_at=at(20, 11))
        self.assertEqual(caught.exception.field, "checked_at")

    def test_a_reading_out_of_range_is_refused_on_its_field(self):
        with self.assertRaises(InvalidInput) as caught:
            self.check(self.an, spo2=120)
        self.assertEqual(caught.exception.field, "spo2")

    def test_an_outsider_does_not_find_the_person(self):
        with self.assertRaises(NotFound):
            self.check(self.an, persona="outsider")

    def test_a_viewer_may_not_record_checks(self):
        with self.assertRaises(PermissionDenied):
            self.check(self.an, persona="viewer")


class Escalations(MonitoringWorld):
    def test_low_spo2_opens_an_escalation_for_the_health_station(self):
        check = self.check(self.an, spo2=94, symptoms=["dyspnoea"])
        escalation = Escalation.objects.get(person=self.an)
        self.assertEqual((escalation.status, escalation.opened_by, escalation.reasons),
                         (EscalationStatus.OPEN, check, ["spo2", "dyspnoea"]))
        self.assertEqual(MonitoringState.objects.get(person=self.an).open_escalation, escalation)

    def test_the_communes_officers_are_notified_of_a_new_escalation_once(self):
        from chongdich.notifications.models import Notification

        self.check(self.an, spo2=94, checked_at=at(20, 7))
        self.check(self.an, spo2=93)
        notified = Notification.objects.filter(event="needs_escalation")
        self.assertEqual([n.recipient for n in notified], [self.users["commune_officer"]])
        self.assertIn(self.an.full_name, notified[0].subject)

    def test_danger_checks_while_open_add_to_the_same_escalation(self):
        self.check(self.an, spo2=94, checked_at=at(20, 7))
        second = self.check(self.an, symptoms=["chest_pain"])
        escalation = Escalation.objects.get(person=self.an)
        self.assertEqual((escalation.check_count, escalation.last_check, escalation.reasons),
                         (2, second, ["spo2", "chest_pain"]))

    def test_a_fever_alone_is_not_escalated(self):
        check = self.check(self.an, temperature="38.9")
        self.assertEqual(check.level, "fever")
        self.assertFalse(Escalation.objects.exists())

    def test_the_station_resolves_with_what_it_did_and_who_did_it(self):
        self.check(self.an, spo2=92)
        escalation = Escalation.objects.get(person=self.an)
        services.escalation_resolve(actor=self.users["commune_officer"], escalation=escalation,
                                    action="moved_tier2", note="Chuyển BV dã chiến số 2", officer_name="BS. Hòa")
        escalation.refresh_from_db()
        self.assertEqual((escalation.status, escalation.officer_name, escalation.action),
                         (EscalationStatus.RESOLVED, "BS. Hòa", "moved_tier2"))
        self.assertIsNone(MonitoringState.objects.get(person=self.an).open_escalation)

    def test_the_officer_is_named_after_the_account_by_default(self):
        self.check(self.an, spo2=92)
        officer = self.users["commune_officer"]
        escalation = services.escalation_resolve(actor=officer, escalation=Escalation.objects.get(person=self.an),
                                                 action="visited", note="Đã khám")
        self.assertEqual(escalation.officer_name, officer.display_name)

    def test_resolving_needs_a_note(self):
        self.check(self.an, spo2=92)
        with self.assertRaises(InvalidInput) as caught:
            services.escalation_resolve(actor=self.users["commune_officer"],
                                        escalation=Escalation.objects.get(person=self.an), action="visited", note=" ")
        self.assertEqual(caught.exception.field, "note")

    def test_an_escalation_is_resolved_once(self):
        self.check(self.an, spo2=92)
        escalation = Escalation.objects.get(person=self.an)
        services.escalation_resolve(actor=self.users["commune_officer"], escalation=escalation,
                                    action="called_115", note="Xe 115 đã đón")
        with self.assertRaises(Conflict):
            services.escalation_resolve(actor=self.users["district_epi"], escalation=escalation,
                                        action="visited", note="Lần nữa")

    def test_a_danger_check_after_resolution_opens_a_new_escalation(self):
        self.check(self.an, spo2=92, checked_at=at(20, 7))
        services.escalation_resolve(actor=self.users["commune_officer"], escalation=Escalation.objects.get(),
                                    action="advised", note="Tư vấn")
        self.check(self.an, spo2=91)
        self.assertEqual(Escalation.objects.filter(person=self.an, status="open").count(), 1)
        self.assertEqual(Escalation.objects.filter(person=self.an).count(), 2)

    def test_a_tracer_may_not_resolve_escalations(self):
        self.check(self.an, spo2=92)
        with self.assertRaises(PermissionDenied):
            services.escalation_resolve(actor=self.users["tracer"], escalation=Escalation.objects.get(),
                                        action="visited", note="x")

    def test_an_outsider_does_not_find_the_escalation(self):
        self.check(self.an, spo2=92)
        with self.assertRaises(NotFound):
            selectors.escalation_get(actor=self.users["outsider"], escalation_id=Escalation.objects.get().pk)


class SelfReport(MonitoringWorld):
    def link(self, person=None):
        return services.report_link_issue(actor=self.users["tracer"], person=person or self.an)

    def test_the_person_reports_through_their_link_without_an_account(self):
        link, key = self.link()
        check = services.check_record_self(token=key, temperature="37.0", spo2=97, symptoms=["cough"])
        self.assertEqual((check.person, check.source, check.report_link, check.recorded_by),
                         (self.an, CheckSource.SELF, link, None))

    def test_only_the_hash_of_the_key_is_kept(self):
        link, key = self.link()
        self.assertNotIn(key, link.key_hash)
        self.assertEqual(link.key_hash, selectors.hash_key(key))

    def test_a_wrong_key_finds_nothing(self):
        self.link()
        with self.assertRaises(NotFound):
            services.check_record_self(token="not-the-key", spo2=97)

    def test_a_new_link_revokes_the_old_one(self):
        _old, old_key = self.link()
        _new, new_key = self.link()
        with self.assertRaises(NotFound):
            services.check_record_self(token=old_key, spo2=97)
        self.assertEqual(services.check_record_self(token=new_key, spo2=97).person, self.an)

    def test_a_link_stops_working_when_monitoring_ends(self):
        _link, key = self.link()
        self.an_at_home.status, self.an_at_home.ended_at, self.an_at_home.end_reason = "released", at(20, 8), "error"
        self.an_at_home.save()
        with self.assertRaises(Conflict):
            services.check_record_self(token=key, spo2=97)

    def test_a_link_accepts_a_few_reports_an_hour(self):
        _link, key = self.link()
        for _ in range(services.SELF_REPORTS_PER_HOUR):
            services.check_record_self(token=key, spo2=97)
        with self.assertRaises(services.TooManyReports):
            services.check_record_self(token=key, spo2=97)
        self.assertEqual(DailyCheck.objects.filter(person=self.an).count(), services.SELF_REPORTS_PER_HOUR)

    def test_a_danger_self_report_is_escalated_like_any_other(self):
        _link, key = self.link()
        services.check_record_self(token=key, symptoms=["confusion"])
        self.assertEqual(Escalation.objects.get(person=self.an).reasons, ["confusion"])

    def test_no_link_for_someone_not_monitored(self):
        with self.assertRaises(Conflict):
            self.link(self.chi)

    def test_an_outsider_cannot_issue_a_link(self):
        with self.assertRaises(NotFound):
            services.report_link_issue(actor=self.users["outsider"], person=self.an)


class BatchChecks(MonitoringWorld):
    def test_each_item_of_a_batch_lands_or_fails_on_its_own(self):
        items = [
            {"person_id": self.an.pk, "spo2": 97},
            {"person_id": self.giang.pk, "spo2": 97},  # commune B1: not in the tracer's area
            {"person_id": self.binh.pk, "spo2": 300},
            {"person_id": self.binh.pk, "temperature": "38.2", "checked_at": at(20, 7)},
        ]
        outcomes = services.check_record_batch(actor=self.users["tracer"], items=items)
        self.assertEqual([o.check is not None for o in outcomes], [True, False, False, True])
        self.assertEqual([type(o.error).__name__ for o in outcomes if o.error], ["NotFound", "InvalidInput"])
        self.assertEqual(DailyCheck.objects.count(), 2)


class MonitoringPeriods(MonitoringWorld):
    def test_an_active_home_placement_is_the_period(self):
        self.assertEqual(selectors.monitoring_period(person_id=self.an.pk, today=dt.date(2021, 5, 20)),
                         self.an_at_home)

    def test_of_two_releases_the_latest_counts(self):
        released_placement(self.chi, ended_at=at(12, 10))
        latest = released_placement(self.chi, ended_at=at(19, 10))
        self.assertEqual(selectors.monitoring_period(person_id=self.chi.pk, today=dt.date(2021, 5, 20)), latest)

    def test_someone_back_in_a_facility_is_not_monitored_at_home(self):
        released = released_placement(self.chi, ended_at=at(12, 10))
        home_placement(self.chi, started_at=at(19, 10), setting="facility", facility=released.facility)
        self.assertIsNone(selectors.monitoring_period(person_id=self.chi.pk, today=dt.date(2021, 5, 20)))

    def test_a_release_because_they_became_a_case_is_not_home_monitoring(self):
        released_placement(self.chi, ended_at=at(19, 10), end_reason="became_case")
        self.assertIsNone(selectors.monitoring_period(person_id=self.chi.pk, today=dt.date(2021, 5, 20)))
