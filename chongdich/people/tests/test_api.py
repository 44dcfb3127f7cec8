"""/api/persons: search without diacritics, duplicates offered instead of created, strict scoping."""

from chongdich.cases.models import Detection
from chongdich.cases.services import case_register
from chongdich.core.testing import at
from chongdich.core.tests.api_helpers import ApiTestCase
from chongdich.people.models import Person
from chongdich.people.services import person_create


class PersonApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.duc = person_create(actor=cls.users["commune_officer"], commune=cls.units["commune_a1"],
                                full_name="Nguyễn Văn Đức", birth_year=1980, phone="0912345678")

    def new_person(self, **extra):
        return {"commune": self.units["commune_a1"].code, "full_name": "Trần Thị Bình",
                "birth_year": 1990, "phone": "0987654321"} | extra

    def test_a_name_is_found_without_its_diacritics(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.get("/api/persons", q="nguyen van duc"), 200)
        self.assertEqual([p["id"] for p in body["items"]], [self.duc.pk])
        self.assertEqual(body["items"][0]["full_name"], "Nguyễn Văn Đức")

    def test_people_are_listed_in_pages(self):
        self.as_user("province_leader")
        for n in range(4):
            person_create(actor=self.users["province_leader"], commune=self.units["commune_a2"],
                          full_name=f"Người Thứ {n}")
        body = self.assertStatus(self.get("/api/persons", unit=self.units["commune_a2"].code, page=2, page_size=3), 200)
        self.assertEqual((body["count"], body["page"], body["page_size"], len(body["items"])), (4, 2, 3, 1))

    def test_the_person_page_shows_the_rank_label_and_the_active_case(self):
        case = case_register(actor=self.users["commune_officer"], person=self.duc, confirmed_at=at(18),
                             detection=Detection.COMMUNITY)
        self.as_user("district_epi")
        body = self.assertStatus(self.get(f"/api/persons/{self.duc.pk}"), 200)
        self.assertEqual((body["rank"], body["rank_label"], body["active_case"]), (0, "F0", case.code))

    def test_a_new_person_is_registered(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/persons", self.new_person(phone="+84 987 654 321")), 201)
        self.assertEqual(body["phone"], "0987654321")
        self.assertEqual(body["commune"]["code"], self.units["commune_a1"].code)
        self.assertTrue(Person.objects.filter(pk=body["id"], full_name="Trần Thị Bình").exists())

    def test_a_probable_duplicate_is_409_with_the_candidates_and_a_masked_phone(self):
        self.as_user("tracer")
        same = self.new_person(full_name="nguyen van duc", birth_year=1980, phone="0912 345 678")
        body = self.assertStatus(self.post("/api/persons", same), 409)
        self.assertEqual(body["error"], "probable_duplicate")
        self.assertEqual(len(body["candidates"]), 1)
        candidate = body["candidates"][0]
        self.assertEqual((candidate["id"], candidate["full_name"], candidate["birth_year"]),
                         (self.duc.pk, "Nguyễn Văn Đức", 1980))
        self.assertEqual(candidate["phone"], "*******678")
        self.assertEqual(candidate["commune"], self.units["commune_a1"].name_with_type)
        self.assertEqual(Person.objects.count(), 1)

    def test_confirm_new_registers_despite_a_probable_duplicate(self):
        self.as_user("tracer")
        same = self.new_person(full_name="Nguyễn Văn Đức", birth_year=1980, phone="0912345678", confirm_new=True)
        self.assertStatus(self.post("/api/persons", same), 201)
        self.assertEqual(Person.objects.filter(name_folded="nguyen van duc").count(), 2)

    def test_an_outsider_gets_the_same_404_as_for_a_missing_id(self):
        self.as_user("outsider")
        hidden = self.get(f"/api/persons/{self.duc.pk}")
        missing = self.get(f"/api/persons/{self.duc.pk + 1000}")
        self.assertEqual((hidden.status_code, missing.status_code), (404, 404))
        self.assertEqual(hidden.json(), missing.json())
        self.assertEqual(self.get("/api/persons", q="duc").json()["count"], 0)

    def test_an_outsider_cannot_edit_someone_outside_their_commune(self):
        self.as_user("outsider")
        self.assertStatus(self.patch(f"/api/persons/{self.duc.pk}", {"occupation": "x"}), 404)
        self.assertEqual(Person.objects.get(pk=self.duc.pk).occupation, "")

    def test_a_viewer_may_not_register_anyone(self):
        self.as_user("viewer")
        body = self.assertStatus(self.post("/api/persons", self.new_person()), 403)
        self.assertEqual(body["error"], "permission_denied")
        self.assertEqual(Person.objects.count(), 1)

    def test_a_malformed_value_is_a_validation_error_naming_the_field(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/persons", self.new_person(birth_date="31/02/1990")), 422)
        self.assertEqual((body["error"], body["field"]), ("invalid", "birth_date"))
        self.assertIn("birth_date", body["message"])

    def test_a_rule_broken_in_the_domain_names_the_field_too(self):
        self.as_user("tracer")
        body = self.assertStatus(self.post("/api/persons", self.new_person(phone="12345")), 422)
        self.assertEqual((body["error"], body["field"]), ("invalid", "phone"))

    def test_a_missing_required_field_is_named(self):
        self.as_user("tracer")
        data = self.new_person()
        del data["full_name"]
        body = self.assertStatus(self.post("/api/persons", data), 422)
        self.assertEqual(body["field"], "full_name")

    def test_a_person_is_corrected_field_by_field(self):
        self.as_user("district_epi")
        body = self.assertStatus(self.patch(f"/api/persons/{self.duc.pk}", {"occupation": "Công nhân",
                                                                          "commune": self.units["commune_a2"].code}), 200)
        self.assertEqual((body["occupation"], body["commune"]["code"]), ("Công nhân", self.units["commune_a2"].code))
        self.assertEqual(body["phone"], "0912345678")

    def test_a_commune_outside_the_jurisdiction_cannot_be_given(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.patch(f"/api/persons/{self.duc.pk}", {"commune": self.units["commune_b1"].code}), 404)
        self.assertEqual(body["field"], "commune")
        self.assertEqual(Person.objects.get(pk=self.duc.pk).commune_id, self.units["commune_a1"].pk)

    def test_the_contacts_of_a_person_are_listed_with_their_rank(self):
        self.as_user("commune_officer")
        self.post("/api/contacts", {"person_id": self.duc.pk, "contact": self.new_person(), "setting": "household"})
        body = self.assertStatus(self.get(f"/api/persons/{self.duc.pk}/contacts"), 200)
        self.assertEqual(body["count"], 1)
        self.assertEqual(body["items"][0]["other"]["full_name"], "Trần Thị Bình")
        self.assertEqual(body["items"][0]["setting"], "household")
