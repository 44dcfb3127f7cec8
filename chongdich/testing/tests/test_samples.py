"""Taking samples, one or a team's batch, pooling them, and retests after a positive pool."""

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.core.testing import at
from chongdich.people.services import person_create
from chongdich.testing import hooks
from chongdich.testing.models import Pool, Sample, SampleKind, SampleReason
from chongdich.testing.selectors import retest_due, samples_of_person
from chongdich.testing.services import pool_create, samples_take
from chongdich.testing.services_campaigns import campaign_create
from chongdich.testing.tests.base import TestingWorld


class SampleTakeTests(TestingWorld):
    def test_a_sample_lives_at_the_site_where_it_was_taken(self):
        sample = self.take(self.people[0], actor=self.leader, commune=self.units["commune_a2"])
        self.assertEqual((sample.commune_id, sample.district_id), (self.units["commune_a2"].pk,
                                                                   self.units["district_a"].pk))
        self.assertEqual(sample.taken_on.day, 18)

    def test_the_site_defaults_to_where_the_person_lives(self):
        self.assertEqual(self.take(self.people[0]).commune_id, self.units["commune_a1"].pk)

    def test_a_sample_without_a_code_gets_one(self):
        self.assertRegex(self.take(self.people[0]).code, r"^M210518-[2-9A-Z]{6}$")

    def test_a_typed_code_is_kept_in_capitals(self):
        self.assertEqual(self.take(self.people[0], code="vp-0001").code, "VP-0001")

    def test_a_code_already_on_another_tube_is_refused(self):
        self.take(self.people[0], code="VP-1")
        with self.assertRaises(Conflict):
            self.take(self.people[1], code="VP-1")

    def test_a_sample_in_the_future_is_refused(self):
        with self.assertRaises(InvalidInput):
            self.take(self.people[0], day=21)

    def test_an_outsider_cannot_find_the_person(self):
        with self.assertRaises(NotFound):
            self.take(self.people[0], actor=self.users["outsider"], commune=self.units["commune_b1"])

    def test_an_outsider_cannot_take_samples_in_another_commune(self):
        with self.assertRaises(NotFound):
            self.take(self.stranger, actor=self.users["outsider"], commune=self.units["commune_a1"])

    def test_a_viewer_may_not_take_samples(self):
        with self.assertRaises(PermissionDenied):
            self.take(self.people[0], actor=self.users["viewer"])

    def test_a_tracer_and_a_lab_may_take_samples(self):
        self.take(self.people[0], actor=self.users["tracer"])
        self.take(self.people[1], actor=self.lab_user)
        self.assertEqual(Sample.objects.count(), 2)

    def test_a_team_takes_several_people_at_once(self):
        samples = samples_take(actor=self.officer, people=self.people[:3], commune=self.units["commune_a1"],
                               taken_at=at(18), reason=SampleReason.SCREENING, codes=["A1", "", "A3"],
                               place="Chợ Đồng Tâm")
        self.assertEqual([s.code for s in samples][::2], ["A1", "A3"])
        self.assertEqual(Sample.objects.filter(place="Chợ Đồng Tâm", pool__isnull=True).count(), 3)

    def test_a_batch_with_a_person_outside_the_area_saves_nobody(self):
        with self.assertRaises(NotFound):
            samples_take(actor=self.officer, people=[self.people[0], self.stranger],
                         commune=self.units["commune_a1"], taken_at=at(18), reason=SampleReason.SCREENING)
        self.assertFalse(Sample.objects.exists())

    def test_the_same_person_twice_in_a_batch_is_refused(self):
        with self.assertRaises(InvalidInput):
            samples_take(actor=self.officer, people=[self.people[0], self.people[0]],
                         commune=self.units["commune_a1"], taken_at=at(18), reason=SampleReason.SCREENING)

    def test_the_sample_hooks_hear_of_every_new_sample(self):
        heard = []
        hooks.sample_taken_hooks.append(heard.append)
        self.addCleanup(hooks.sample_taken_hooks.remove, heard.append)
        one = self.take(self.people[0])
        pool = self.pool(self.people[1:6])
        self.assertEqual(heard[0], [one.pk])
        self.assertEqual(sorted(heard[1]), sorted(pool.members.values_list("pk", flat=True)))

    def test_the_person_page_lists_samples_taken_anywhere(self):
        self.take(self.people[0], actor=self.leader, commune=self.units["commune_b1"])
        self.assertEqual(samples_of_person(actor=self.officer, person=self.people[0]).count(), 1)


