"""Case pages: list, case page, registering a case, adding contacts, status, discard, clusters."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from chongdich.cases.models import Case, CaseStatus, Contact, Detection
from chongdich.cases.services import case_register, cluster_create, contact_add
from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas
from chongdich.people.models import Person
from chongdich.people.services import person_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def local_input(moment: dt.datetime) -> str:
    """How a datetime-local input sends a moment."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class CasePages(TestCase):
    """Commune A1 has F0 An (with contact Bình); commune B1 has F0 Giang, outside A1's view."""

    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        leader = cls.users["province_leader"]
        cls.an = person_create(actor=leader, commune=cls.units["commune_a1"], full_name="Nguyễn Văn An",
                               birth_year=1980, phone="0912345678")
        cls.binh = person_create(actor=leader, commune=cls.units["commune_a1"], full_name="Trần Thị Bình")
        cls.giang = person_create(actor=leader, commune=cls.units["commune_b1"], full_name="Lê Giang")
        cls.cluster = cluster_create(actor=leader, commune=cls.units["commune_a1"], name="Chợ Đồng Tâm")
        cls.case_an = case_register(actor=leader, person=cls.an, confirmed_at=at(10),
                                    detection=Detection.COMMUNITY, cluster=cls.cluster)
        contact_add(actor=leader, person=cls.an, contact=cls.binh, last_contact_at=at(9))
        cls.case_giang = case_register(actor=leader, person=cls.giang, confirmed_at=at(11),
                                       detection=Detection.IMPORTED)

    def setUp(self):
        frozen = clock.frozen_at(at(20))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def login(self, persona="commune_officer"):
        self.client.force_login(self.users[persona])


class CaseListTests(CasePages):
    def test_the_case_list_requires_login(self):
        response = self.client.get(reverse("cases:list"))
        self.assertRedirects(response, f"{reverse('login')}?next={reverse('cases:list')}")

    def test_an_officer_sees_the_cases_of_their_commune_only(self):
        self.login()
        response = self.client.get(reverse("cases:list"))
        self.assertContains(response, self.case_an.code)
        self.assertNotContains(response, self.case_giang.code)

    def test_search_without_diacritics_finds_the_case(self):
        self.login("province_leader")
        response = self.client.get(reverse("cases:list"), {"q": "nguyen van an"})
        self.assertContains(response, self.case_an.code)
        self.assertNotContains(response, self.case_giang.code)

    def test_the_detection_filter_narrows_the_list(self):
        self.login("province_leader")
        response = self.client.get(reverse("cases:list"), {"detection": Detection.IMPORTED})
        self.assertContains(response, self.case_giang.code)
        self.assertNotContains(response, self.case_an.code)

    def test_the_unit_filter_narrows_the_list_to_a_district(self):
        self.login("province_leader")
        response = self.client.get(reverse("cases:list"), {"unit": self.units["district_b"].code})
        self.assertContains(response, self.case_giang.code)
        self.assertNotContains(response, self.case_an.code)

    def test_a_unit_outside_the_jurisdiction_is_refused_on_the_filter(self):
        self.login()
        response = self.client.get(reverse("cases:list"), {"unit": self.units["commune_b1"].code})
        self.assertNotContains(response, self.case_giang.code)

    def test_the_count_comes_from_the_daily_counters_without_filters(self):
        self.login("province_leader")
        response = self.client.get(reverse("cases:list"))
        self.assertEqual(response.context["page"].paginator.count, 2)
        self.assertFalse(response.context["capped"])

    def test_a_text_search_is_paged_without_counting(self):
        self.login("province_leader")
        response = self.client.get(reverse("cases:list"), {"q": "giang"})
        self.assertIsNone(response.context["page"].paginator)
        self.assertEqual([c.code for c in response.context["page"]], [self.case_giang.code])
        self.assertContains(response, "Trang 1")

    def test_an_htmx_request_gets_only_the_results(self):
        self.login()
        response = self.client.get(reverse("cases:list"), {"status": "active"}, **HTMX)
        body = response.content.decode()
        self.assertIn('id="results"', body)
        self.assertIn(self.case_an.code, body)
        self.assertNotIn("<html", body)
        self.assertNotIn('class="filters"', body)


