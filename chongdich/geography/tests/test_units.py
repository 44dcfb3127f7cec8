from django.test import TestCase

from chongdich.core.errors import InvalidInput, NotFound, PermissionDenied
from chongdich.core.jurisdiction import covers
from chongdich.core.testing import make_geography, make_user, personas
from chongdich.geography.models import AdminUnit, PopulationSource, UnitLevel
from chongdich.geography.services import unit_set_population, units_load, village_create


class LoadUnitsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.counts = units_load(province_code="26")

    def test_vinh_phuc_loads_with_its_official_codes(self):
        self.assertEqual(self.counts, {"province": 1, "district": 9, "commune": 136})
        commune = AdminUnit.objects.get(code="08707")
        self.assertEqual((commune.name_with_type, commune.district.code, commune.province.code),
                         ("Phường Tích Sơn", "243", "26"))

    def test_units_carry_coordinates_inside_their_province(self):
        south, west, north, east = AdminUnit.objects.get(code="26").bbox
        communes = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, lat__isnull=False)
        self.assertGreater(communes.count(), 120)
        for c in communes:
            self.assertTrue(south - 0.05 <= c.lat <= north + 0.05 and west - 0.05 <= c.lon <= east + 0.05, c)

    def test_a_commune_geocoded_into_another_province_is_put_at_its_district_and_marked(self):
        # The source places Xã Bình Dương (Vĩnh Tường) at its namesake province, ~77 km away.
        commune = AdminUnit.objects.get(province__code="26", name="Bình Dương")
        self.assertNotEqual(commune.coordinates_note, "")
        self.assertIsNone(commune.bbox)

    def test_population_says_where_it_comes_from(self):
        province = AdminUnit.objects.get(code="26")
        self.assertEqual((province.population, province.population_source), (1_151_154, PopulationSource.CENSUS_2019))
        commune = AdminUnit.objects.get(code="08707")
        self.assertEqual(commune.population_source, PopulationSource.ESTIMATE)

    def test_the_census_file_adds_up_to_the_national_total(self):
        from chongdich.geography.sources import census_2019

        figures = census_2019()
        self.assertEqual((len(figures), sum(p for p, _ in figures.values())), (63, 96_208_984))

    def test_loading_again_changes_nothing_and_keeps_populations_typed_in(self):
        AdminUnit.objects.filter(code="08707").update(population=12_345, population_source=PopulationSource.USER)
        self.assertEqual(units_load(province_code="26"), self.counts)
        self.assertEqual(AdminUnit.objects.count(), 146)
        self.assertEqual(AdminUnit.objects.get(code="08707").population, 12_345)

    def test_an_unknown_province_is_refused(self):
        with self.assertRaises(InvalidInput):
            units_load(province_code="99")


class JurisdictionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)

    def test_each_level_covers_itself_and_below_only(self):
        u, users = self.units, self.users
        self.assertTrue(covers(users["province_leader"], u["commune_b1"]))
        self.assertTrue(covers(users["district_epi"], u["commune_a2"]))
        self.assertFalse(covers(users["district_epi"], u["commune_b1"]))
        self.assertFalse(covers(users["district_epi"], u["province"]))
        self.assertTrue(covers(users["commune_officer"], u["commune_a1"]))
        self.assertFalse(covers(users["commune_officer"], u["commune_a2"]))

    def test_an_account_without_a_unit_sees_nothing_unless_national(self):
        self.assertFalse(covers(make_user(None), self.units["commune_a1"]))
        self.assertTrue(covers(make_user(None, is_national=True), self.units["commune_a1"]))

    def test_villages_are_added_under_a_commune_by_its_officers(self):
        village = village_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                                 name=" Thôn  Đông ", kind="thon")
        self.assertEqual((village.name, village.district), ("Thôn Đông", self.units["district_a"]))
        with self.assertRaises(InvalidInput):
            village_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                           name="thôn đông", kind="thon")
        with self.assertRaises(NotFound):
            village_create(actor=self.users["outsider"], commune=self.units["commune_a1"], name="X", kind="thon")

    def test_population_typed_in_is_marked_as_such_and_needs_a_role(self):
        unit = unit_set_population(actor=self.users["commune_officer"], unit=self.units["commune_a1"],
                                   population=8_000, note="Số liệu xã 2021")
        self.assertEqual(unit.population_source, PopulationSource.USER)
        with self.assertRaises(PermissionDenied):
            unit_set_population(actor=self.users["viewer"], unit=self.units["province"], population=1)
