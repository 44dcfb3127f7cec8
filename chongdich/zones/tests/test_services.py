"""Recording, extending and lifting lockdown areas; zone designations; who may do it; the hooks;
people inside."""

from __future__ import annotations

import datetime as dt

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.zones import selectors, services
from chongdich.zones.models import LockdownArea, ZoneDesignation
from chongdich.zones.tests.base import ZonesTestCase, on

RINGS = {"core": 100, "buffer": 300, "watch": 1000}


class PointAreaTests(ZonesTestCase):
    def record(self, actor="commune_officer", **kw):
        data = {"name": "Ngõ 5 thôn Đông", "reason": "Ca F0 cộng đồng", "lat": 21.005, "lon": 105.805,
                "rings": RINGS, "commune": self.units["commune_a1"], "trigger_case": self.case} | kw
        return services.area_record_point(actor=self.users[actor], **data)

    def test_a_commune_officer_records_a_point_with_rings_and_the_hook_hears_of_it(self):
        area = self.record(address="Ngõ 5")
        self.assertEqual(selectors.area_rings(area), RINGS)
        self.assertEqual((area.commune, area.district, area.province),
                         (self.units["commune_a1"], self.units["district_a"], self.units["province"]))
        self.assertEqual(area.starts_at, on(12, 15))
        self.assertIsNone(area.ends_at)
        self.assertEqual(area.trigger_case, self.case)
        self.assertEqual(self.area_calls, [[area.pk]])

    def test_the_commune_is_found_from_the_point_when_not_given(self):
        area = self.record(commune=None, lat=21.01, lon=105.835,
                           candidates=list(selectors.communes_with_boxes(actor=self.users["district_epi"])),
                           actor="district_epi")
        self.assertEqual(area.commune, self.units["commune_a2"])

    def test_a_point_outside_every_box_needs_a_commune(self):
        with self.assertRaises(InvalidInput) as caught:
            self.record(commune=None, lat=22.5, lon=104.0, candidates=[self.units["commune_a1"]])
        self.assertEqual(caught.exception.field, "commune")

    def test_a_point_far_outside_the_chosen_commune_is_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.record(lat=21.01, lon=105.95)
        self.assertEqual(caught.exception.field, "lat")
        self.assertFalse(LockdownArea.objects.exists())
        self.assertEqual(self.area_calls, [])

    def test_rings_out_of_order_are_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.record(rings={"core": 300, "buffer": 200})
        self.assertEqual(caught.exception.field, "buffer_m")

    def test_an_end_before_the_start_is_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.record(starts_at=on(12, 15), ends_at=on(12, 14))
        self.assertEqual(caught.exception.field, "ends_at")

    def test_a_name_and_a_reason_are_required(self):
        for field in ("name", "reason"):
            with self.subTest(field=field), self.assertRaises(InvalidInput) as caught:
                self.record(**{field: "  "})
            self.assertEqual(caught.exception.field, field)

    def test_the_outsider_commune_officer_is_refused_as_not_found(self):
        with self.assertRaises(NotFound):
            self.record(actor="outsider")

    def test_a_tracer_and_a_viewer_may_not_record(self):
        for persona in ("tracer", "viewer"):
            with self.subTest(persona=persona), self.assertRaises(PermissionDenied):
                self.record(actor=persona)

    def test_a_case_the_actor_cannot_see_is_not_found(self):
        with self.assertRaises(NotFound) as caught:
            self.record(trigger_case=self.case_b)
        self.assertEqual(caught.exception.field, "trigger_case")

    def test_people_inside_are_estimated_from_the_commune_density(self):
        population = selectors.area_population(self.record())
        self.assertIsNotNone(population.estimate)
        # 10,000 people on a 4.63 km² box ≈ 2,161 per km²; the 1 km disc ≈ 6,789 people
        self.assertEqual(population.total, 6789)
        self.assertEqual([r.ring for r in population.estimate.rings], ["core", "buffer", "watch"])
        self.assertIn("Ước tính", population.method)