class CasePageTests(CasePages):
    def test_the_case_page_shows_the_person_cluster_and_contacts_with_ranks(self):
        self.login()
        response = self.client.get(reverse("cases:detail", args=[self.case_an.pk]))
        self.assertContains(response, "Nguyễn Văn An")
        self.assertContains(response, "Chợ Đồng Tâm")
        self.assertContains(response, "Trần Thị Bình")
        self.assertContains(response, '<span class="rank rank-1">F1</span>', html=True)

    def test_a_case_outside_the_jurisdiction_is_not_found(self):
        self.login()
        response = self.client.get(reverse("cases:detail", args=[self.case_giang.pk]))
        self.assertContains(response, "nằm ngoài địa bàn", status_code=404)

    def test_the_chain_graph_lists_the_case_and_its_contacts(self):
        self.login()
        data = self.client.get(reverse("cases:graph", args=[self.case_an.pk])).json()
        ranks = {node["label"]: node["rank"] for node in data["nodes"]}
        self.assertEqual(ranks, {"Nguyễn Văn An": 0, "Trần Thị Bình": 1})
        self.assertEqual([e["kind"] for e in data["edges"]], ["contact"])

    def test_the_chain_graph_of_an_outsider_case_is_not_found(self):
        self.login()
        response = self.client.get(reverse("cases:graph", args=[self.case_giang.pk]))
        self.assertEqual(response.status_code, 404)

    def test_the_case_page_shows_generation_and_chain_root(self):
        leader = self.users["province_leader"]
        chi = person_create(actor=leader, commune=self.units["commune_a1"], full_name="Phạm Chi")
        child = case_register(actor=leader, person=chi, confirmed_at=at(12),
                              detection=Detection.COMMUNITY, infected_by=self.case_an)
        self.login()
        response = self.client.get(reverse("cases:detail", args=[child.pk]))
        self.assertEqual(response.context["chain"].generation, 2)
        self.assertEqual(response.context["root"], self.case_an)
        response = self.client.get(reverse("cases:detail", args=[self.case_an.pk]))
        self.assertEqual(list(response.context["infected"]), [child])


