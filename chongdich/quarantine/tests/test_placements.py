"""Admitting people: the rule in force, the place taken, who may do it where, F0 and F1."""

import datetime as dt

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.quarantine.models import (
    EndReason,
    Facility,
    Placement,
    PlacementStatus,
    ScheduledTest,
)
from chongdich.quarantine.tests.base import QuarantineTestCase, on


class AdmitTests(QuarantineTestCase):
    def test_an_admission_takes_a_place_and_plans_the_stay_from_the_rule_in_force(self):
        placement = self.admit("An")
        self.assertEqual(self.refresh(self.camp).occupied, 1)
        self.assertEqual(placement.rule.rule_set.code, "CV-5599-BYT-MT-2021")
        self.assertEqual((placement.started_on, placement.planned_end_on, placement.monitoring_until),
                         (dt.date(2021, 8, 2), dt.date(2021, 8, 15), dt.date(2021, 8, 29)))

    def test_an_admission_schedules_the_rules_tests(self):
        placement = self.admit("An")
        tests = list(placement.scheduled_tests.values_list("day", "due_on", "open"))
        self.assertEqual(tests, [(1, dt.date(2021, 8, 2), True), (7, dt.date(2021, 8, 8), True),
                                 (14, dt.date(2021, 8, 15), True)])

    def test_a_placement_carries_the_facilitys_keys(self):
        placement = self.admit("Cường", actor="district_epi")  # lives in A2, placed in the camp in A1
        self.assertEqual(placement.commune_id, self.units["commune_a1"].pk)

    def test_a_home_placement_carries_the_persons_keys(self):
        placement = self.admit("Cường", actor="district_epi", facility=None)
        self.assertEqual((placement.setting, placement.commune_id), ("home", self.units["commune_a2"].pk))
        self.assertEqual(self.refresh(self.camp).occupied, 0)

    def test_a_start_in_the_past_takes_the_rule_in_force_then(self):
        placement = self.admit("An", started_at=on(7, 1))
        self.assertEqual((placement.rule.rule_set.code, placement.rule.stay_days), ("CD-600-BCD-2021", 21))
        self.assertEqual(placement.planned_end_on, dt.date(2021, 7, 21))

    def test_a_start_exactly_on_a_sets_first_day_takes_that_set(self):
        placement = self.admit("An", started_at=on(7, 14, 0))
        self.assertEqual(placement.rule.rule_set.code, "CV-5599-BYT-MT-2021")

    def test_a_start_in_the_future_is_refused(self):
        with self.assertRaises(InvalidInput) as refused:
            self.admit("An", started_at=on(8, 3))
        self.assertEqual(refused.exception.field, "started_at")

    def test_home_quarantine_under_a_set_without_it_is_refused(self):
        with self.assertRaises(InvalidInput) as refused:
            self.admit("An", facility=None, started_at=on(6, 1))
        self.assertEqual(refused.exception.field, "setting")

    def test_the_vaccinated_get_the_standard_rule_when_the_set_has_no_other(self):
        placement = self.admit("An", condition="vaccinated")
        self.assertEqual((placement.rule.condition, placement.rule.stay_days), ("standard", 14))

    def test_a_person_is_placed_once_at_a_time(self):
        self.admit("An")
        with self.assertRaises(Conflict) as refused:
            self.admit("An", facility="camp_b", actor="province_leader")
        self.assertEqual(refused.exception.field, "person")
        self.assertEqual(Facility.objects.get(pk=self.camp_b.pk).occupied, 0)


