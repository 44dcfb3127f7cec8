from django.db.models import Sum
from django.test import TestCase

from chongdich.cases import ranks, stats
from chongdich.cases.models import CaseDayCount, CaseStatus, Contact, Detection, RankCount
from chongdich.cases.selectors import (
    case_chain_graph,
    case_get,
    chains_for,
    contact_list_for_person,
)
from chongdich.cases.services import (
    case_discard,
    case_record_status,
    case_register,
    case_update,
    cluster_create,
    contact_add,
)
from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.core.testing import at, make_geography, personas
from chongdich.people.models import Person
from chongdich.people.services import person_create


class Outbreak(TestCase):
    """A small outbreak in commune A1: F0 An, contacts Bình and Cường, Cường's contact Dũng."""

    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        cls.officer = cls.users["commune_officer"]

    def setUp(self):
        self.clock = clock.frozen_at(at(20))
        self.clock.__enter__()
        self.addCleanup(self.clock.__exit__, None, None, None)

    def person(self, name, commune="commune_a1", **kw):
        return person_create(actor=self.users["province_leader"], commune=self.units[commune],
                             full_name=name, **kw)

    def f0(self, person, day=10, **kw):
        data = {"confirmed_at": at(day), "detection": Detection.COMMUNITY} | kw
        return case_register(actor=self.officer, person=person, **data)

    def contact(self, a, b, actor=None):
        return contact_add(actor=actor or self.officer, person=a, contact=b, last_contact_at=at(9))

    def ranks_of(self, *people):
        return [Person.objects.get(pk=p.pk).rank for p in people]


class RankTests(Outbreak):
    def test_contacts_of_a_new_f0_become_f1_and_their_contacts_f2(self):
        an, binh, cuong, dung = (self.person(n) for n in ("An", "Bình", "Cường", "Dũng"))
        self.contact(cuong, dung)
        self.f0(an)
        self.contact(an, binh)
        self.contact(an, cuong)
        self.assertEqual(self.ranks_of(an, binh, cuong, dung), [0, 1, 1, 2])

    def test_an_f1_who_tests_positive_moves_their_contacts_up(self):
        an, binh, cuong = (self.person(n) for n in ("An", "Bình", "Cường"))
        self.f0(an)
        self.contact(an, binh)
        self.contact(binh, cuong)
        self.assertEqual(self.ranks_of(binh, cuong), [1, 2])
        self.f0(binh, day=12)
        self.assertEqual(self.ranks_of(an, binh, cuong), [0, 0, 1])

    def test_a_discarded_case_takes_its_contacts_ranks_with_it(self):
        an, binh, cuong = (self.person(n) for n in ("An", "Bình", "Cường"))
        case = self.f0(an)
        self.contact(an, binh)
        self.contact(binh, cuong)
        case_discard(actor=self.users["district_epi"], case=case, reason="Dương tính giả")
        self.assertEqual(self.ranks_of(an, binh, cuong), [None, None, None])

    def test_a_recovered_f0_leaves_the_ranks_another_active_f0_gives(self):
        an, binh, cuong, dung = (self.person(n) for n in ("An", "Bình", "Cường", "Dũng"))
        first = self.f0(an)
        self.f0(dung)
        for a, b in ((an, binh), (binh, cuong), (cuong, dung)):
            self.contact(a, b)
        case_record_status(actor=self.officer, case=first, status=CaseStatus.RECOVERED, at=at(19))
        self.assertEqual(self.ranks_of(an, binh, cuong, dung), [3, 2, 1, 0])

    def test_incremental_ranks_equal_a_full_rebuild(self):
        people = [self.person(f"Người {i}") for i in range(12)]
        for i in range(11):
            self.contact(people[i], people[i + 1])
        self.contact(people[0], people[6])
        self.f0(people[3])
        case = self.f0(people[9])
        case_record_status(actor=self.officer, case=case, status=CaseStatus.DIED, at=at(15))
        before = dict(Person.objects.values_list("pk", "rank"))
        result = ranks.rebuild_all()
        self.assertEqual(result["changed"], 0)
        self.assertEqual(dict(Person.objects.values_list("pk", "rank")), before)


