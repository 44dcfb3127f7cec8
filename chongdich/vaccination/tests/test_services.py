"""Dose records and aggregate reports through the services; coverage read back; counters equal a
recount after every kind of write."""

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.vaccination import counters, services
from chongdich.vaccination.selectors import coverage_for_units
from chongdich.vaccination.services import DoseIn
from chongdich.vaccination.tests.base import VaccinationTestCase, day


class DoseRecordTests(VaccinationTestCase):
    def give(self, name, number, on, product="AZ", actor="commune_officer", **kw):
        return services.dose_record(actor=self.users[actor], person=self.people[name],
                                    product=self.products[product], dose_number=number, given_on=on, **kw)

    def assert_counters_match_a_recount(self):
        kept = counters.snapshot()
        counters.rebuild()
        self.assertEqual(kept, counters.snapshot())

    def test_a_dose_counts_in_the_groups_of_the_age_at_the_dose_date(self):
        self.give("An", 1, day(7, 1))
        self.give("An", 2, day(9, 1))
        self.give("Bình", 1, day(12, 6))  # 16: 12-17
        self.give("Cường", 1, day(8, 10), actor="district_epi")
        self.give("Dũng", 1, day(8, 10))  # no birth date: only "all"
        a1 = self.units["commune_a1"].pk
        cov = coverage_for_units(unit_ids=[a1], as_of=day(12, 15))[a1]
        self.assertEqual(cov.source, "records")
        self.assertEqual({k: v for k, v in cov.covered.items() if v}, {
            ("all", "1"): 3, ("all", "full"): 1, ("18+", "1"): 1, ("18+", "full"): 1, ("50+", "1"): 1,
            ("50+", "full"): 1, ("65+", "1"): 1, ("65+", "full"): 1, ("12-17", "1"): 1})
        self.assertEqual(cov.population["all"], 10_000)
        self.assertEqual(cov.population_source, "estimate")
        self.assert_counters_match_a_recount()

    def test_coverage_as_of_an_earlier_date_leaves_out_later_weeks(self):
        self.give("An", 1, day(7, 1))
        self.give("An", 2, day(9, 1))
        a1 = self.units["commune_a1"].pk
        july = coverage_for_units(unit_ids=[a1], as_of=day(7, 31))[a1]
        self.assertEqual((july.covered[("all", "1")], july.covered.get(("all", "full"), 0)), (1, 0))
        self.assertEqual(coverage_for_units(unit_ids=[a1], as_of=day(6, 1))[a1].source, "none")

    def test_the_same_dose_twice_is_one_record(self):
        first = self.give("An", 1, day(7, 1))
        again = self.give("An", 1, day(7, 1))
        self.assertEqual(first.pk, again.pk)
        a1 = self.units["commune_a1"].pk
        self.assertEqual(coverage_for_units(unit_ids=[a1], as_of=day(12, 15))[a1].covered[("all", "1")], 1)

    def test_another_date_for_a_dose_already_recorded_is_a_conflict(self):
        self.give("An", 1, day(7, 1))
        with self.assertRaises(Conflict) as caught:
            self.give("An", 1, day(7, 2))
        self.assertEqual(caught.exception.field, "dose_number")

    def test_a_dose_in_the_future_is_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.give("An", 1, day(12, 16))
        self.assertEqual(caught.exception.field, "given_on")

    def test_an_officer_of_another_commune_does_not_find_the_person(self):
        with self.assertRaises(NotFound):
            self.give("An", 1, day(7, 1), actor="outsider")

    def test_a_viewer_may_not_record(self):
        with self.assertRaises(PermissionDenied):
            self.give("An", 1, day(7, 1), actor="viewer")

    def test_a_bulk_write_says_what_became_of_each_dose_and_keeps_the_counters(self):
        self.give("An", 1, day(7, 1))
        p = self.products
        out = services.dose_record_bulk(actor=self.users["province_leader"], items=[
            DoseIn(self.people["An"], p["AZ"], 1, day(7, 1)),  # already there
            DoseIn(self.people["An"], p["AZ"], 2, day(9, 1)),
            DoseIn(self.people["Cường"], p["JANSSEN"], 1, day(9, 1)),  # one dose completes
            DoseIn(self.people["Giang"], p["PFIZER"], 1, day(12, 20)),  # future
            DoseIn(self.people["An"], p["AZ"], 2, day(9, 1)),  # twice in the same batch
        ])
        self.assertEqual([o.status for o in out], ["duplicate", "created", "created", "error", "duplicate"])
        district = self.units["district_a"].pk
        cov = coverage_for_units(unit_ids=[district], as_of=day(12, 15))[district]
        self.assertEqual((cov.covered[("all", "1")], cov.covered[("all", "full")]), (2, 2))
        self.assert_counters_match_a_recount()

    def test_deleting_a_dose_uncounts_it(self):
        self.give("An", 1, day(7, 1))
        dose = self.give("An", 2, day(9, 1))
        services.dose_delete(actor=self.users["commune_officer"], dose=dose)
        a1 = self.units["commune_a1"].pk
        self.assertEqual(coverage_for_units(unit_ids=[a1], as_of=day(12, 15))[a1].covered[("all", "full")], 0)
        self.assert_counters_match_a_recount()