class OverbookingTests(QuarantineTestCase):
    def test_the_last_place_goes_to_one_person_and_the_next_is_refused(self):
        self.admit("An")
        self.admit("Bình")
        with self.assertRaises(Conflict) as refused:
            self.admit("Dũng")
        self.assertIn("đã hết chỗ", refused.exception.message)
        self.assertEqual(refused.exception.field, "facility")
        camp = self.refresh(self.camp)
        active = Placement.objects.filter(facility=camp, status=PlacementStatus.ACTIVE).count()
        self.assertEqual((camp.occupied, camp.capacity, active), (2, 2, 2))

    def test_a_refused_admission_leaves_no_placement_and_no_tests(self):
        self.admit("An")
        self.admit("Bình")
        with self.assertRaises(Conflict):
            self.admit("Dũng")
        self.assertFalse(Placement.objects.filter(person=self.people["Dũng"]).exists())
        self.assertFalse(ScheduledTest.objects.filter(placement__person=self.people["Dũng"]).exists())

    def test_a_released_place_can_be_taken_again(self):
        from chongdich.quarantine.services import placement_release

        self.admit("An")
        first = self.admit("Bình")
        placement_release(actor=self.users["district_epi"], placement=first, override_reason="Chuyển viện")
        self.assertEqual(self.admit("Dũng").facility_id, self.camp.pk)


class F0Tests(QuarantineTestCase):
    def test_an_f0_is_isolated_in_a_hospital_with_their_case(self):
        case = self.make_f0("An")
        placement = self.admit("An", purpose="isolation", facility="hospital", actor="district_epi")
        self.assertEqual((placement.case_id, placement.rule.stay_days), (case.pk, 10))

    def test_isolation_needs_an_active_case(self):
        with self.assertRaises(InvalidInput) as refused:
            self.admit("An", purpose="isolation", facility="hospital", actor="district_epi")
        self.assertEqual(refused.exception.field, "case")

    def test_an_f0_is_never_put_among_f1_in_a_quarantine_facility(self):
        self.make_f0("An")
        with self.assertRaises(InvalidInput) as refused:
            self.admit("An", purpose="isolation", facility="camp")
        self.assertEqual(refused.exception.field, "facility")

    def test_an_f1_who_becomes_f0_leaves_quarantine_when_admitted_for_treatment(self):
        quarantine = self.admit("An", started_at=on(7, 28))
        self.make_f0("An")
        isolation = self.admit("An", purpose="isolation", facility="hospital", actor="district_epi")
        quarantine = self.refresh(quarantine)
        self.assertEqual((quarantine.status, quarantine.end_reason),
                         (PlacementStatus.RELEASED, EndReason.BECAME_CASE))
        self.assertEqual((self.refresh(self.camp).occupied, self.refresh(self.hospital).occupied), (0, 1))
        self.assertFalse(quarantine.scheduled_tests.filter(open=True).exists())
        self.assertEqual(isolation.status, PlacementStatus.ACTIVE)

    def test_ending_a_quarantine_because_the_person_became_f0_frees_the_place(self):
        from chongdich.quarantine.services import placement_end_became_case

        placement = self.admit("An")
        placement_end_became_case(actor=self.users["commune_officer"], placement=placement)
        self.assertEqual((self.refresh(placement).end_reason, self.refresh(self.camp).occupied),
                         (EndReason.BECAME_CASE, 0))


class AccessTests(QuarantineTestCase):
    def test_an_officer_who_cannot_see_the_person_is_told_not_found(self):
        with self.assertRaises(NotFound):
            self.admit("An", actor="outsider", facility="camp_b")

    def test_an_officer_cannot_place_into_a_facility_outside_their_area(self):
        with self.assertRaises(NotFound):
            self.admit("An", actor="district_epi", facility="camp_b")

    def test_a_viewer_may_not_admit(self):
        with self.assertRaises(PermissionDenied):
            self.admit("An", actor="viewer")

    def test_a_tracer_may_not_admit(self):
        with self.assertRaises(PermissionDenied):
            self.admit("An", actor="tracer", facility=None)

    def test_facility_staff_admit_into_a_facility_of_their_unit(self):
        self.assertEqual(self.admit("An", actor="facility_staff").created_by, self.users["facility_staff"])

    def test_facility_staff_of_another_district_are_told_not_found(self):
        with self.assertRaises(NotFound):
            self.admit("An", actor="facility_staff_b")

    def test_facility_staff_do_not_place_people_at_home(self):
        with self.assertRaises(PermissionDenied):
            self.admit("An", actor="facility_staff", facility=None)
