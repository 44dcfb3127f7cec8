"""Transfers keep the stay's plan and move the place in one transaction; release follows the rule
or a named officer's override with a reason."""

import datetime as dt

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.quarantine.models import EndReason, Facility, Placement, PlacementStatus
from chongdich.quarantine.services import placement_release, placement_transfer
from chongdich.quarantine.services_facilities import facility_create
from chongdich.quarantine.tests.base import QuarantineTestCase, on


class TransferTests(QuarantineTestCase):
    def transfer(self, placement, to="camp_b", actor="province_leader", **kw):
        return placement_transfer(actor=self.users[actor], placement=placement,
                                  to_facility=getattr(self, to) if to else None, **kw)

    def test_a_transfer_moves_the_place_and_keeps_start_plan_and_rule(self):
        first = self.admit("An", started_at=on(7, 30))
        moved = self.transfer(first)
        first = self.refresh(first)
        self.assertEqual((first.status, first.end_reason), (PlacementStatus.TRANSFERRED, EndReason.TRANSFERRED))
        self.assertEqual((moved.previous_id, moved.facility_id, moved.status),
                         (first.pk, self.camp_b.pk, PlacementStatus.ACTIVE))
        self.assertEqual((moved.started_on, moved.planned_end_on, moved.monitoring_until, moved.rule_id),
                         (first.started_on, first.planned_end_on, first.monitoring_until, first.rule_id))
        self.assertEqual((self.refresh(self.camp).occupied, self.refresh(self.camp_b).occupied), (0, 1))

    def test_a_transfer_takes_the_destinations_keys(self):
        moved = self.transfer(self.admit("An"))
        self.assertEqual(moved.commune_id, self.units["commune_b1"].pk)

    def test_open_tests_move_with_the_person_and_done_ones_stay(self):
        first = self.admit("An", started_at=on(7, 30))
        done = first.scheduled_tests.get(day=1)
        done.open, done.sample = False, self.sample("An", on(7, 30))
        done.save()
        moved = self.transfer(first)
        self.assertEqual(list(moved.scheduled_tests.values_list("day", "open", "commune_id")),
                         [(7, True, self.units["commune_b1"].pk), (14, True, self.units["commune_b1"].pk)])
        self.assertEqual(list(first.scheduled_tests.values_list("day", flat=True)), [1])

    def test_a_transfer_into_a_full_facility_changes_nothing(self):
        small = facility_create(actor=self.users["province_leader"], commune=self.units["commune_b1"],
                                name="Nhà khách B", kind="quarantine", capacity=1)
        placement_b = self.admit("Giang", actor="province_leader", facility="camp_b")
        placement_transfer(actor=self.users["province_leader"], placement=placement_b, to_facility=small)
        first = self.admit("An")
        with self.assertRaises(Conflict):
            placement_transfer(actor=self.users["province_leader"], placement=first, to_facility=small)
        first = self.refresh(first)
        self.assertEqual(first.status, PlacementStatus.ACTIVE)
        self.assertEqual((self.refresh(self.camp).occupied, Facility.objects.get(pk=small.pk).occupied), (1, 1))
        self.assertEqual(first.scheduled_tests.filter(open=True).count(), 3)

    def test_a_transfer_home_frees_the_place(self):
        moved = self.transfer(self.admit("An"), to=None, actor="commune_officer")
        self.assertEqual((moved.setting, moved.facility_id, self.refresh(self.camp).occupied), ("home", None, 0))

    def test_a_transfer_from_home_takes_a_place(self):
        moved = self.transfer(self.admit("An", facility=None), to="camp", actor="commune_officer")
        self.assertEqual((moved.setting, self.refresh(self.camp).occupied), ("facility", 1))

    def test_a_transfer_to_the_same_facility_is_refused(self):
        with self.assertRaises(InvalidInput):
            self.transfer(self.admit("An"), to="camp")

    def test_an_f1_cannot_be_transferred_into_a_hospital(self):
        with self.assertRaises(InvalidInput):
            self.transfer(self.admit("An"), to="hospital")

    def test_an_officer_cannot_transfer_into_a_facility_outside_their_area(self):
        with self.assertRaises(NotFound):
            self.transfer(self.admit("An"), actor="commune_officer")
        self.assertEqual(self.refresh(self.camp).occupied, 1)

    def test_facility_staff_may_send_someone_home_from_their_facility(self):
        moved = self.transfer(self.admit("An"), to=None, actor="facility_staff")
        self.assertEqual(moved.setting, "home")

    def test_a_transferred_stay_cannot_be_transferred_again(self):
        first = self.admit("An")
        self.transfer(first)
        with self.assertRaises(Conflict):
            self.transfer(first, to=None)