class RegisterCaseTests(CasePages):
    def new_person_data(self, **extra):
        return {
            "new-full_name": "Hoàng Văn Dũng", "new-birth_year": "1990", "new-sex": "male",
            "new-phone": "0987 654 321", "new-commune": self.units["commune_a1"].pk,
            "confirmed_at": local_input(at(19)), "detection": Detection.SYMPTOMS,
            "status": CaseStatus.HOSPITAL_TIER1, "person": "", **extra,
        }

    def test_registering_a_new_person_creates_the_case_and_opens_its_page(self):
        self.login()
        response = self.client.post(reverse("cases:new"), self.new_person_data())
        case = Case.objects.get(person__full_name="Hoàng Văn Dũng")
        self.assertRedirects(response, reverse("cases:detail", args=[case.pk]))
        self.assertEqual((case.status, case.detection, case.person.rank), ("hospital_t1", "symptoms", 0))

    def test_registering_an_existing_person_makes_them_f0(self):
        self.login()
        self.client.post(reverse("cases:new"), {
            "person": self.binh.pk, "confirmed_at": local_input(at(19)),
            "detection": Detection.QUARANTINE, "status": CaseStatus.HOME_CARE,
        })
        self.assertEqual(Person.objects.get(pk=self.binh.pk).rank, 0)

    def test_the_register_page_preselects_a_person_from_the_link(self):
        self.login()
        response = self.client.get(reverse("cases:new"), {"person": self.binh.pk})
        self.assertEqual(response.context["chosen"], self.binh)

    def test_the_register_page_refuses_a_person_outside_the_jurisdiction(self):
        self.login()
        response = self.client.get(reverse("cases:new"), {"person": self.giang.pk})
        self.assertEqual(response.status_code, 404)

    def test_registering_with_a_cluster_number_puts_the_case_in_it(self):
        self.login()
        self.client.post(reverse("cases:new"), self.new_person_data(cluster=str(self.cluster.pk)))
        self.assertEqual(Case.objects.get(person__full_name="Hoàng Văn Dũng").cluster, self.cluster)

    def test_a_cluster_outside_the_jurisdiction_is_shown_on_the_cluster_field(self):
        other = cluster_create(actor=self.users["province_leader"], commune=self.units["commune_b1"],
                               name="Khu công nghiệp")
        self.login()
        response = self.client.post(reverse("cases:new"), self.new_person_data(cluster=str(other.pk)))
        self.assertTrue(response.context["form"].has_error("cluster"))
        self.assertFalse(Person.objects.filter(full_name="Hoàng Văn Dũng").exists())

    def test_a_future_confirmation_time_is_shown_on_its_field_and_nothing_is_lost(self):
        self.login()
        data = self.new_person_data(confirmed_at=local_input(at(25)))
        response = self.client.post(reverse("cases:new"), data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].has_error("confirmed_at"))
        self.assertContains(response, 'value="Hoàng Văn Dũng"')
        self.assertFalse(Person.objects.filter(full_name="Hoàng Văn Dũng").exists())

    def test_an_invalid_phone_is_shown_on_the_phone_field(self):
        self.login()
        response = self.client.post(reverse("cases:new"), self.new_person_data(**{"new-phone": "12345"}))
        self.assertTrue(response.context["person_form"].has_error("phone"))
        self.assertFalse(Case.objects.filter(person__full_name="Hoàng Văn Dũng").exists())

    def test_an_unknown_infector_code_is_shown_on_its_field(self):
        self.login()
        response = self.client.post(reverse("cases:new"), self.new_person_data(infector_code="BN00-999999"))
        self.assertTrue(response.context["form"].has_error("infector_code"))

    def test_an_infector_outside_the_jurisdiction_is_not_found(self):
        self.login()
        data = self.new_person_data(infector_code=self.case_giang.code)
        response = self.client.post(reverse("cases:new"), data)
        self.assertTrue(response.context["form"].has_error("infector_code"))

    def test_neither_a_chosen_nor_a_new_person_is_an_error(self):
        self.login()
        data = self.new_person_data(**{"new-full_name": ""})
        response = self.client.post(reverse("cases:new"), data)
        self.assertTrue(response.context["form"].has_error("person"))

    def test_a_probable_duplicate_shows_the_candidates_and_creates_nothing(self):
        self.login()
        data = self.new_person_data(**{"new-full_name": "nguyễn văn an", "new-birth_year": "1980",
                                       "new-phone": "+84 912 345 678"})
        response = self.client.post(reverse("cases:new"), data)
        self.assertEqual(response.context["candidates"], [self.an])
        self.assertContains(response, f'value="{self.an.pk}"')
        self.assertEqual(Person.objects.filter(name_folded="nguyen van an").count(), 1)

    def test_confirming_a_new_person_despite_the_warning_creates_them(self):
        self.login()
        data = self.new_person_data(**{"new-full_name": "Nguyễn Văn An", "new-birth_year": "1980",
                                       "new-phone": "0912345678", "new-confirm_new": "on"})
        self.client.post(reverse("cases:new"), data)
        self.assertEqual(Person.objects.filter(name_folded="nguyen van an").count(), 2)

    def test_a_viewer_cannot_register_a_case(self):
        self.login("viewer")
        response = self.client.post(reverse("cases:new"), self.new_person_data(**{
            "new-commune": self.units["commune_a2"].pk}))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Person.objects.filter(full_name="Hoàng Văn Dũng").exists())
        self.assertTrue(response.context["person_form"].errors or response.context["form"].errors)


