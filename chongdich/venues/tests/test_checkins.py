"""Venues and check-ins: who may record what, batches all or nothing, the public page's visitor,
the retention purge (partitions on PostgreSQL, a DELETE on SQLite)."""

import datetime as dt
import unittest

from django.db import connection
from django.test import override_settings

from chongdich.core import clock
from chongdich.core.errors import InvalidInput, NotFound, PermissionDenied
from chongdich.people.models import Person
from chongdich.venues import partitions, services
from chongdich.venues.models import CheckIn
from chongdich.venues.tests.base import VenuesTestCase, on


class VenueTests(VenuesTestCase):
    def test_a_commune_officer_adds_a_venue_with_an_unguessable_code(self):
        venue = services.venue_create(actor=self.users["commune_officer"], commune=self.units["commune_a1"],
                                      name="Chợ Đầu Mối", kind="market", capacity=2000)
        self.assertEqual(len(venue.code), 10)
        self.assertNotEqual(venue.code, self.factory.code)

    def test_an_outsider_cannot_add_a_venue_in_another_commune(self):
        with self.assertRaises(NotFound):
            services.venue_create(actor=self.users["outsider"], commune=self.units["commune_a1"],
                                  name="X", kind="shop")

    def test_a_viewer_cannot_add_a_venue(self):
        with self.assertRaises(PermissionDenied):
            services.venue_create(actor=self.users["viewer"], commune=self.units["commune_a1"],
                                  name="X", kind="shop")

    def test_a_new_code_replaces_the_old_one(self):
        old = self.factory.code
        services.venue_new_code(actor=self.users["province_leader"], venue=self.factory)
        self.assertNotEqual(self.factory.code, old)


class CheckInTests(VenuesTestCase):
    def row(self, name="An", venue=None, start=None, end=None):
        return services.CheckInRow((venue or self.factory).pk, self.people[name].pk, start or on(9, 8), end)

    def test_a_batch_is_stored_whole(self):
        stored, errors = services.checkins_record(actor=self.users["tracer"], rows=[
            self.row("An"), self.row("Bình", end=on(9, 9)), self.row("Cường", self.bus)])
        self.assertEqual((len(stored), errors), (3, []))
        self.assertEqual(CheckIn.objects.count(), 3)

    def test_a_bad_row_refuses_the_whole_batch_and_names_it(self):
        with self.assertRaises(InvalidInput) as caught:
            services.checkins_record(actor=self.users["tracer"], rows=[
                self.row("An"), self.row("Bình", start=on(11, 8))])  # tomorrow
        self.assertEqual(caught.exception.field, "rows[1].checked_in_at")
        self.assertEqual(CheckIn.objects.count(), 0)

    def test_partial_keeps_the_good_rows(self):
        stored, errors = services.checkins_record(actor=self.users["tracer"], partial=True, rows=[
            self.row("An"), self.row("Bình", start=on(9, 9), end=on(9, 8)), self.row("Cường", start=on(1, 8) - dt.timedelta(days=15))])
        self.assertEqual(len(stored), 1)
        self.assertEqual([(e.index, e.field) for e in errors], [(1, "checked_out_at"), (2, "checked_in_at")])

    def test_a_venue_outside_the_area_is_not_found(self):
        with self.assertRaises(InvalidInput) as caught:
            services.checkins_record(actor=self.users["tracer"], rows=[self.row("An", self.market)])
        self.assertEqual(caught.exception.field, "venue")

    def test_the_public_page_finds_a_known_person_by_phone_and_name(self):
        Person.objects.filter(pk=self.people["An"].pk).update(phone="0912345678")
        checkin = services.checkin_public(code=self.factory.code.lower(), full_name="nguyễn văn  an",
                                          phone="0912 345 678")
        self.assertEqual(checkin.person_id, self.people["An"].pk)
        self.assertEqual(checkin.checked_in_at, clock.now())

    def test_the_public_page_registers_an_unknown_visitor_in_the_venues_commune(self):
        before = Person.objects.count()
        checkin = services.checkin_public(code=self.factory.code, full_name="Lê Thị Mai", phone="0987654321")
        person = Person.objects.get(pk=checkin.person_id)
        self.assertEqual((Person.objects.count(), person.commune_id), (before + 1, self.units["commune_a1"].pk))

    def test_the_public_page_needs_a_phone_or_an_id_and_a_live_code(self):
        with self.assertRaises(InvalidInput):
            services.checkin_public(code=self.factory.code, full_name="Lê Thị Mai")
        with self.assertRaises(NotFound):
            services.checkin_public(code="NOPE", full_name="Lê Thị Mai", phone="0987654321")


class PurgeTests(VenuesTestCase):
    def fill(self):
        for day in (15, 18, 19, 20):
            with clock.frozen_at(on(day, 12)):
                services.checkins_record(actor=self.users["tracer"], rows=[
                    services.CheckInRow(self.factory.pk, self.people["An"].pk, on(day, 8))])

    @override_settings(VENUES_CHECKIN_RETENTION_DAYS=3)
    def test_checkins_older_than_the_retention_period_are_gone(self):
        self.fill()
        result = services.checkins_purge(today=dt.date(2021, 5, 21))
        self.assertEqual(sorted(c.checked_in_at.day for c in CheckIn.objects.all()), [18, 19, 20])
        self.assertEqual(result["first_kept_day"], dt.date(2021, 5, 18))

    @unittest.skipUnless(connection.vendor == "postgresql", "partitions exist on PostgreSQL only")
    @override_settings(VENUES_CHECKIN_RETENTION_DAYS=3)
    def test_postgresql_drops_whole_partitions_and_creates_the_coming_week(self):
        self.fill()
        result = services.checkins_purge(today=dt.date(2021, 5, 21))
        days = partitions.existing()
        self.assertNotIn(dt.date(2021, 5, 15), days)
        self.assertIn(dt.date(2021, 5, 28), days)
        self.assertEqual(result["deleted_rows"], 0)
        self.assertGreaterEqual(result["dropped_partitions"], 1)

    @unittest.skipUnless(connection.vendor == "postgresql", "partitions exist on PostgreSQL only")
    def test_the_table_is_partitioned_by_day_on_the_checkin_time(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_partkeydef('venues_checkin'::regclass)")
            self.assertEqual(cursor.fetchone()[0], "RANGE (checked_in_at)")

    @unittest.skipUnless(connection.vendor == "sqlite", "the SQLite fallback")
    @override_settings(VENUES_CHECKIN_RETENTION_DAYS=3)
    def test_sqlite_deletes_the_rows(self):
        self.fill()
        self.assertEqual(services.checkins_purge(today=dt.date(2021, 5, 21))["deleted_rows"], 1)