class UnitsAreaTests(ZonesTestCase):
    def record(self, actor="district_epi", **kw):
        data = {"name": "Phong tỏa hai xã", "reason": "Ổ dịch chợ", "units": [self.units["commune_a1"]]} | kw
        return services.area_record_units(actor=self.users[actor], **data)

    def test_two_communes_are_located_at_their_district(self):
        area = self.record(units=[self.units["commune_a1"], self.units["commune_a2"]])
        self.assertEqual((area.province_id, area.district_id, area.commune_id),
                         (self.units["province"].pk, self.units["district_a"].pk, None))
        self.assertEqual(self.area_calls, [[area.pk]])

    def test_each_commune_officer_sees_an_area_covering_their_commune(self):
        area = self.record(units=[self.units["commune_a1"], self.units["commune_a2"]])
        self.assertEqual(selectors.area_get(actor=self.users["commune_officer"], area_id=area.pk), area)
        with self.assertRaises(NotFound):
            selectors.area_get(actor=self.users["outsider"], area_id=area.pk)
        self.assertEqual(list(selectors.area_list(actor=self.users["outsider"])), [])

    def test_communes_of_two_districts_are_located_at_the_province(self):
        area = self.record(actor="province_leader", units=[self.units["commune_a1"], self.units["commune_b1"]])
        self.assertEqual((area.district_id, area.commune_id), (None, None))
        self.assertEqual(selectors.area_get(actor=self.users["outsider"], area_id=area.pk), area)

    def test_a_village_is_located_at_its_commune(self):
        area = self.record(actor="commune_officer", units=[], villages=[self.village_east])
        self.assertEqual(area.commune, self.units["commune_a1"])

    def test_nothing_chosen_is_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.record(units=[])
        self.assertEqual(caught.exception.field, "units")

    def test_a_whole_province_is_not_a_lockdown_area(self):
        with self.assertRaises(InvalidInput):
            self.record(actor="province_leader", units=[self.units["province"]])

    def test_a_village_inside_a_chosen_commune_is_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.record(villages=[self.village_east])
        self.assertEqual(caught.exception.field, "villages")

    def test_a_commune_outside_the_district_is_refused(self):
        with self.assertRaises(NotFound):
            self.record(units=[self.units["commune_a1"], self.units["commune_b1"]])
        self.assertFalse(LockdownArea.objects.exists())

    def test_people_inside_sum_populations_and_count_registered_people(self):
        area = self.record(units=[self.units["commune_a2"]], villages=[self.village_east])
        population = selectors.area_population(area)
        self.assertEqual(population.total, 6_000 + 1_200)
        self.assertIsNone(population.estimate)
        self.assertEqual(population.registered, 1)  # Nguyễn Văn Ca lives in Thôn Đông

    def test_a_district_counts_as_the_sum_of_its_communes(self):
        area = self.record(units=[self.units["district_a"]])
        self.assertEqual(selectors.area_population(area).total, 16_000)

    def test_places_without_population_are_named(self):
        area = self.record(units=[], villages=[self.village_west])
        population = selectors.area_population(area)
        self.assertEqual(population.total, 0)
        self.assertEqual(len(population.missing), 1)
        self.assertIn("Thôn Tây", population.missing[0])


class ExtendLiftTests(ZonesTestCase):
    def setUp(self):
        super().setUp()
        self.area = services.area_record_units(actor=self.users["commune_officer"], name="Thôn Đông",
                                               reason="F0", villages=[self.village_east],
                                               starts_at=on(12, 10), ends_at=on(12, 24))

    def test_extend_to_a_later_end_or_open(self):
        services.area_extend(actor=self.users["commune_officer"], area=self.area, ends_at=on(12, 31))
        self.assertEqual(LockdownArea.objects.get().ends_at, on(12, 31))
        services.area_extend(actor=self.users["commune_officer"], area=self.area, ends_at=None)
        self.assertIsNone(LockdownArea.objects.get().ends_at)

    def test_extend_to_an_earlier_end_is_refused(self):
        with self.assertRaises(InvalidInput):
            services.area_extend(actor=self.users["commune_officer"], area=self.area, ends_at=on(12, 20))

    def test_lift_with_a_reason_ends_it_now(self):
        services.area_lift(actor=self.users["commune_officer"], area=self.area, reason="Hết 14 ngày không ca mới")
        area = LockdownArea.objects.get()
        self.assertEqual((area.ends_at, area.lifted_reason), (on(12, 15), "Hết 14 ngày không ca mới"))
        self.assertEqual(selectors.area_state(area), "ended")

    def test_lifting_twice_conflicts_and_extending_a_lifted_area_too(self):
        services.area_lift(actor=self.users["commune_officer"], area=self.area, reason="Xong")
        with self.assertRaises(Conflict):
            services.area_lift(actor=self.users["commune_officer"], area=self.area, reason="Lại")
        with self.assertRaises(Conflict):
            services.area_extend(actor=self.users["commune_officer"], area=self.area, ends_at=None)

    def test_lift_needs_a_reason_and_a_moment_after_the_start(self):
        with self.assertRaises(InvalidInput):
            services.area_lift(actor=self.users["commune_officer"], area=self.area, reason="")
        with self.assertRaises(InvalidInput):
            services.area_lift(actor=self.users["commune_officer"], area=self.area, reason="x", at=on(12, 9))

    def test_the_outsider_and_the_viewer_may_not_lift(self):
        with self.assertRaises(NotFound):
            services.area_lift(actor=self.users["outsider"], area=self.area, reason="x")
        with self.assertRaises(PermissionDenied):
            services.area_lift(actor=self.users["viewer"], area=self.area, reason="x")
        self.assertIsNone(LockdownArea.objects.get().lifted_reason or None)


