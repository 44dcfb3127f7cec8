"""/api/samples, /api/pools, /api/results, /api/case-proposals, /api/campaigns, /api/laboratories:
the same services and refusals as the pages, in JSON."""


from chongdich.accounts.models import User
from chongdich.cases.models import Case
from chongdich.core.testing import make_user
from chongdich.core.tests.api_helpers import ApiTestCase
from chongdich.people.services import person_create
from chongdich.testing.models import CaseProposal, Laboratory, Sample


class TestingApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.users["lab"] = make_user(cls.units["province"], User.Role.LAB)
        leader = cls.users["province_leader"]
        cls.people = [person_create(actor=leader, commune=cls.units["commune_a1"], full_name=f"Trần {n}",
                                    birth_year=1980 + i) for i, n in enumerate("ABCDEFG")]
        Laboratory.objects.create(code="CDC", name="CDC tỉnh", unit=cls.units["province"])

    def take(self, person, **extra):
        body = {"person_id": person.pk, "reason": "symptoms", "taken_at": "2021-05-19T08:00:00+07:00"} | extra
        return self.assertStatus(self.post("/api/samples", body), 201)

    def pooled(self, count=5, **extra):
        body = {"person_ids": [p.pk for p in self.people[:count]], "commune": self.units["commune_a1"].code,
                "taken_at": "2021-05-19T08:00:00+07:00", "pool": True, "pool_code": "G1"} | extra
        return self.post("/api/samples/batch", body)

    def record(self, tube_code, result, **extra):
        body = {"tube_code": tube_code, "result": result, "laboratory": "CDC",
                "resulted_at": "2021-05-19T20:00:00+07:00"} | extra
        return self.post("/api/results", body)


class SampleApiTests(TestingApiTestCase):
    def test_a_sample_is_taken_and_read_back(self):
        self.as_user("tracer")
        sample = self.take(self.people[0], code="vp-1")
        self.assertEqual((sample["code"], sample["outcome"], sample["commune"]["code"]),
                         ("VP-1", "awaiting", self.units["commune_a1"].code))
        body = self.assertStatus(self.get(f"/api/samples/{sample['id']}"), 200)
        self.assertEqual(body["person"]["id"], self.people[0].pk)

    def test_a_viewer_is_refused(self):
        self.as_user("viewer")
        body = self.assertStatus(self.post("/api/samples", {"person_id": self.people[0].pk, "reason": "symptoms"}), 403)
        self.assertEqual(body["error"], "permission_denied")

    def test_an_outsider_does_not_find_the_person(self):
        self.as_user("outsider")
        body = self.assertStatus(self.post("/api/samples", {"person_id": self.people[0].pk, "reason": "symptoms"}), 404)
        self.assertEqual(body["field"], "person_id")

    def test_an_outsider_does_not_find_the_sample(self):
        self.as_user("commune_officer")
        sample = self.take(self.people[0])
        self.as_user("outsider")
        self.assertStatus(self.get(f"/api/samples/{sample['id']}"), 404)
        self.assertEqual(self.assertStatus(self.get("/api/samples"), 200)["count"], 0)

    def test_a_batch_of_individual_samples(self):
        self.as_user("commune_officer")
        body = {"person_ids": [p.pk for p in self.people[:3]], "commune": self.units["commune_a1"].code,
                "reason": "screening", "codes": ["S1", "S2", "S3"]}
        out = self.assertStatus(self.post("/api/samples/batch", body), 201)
        self.assertEqual([s["code"] for s in out["samples"]], ["S1", "S2", "S3"])
        self.assertIsNone(out["pool"])

    def test_a_pooled_batch_makes_one_pool_of_five(self):
        self.as_user("commune_officer")
        out = self.assertStatus(self.pooled(), 201)
        self.assertEqual((out["pool"]["code"], out["pool"]["size"]), ("G1", 5))
        self.assertEqual({s["pool_code"] for s in out["samples"]}, {"G1"})

    def test_a_pool_of_four_is_refused_with_the_reason(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.pooled(count=4), 422)
        self.assertIn("5", body["message"])
        self.assertFalse(Sample.objects.exists())

    def test_samples_taken_earlier_are_pooled_by_code(self):
        self.as_user("commune_officer")
        codes = [self.take(p, code=f"T{i}")["code"] for i, p in enumerate(self.people[:5])]
        pool = self.assertStatus(self.post("/api/pools", {"sample_codes": codes, "code": "GP"}), 201)
        detail = self.assertStatus(self.get(f"/api/pools/{pool['id']}"), 200)
        self.assertEqual(sorted(m["code"] for m in detail["members"]), sorted(codes))


