"""Facilities: who may create and change them, places that can never be fewer than the people
inside, closing, and the counter rebuilt from placements."""

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.quarantine.models import Facility, FacilityStatus, Placement
from chongdich.quarantine.services_facilities import (
    facility_close,
    facility_create,
    facility_recount,
    facility_update,
)
from chongdich.quarantine.tests.base import QuarantineTestCase


class FacilityCreateTests(QuarantineTestCase):
    def create(self, actor="commune_officer", commune="commune_a1", **kw):
        data = {"name": "Trường tiểu học Đồng Tâm", "kind": "quarantine", "capacity": 120} | kw
        return facility_create(actor=self.users[actor], commune=self.units[commune], **data)

    def test_an_officer_creates_a_facility_in_their_commune_with_the_communes_keys(self):
        facility = self.create()
        self.assertEqual((facility.commune_id, facility.district_id, facility.province_id),
                         (self.units["commune_a1"].pk, self.units["district_a"].pk, self.units["province"].pk))
        self.assertEqual((facility.occupied, facility.status), (0, FacilityStatus.READY))

    def test_codes_are_numbered_per_province(self):
        first, second = self.create(), self.create(name="Nhà văn hoá thôn 2")
        number = int(first.code.rsplit("-", 1)[1])
        self.assertEqual(second.code, f"CS{self.units['province'].code}-{number + 1:04d}")

    def test_an_officer_of_another_commune_is_told_not_found(self):
        with self.assertRaises(NotFound):
            self.create(actor="outsider")

    def test_a_viewer_may_not_create_a_facility(self):
        with self.assertRaises(PermissionDenied):
            self.create(actor="viewer")

    def test_facility_staff_do_not_create_facilities(self):
        with self.assertRaises(PermissionDenied):
            self.create(actor="facility_staff")

    def test_a_quarantine_facility_has_no_treatment_tier(self):
        with self.assertRaises(InvalidInput) as refused:
            self.create(tier=1)
        self.assertEqual(refused.exception.field, "tier")

    def test_a_hospital_needs_its_tier(self):
        with self.assertRaises(InvalidInput) as refused:
            self.create(kind="hospital")
        self.assertEqual(refused.exception.field, "tier")

    def test_a_facility_needs_places(self):
        with self.assertRaises(InvalidInput) as refused:
            self.create(capacity=0)
        self.assertEqual(refused.exception.field, "capacity")

    def test_a_code_already_used_is_a_conflict(self):
        self.create(code="KTX-01")
        with self.assertRaises(Conflict):
            self.create(code="KTX-01")


class CapacityTests(QuarantineTestCase):
    def test_places_cannot_drop_below_the_people_inside(self):
        self.admit("An")
        self.admit("Bình")
        with self.assertRaises(Conflict) as refused:
            facility_update(actor=self.users["commune_officer"], facility=self.camp, capacity=1)
        self.assertEqual(refused.exception.field, "capacity")
        self.assertEqual(Facility.objects.get(pk=self.camp.pk).capacity, 2)

    def test_places_may_drop_to_the_people_inside(self):
        self.admit("An")
        facility_update(actor=self.users["commune_officer"], facility=self.camp, capacity=1)
        self.assertEqual(self.refresh(self.camp).capacity, 1)

    def test_a_change_from_a_stale_copy_keeps_the_counter(self):
        stale = Facility.objects.get(pk=self.camp.pk)
        self.admit("An")
        facility_update(actor=self.users["commune_officer"], facility=stale, capacity=50, name="KTX mới")
        self.assertEqual(Facility.objects.get(pk=self.camp.pk).occupied, 1)

    def test_a_facility_with_people_keeps_its_kind(self):
        self.admit("An")
        with self.assertRaises(Conflict):
            facility_update(actor=self.users["commune_officer"], facility=self.camp, kind="field_hospital", tier=1)

    def test_an_outsider_cannot_change_a_facility(self):
        with self.assertRaises(NotFound):
            facility_update(actor=self.users["outsider"], facility=self.camp, capacity=50)


class CloseTests(QuarantineTestCase):
    def test_an_empty_facility_can_be_closed(self):
        facility_close(actor=self.users["commune_officer"], facility=self.camp)
        self.assertEqual(self.refresh(self.camp).status, FacilityStatus.CLOSED)

    def test_a_facility_with_people_inside_cannot_be_closed(self):
        self.admit("An")
        with self.assertRaises(Conflict):
            facility_close(actor=self.users["commune_officer"], facility=self.camp)
        self.assertNotEqual(self.refresh(self.camp).status, FacilityStatus.CLOSED)

    def test_a_closed_facility_admits_nobody(self):
        facility_close(actor=self.users["commune_officer"], facility=self.camp)
        with self.assertRaises(Conflict):
            self.admit("An")
        self.assertFalse(Placement.objects.exists())

    def test_a_closed_facility_can_be_opened_again(self):
        facility_close(actor=self.users["commune_officer"], facility=self.camp)
        facility_update(actor=self.users["commune_officer"], facility=self.camp, status=FacilityStatus.READY)
        self.assertEqual(self.admit("An").facility_id, self.camp.pk)


class RecountTests(QuarantineTestCase):
    def test_the_first_admission_makes_a_ready_facility_active(self):
        self.admit("An")
        self.assertEqual(self.refresh(self.camp).status, FacilityStatus.ACTIVE)

    def test_a_recount_repairs_a_counter_that_drifted_and_reports_it(self):
        self.admit("An")
        Facility.objects.filter(pk=self.camp.pk).update(occupied=0)
        drift = facility_recount()
        self.assertEqual(drift, {self.camp.pk: (0, 1)})
        self.assertEqual(self.refresh(self.camp).occupied, 1)

    def test_a_recount_of_correct_counters_finds_nothing(self):
        self.admit("An")
        self.admit("Giang", actor="province_leader", facility="camp_b")
        self.assertEqual(facility_recount(), {})

    def test_the_recount_command_reports_the_drift(self):
        from io import StringIO

        from django.core.management import call_command

        self.admit("An")
        Facility.objects.filter(pk=self.camp.pk).update(occupied=0)
        out = StringIO()
        call_command("quarantine_recount", stdout=out)
        self.assertIn("0 → 1", out.getvalue())
