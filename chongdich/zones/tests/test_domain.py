"""Pure rules of zoning, as tables: rings, ring areas, population estimates, the commune of a
point, weeks. No database."""

from __future__ import annotations

import datetime as dt
import math

from django.test import SimpleTestCase

from chongdich.core.errors import InvalidInput
from chongdich.zones import domain

# A commune box of 0.02° × 0.02° at the equator-ish latitude 21°: 2.2264 km × 2.0785 km.
BOX = [21.00, 105.80, 21.02, 105.82]
BOX_KM2 = (0.02 * 111.32) * (0.02 * 111.32 * math.cos(math.radians(21.01)))


class RingValidationTests(SimpleTestCase):
    VALID = [  # given → kept
        ({"core": 100}, {"core": 100}),
        ({"core": 100, "buffer": 300}, {"core": 100, "buffer": 300}),
        ({"core": 100, "buffer": 300, "watch": 1000}, {"core": 100, "buffer": 300, "watch": 1000}),
        ({"core": 100, "buffer": None, "watch": 1000}, {"core": 100, "watch": 1000}),
        ({"core": 1, "buffer": 2, "watch": domain.MAX_RADIUS_M}, {"core": 1, "buffer": 2, "watch": 20_000}),
    ]
    INVALID = [  # given → the field named in the error
        ({}, "core_m"),
        ({"buffer": 300}, "core_m"),
        ({"core": 0}, "core_m"),
        ({"core": -5}, "core_m"),
        ({"core": 100, "buffer": 100}, "buffer_m"),  # equal is not larger
        ({"core": 300, "buffer": 100}, "buffer_m"),
        ({"core": 100, "buffer": 300, "watch": 200}, "watch_m"),
        ({"core": 100, "watch": 50}, "watch_m"),
        ({"core": 100, "watch": domain.MAX_RADIUS_M + 1}, "watch_m"),
        ({"core": 100, "moat": 300}, "rings"),
        ({"core": 1.5}, "core_m"),
    ]

    def test_valid_rings_are_kept_in_order(self):
        for given, kept in self.VALID:
            with self.subTest(given=given):
                self.assertEqual(domain.validate_rings(given), kept)
                self.assertEqual(list(domain.validate_rings(given)), [r for r in domain.RING_ORDER if r in kept])

    def test_invalid_rings_are_refused_on_their_field(self):
        for given, field in self.INVALID:
            with self.subTest(given=given), self.assertRaises(InvalidInput) as caught:
                domain.validate_rings(given)
            self.assertEqual(caught.exception.field, field)


class RingAreaTests(SimpleTestCase):
    TABLE = [  # rings → area of each ring in km²
        ({"core": 1000}, {"core": math.pi}),
        ({"core": 100, "buffer": 300}, {"core": math.pi * 0.01, "buffer": math.pi * (0.09 - 0.01)}),
        ({"core": 100, "buffer": 300, "watch": 1000},
         {"core": math.pi * 0.01, "buffer": math.pi * 0.08, "watch": math.pi * (1 - 0.09)}),
        ({"core": 200, "watch": 500}, {"core": math.pi * 0.04, "watch": math.pi * (0.25 - 0.04)}),
    ]

    def test_each_ring_is_its_annulus(self):
        for rings, expected in self.TABLE:
            with self.subTest(rings=rings):
                got = domain.ring_areas_km2(rings)
                self.assertEqual(list(got), list(expected))
                for ring, area in expected.items():
                    self.assertAlmostEqual(got[ring], area, places=9)

    def test_the_rings_add_up_to_the_outer_disc(self):
        got = domain.ring_areas_km2({"core": 150, "buffer": 400, "watch": 1200})
        self.assertAlmostEqual(sum(got.values()), domain.disc_area_km2(1200), places=9)


class BoxAreaTests(SimpleTestCase):
    TABLE = [
        (BOX, BOX_KM2),
        ([0, 0, 1, 1], 111.32 * 111.32 * math.cos(math.radians(0.5))),
        ([21.0, 105.8, 21.0, 105.9], None),  # no height
        (None, None),
        ([1, 2, 3], None),
    ]

    def test_box_areas(self):
        for bbox, expected in self.TABLE:
            with self.subTest(bbox=bbox):
                got = domain.bbox_area_km2(bbox)
                if expected is None:
                    self.assertIsNone(got)
                else:
                    self.assertAlmostEqual(got, expected, places=6)


