"""The synthetic outbreak before it reaches the database: pure NumPy, no queries."""

import hashlib
from collections import Counter

import numpy as np
from django.test import SimpleTestCase

from chongdich.demo import identities
from chongdich.demo.codes import DIED, IMPORTED, RECOVERED
from chongdich.demo.outbreak import default_days, simulate
from chongdich.demo.population import Commune, build_population
from chongdich.people.domain import normalise_phone, validate_citizen_id

COMMUNES = [
    Commune(id=i, district_id=100 + i // 10, province_id=1, name=f"Thử {i}", name_with_type=f"Xã Thử {i}",
            kind="phuong" if i % 4 == 0 else "xa", district_name=f"Huyện {i // 10}", population=5000 + 100 * i)
    for i in range(40)
]


def outbreak(seed: int, cases: int = 1500):
    rng = np.random.default_rng(seed)
    pop = build_population(rng, n=200_000, communes=COMMUNES, province_code="26", ref_year=2021)
    return pop, simulate(pop, rng, cases=cases, ref_year=2021)


def fingerprint(ob) -> str:
    digest = hashlib.sha256()
    for array in (ob.person, ob.confirmed_t, ob.infector, ob.detection, ob.status, ob.cluster,
                  ob.contact_a, ob.contact_b, ob.contact_setting, ob.event_t):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update("|".join(ob.cluster_name).encode())
    return digest.hexdigest()


class OutbreakTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pop, cls.ob = outbreak(seed=7)

    def test_the_same_seed_gives_the_same_outbreak(self):
        self.assertEqual(fingerprint(outbreak(seed=7)[1]), fingerprint(self.ob))

    def test_another_seed_gives_another_outbreak(self):
        self.assertNotEqual(fingerprint(outbreak(seed=8)[1]), fingerprint(self.ob))

    def test_it_has_exactly_the_cases_asked_for_each_a_different_person(self):
        self.assertEqual(len(self.ob.person), 1500)
        self.assertEqual(len(np.unique(self.ob.person)), 1500)

    def test_cases_are_confirmed_within_the_period_in_order(self):
        conf = self.ob.confirmed_t
        self.assertTrue((np.diff(conf) >= 0).all())
        self.assertTrue(conf.min() >= 0 and conf.max() < self.ob.days)
        self.assertEqual(self.ob.days, default_days(1500))

    def test_every_infector_is_confirmed_before_the_case_it_infected(self):
        has = self.ob.infector >= 0
        self.assertTrue((self.ob.confirmed_t[self.ob.infector[has]] < self.ob.confirmed_t[has]).all())

    def test_the_infector_is_known_for_about_seven_cases_in_ten(self):
        self.assertTrue(0.6 <= (self.ob.infector >= 0).mean() <= 0.8, (self.ob.infector >= 0).mean())

    def test_a_few_imported_cases_start_it_and_none_has_an_infector(self):
        imported = self.ob.setting == IMPORTED
        self.assertTrue(imported[:3].all())
        self.assertTrue(0 < imported.sum() < 0.05 * 1500)
        self.assertTrue((self.ob.infector[imported] == -1).all())

    def test_each_case_has_five_to_twenty_contacts_on_average_with_a_heavier_tail(self):
        per_case = np.bincount(self.ob.contact_case, minlength=1500)
        self.assertTrue(5 <= per_case.mean() <= 20, per_case.mean())
        self.assertGreater(per_case.max(), 3 * per_case.mean())

    def test_each_pair_of_people_is_traced_once_and_nobody_is_their_own_contact(self):
        a, b = self.ob.contact_a, self.ob.contact_b
        self.assertFalse((a == b).any())
        pairs = np.minimum(a, b) * self.pop.n + np.maximum(a, b)
        self.assertEqual(len(np.unique(pairs)), len(pairs))

    def test_every_known_infection_is_a_traced_contact(self):
        a, b = self.ob.contact_a, self.ob.contact_b
        pairs = set((np.minimum(a, b) * self.pop.n + np.maximum(a, b)).tolist())
        has = np.nonzero(self.ob.infector >= 0)[0]
        src, dst = self.ob.person[self.ob.infector[has]], self.ob.person[has]
        self.assertTrue(set((np.minimum(src, dst) * self.pop.n + np.maximum(src, dst)).tolist()) <= pairs)

    def test_contacts_of_contacts_are_traced_so_f2_exist(self):
        cases = set(self.ob.person.tolist())
        f1_listing = [a for a in self.ob.contact_a.tolist() if a not in cases]
        self.assertGreater(len(f1_listing), 0.02 * len(self.ob.contact_a))

    def test_status_histories_run_forward_and_end_in_recovery_or_death(self):
        case, t = self.ob.event_case, self.ob.event_t
        same = case[1:] == case[:-1]
        self.assertTrue((np.diff(t)[same] >= 0).all())
        first = np.r_[True, ~same]
        np.testing.assert_allclose(t[first], self.ob.confirmed_t[case[first]])
        ended = np.isin(self.ob.status, [RECOVERED, DIED])
        recovered_after = self.ob.status_t[self.ob.status == RECOVERED] - self.ob.confirmed_t[self.ob.status == RECOVERED]
        self.assertTrue((recovered_after >= 9).all())  # 10+ days, then office hours
        self.assertTrue((self.ob.status_t[ended] <= self.ob.days).all())

    def test_cases_of_the_last_week_are_still_under_treatment(self):
        recent = self.ob.confirmed_t >= self.ob.days - 8
        self.assertTrue(recent.any())
        self.assertFalse((self.ob.status[recent] == RECOVERED).any())

    def test_deaths_are_rare_and_more_frequent_with_age(self):
        ended = np.isin(self.ob.status, [RECOVERED, DIED])
        died = self.ob.status == DIED
        self.assertTrue(0 < died.sum() <= 0.03 * ended.sum(), (died.sum(), ended.sum()))
        age = 2021 - self.pop.birth_year[self.ob.person]
        self.assertGreater(np.median(age[died]), np.median(age[ended & ~died]))

    def test_clusters_are_named_after_places_and_hold_several_cases(self):
        sizes = np.bincount(self.ob.cluster[self.ob.cluster >= 0])
        self.assertGreater(len(self.ob.cluster_name), 3)
        self.assertTrue((sizes >= 3).all())
        self.assertTrue(all(name.startswith("Ổ dịch ") for name in self.ob.cluster_name))
        self.assertTrue(any("chợ" in name or "KCN" in name for name in self.ob.cluster_name))


class IdentityTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rng = np.random.default_rng(3)
        cls.pop = build_population(cls.rng, n=50_000, communes=COMMUNES, province_code="26", ref_year=2021)
        cls.people = np.arange(0, 50_000, 7)

    def test_nguyen_is_the_family_name_of_about_four_people_in_ten(self):
        full, _ = identities.full_names(self.rng, self.pop, self.people)
        share = Counter(name.split()[0] for name in full)["Nguyễn"] / len(full)
        self.assertTrue(0.3 <= share <= 0.46, share)

    def test_folded_names_are_the_names_without_diacritics(self):
        full, folded = identities.full_names(self.rng, self.pop, self.people[:50])
        from chongdich.core.text import fold

        self.assertEqual(folded, [fold(name) for name in full])

    def test_phones_are_valid_vietnamese_mobiles(self):
        phones = [p for p in identities.phones(self.rng, self.pop, self.people, 2021) if p]
        self.assertGreater(len(phones), 0.8 * len(self.people))
        for phone in phones[:2000]:
            self.assertEqual(normalise_phone(phone), phone)

    def test_about_sixty_percent_have_a_citizen_id_matching_their_birth_year_and_sex(self):
        ids = identities.citizen_ids(self.rng, self.pop, self.people, "26", taken=set())
        given = [(i, cid) for i, cid in enumerate(ids) if cid]
        self.assertTrue(0.45 <= len(given) / len(ids) <= 0.75, len(given) / len(ids))
        self.assertEqual(len({cid for _, cid in given}), len(given))
        for i, cid in given:
            person = self.people[i]
            sex = "female" if self.pop.female[person] else "male"
            self.assertEqual(validate_citizen_id(cid, birth_year=int(self.pop.birth_year[person]), sex=sex), cid)

    def test_citizen_ids_already_in_use_are_not_given_again(self):
        ids = identities.citizen_ids(np.random.default_rng(5), self.pop, self.people, "26", taken=set())
        taken = {cid for cid in ids[:300] if cid}
        again = identities.citizen_ids(np.random.default_rng(5), self.pop, self.people, "26", taken=taken)
        self.assertFalse(taken & set(again))
