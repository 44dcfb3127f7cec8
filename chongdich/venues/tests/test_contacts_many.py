"""cases.services.contacts_add_many (added for confirmed venue exposures) gives the same contacts,
ranks and counters as contact_add called pair by pair."""

from django.db import transaction

from chongdich.cases.models import CaseDayCount, Contact, RankCount
from chongdich.cases.services import contact_add, contacts_add_many
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.people.models import Person
from chongdich.venues.tests.base import VenuesTestCase, on


class Rollback(Exception):
    pass


class ContactsAddManyTests(VenuesTestCase):
    def pairs(self):
        p = {k: Person.objects.get(pk=v.pk) for k, v in self.people.items()}
        return [(p["An"], p["Bình"], on(9, 8)), (p["An"], p["Dũng"], on(9, 9)),
                (p["Dũng"], p["An"], on(9, 10)),  # the same pair, later, the other way round
                (p["Bình"], p["Khoa"], None), (p["An"], p["Giang"], on(9, 7)), (p["Giang"], p["Hà"], on(9, 6))]

    def snapshot(self):
        return {
            "contacts": sorted(Contact.objects.values_list("person_id", "contact_id", "last_contact_at",
                                                           "setting", "case_id")),
            "ranks": sorted(Person.objects.values_list("pk", "rank")),
            "days": sorted(CaseDayCount.objects.values_list("commune_id", "day", "contacts")),
            "rank_counts": sorted(RankCount.objects.values_list("commune_id", "rank", "people")),
        }

    def setUp(self):
        super().setUp()
        leader = self.users["province_leader"]
        self.case = self.confirm("An")
        contact_add(actor=leader, person=self.people["Giang"], contact=self.people["An"],
                    last_contact_at=on(8, 8))  # known already: its time moves
        contact_add(actor=leader, person=self.people["Khoa"], contact=self.people["Cường"])

    def test_same_result_as_one_by_one(self):
        leader = self.users["province_leader"]
        try:
            with transaction.atomic():
                for person, contact, when in self.pairs():
                    contact_add(actor=leader, person=person, contact=contact, last_contact_at=when,
                                setting="venue", case=self.case)
                one_by_one = self.snapshot()
                raise Rollback
        except Rollback:
            pass
        records = contacts_add_many(actor=leader, pairs=self.pairs(), case=self.case, setting="venue")
        self.assertEqual(self.snapshot(), one_by_one)
        self.assertEqual(records[1].pk, records[2].pk)
        self.assertEqual(Person.objects.get(pk=self.people["Cường"].pk).rank, 3)  # via Khoa, F2

    def test_checks_like_contact_add(self):
        p = self.people
        with self.assertRaises(InvalidInput):
            contacts_add_many(actor=self.users["province_leader"], pairs=[(p["An"], p["An"], None)])
        with self.assertRaises(NotFound):  # Hà lives in commune B1, outside the tracer's commune
            contacts_add_many(actor=self.users["tracer"], pairs=[(p["An"], p["Hà"], None)])
