"""`chongdich demo`: a small synthetic outbreak loaded into the database, and the demo accounts."""

import datetime as dt
import hashlib
from io import StringIO
from unittest import mock, skipUnless

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Sum
from django.test import TestCase

from chongdich.accounts.models import User
from chongdich.cases import domain, ranks
from chongdich.cases.models import Case, CaseDayCount, CaseStatusEvent, Cluster, Contact, Detection
from chongdich.cases.ranks import active_cases_q, max_rank
from chongdich.core.testing import make_geography
from chongdich.core.text import fold
from chongdich.demo import services
from chongdich.demo.services import DEMO_PASSWORD, demo_accounts_ensure, demo_build
from chongdich.geography.models import AdminUnit
from chongdich.people.domain import normalise_phone, validate_citizen_id
from chongdich.people.models import Person


def wipe() -> None:
    for model in (Contact, CaseStatusEvent, CaseDayCount, Case, Cluster, Person):
        model.objects.all().delete()


def fingerprint() -> str:
    """Everything that matters, by natural keys (ids may differ from one load to another)."""
    rows = [
        sorted(Case.objects.values_list("code", "person__full_name", "person__citizen_id", "person__phone",
                                        "confirmed_at", "detection", "infected_by__code", "cluster__name",
                                        "status", "status_since")),
        sorted(Contact.objects.values_list("person__full_name", "person__phone", "contact__full_name",
                                           "contact__phone", "setting", "last_contact_at", "case__code")),
        sorted(CaseStatusEvent.objects.values_list("case__code", "status", "at")),
        sorted(Person.objects.values_list("full_name", "birth_year", "sex", "citizen_id", "phone", "address", "rank")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class DemoBuildTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = demo_build(province_code="26", cases=200, seed=3)
        cls.accounts = demo_accounts_ensure(province_code="26")
        cls.fingerprint = fingerprint()

    def test_it_loads_the_province_units_it_needs(self):
        self.assertEqual(AdminUnit.objects.get(code="08707").name_with_type, "Phường Tích Sơn")

    def test_it_creates_exactly_the_cases_asked_for_and_reports_the_counts(self):
        self.assertEqual(Case.objects.count(), 200)
        s = self.summary
        self.assertEqual((s.cases, s.people, s.contacts, s.clusters, s.status_events),
                         (200, Person.objects.count(), Contact.objects.count(), Cluster.objects.count(),
                          CaseStatusEvent.objects.count()))
        self.assertEqual(s.start, dt.date(2021, 5, 1))

    def test_the_same_seed_gives_the_same_data(self):
        wipe()
        demo_build(province_code="26", cases=200, seed=3)
        self.assertEqual(fingerprint(), self.fingerprint)

    def test_another_seed_gives_other_data(self):
        wipe()
        demo_build(province_code="26", cases=200, seed=4)
        self.assertNotEqual(fingerprint(), self.fingerprint)

    def test_case_codes_follow_the_order_of_confirmation(self):
        codes = list(Case.objects.order_by("confirmed_at", "pk").values_list("code", flat=True))
        self.assertEqual(codes, [f"BN26-{i:06d}" for i in range(1, 201)])

    def test_every_infector_was_confirmed_before_the_case_it_infected(self):
        linked = Case.objects.filter(infected_by__isnull=False)
        self.assertGreater(linked.count(), 100)
        self.assertFalse(linked.filter(infected_by__confirmed_at__gte=F("confirmed_at")).exists())

    def test_the_first_cases_are_imported(self):
        first = Case.objects.order_by("confirmed_at").first()
        self.assertEqual((first.detection, first.infected_by), (Detection.IMPORTED, None))

    def test_confirmation_dates_are_local_dates_of_the_confirmation_times(self):
        from django.utils import timezone

        for case in Case.objects.all()[:50]:
            self.assertEqual(case.confirmed_on, timezone.localdate(case.confirmed_at))

    def test_citizen_ids_are_valid_for_the_birth_year_and_sex_of_their_holder(self):
        people = Person.objects.exclude(citizen_id="")
        self.assertTrue(0.4 <= people.count() / Person.objects.count() <= 0.75)
        for p in people:
            self.assertEqual(validate_citizen_id(p.citizen_id, birth_year=p.birth_year, sex=p.sex), p.citizen_id)

    def test_phones_are_normalised_vietnamese_mobiles(self):
        for phone in Person.objects.exclude(phone="").values_list("phone", flat=True)[:1000]:
            self.assertEqual(normalise_phone(phone), phone)

    def test_people_live_in_the_province_and_can_be_found_without_diacritics(self):
        province = AdminUnit.objects.get(code="26")
        self.assertFalse(Person.objects.exclude(province=province).exists())
        for p in Person.objects.all()[:200]:
            self.assertEqual(p.name_folded, fold(p.full_name))
            self.assertEqual((p.commune.district_id, p.commune.province_id), (p.district_id, p.province_id))

    def test_ranks_equal_a_breadth_first_search_from_scratch(self):
        edges = list(Contact.objects.values_list("person_id", "contact_id"))
        adjacency: dict[int, set[int]] = {}
        for a, b in edges:
            adjacency.setdefault(a, set()).add(b)
            adjacency.setdefault(b, set()).add(a)
        sources = Case.objects.filter(active_cases_q()).values_list("person_id", flat=True)
        expected = domain.full_ranks(adjacency, sources, max_rank())
        stored = dict(Person.objects.exclude(rank=None).values_list("pk", "rank"))
        self.assertEqual(stored, expected)
        self.assertTrue({0, 1, 2} <= set(stored.values()))

    def test_a_rank_rebuild_repairs_wrong_ranks_of_one_province_only(self):
        right = dict(Person.objects.values_list("pk", "rank"))
        ranked = [pk for pk, r in right.items() if r is not None][:20]
        unranked = [pk for pk, r in right.items() if r is None][:20]
        Person.objects.filter(pk__in=ranked).update(rank=None)
        Person.objects.filter(pk__in=unranked).update(rank=2)
        elsewhere = make_geography()["commune_b1"]
        stranger = Person.objects.create(full_name="Người Ngoài", name_folded="nguoi ngoai", rank=1,
                                         commune=elsewhere, **elsewhere.jurisdiction_keys())
        result = ranks.rebuild_all(province_id=AdminUnit.objects.get(code="26").pk)
        self.assertEqual(result["changed"], len(ranked) + len(unranked))
        self.assertEqual(dict(Person.objects.exclude(pk=stranger.pk).values_list("pk", "rank")), right)
        stranger.refresh_from_db()
        self.assertEqual(stranger.rank, 1)

    def test_daily_counters_add_up_to_the_cases(self):
        totals = CaseDayCount.objects.aggregate(local=Sum("new_local"), imported=Sum("new_imported"),
                                                recovered=Sum("recovered"), died=Sum("died"))
        self.assertEqual(totals, {
            "local": Case.objects.exclude(detection=Detection.IMPORTED).count(),
            "imported": Case.objects.filter(detection=Detection.IMPORTED).count(),
            "recovered": Case.objects.filter(status="recovered").count(),
            "died": Case.objects.filter(status="died").count(),
        })
        by_day = dict(CaseDayCount.objects.values_list("day").annotate(n=Sum(F("new_local") + F("new_imported"))))
        for day, n in by_day.items():
            self.assertEqual(n, Case.objects.filter(confirmed_on=day).count())

    def test_each_case_status_is_its_last_status_event(self):
        for case in Case.objects.all()[:100]:
            last = case.status_events.order_by("at", "pk").last()
            self.assertEqual((case.status, case.status_since), (last.status, last.at))
            self.assertEqual(case.ended_on is not None, case.status in domain.ENDED_STATUSES)

    def test_recent_cases_are_still_under_treatment(self):
        last_day = Case.objects.order_by("-confirmed_on").values_list("confirmed_on", flat=True).first()
        recent = Case.objects.filter(confirmed_on__gt=last_day - dt.timedelta(days=7))
        self.assertTrue(recent.exists())
        self.assertFalse(recent.filter(status="recovered").exists())

    def test_clusters_are_named_after_places_and_hold_their_cases(self):
        self.assertTrue(Cluster.objects.exists())
        for cluster in Cluster.objects.all():
            self.assertTrue(cluster.name.startswith("Ổ dịch "))
            first = cluster.cases.order_by("confirmed_on").first()
            self.assertEqual(cluster.started_on, first.confirmed_on)

    def test_contacts_were_last_met_before_they_were_recorded(self):
        self.assertFalse(Contact.objects.filter(last_contact_at__gt=F("created_at")).exists())
        self.assertGreater(Contact.objects.count(), 5 * 200)

    def test_records_are_not_piled_up_at_the_end_of_the_period(self):
        busiest = Contact.objects.values("created_at").annotate(n=Count("pk")).order_by("-n").first()
        self.assertLessEqual(busiest["n"], 3)
        end = Case.objects.order_by("-confirmed_at").values_list("confirmed_at", flat=True).first()
        self.assertLess(Contact.objects.filter(created_at__gte=end).count(), Contact.objects.count() / 50)

    def test_demo_accounts_have_their_units_and_roles(self):
        got = {u.username: (u.role, u.unit.code if u.unit else None)
               for u in User.objects.filter(username__in=[a.username for a in self.accounts])}
        self.assertEqual(got, {
            "lanhdao": ("leader", "26"), "dichte": ("epidemiologist", "26"), "huyen": ("officer", "243"),
            "xa": ("officer", "08707"), "truyvet": ("tracer", "08707"), "xem": ("viewer", "26"),
            "xetnghiem": ("lab", "26"), "cachly": ("facility", "243"), "admin": ("viewer", None),
        })
        self.assertTrue(User.objects.get(username="admin").is_superuser)
        self.assertTrue(all(u.full_name for u in User.objects.all()))

    def test_ensuring_the_accounts_again_resets_their_passwords(self):
        user = User.objects.get(username="xa")
        user.set_password("something-else-1")
        user.save()
        demo_accounts_ensure(province_code="26")
        self.assertIsNotNone(authenticate(username="xa", password=DEMO_PASSWORD))
        self.assertEqual(User.objects.filter(username="xa").count(), 1)

    def test_if_empty_leaves_existing_cases_alone_but_ensures_the_accounts(self):
        User.objects.filter(username="truyvet").delete()
        out = StringIO()
        call_command("demo", "--cases", "50", "--if-empty", stdout=out)
        self.assertEqual(Case.objects.count(), 200)
        self.assertTrue(User.objects.filter(username="truyvet").exists())
        self.assertIn("lanhdao", out.getvalue())

    @skipUnless(connection.vendor == "postgresql", "indexes are dropped for big loads on PostgreSQL only")
    def test_a_big_load_puts_back_every_index_and_constraint(self):
        def catalogue():
            with connection.cursor() as cursor:
                # (the text of a partial index's condition may come back written differently)
                cursor.execute("SELECT indexname, left(indexdef, strpos(indexdef || ' WHERE', ' WHERE'))"
                               " FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1", [services.LOADED_TABLES])
                indexes = cursor.fetchall()
                cursor.execute("SELECT conname, contype, condeferred, convalidated FROM pg_constraint"
                               " WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1", [services.LOADED_TABLES])
                return indexes, cursor.fetchall()

        before = catalogue()
        with mock.patch.object(services, "BIG_LOAD", 0):
            demo_build(province_code="26", cases=100, seed=9)
        self.assertEqual(catalogue(), before)
        self.assertEqual(Case.objects.count(), 300)


class DemoCommandTests(TestCase):
    def test_the_command_prints_a_summary_and_the_accounts(self):
        out = StringIO()
        call_command("demo", "--cases", "60", "--seed", "2", "--start", "2021-07-01", stdout=out)
        text = out.getvalue()
        self.assertIn("60 ca F0", text)
        self.assertIn("01/07/2021", text)
        for username in ("lanhdao", "dichte", "huyen", "xa", "truyvet", "xem", "admin"):
            self.assertIn(username, text)
        self.assertEqual(Case.objects.order_by("confirmed_on").first().confirmed_on.month, 7)
