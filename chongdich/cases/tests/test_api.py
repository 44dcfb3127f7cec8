"""/api/cases, /api/contacts, /api/clusters: an F0 registered with its contacts through the API,
ranks moving at once, chains and clusters, and the same refusals as the pages."""

import datetime as dt

from django.utils import timezone

from chongdich.cases.models import Case, Cluster, Contact
from chongdich.core.tests.api_helpers import ApiTestCase
from chongdich.people.models import Person


class CaseApiTestCase(ApiTestCase):
    def person_in(self, name: str, commune: str = "commune_a1", **extra) -> dict:
        return {"commune": self.units[commune].code, "full_name": name} | extra

    def register(self, name: str, **extra) -> dict:
        body = {"person": self.person_in(name), "detection": "community",
                "confirmed_at": "2021-05-18T09:00:00+07:00"} | extra
        return self.assertStatus(self.post("/api/cases", body), 201)

    def add_contact(self, person_id: int, name: str, **extra) -> dict:
        body = {"person_id": person_id, "contact": self.person_in(name), "setting": "household",
                "last_contact_at": "2021-05-17T20:00:00+07:00"} | extra
        return self.assertStatus(self.post("/api/contacts", body), 201)

    def rank_of(self, name: str):
        return Person.objects.get(full_name=name).rank