class PoolTests(TestingWorld):
    def test_a_pooled_set_records_each_member_under_the_pool_code(self):
        pool = self.pool(code="G-7")
        self.assertEqual(sorted(pool.members.values_list("code", flat=True)),
                         [f"G-7-0{i}" for i in range(1, 6)])
        self.assertEqual(pool.taken_on.day, 18)

    def test_a_pool_of_four_is_refused(self):
        with self.assertRaises(InvalidInput):
            self.pool(self.people[:4])
        self.assertFalse(Pool.objects.exists() or Sample.objects.exists())

    def test_a_pool_of_sixteen_is_refused(self):
        extra = [person_create(actor=self.leader, commune=self.units["commune_a1"], full_name=f"Phạm {i}",
                               birth_year=1990 + i) for i in range(4)]
        samples = [self.take(p) for p in self.people + extra]
        with self.assertRaises(InvalidInput):
            pool_create(actor=self.officer, samples=samples)

    def test_the_same_sample_twice_is_refused(self):
        samples = [self.take(p) for p in self.people[:4]]
        with self.assertRaises(InvalidInput):
            pool_create(actor=self.officer, samples=[*samples, samples[0]])

    def test_a_campaign_pooling_by_five_refuses_a_pool_of_six(self):
        campaign = campaign_create(actor=self.leader, unit=self.units["district_a"], name="Chợ",
                                   target_group="market_traders", starts_on=at(17).date(),
                                   ends_on=at(20).date(), pool_size=5)
        with self.assertRaises(InvalidInput):
            self.pool(self.people[:6], campaign=campaign)

    def test_samples_taken_earlier_are_pooled(self):
        samples = [self.take(p, reason=SampleReason.SCREENING) for p in self.people[:5]]
        pool = pool_create(actor=self.officer, samples=samples, code="g-1")
        self.assertEqual(pool.code, "G-1")
        self.assertEqual(Sample.objects.filter(pool=pool).count(), 5)

    def test_samples_of_different_days_are_not_pooled(self):
        samples = [self.take(p, day=17 + i % 2) for i, p in enumerate(self.people[:5])]
        with self.assertRaises(InvalidInput):
            pool_create(actor=self.officer, samples=samples)

    def test_samples_of_different_sites_are_not_pooled(self):
        samples = [self.take(p, actor=self.leader) for p in self.people[:4]]
        samples.append(self.take(self.people[4], actor=self.leader, commune=self.units["commune_a2"]))
        with self.assertRaises(InvalidInput):
            pool_create(actor=self.leader, samples=samples)

    def test_a_sample_is_pooled_once(self):
        samples = [self.take(p) for p in self.people[:6]]
        pool_create(actor=self.officer, samples=samples[:5])
        with self.assertRaises(Conflict):
            pool_create(actor=self.officer, samples=samples[1:])

    def test_a_sample_with_a_result_is_not_pooled(self):
        samples = [self.take(p) for p in self.people[:5]]
        self.result(samples[0], "negative")
        with self.assertRaises(Conflict):
            pool_create(actor=self.officer, samples=samples)

    def test_a_viewer_may_not_pool(self):
        samples = [self.take(p) for p in self.people[:5]]
        with self.assertRaises(PermissionDenied):
            pool_create(actor=self.users["viewer"], samples=samples)

    def test_an_outsider_may_not_pool(self):
        with self.assertRaises(NotFound):
            self.pool(actor=self.users["outsider"])


class RetestTests(TestingWorld):
    def test_a_positive_pool_puts_every_member_on_the_retest_list(self):
        pool = self.pool()
        self.result(pool, "positive")
        due = retest_due(actor=self.officer)
        self.assertEqual(sorted(s.person_id for s in due), sorted(p.pk for p in self.people[:5]))

    def test_a_negative_pool_asks_for_no_retest(self):
        self.result(self.pool(), "negative")
        self.assertFalse(retest_due(actor=self.officer).exists())

    def test_a_retest_clears_the_mark_and_links_the_pooled_sample(self):
        pool = self.pool()
        self.result(pool, "positive")
        member = pool.members.get(person=self.people[0])
        retest = self.take(self.people[0], reason=SampleReason.RETEST, day=20)
        self.assertEqual(retest.retest_of_id, member.pk)
        self.assertEqual(retest_due(actor=self.officer).count(), 4)

    def test_a_sample_for_another_reason_leaves_the_retest_due(self):
        pool = self.pool()
        self.result(pool, "positive")
        self.take(self.people[0], reason=SampleReason.SYMPTOMS, day=20)
        self.assertEqual(retest_due(actor=self.officer).count(), 5)

    def test_a_batch_of_retests_clears_every_mark(self):
        self.result(self.pool(), "positive")
        samples_take(actor=self.officer, people=self.people[:5], commune=self.units["commune_a1"],
                     taken_at=at(20), reason=SampleReason.RETEST, kind=SampleKind.RT_PCR)
        self.assertFalse(retest_due(actor=self.officer).exists())
        self.assertEqual(Sample.objects.filter(retest_of__isnull=False).count(), 5)

    def test_retests_cannot_be_pooled(self):
        with self.assertRaises(InvalidInput):
            self.pool(reason=SampleReason.RETEST)

    def test_the_retest_list_is_the_sites_own(self):
        self.result(self.pool(), "positive")
        self.assertFalse(retest_due(actor=self.users["outsider"]).exists())