class CaseRuleTests(Outbreak):
    def test_a_person_has_at_most_one_active_case(self):
        an = self.person("An")
        self.f0(an)
        with self.assertRaises(Conflict):
            self.f0(an, day=11)

    def test_a_recovered_person_can_be_reinfected(self):
        an = self.person("An")
        case_record_status(actor=self.officer, case=self.f0(an, day=1), status=CaseStatus.RECOVERED, at=at(15))
        self.assertEqual(self.f0(an, day=19).person, an)

    def test_case_codes_are_numbered_per_province(self):
        first, second = self.f0(self.person("An")), self.f0(self.person("Bình"))
        prefix = f"BN{self.units['province'].code}-"
        self.assertEqual((first.code, second.code), (prefix + "000001", prefix + "000002"))

    def test_a_code_typed_in_is_kept_and_does_not_disturb_the_numbering(self):
        first = self.f0(self.person("An"))
        national = self.f0(self.person("Bình"), code="BN1234")
        third = self.f0(self.person("Cường"))
        self.assertEqual(national.code, "BN1234")
        self.assertEqual(int(third.code[-6:]), int(first.code[-6:]) + 1)
        with self.assertRaises(Conflict):
            self.f0(self.person("Dũng"), code="BN1234")

    def test_confirmation_in_the_future_is_refused(self):
        with self.assertRaises(InvalidInput) as err:
            self.f0(self.person("An"), day=25)
        self.assertEqual(err.exception.field, "confirmed_at")

    def test_a_tracer_may_add_contacts_but_not_register_cases(self):
        an, binh = self.person("An"), self.person("Bình")
        with self.assertRaises(PermissionDenied):
            case_register(actor=self.users["tracer"], person=an, confirmed_at=at(10), detection="community")
        self.assertIsNotNone(self.contact(an, binh, actor=self.users["tracer"]).pk)

    def test_an_outsider_cannot_register_a_case_for_someone_they_cannot_see(self):
        with self.assertRaises(NotFound):
            case_register(actor=self.users["outsider"], person=self.person("An"), confirmed_at=at(10),
                          detection="community")

    def test_status_history_is_kept_in_order_and_ended_cases_are_closed(self):
        case = self.f0(self.person("An"))
        case_record_status(actor=self.officer, case=case, status=CaseStatus.HOSPITAL_TIER2, at=at(12))
        with self.assertRaises(InvalidInput):
            case_record_status(actor=self.officer, case=case, status=CaseStatus.HOSPITAL_TIER3, at=at(11))
        case_record_status(actor=self.officer, case=case, status=CaseStatus.RECOVERED, at=at(18))
        with self.assertRaises(Conflict):
            case_record_status(actor=self.officer, case=case, status=CaseStatus.HOME_CARE, at=at(19))
        history = list(case.status_events.values_list("status", flat=True))
        self.assertEqual(history, ["home_care", "hospital_t2", "recovered"])

    def test_an_infector_link_may_not_make_a_loop(self):
        a = self.f0(self.person("An"))
        b = self.f0(self.person("Bình"), infected_by=a)
        with self.assertRaises(InvalidInput) as err:
            case_update(actor=self.officer, case=a, infected_by=b)
        self.assertEqual(err.exception.field, "infected_by")

    def test_chains_and_generations_follow_infector_links(self):
        a = self.f0(self.person("An"))
        b = self.f0(self.person("Bình"), infected_by=a)
        c = self.f0(self.person("Cường"), infected_by=b)
        chains = chains_for(actor=self.officer)
        self.assertEqual([(chains[x.pk].root, chains[x.pk].generation) for x in (a, b, c)],
                         [(a.pk, 1), (a.pk, 2), (a.pk, 3)])

    def test_recording_a_known_contact_again_keeps_one_record_with_the_latest_time(self):
        an, binh = self.person("An"), self.person("Bình")
        self.contact(an, binh)
        contact_add(actor=self.officer, person=binh, contact=an, last_contact_at=at(12))
        self.assertEqual(Contact.objects.count(), 1)
        self.assertEqual(Contact.objects.get().last_contact_at, at(12))

    def test_a_new_person_can_be_registered_as_a_contact(self):
        an = self.person("An")
        self.f0(an)
        record = contact_add(actor=self.officer, person=an, setting="household",
                             new_contact={"commune": self.units["commune_a1"], "full_name": "Vợ An"})
        self.assertEqual(Person.objects.get(pk=record.contact_id).rank, 1)

    def test_the_case_page_sees_only_contacts_in_the_actors_jurisdiction(self):
        an, here, there = self.person("An"), self.person("Ở đây"), self.person("Ở xa", commune="commune_b1")
        case = self.f0(an)
        self.contact(an, here)
        contact_add(actor=self.users["province_leader"], person=an, contact=there)
        seen = [p.full_name for _, p in contact_list_for_person(actor=self.officer, person=an)]
        self.assertEqual(seen, ["Ở đây"])
        graph = case_chain_graph(actor=self.officer, case=case_get(actor=self.officer, case_id=case.pk))
        self.assertEqual({n["label"] for n in graph["nodes"]}, {"An", "Ở đây"})

    def test_clusters_belong_to_a_commune_and_need_a_name(self):
        with self.assertRaises(InvalidInput):
            cluster_create(actor=self.users["district_epi"], commune=self.units["commune_a1"], name=" ")
        cluster = cluster_create(actor=self.users["district_epi"], commune=self.units["commune_a1"],
                                 name="Ổ dịch chợ", source="Chợ đầu mối")
        case = self.f0(self.person("An"), cluster=cluster)
        self.assertEqual(case.cluster, cluster)