class DesignationTests(ZonesTestCase):
    def designate(self, colour="red", starts_on=dt.date(2021, 12, 1), actor="district_epi", **kw):
        data = {"units": [self.units["commune_a1"]]} | kw
        return services.zone_designate(actor=self.users[actor], colour=colour, starts_on=starts_on, **data)

    def test_designations_are_recorded_and_the_hook_hears_of_them(self):
        created = self.designate(units=[self.units["commune_a1"], self.units["commune_a2"]],
                                 villages=[self.village_east], trigger_case=self.case, reason="Ổ dịch")
        self.assertEqual(len(created), 3)
        self.assertEqual(self.zone_calls, [[d.pk for d in created]])
        village = ZoneDesignation.objects.get(village=self.village_east)
        self.assertEqual(village.unit, self.units["commune_a1"])

    def test_a_new_designation_ends_the_previous_one_the_day_before(self):
        self.designate("red", dt.date(2021, 12, 1))
        self.designate("orange", dt.date(2021, 12, 10))
        rows = list(ZoneDesignation.objects.order_by("starts_on").values_list("colour", "starts_on", "ends_on"))
        self.assertEqual(rows, [("red", dt.date(2021, 12, 1), dt.date(2021, 12, 9)),
                                ("orange", dt.date(2021, 12, 10), None)])
        in_force = selectors.designation_list(actor=self.users["commune_officer"],
                                              filters=selectors.DesignationFilters(on=dt.date(2021, 12, 5)))
        self.assertEqual([d.colour for d in in_force], ["red"])

    def test_a_designation_that_ended_before_is_left_alone(self):
        self.designate("red", dt.date(2021, 12, 1), ends_on=dt.date(2021, 12, 3))
        self.designate("green", dt.date(2021, 12, 10))
        self.assertEqual(ZoneDesignation.objects.get(colour="red").ends_on, dt.date(2021, 12, 3))

    def test_a_designation_from_the_same_day_or_earlier_conflicts(self):
        self.designate("red", dt.date(2021, 12, 10))
        for day in (dt.date(2021, 12, 10), dt.date(2021, 12, 5)):
            with self.subTest(day=day), self.assertRaises(Conflict):
                self.designate("yellow", day)
        self.assertEqual(ZoneDesignation.objects.count(), 1)

    def test_invalid_colour_and_period_are_refused(self):
        with self.assertRaises(InvalidInput):
            self.designate("purple")
        with self.assertRaises(InvalidInput):
            self.designate(ends_on=dt.date(2021, 11, 30))
        with self.assertRaises(InvalidInput):
            self.designate(units=[])

    def test_the_outsider_is_refused_and_sees_none(self):
        self.designate()
        with self.assertRaises(NotFound):
            self.designate(actor="outsider", starts_on=dt.date(2021, 12, 5))
        self.assertEqual(list(selectors.designation_list(actor=self.users["outsider"])), [])
        self.assertEqual(len(selectors.designation_list(actor=self.users["commune_officer"])), 1)
