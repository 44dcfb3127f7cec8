from unittest import mock

from django.test import TestCase

from chongdich.core.errors import InvalidInput, NotFound, PermissionDenied, ProbableDuplicate
from chongdich.core.testing import make_geography, personas
from chongdich.people.selectors import person_get, person_list
from chongdich.people.services import person_create, person_update


class PersonRegistrationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        cls.an = person_create(
            actor=cls.users["commune_officer"], commune=cls.units["commune_a1"], full_name="Nguyễn Văn An",
            birth_year=1985, sex="male", phone="0912 345 678", citizen_id="026085001234",
        )

    def register(self, actor="commune_officer", commune="commune_a1", **kw):
        data = {"full_name": "Trần Thị Bình", "birth_year": 1990, "sex": "female", "phone": "0987654321"} | kw
        return person_create(actor=self.users[actor], commune=self.units[commune], **data)

    def test_an_officer_registers_a_person_in_their_commune_with_a_normalised_phone(self):
        person = self.register(phone="+84 987 654 321")
        self.assertEqual((person.phone, person.commune, person.district, person.province),
                         ("0987654321", self.units["commune_a1"], self.units["district_a"], self.units["province"]))

    def test_an_officer_of_another_commune_cannot_register_people_here(self):
        with self.assertRaises(NotFound):
            self.register(actor="outsider")

    def test_a_viewer_may_not_register_anyone(self):
        with self.assertRaises(PermissionDenied):
            self.register(actor="viewer")

    def test_a_probable_duplicate_is_offered_instead_of_created(self):
        with self.assertRaises(ProbableDuplicate) as err:
            self.register(full_name="Nguyen van an", birth_year=1985, sex="male", phone="0912345678")
        self.assertEqual(err.exception.candidates, [self.an])

    def test_confirming_a_namesake_creates_a_new_record(self):
        person = self.register(full_name="Nguyễn Văn An", birth_year=1985, sex="male",
                               phone="0912345678", confirm_new=True)
        self.assertNotEqual(person.pk, self.an.pk)

    def test_the_same_citizen_id_is_never_registered_twice(self):
        with self.assertRaises(ProbableDuplicate) as err:
            self.register(full_name="Ai Đó", birth_year=1985, sex="male", citizen_id="026085001234",
                          confirm_new=True)
        self.assertEqual(err.exception.field, "citizen_id")

    def test_a_bad_phone_is_refused_naming_the_field(self):
        with self.assertRaises(InvalidInput) as err:
            self.register(phone="12345")
        self.assertEqual(err.exception.field, "phone")

    def test_a_person_must_live_in_a_commune(self):
        with self.assertRaises(InvalidInput) as err:
            self.register(commune="district_a")
        self.assertEqual(err.exception.field, "commune")

    def test_update_changes_identity_and_keeps_the_rules(self):
        person = person_update(actor=self.users["commune_officer"], person=self.register(), phone="0386123456")
        self.assertEqual(person.phone, "0386123456")
        with self.assertRaises(ProbableDuplicate):
            person_update(actor=self.users["commune_officer"], person=person, citizen_id="026085001234",
                          birth_year=1985, sex="male")

    def test_moving_a_person_to_another_district_updates_the_jurisdiction_keys(self):
        person = person_update(actor=self.users["province_leader"], person=self.register(),
                               commune=self.units["commune_b1"])
        self.assertEqual((person.commune, person.district), (self.units["commune_b1"], self.units["district_b"]))


class PersonVisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        cls.duc = person_create(actor=cls.users["province_leader"], commune=cls.units["commune_a1"],
                                full_name="Đặng Văn Đức", birth_year=1970)
        cls.hoa = person_create(actor=cls.users["province_leader"], commune=cls.units["commune_b1"],
                                full_name="Lê Thị Hoa", birth_year=1992)

    def test_a_person_of_another_commune_is_not_found_exactly_like_a_missing_id(self):
        with self.assertRaises(NotFound) as forbidden:
            person_get(actor=self.users["outsider"], person_id=self.duc.pk)
        with self.assertRaises(NotFound) as missing:
            person_get(actor=self.users["outsider"], person_id=10**9)
        self.assertEqual(forbidden.exception.message, missing.exception.message)

    def test_the_district_sees_its_communes_only_and_the_province_sees_all(self):
        self.assertEqual(list(person_list(actor=self.users["district_epi"])), [self.duc])
        self.assertEqual(set(person_list(actor=self.users["province_leader"])), {self.duc, self.hoa})

    def test_a_broad_name_search_answers_the_newest_matches_sorted_by_name(self):
        newer = person_create(actor=self.users["province_leader"], commune=self.units["commune_a1"],
                              full_name="Ân Văn Đức", birth_year=1980)
        with mock.patch("chongdich.people.selectors.SEARCH_LIMIT", 2):
            found = list(person_list(actor=self.users["province_leader"], search="van"))
        self.assertEqual(found, [newer, self.duc])  # both matches, by name: "an van duc" < "dang van duc"
        with mock.patch("chongdich.people.selectors.SEARCH_LIMIT", 1):
            self.assertEqual(list(person_list(actor=self.users["province_leader"], search="van")), [newer])  # newest

    def test_search_matches_without_diacritics(self):
        self.assertEqual(list(person_list(actor=self.users["province_leader"], search="dang van duc")), [self.duc])
        self.assertEqual(list(person_list(actor=self.users["province_leader"], search="Đức")), [self.duc])