class ResultApiTests(TestingApiTestCase):
    def test_a_positive_pool_lists_its_members_for_retest(self):
        self.as_user("commune_officer")
        self.pooled()
        self.as_user("lab")
        result = self.assertStatus(self.record("g1", "Dương tính", ct_value=28.5), 201)
        self.assertEqual((result["result"], result["laboratory"]), ("positive", "CDC"))
        self.as_user("commune_officer")
        due = self.assertStatus(self.get("/api/samples/retest-due"), 200)
        self.assertEqual((due["count"], due["items"][0]["outcome"]), (5, "retest"))

    def test_a_tracer_may_not_record_results(self):
        self.as_user("tracer")
        sample = self.take(self.people[0])
        self.assertStatus(self.record(sample["code"], "negative"), 403)

    def test_an_unknown_tube_is_not_found(self):
        self.as_user("lab")
        body = self.assertStatus(self.record("NOPE", "negative"), 404)
        self.assertEqual(body["field"], "tube_code")

    def test_the_labs_worklist_holds_tubes_without_results(self):
        self.as_user("commune_officer")
        first, second = self.take(self.people[0]), self.take(self.people[1])
        self.as_user("lab")
        self.record(first["code"], "negative")
        awaiting = self.assertStatus(self.get("/api/samples", awaiting=True), 200)
        self.assertEqual([s["code"] for s in awaiting["items"]], [second["code"]])


class ProposalApiTests(TestingApiTestCase):
    def positive(self):
        self.as_user("commune_officer")
        sample = self.take(self.people[0], reason="screening")
        self.as_user("lab")
        self.assertStatus(self.record(sample["code"], "P"), 201)
        self.as_user("commune_officer")
        return self.assertStatus(self.get("/api/case-proposals"), 200)["items"][0]

    def test_a_confirmed_proposal_is_an_f0_case(self):
        proposal = self.positive()
        body = self.assertStatus(self.post(f"/api/case-proposals/{proposal['id']}/confirm", {}), 201)
        case = Case.objects.get(pk=body["case_id"])
        self.assertEqual((case.code, case.detection), (body["case_code"], "community"))
        self.assertEqual((body["proposal"]["status"], case.person.rank), ("confirmed", 0))

    def test_a_dismissed_proposal_leaves_the_open_list(self):
        proposal = self.positive()
        body = self.assertStatus(self.post(f"/api/case-proposals/{proposal['id']}/dismiss",
                                           {"reason": "Nhầm ống"}), 200)
        self.assertEqual(body["status"], "dismissed")
        self.assertEqual(self.assertStatus(self.get("/api/case-proposals"), 200)["count"], 0)
        self.assertFalse(Case.objects.exists())

    def test_a_viewer_may_not_confirm(self):
        proposal = self.positive()
        self.as_user("viewer")
        self.assertStatus(self.post(f"/api/case-proposals/{proposal['id']}/confirm", {}), 403)
        self.assertEqual(CaseProposal.objects.get().status, "proposed")

    def test_an_outsider_does_not_find_the_proposal(self):
        proposal = self.positive()
        self.as_user("outsider")
        self.assertStatus(self.post(f"/api/case-proposals/{proposal['id']}/confirm", {}), 404)