class CoverageReportTests(VaccinationTestCase):
    def report(self, unit="commune_b1", grp="18+", actor="province_leader", **kw):
        values = {"as_of": day(12, 14), "one_dose": 6_900, "full_series": 5_800, "population": 7_200} | kw
        return services.coverage_report_submit(actor=self.users[actor], unit=self.units[unit], grp=grp,
                                               **values)

    def test_a_commune_without_records_uses_its_report_with_the_reported_population(self):
        self.report()
        b1 = self.units["commune_b1"].pk
        cov = coverage_for_units(unit_ids=[b1], as_of=day(12, 15))[b1]
        self.assertEqual(cov.source, "aggregate")
        self.assertAlmostEqual(cov.pct("18+", "1"), 100 * 6_900 / 7_200)
        self.assertEqual(cov.population["all"], 10_000)  # estimated: no report for "all"
        self.assertEqual(cov.population_source, "mixed")

    def test_a_second_report_for_the_same_day_replaces_the_first(self):
        self.report()
        report, created = self.report(one_dose=7_000)
        self.assertFalse(created)
        self.assertEqual(report.one_dose, 7_000)

    def test_records_win_over_a_report_and_the_district_sums_its_communes(self):
        self.report(unit="commune_a2", one_dose=7_000, full_series=6_000)
        services.dose_record(actor=self.users["commune_officer"], person=self.people["An"],
                             product=self.products["AZ"], dose_number=1, given_on=day(7, 1))
        found = coverage_for_units(unit_ids=[self.units[k].pk for k in ("commune_a1", "district_a", "province")],
                                   as_of=day(12, 15))
        a1, district, province = (found[self.units[k].pk] for k in ("commune_a1", "district_a", "province"))
        self.assertEqual(a1.source, "records")
        self.assertEqual((district.source, district.parts), ("aggregate", {"records": 1, "aggregate": 1}))
        self.assertEqual(district.covered[("18+", "1")], 7_001)
        self.assertEqual(province.parts, {"records": 1, "aggregate": 1, "none": 1})

    def test_a_district_without_data_below_uses_its_own_report(self):
        self.report(unit="district_b", one_dose=200_000, full_series=180_000, population=210_000)
        b = self.units["district_b"].pk
        cov = coverage_for_units(unit_ids=[b], as_of=day(12, 15))[b]
        self.assertEqual((cov.source, cov.covered[("18+", "full")]), ("aggregate", 180_000))

    def test_inconsistent_totals_are_refused_on_their_field(self):
        with self.assertRaises(InvalidInput) as caught:
            self.report(full_series=7_000)
        self.assertEqual(caught.exception.field, "full_series")

    def test_an_unknown_group_is_refused(self):
        with self.assertRaises(InvalidInput):
            self.report(grp="5-11")

    def test_an_officer_of_another_commune_may_not_report_for_b1(self):
        with self.assertRaises(NotFound):
            self.report(actor="commune_officer")