class RegisterAndTraceTests(CaseApiTestCase):
    def test_a_case_with_two_new_contacts_makes_them_f1_and_their_contact_f2(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        self.assertEqual((case["person"]["rank_label"], case["generation"]), ("F0", 1))
        binh = self.add_contact(case["person"]["id"], "Trần Bình")
        cuong = self.add_contact(case["person"]["id"], "Lê Cường")
        self.assertEqual((binh["contact_rank"], binh["contact_rank_label"]), (1, "F1"))
        self.assertEqual(cuong["contact_rank"], 1)
        dung = self.add_contact(binh["contact"]["contact"]["id"], "Phạm Dũng")
        self.assertEqual((dung["contact_rank"], dung["contact_rank_label"]), (2, "F2"))
        self.assertEqual([self.rank_of(n) for n in ("Trần Bình", "Lê Cường", "Phạm Dũng")], [1, 1, 2])

    def test_discarding_the_case_drops_the_ranks_of_its_contacts(self):
        self.as_user("district_epi")
        case = self.register("Nguyễn Văn An")
        binh = self.add_contact(case["person"]["id"], "Trần Bình")
        self.add_contact(binh["contact"]["contact"]["id"], "Phạm Dũng")
        body = self.assertStatus(self.post(f"/api/cases/{case['id']}/discard", {"reason": "Dương tính giả"}), 200)
        self.assertIsNotNone(body["discarded_at"])
        self.assertFalse(body["is_active"])
        self.assertEqual([self.rank_of(n) for n in ("Nguyễn Văn An", "Trần Bình", "Phạm Dũng")], [None] * 3)

    def test_an_existing_person_can_be_confirmed_by_id(self):
        self.as_user("commune_officer")
        person = self.assertStatus(self.post("/api/persons", self.person_in("Võ Thị Em")), 201)
        case = self.assertStatus(self.post("/api/cases", {"person_id": person["id"], "detection": "symptoms"}), 201)
        self.assertEqual((case["person"]["id"], case["detection"]), (person["id"], "symptoms"))
        self.assertEqual(case["confirmed_at"][:10], "2021-05-20")  # now, on the frozen clock

    def test_a_refused_case_does_not_leave_its_new_person_behind(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.post("/api/cases", {"person": self.person_in("Đỗ Giang"),
                                                          "detection": "community", "status": "recovered"}), 422)
        self.assertEqual(body["field"], "status")
        self.assertFalse(Person.objects.filter(full_name="Đỗ Giang").exists())

    def test_either_a_person_id_or_a_new_person_is_required(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.post("/api/cases", {"detection": "community"}), 422)
        self.assertEqual(body["field"], "person")

    def test_an_unknown_detection_is_a_validation_error_naming_the_field(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.post("/api/cases", {"person": self.person_in("X Y"), "detection": "radar"}), 422)
        self.assertEqual((body["error"], body["field"]), ("invalid", "detection"))

    def test_a_new_contact_in_a_nested_person_names_the_nested_field(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        body = {"person_id": case["person"]["id"], "contact": self.person_in("Bình", phone="123")}
        response = self.assertStatus(self.post("/api/contacts", body), 422)
        self.assertEqual(response["field"], "phone")


class RefusalTests(CaseApiTestCase):
    def test_an_outsider_gets_the_same_404_for_a_case_as_for_a_missing_id(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        self.as_user("outsider")
        for suffix in ("", "/chain"):
            hidden = self.get(f"/api/cases/{case['id']}{suffix}")
            missing = self.get(f"/api/cases/{case['id'] + 1000}{suffix}")
            self.assertEqual((hidden.status_code, missing.status_code), (404, 404))
            self.assertEqual(hidden.json(), missing.json())
        self.assertEqual(self.get("/api/cases").json()["count"], 0)

    def test_an_outsider_cannot_add_a_contact_to_a_person_outside_their_commune(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        self.as_user("outsider")
        body = {"person_id": case["person"]["id"], "contact": self.person_in("Lạ", commune="commune_b1")}
        self.assertEqual(self.assertStatus(self.post("/api/contacts", body), 404)["field"], "person_id")
        self.assertFalse(Contact.objects.exists())

    def test_a_viewer_gets_403_on_writes(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        self.as_user("viewer")
        self.assertStatus(self.post("/api/cases", {"person": self.person_in("Bình"), "detection": "community"}), 403)
        self.assertStatus(self.post(f"/api/cases/{case['id']}/discard", {"reason": "x"}), 403)
        self.assertStatus(self.post(f"/api/cases/{case['id']}/status", {"status": "recovered"}), 403)
        self.assertStatus(self.post("/api/clusters", {"commune": self.units["commune_a1"].code, "name": "Ổ"}), 403)
        self.assertEqual(Case.objects.get().status, "home_care")

    def test_a_tracer_may_not_discard_a_case(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        self.as_user("tracer")
        body = self.assertStatus(self.post(f"/api/cases/{case['id']}/discard", {"reason": "x"}), 403)
        self.assertEqual(body["error"], "permission_denied")

    def test_an_unknown_infector_code_is_404_naming_the_field(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.post("/api/cases", {"person": self.person_in("Bình"), "detection": "community",
                                                          "infected_by": "BN00-999999"}), 404)
        self.assertEqual(body["field"], "infected_by")


class CaseReadTests(CaseApiTestCase):
    def test_the_case_page_has_its_infector_generation_and_chain_root(self):
        self.as_user("district_epi")
        root = self.register("Ca Một")
        second = self.register("Ca Hai", infected_by=root["code"])
        third = self.register("Ca Ba", infected_by=second["id"])
        self.assertEqual((third["infected_by"], third["generation"], third["chain_root"]),
                         (second["code"], 3, root["code"]))

    def test_the_chain_endpoint_returns_people_and_links(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        binh = self.add_contact(case["person"]["id"], "Trần Bình")
        body = self.assertStatus(self.get(f"/api/cases/{case['id']}/chain"), 200)
        nodes = {n["id"]: n for n in body["nodes"]}
        self.assertEqual(nodes[case["person"]["id"]]["case"], case["code"])
        self.assertTrue(nodes[case["person"]["id"]]["centre"])
        self.assertEqual(nodes[binh["contact"]["contact"]["id"]]["rank"], 1)
        self.assertEqual([(e["source"], e["target"], e["kind"]) for e in body["edges"]],
                         [(case["person"]["id"], binh["contact"]["contact"]["id"], "contact")])

    def test_recording_recovery_ends_the_case_and_keeps_its_history(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        body = self.assertStatus(self.post(f"/api/cases/{case['id']}/status",
                                           {"status": "recovered", "at": "2021-05-19T10:00:00+07:00"}), 200)
        self.assertEqual((body["status"], body["is_active"], body["ended_on"]), ("recovered", False, "2021-05-19"))
        self.assertEqual([h["status"] for h in body["history"]], ["home_care", "recovered"])

    def test_cases_are_filtered_by_status_name_and_dates(self):
        self.as_user("district_epi")
        an = self.register("Nguyễn Văn An")
        binh = self.register("Trần Bình", confirmed_at="2021-05-10T09:00:00+07:00")
        self.post(f"/api/cases/{binh['id']}/discard", {"reason": "Dương tính giả"})
        codes = lambda **q: [c["code"] for c in self.assertStatus(self.get("/api/cases", **q), 200)["items"]]  # noqa: E731
        self.assertEqual(codes(status="active"), [an["code"]])
        self.assertEqual(codes(status="discarded"), [binh["code"]])
        self.assertEqual(codes(q="nguyen van an"), [an["code"]])
        self.assertEqual(codes(confirmed_from="2021-05-11"), [an["code"]])
        self.assertEqual(codes(status="discarded", confirmed_to="2021-05-09"), [])

    def test_an_unknown_status_filter_is_a_validation_error(self):
        self.as_user("district_epi")
        body = self.assertStatus(self.get("/api/cases", status="sleeping"), 422)
        self.assertEqual(body["field"], "status")

    def test_cases_come_in_pages(self):
        self.as_user("district_epi")
        for n in range(3):
            self.register(f"Ca {n}")
        body = self.assertStatus(self.get("/api/cases", page_size=2, page=2), 200)
        self.assertEqual((body["count"], body["page"], body["page_size"], len(body["items"])), (3, 2, 2, 1))

    def test_a_case_is_linked_to_an_infector_and_a_cluster_and_unlinked(self):
        self.as_user("district_epi")
        first, second = self.register("Ca Một"), self.register("Ca Hai")
        cluster = self.assertStatus(self.post("/api/clusters", {"commune": self.units["commune_a1"].code,
                                                                "name": "Chợ Phúc Yên"}), 201)
        url = f"/api/cases/{second['id']}"
        body = self.assertStatus(self.patch(url, {"infected_by": first["code"], "cluster_id": cluster["id"]}), 200)
        self.assertEqual((body["infected_by"], body["cluster_id"], body["generation"]), (first["code"], cluster["id"], 2))
        body = self.assertStatus(self.patch(url, {"infected_by": None}), 200)
        self.assertEqual((body["infected_by"], body["cluster_id"]), (None, cluster["id"]))


class ContactAndClusterTests(CaseApiTestCase):
    def test_recent_contacts_are_listed_since_a_moment(self):
        self.as_user("commune_officer")
        case = self.register("Nguyễn Văn An")
        self.add_contact(case["person"]["id"], "Trần Bình")
        body = self.assertStatus(self.get("/api/contacts"), 200)
        self.assertEqual([c["contact"]["full_name"] for c in body["items"]], ["Trần Bình"])
        later = (timezone.now() + dt.timedelta(minutes=1)).isoformat()
        self.assertEqual(self.assertStatus(self.get("/api/contacts", since=later), 200)["count"], 0)

    def test_a_cluster_counts_its_cases(self):
        self.as_user("district_epi")
        cluster = self.assertStatus(self.post("/api/clusters", {"commune": self.units["commune_a2"].code,
                                                                "name": "Công ty May", "source": "chưa rõ"}), 201)
        self.assertEqual(cluster["size"], 0)
        self.register("Ca Một", cluster_id=cluster["id"])
        self.register("Ca Hai", cluster_id=cluster["id"])
        self.assertEqual(self.assertStatus(self.get(f"/api/clusters/{cluster['id']}"), 200)["size"], 2)
        listed = self.assertStatus(self.get("/api/clusters"), 200)
        self.assertEqual([(c["id"], c["size"]) for c in listed["items"]], [(cluster["id"], 2)])

    def test_a_cluster_is_renamed_and_closed(self):
        self.as_user("district_epi")
        cluster = self.assertStatus(self.post("/api/clusters", {"commune": self.units["commune_a1"].code,
                                                                "name": "Ổ 1", "started_on": "2021-05-01"}), 201)
        body = self.assertStatus(self.patch(f"/api/clusters/{cluster['id']}",
                                            {"name": "Ổ dịch thôn Đông", "closed_on": "2021-05-19"}), 200)
        self.assertEqual((body["name"], body["closed_on"]), ("Ổ dịch thôn Đông", "2021-05-19"))
        body = self.assertStatus(self.patch(f"/api/clusters/{cluster['id']}", {"closed_on": "2021-04-01"}), 422)
        self.assertEqual(body["field"], "closed_on")

    def test_a_cluster_outside_the_jurisdiction_cannot_be_created(self):
        self.as_user("district_epi")
        body = self.assertStatus(self.post("/api/clusters", {"commune": self.units["commune_b1"].code, "name": "Ổ"}), 404)
        self.assertEqual(body["field"], "commune")
        self.assertFalse(Cluster.objects.exists())