class ContactFormTests(CasePages):
    def url(self):
        return reverse("cases:contact_add", args=[self.case_an.pk])

    def test_a_new_contact_of_an_f0_is_listed_as_f1(self):
        self.login("tracer")
        self.client.post(self.url(), {"new-full_name": "Vũ Thị Em", "new-sex": "female",
                                      "new-commune": self.units["commune_a1"].pk, "setting": "household"})
        em = Person.objects.get(full_name="Vũ Thị Em")
        self.assertEqual(em.rank, 1)
        response = self.client.get(reverse("cases:detail", args=[self.case_an.pk]))
        self.assertContains(response, "Vũ Thị Em")

    def test_an_htmx_contact_gets_the_contacts_section_and_a_graph_refresh(self):
        self.login()
        response = self.client.post(self.url(), {"contact": self.giang.pk, "setting": "venue"}, **HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["contact_form"].has_error("contact"))
        response = self.client.post(self.url(), {"new-full_name": "Đỗ Phúc", "setting": "venue",
                                                  "new-commune": self.units["commune_a1"].pk}, **HTMX)
        body = response.content.decode()
        self.assertEqual(response["HX-Trigger"], "contactsChanged")
        self.assertIn('id="contacts"', body)
        self.assertIn("Đỗ Phúc", body)
        self.assertNotIn("<html", body)

    def test_an_existing_person_can_be_picked_as_contact(self):
        self.login()
        chi = person_create(actor=self.users["province_leader"], commune=self.units["commune_a1"],
                            full_name="Phạm Chi")
        self.client.post(self.url(), {"contact": chi.pk, "setting": "workplace"})
        self.assertTrue(Contact.objects.filter(person=self.an, contact=chi).exists())

    def test_a_future_contact_time_is_shown_on_its_field(self):
        self.login()
        response = self.client.post(self.url(), {"new-full_name": "Đỗ Phúc", "setting": "venue",
                                                  "new-commune": self.units["commune_a1"].pk,
                                                  "last_contact_at": local_input(at(28))})
        self.assertTrue(response.context["contact_form"].has_error("last_contact_at"))
        self.assertContains(response, 'value="Đỗ Phúc"')

    def test_a_duplicate_contact_shows_the_candidates(self):
        self.login()
        response = self.client.post(self.url(), {
            "new-full_name": "Nguyen Van An", "new-birth_year": "1980", "new-phone": "0912345678",
            "new-commune": self.units["commune_a1"].pk, "setting": "household"}, **HTMX)
        self.assertEqual(response.context["contact_candidates"], [self.an])
        self.assertEqual(Person.objects.filter(name_folded="nguyen van an").count(), 1)

    def test_adding_a_contact_to_an_outsider_case_is_not_found(self):
        self.login()
        url = reverse("cases:contact_add", args=[self.case_giang.pk])
        response = self.client.post(url, {"contact": self.binh.pk, "setting": "venue"})
        self.assertEqual(response.status_code, 404)