class CampaignApiTests(TestingApiTestCase):
    def create(self, **extra):
        body = {"unit": self.units["district_a"].code, "name": "Sàng lọc ngư dân", "target_group": "fishermen",
                "starts_on": "2021-05-18", "ends_on": "2021-05-21", "target_headcount": 50} | extra
        return self.post("/api/campaigns", body)

    def test_a_campaign_is_created_changed_and_read(self):
        self.as_user("district_epi")
        campaign = self.assertStatus(self.create(pool_size=10), 201)
        changed = self.assertStatus(self.patch(f"/api/campaigns/{campaign['id']}", {"target_headcount": 80}), 200)
        self.assertEqual((changed["target_headcount"], changed["pool_size"]), (80, 10))
        self.as_user("commune_officer")
        self.assertStatus(self.get(f"/api/campaigns/{campaign['id']}"), 200)

    def test_an_outsider_does_not_find_it(self):
        self.as_user("district_epi")
        campaign = self.assertStatus(self.create(), 201)
        self.as_user("outsider")
        self.assertStatus(self.get(f"/api/campaigns/{campaign['id']}"), 404)

    def test_a_viewer_may_not_create_one(self):
        self.as_user("viewer")
        self.assertStatus(self.create(), 403)

    def test_members_and_progress(self):
        self.as_user("district_epi")
        campaign = self.assertStatus(self.create(), 201)
        added = self.assertStatus(self.post(f"/api/campaigns/{campaign['id']}/members",
                                            {"person_ids": [p.pk for p in self.people]}), 200)
        self.assertEqual(added, {"added": 7, "member_count": 7})
        self.as_user("commune_officer")
        self.pooled(campaign_id=campaign["id"])
        progress = self.assertStatus(self.get(f"/api/campaigns/{campaign['id']}/progress"), 200)
        self.assertEqual((progress["target"], progress["sampled"], progress["pools"], progress["awaiting"]),
                         (7, 5, 1, 5))
        self.assertEqual([d["day"] for d in progress["days"]], ["2021-05-18", "2021-05-19", "2021-05-20"])

    def test_an_empty_campaign_is_deleted(self):
        self.as_user("district_epi")
        campaign = self.assertStatus(self.create(), 201)
        response = self.client.delete(f"/api/campaigns/{campaign['id']}")
        self.assertEqual(response.status_code, 204)


class LaboratoryApiTests(TestingApiTestCase):
    def test_laboratories_are_listed_for_the_units_below(self):
        self.as_user("commune_officer")
        labs = self.assertStatus(self.get("/api/laboratories"), 200)
        self.assertEqual([lab["code"] for lab in labs["items"]], ["CDC"])

    def test_an_officer_may_not_create_one(self):
        self.as_user("commune_officer")
        body = {"code": "X", "name": "X", "unit": self.units["commune_a1"].code}
        self.assertStatus(self.post("/api/laboratories", body), 403)


class ResultBatchApiTests(TestingApiTestCase):
    def test_every_row_is_accounted_for(self):
        self.as_user("commune_officer")
        self.pooled()
        single = self.take(self.people[6], code="S-7")
        self.as_user("lab")
        rows = [
            {"pool_code": "G1", "result": "Dương tính", "resulted_at": "2021-05-19T20:00:00+07:00",
             "laboratory_code": "CDC"},
            {"sample_code": single["code"], "result": "N", "resulted_at": "2021-05-19T20:00:00+07:00"},
            {"sample_code": "NOPE", "result": "N", "resulted_at": "2021-05-19T20:00:00+07:00"},
            {"pool_code": "G1", "result": "positive", "resulted_at": "2021-05-19T20:00:00+07:00",
             "laboratory_code": "CDC"},
        ]
        body = self.assertStatus(self.post("/api/results/batch", {"rows": rows}), 200)
        self.assertEqual((body["created"], body["duplicate"], body["error"]), (2, 1, 1))
        self.assertEqual((body["errors"][0]["row"], body["errors"][0]["column"]), (3, "sample_code"))
        self.assertEqual(Sample.objects.filter(retest_requested_at__isnull=False).count(), 5)

    def test_a_viewer_is_refused(self):
        self.as_user("viewer")
        rows = [{"sample_code": "X", "result": "N", "resulted_at": "2021-05-19T20:00:00+07:00"}]
        self.assertStatus(self.post("/api/results/batch", {"rows": rows}), 403)