class PointEstimateTests(SimpleTestCase):
    def test_people_in_each_ring_are_density_times_ring_area(self):
        population = 10_000
        density = population / BOX_KM2  # ≈ 2,161 people per km²
        estimate = domain.estimate_point({"core": 100, "buffer": 300, "watch": 1000},
                                         population=population, bbox=BOX, commune_name="Xã Thử")
        self.assertAlmostEqual(estimate.density_per_km2, round(density, 1))
        rows = [(r.ring, r.radius_m, r.people, r.people_within) for r in estimate.rings]
        core = density * math.pi * 0.01
        buffer = density * math.pi * 0.08
        watch = density * math.pi * 0.91
        self.assertEqual(rows, [
            ("core", 100, round(core), round(core)),
            ("buffer", 300, round(buffer), round(core + buffer)),
            ("watch", 1000, round(watch), round(core + buffer + watch)),
        ])
        self.assertEqual(estimate.total, round(density * math.pi))  # the whole 1 km disc: ≈ 6,789
        self.assertIn("Ước tính", estimate.method)
        self.assertIn("Xã Thử", estimate.method)

    def test_no_estimate_without_population_or_box(self):
        for population, bbox in ((None, BOX), (0, BOX), (10_000, None), (10_000, [21, 105, 21, 105])):
            with self.subTest(population=population, bbox=bbox):
                estimate = domain.estimate_point({"core": 100}, population=population, bbox=bbox, commune_name="X")
                self.assertIsNone(estimate.total)
                self.assertEqual(estimate.rings, [])
                self.assertIn("Không ước tính được", estimate.method)

    def test_units_population_sums_known_and_lists_unknown(self):
        places = [domain.PlacePopulation("A", 1200), domain.PlacePopulation("B", None),
                  domain.PlacePopulation("C", 800), domain.PlacePopulation("D", 0)]
        self.assertEqual(domain.units_population(places), (2000, ["B", "D"]))
        self.assertEqual(domain.units_population([]), (0, []))


class PointPlaceTests(SimpleTestCase):
    COMMUNES = [
        domain.CommuneBox(1, 21.01, 105.81, [21.00, 105.80, 21.02, 105.82]),
        domain.CommuneBox(2, 21.025, 105.825, [21.015, 105.815, 21.05, 105.85]),  # overlaps box 1
        domain.CommuneBox(3, None, None, None),
    ]
    TABLE = [  # point → commune
        ((21.005, 105.805), 1),
        ((21.04, 105.84), 2),
        ((21.017, 105.817), 1),  # in both boxes, nearer the centre of 1
        ((21.019, 105.819), 2),  # in both boxes, nearer the centre of 2
        ((22.0, 106.0), None),
    ]

    def test_the_commune_whose_box_holds_the_point(self):
        for (lat, lon), expected in self.TABLE:
            with self.subTest(point=(lat, lon)):
                self.assertEqual(domain.commune_for_point(lat, lon, self.COMMUNES), expected)

    def test_distance_outside_a_box(self):
        self.assertEqual(domain.distance_outside_km(21.01, 105.81, BOX), 0)
        self.assertAlmostEqual(domain.distance_outside_km(21.03, 105.81, BOX), 0.01 * 111.32, places=6)
        self.assertIsNone(domain.distance_outside_km(21.03, 105.81, None))

    def test_point_coordinates_are_checked(self):
        for lat, lon, field in ((91, 105, "lat"), (21, 181, "lon"), ("x", 105, "lat"), (None, None, "lat")):
            with self.subTest(lat=lat, lon=lon), self.assertRaises(InvalidInput) as caught:
                domain.validate_point(lat, lon)
            self.assertEqual(caught.exception.field, field)
        self.assertEqual(domain.validate_point("21.5", 105), (21.5, 105.0))


class TimeTests(SimpleTestCase):
    WEEKS = [
        ("2021-W50", dt.date(2021, 12, 13)),
        ("2021-W01", dt.date(2021, 1, 4)),
        ("2020-W53", dt.date(2020, 12, 28)),
        ("2021-12-15", dt.date(2021, 12, 13)),
        ("2021-12-13", dt.date(2021, 12, 13)),
    ]

    def test_weeks_parse_to_their_monday(self):
        for text, monday in self.WEEKS:
            with self.subTest(text=text):
                self.assertEqual(domain.parse_week(text), monday)

    def test_bad_weeks_are_refused(self):
        for text in ("2021-W54", "W50", "", "2021-13-01"):
            with self.subTest(text=text), self.assertRaises(InvalidInput):
                domain.parse_week(text)

    def test_week_labels_and_slider_weeks(self):
        self.assertEqual(domain.week_label(dt.date(2021, 12, 15)), "2021-W50")
        self.assertEqual(domain.weeks_ending(dt.date(2021, 12, 15), 3),
                         [dt.date(2021, 11, 29), dt.date(2021, 12, 6), dt.date(2021, 12, 13)])

    def test_period_must_end_after_it_starts(self):
        start = dt.datetime(2021, 12, 1, 8)
        domain.validate_period(start, None)
        domain.validate_period(start, start + dt.timedelta(minutes=1))
        for end in (start, start - dt.timedelta(days=1)):
            with self.subTest(end=end), self.assertRaises(InvalidInput):
                domain.validate_period(start, end)

    def test_periods_in_force(self):
        first, last = dt.date(2021, 12, 13), dt.date(2021, 12, 19)
        table = [
            (dt.date(2021, 12, 1), None, True),
            (dt.date(2021, 12, 1), dt.date(2021, 12, 12), False),
            (dt.date(2021, 12, 1), dt.date(2021, 12, 13), True),
            (dt.date(2021, 12, 19), None, True),
            (dt.date(2021, 12, 20), None, False),
        ]
        for starts, ends, expected in table:
            with self.subTest(starts=starts, ends=ends):
                self.assertEqual(domain.in_force(starts, ends, first, last), expected)

    def test_level_colours(self):
        self.assertEqual([domain.level_colour(n) for n in (1, 2, 3, 4, None)],
                         ["#2e9e4f", "#f2c200", "#f07d00", "#d7191c", "#9e9e9e"])