class DailyCountTests(Outbreak):
    def totals(self):
        return CaseDayCount.objects.aggregate(*(Sum(f) for f in stats.FIELDS))

    def test_counters_follow_registration_recovery_death_and_discard(self):
        a = self.f0(self.person("An"), day=10)
        self.f0(self.person("Bình"), day=10, detection=Detection.IMPORTED)
        c = self.f0(self.person("Cường"), day=11)
        d = self.f0(self.person("Dũng"), day=11)
        case_record_status(actor=self.officer, case=a, status=CaseStatus.RECOVERED, at=at(18))
        case_record_status(actor=self.officer, case=c, status=CaseStatus.DIED, at=at(19))
        case_discard(actor=self.users["district_epi"], case=d, reason="Nhầm mẫu")
        self.assertEqual(self.totals(), {"new_local__sum": 2, "new_imported__sum": 1,
                                         "recovered__sum": 1, "died__sum": 1, "contacts__sum": 0})
        self.assertEqual(CaseDayCount.objects.get(day=at(10).date()).new_local, 1)

    def test_contacts_are_counted_on_the_day_they_are_recorded_in_the_traced_persons_commune(self):
        an, binh, far = self.person("An"), self.person("Bình"), self.person("Xa", commune="commune_b1")
        self.contact(an, binh)
        contact_add(actor=self.users["province_leader"], person=far, contact=an)
        self.contact(binh, an)  # known already: not counted again
        rows = dict(CaseDayCount.objects.filter(contacts__gt=0).values_list("commune", "contacts"))
        self.assertEqual(rows, {self.units["commune_a1"].pk: 1, self.units["commune_b1"].pk: 1})
        self.assertEqual(CaseDayCount.objects.get(commune=self.units["commune_a1"]).day, at(20).date())

    def test_rebuilding_the_counters_from_cases_gives_the_same_figures(self):
        self.contact(self.person("Em"), self.person("Phúc"))
        a = self.f0(self.person("An"), day=10)
        self.f0(self.person("Bình"), day=12, detection=Detection.IMPORTED)
        case_record_status(actor=self.officer, case=a, status=CaseStatus.RECOVERED, at=at(18))
        case_discard(actor=self.users["district_epi"], case=self.f0(self.person("Cao"), day=12), reason="Nhầm")
        before = sorted(CaseDayCount.objects.filter(new_local__gt=0).values_list("day", "new_local"))
        kept = self.totals()
        stats.rebuild()
        self.assertEqual(self.totals(), kept)
        self.assertEqual(sorted(CaseDayCount.objects.filter(new_local__gt=0).values_list("day", "new_local")), before)


class RankCounterTests(Outbreak):
    def counted(self):
        rows = RankCount.objects.filter(people__gt=0).values_list("commune_id", "rank", "people")
        return sorted(rows)

    def test_rank_counters_follow_every_change_and_equal_a_recount(self):
        people = [self.person(f"Người {i}", commune="commune_a1" if i % 2 else "commune_a2") for i in range(8)]
        self.officer = leader = self.users["province_leader"]
        for i in range(7):
            self.contact(people[i], people[i + 1], actor=leader)
        first = self.f0(people[0])
        a1, a2 = self.units["commune_a1"].pk, self.units["commune_a2"].pk
        self.assertEqual(self.counted(), [(a1, 1, 1), (a1, 3, 1), (a2, 0, 1), (a2, 2, 1)])
        self.f0(people[5])
        case_discard(actor=self.users["district_epi"], case=first, reason="Nhầm mẫu")
        live = self.counted()
        expected = sorted((p.commune_id, p.rank) for p in Person.objects.exclude(rank=None))
        self.assertEqual([(c, r) for c, r, n in live for _ in range(n)], expected)
        stats.rebuild_ranks()
        self.assertEqual(self.counted(), live)