class StatusAndDiscardTests(CasePages):
    def test_recording_recovery_ends_the_case(self):
        self.login()
        response = self.client.post(reverse("cases:status", args=[self.case_an.pk]),
                                    {"status": CaseStatus.RECOVERED, "at": local_input(at(19))})
        self.assertRedirects(response, reverse("cases:detail", args=[self.case_an.pk]))
        self.assertEqual(Case.objects.get(pk=self.case_an.pk).status, CaseStatus.RECOVERED)
        self.assertIsNone(Person.objects.get(pk=self.binh.pk).rank)

    def test_a_status_before_the_last_one_is_shown_on_the_time_field(self):
        self.login()
        response = self.client.post(reverse("cases:status", args=[self.case_an.pk]),
                                    {"status": CaseStatus.HOSPITAL_TIER2, "at": local_input(at(2))})
        self.assertTrue(response.context["status_form"].has_error("at"))

    def test_discarding_needs_a_reason(self):
        self.login("province_leader")
        response = self.client.post(reverse("cases:discard", args=[self.case_an.pk]), {"reason": ""})
        self.assertTrue(response.context["discard_form"].has_error("reason"))
        self.assertIsNone(Case.objects.get(pk=self.case_an.pk).discarded_at)

    def test_a_leader_discards_a_case_with_its_reason(self):
        self.login("province_leader")
        self.client.post(reverse("cases:discard", args=[self.case_an.pk]), {"reason": "Dương tính giả"})
        case = Case.objects.get(pk=self.case_an.pk)
        self.assertEqual(case.discard_reason, "Dương tính giả")
        self.assertIsNone(Person.objects.get(pk=self.an.pk).rank)

    def test_an_officer_may_not_discard_and_is_told_so(self):
        self.login()
        response = self.client.post(reverse("cases:discard", args=[self.case_an.pk]), {"reason": "Nhầm"})
        self.assertTrue(response.context["discard_form"].non_field_errors())
        self.assertIsNone(Case.objects.get(pk=self.case_an.pk).discarded_at)

    def test_linking_an_infector_by_code(self):
        leader = self.users["province_leader"]
        chi = person_create(actor=leader, commune=self.units["commune_a1"], full_name="Phạm Chi")
        case_chi = case_register(actor=leader, person=chi, confirmed_at=at(12), detection=Detection.COMMUNITY)
        self.login()
        self.client.post(reverse("cases:link", args=[case_chi.pk]), {"infector_code": self.case_an.code})
        self.assertEqual(Case.objects.get(pk=case_chi.pk).infected_by, self.case_an)

    def test_linking_a_case_to_a_cluster(self):
        leader = self.users["province_leader"]
        chi = person_create(actor=leader, commune=self.units["commune_a1"], full_name="Phạm Chi")
        case_chi = case_register(actor=leader, person=chi, confirmed_at=at(12), detection=Detection.COMMUNITY)
        self.login()
        self.client.post(reverse("cases:link", args=[case_chi.pk]), {"cluster": self.cluster.pk})
        self.assertEqual(Case.objects.get(pk=case_chi.pk).cluster, self.cluster)

    def test_linking_a_case_to_itself_is_shown_on_the_infector_field(self):
        self.login()
        response = self.client.post(reverse("cases:link", args=[self.case_an.pk]),
                                    {"infector_code": self.case_an.code})
        self.assertTrue(response.context["link_form"].has_error("infector_code"))


class ClusterPageTests(CasePages):
    def test_the_cluster_picker_suggests_clusters_by_commune_without_diacritics(self):
        self.login()
        response = self.client.get(reverse("cases:cluster_pick"), {"cluster": "commune_a1"})
        self.assertContains(response, f'<option value="{self.cluster.pk}">')

    def test_the_cluster_picker_suggests_by_name(self):
        self.login()
        response = self.client.get(reverse("cases:cluster_pick"), {"cluster": "Đồng Tâm"})
        self.assertEqual(response.context["cluster_options"], [self.cluster])

    def test_the_cluster_picker_does_not_suggest_clusters_of_other_communes(self):
        cluster_create(actor=self.users["province_leader"], commune=self.units["commune_b1"], name="Chợ Bến")
        self.login()
        response = self.client.get(reverse("cases:cluster_pick"), {"cluster": "Chợ"})
        self.assertEqual(response.context["cluster_options"], [self.cluster])

    def test_the_cluster_list_shows_each_cluster_with_its_size(self):
        self.login()
        response = self.client.get(reverse("cases:clusters"))
        self.assertEqual(response.context["clusters"], [(self.cluster, 1)])

    def test_a_cluster_page_lists_its_cases(self):
        self.login()
        response = self.client.get(reverse("cases:cluster", args=[self.cluster.pk]))
        self.assertContains(response, self.case_an.code)

    def test_a_cluster_outside_the_jurisdiction_is_not_found(self):
        other = cluster_create(actor=self.users["province_leader"], commune=self.units["commune_b1"],
                               name="Khu công nghiệp")
        self.login()
        self.assertEqual(self.client.get(reverse("cases:cluster", args=[other.pk])).status_code, 404)

    def test_an_epidemiologist_creates_a_cluster(self):
        self.login("district_epi")
        response = self.client.post(reverse("cases:clusters"), {
            "name": "Công ty May", "commune": self.units["commune_a2"].pk, "source": "BN-1"})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(response["Location"]), "Công ty May")