class ReleaseTests(QuarantineTestCase):
    """An in the camp from 19 July: planned end 1 August, release test day 14 = 1 August."""

    def setUp(self):
        super().setUp()
        self.placement = self.admit("An", started_at=on(7, 19))

    def release(self, actor="commune_officer", **kw):
        return placement_release(actor=self.users[actor], placement=self.placement, **kw)

    def test_on_the_last_day_with_a_negative_test_the_rule_releases(self):
        self.freeze(on(8, 1, 17))
        self.sample("An", on(8, 1, 8), "negative")
        done = self.release()
        self.assertEqual((done.status, done.end_reason, done.ended_by),
                         (PlacementStatus.RELEASED, EndReason.COMPLETED, self.users["commune_officer"]))
        self.assertEqual(self.refresh(self.camp).occupied, 0)

    def test_a_negative_pool_counts_as_a_negative_test(self):
        self.pooled_sample("An", on(8, 1, 8), "negative")
        self.assertEqual(self.release().end_reason, EndReason.COMPLETED)

    def test_a_positive_pool_does_not(self):
        self.pooled_sample("An", on(8, 1, 8), "positive")
        with self.assertRaises(Conflict):
            self.release()

    def test_the_day_before_the_end_the_rule_does_not_release(self):
        self.freeze(on(7, 31, 17))
        self.sample("An", on(7, 31, 8), "negative")
        with self.assertRaises(Conflict) as refused:
            self.release()
        self.assertEqual(refused.exception.field, "override_reason")
        self.assertIn("Chưa hết thời gian cách ly", refused.exception.message)

    def test_without_the_negative_test_the_rule_does_not_release(self):
        self.sample("An", on(7, 25, 8), "negative")  # day 7: too early to count for release
        with self.assertRaises(Conflict) as refused:
            self.release()
        self.assertIn("Chưa có kết quả xét nghiệm âm tính", refused.exception.message)
        self.assertEqual(self.refresh(self.placement).status, PlacementStatus.ACTIVE)

    def test_an_epidemiologist_may_override_with_a_reason_recorded_with_their_name(self):
        self.freeze(on(7, 25))
        done = self.release(actor="district_epi", override_reason="Chuyển về cách ly tại nhà theo chỉ đạo")
        self.assertEqual((done.end_reason, done.override_by, done.override_reason),
                         (EndReason.OVERRIDE, self.users["district_epi"], "Chuyển về cách ly tại nhà theo chỉ đạo"))

    def test_an_officer_may_not_override(self):
        with self.assertRaises(PermissionDenied):
            self.release(override_reason="Gia đình xin về")
        self.assertEqual(self.refresh(self.placement).status, PlacementStatus.ACTIVE)

    def test_an_override_needs_a_reason(self):
        with self.assertRaises(Conflict):
            self.release(actor="district_epi", override_reason="   ")

    def test_release_closes_the_open_tests(self):
        self.release(actor="district_epi", override_reason="Lý do")
        self.assertFalse(self.placement.scheduled_tests.filter(open=True).exists())

    def test_a_released_stay_cannot_be_released_again(self):
        self.release(actor="district_epi", override_reason="Lý do")
        with self.assertRaises(Conflict):
            self.release(actor="district_epi", override_reason="Lý do")

    def test_an_outsider_is_told_not_found(self):
        with self.assertRaises(NotFound):
            self.release(actor="outsider", override_reason="Lý do")

    def test_the_release_day_cannot_be_before_the_start(self):
        with self.assertRaises(InvalidInput):
            self.release(actor="district_epi", override_reason="Lý do", at=on(7, 18))

    def test_placements_keep_the_rule_they_started_with_when_a_new_version_comes(self):
        from chongdich.quarantine import domain
        from chongdich.quarantine.services_facilities import rule_set_create

        rule_set_create(actor=self.users["national_epi"], code="THU-2021", name="Thử",
                        legal_source="Văn bản thử", valid_from=dt.date(2021, 7, 20),
                        rules=[domain.Rule("quarantine", "standard", "facility", stay_days=3)])
        self.assertEqual(Placement.objects.get(pk=self.placement.pk).planned_end_on, dt.date(2021, 8, 1))
        self.assertEqual(self.admit("Bình").rule.rule_set.code, "THU-2021")
