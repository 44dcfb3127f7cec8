"""No facility is ever overbooked, also when two officers admit two people into the last place at
the same moment: each admission runs in its own thread with its own database connection, and the
first holds its transaction open after taking the place until the second is seen waiting on the
row lock. The database lets exactly one through."""

from __future__ import annotations

import threading
import time
import unittest
from unittest import mock

from django.db import connection, connections
from django.test import TransactionTestCase

from chongdich.core import clock
from chongdich.core.errors import Conflict
from chongdich.quarantine import services
from chongdich.quarantine.models import Facility, Placement, PlacementStatus
from chongdich.quarantine.tests.base import TODAY, world

WAIT = 15  # seconds; generous for a busy machine


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # activity is cached per transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


@unittest.skipUnless(connection.vendor == "postgresql",
                     "needs PostgreSQL: SQLite serialises writers, so two admissions never overlap "
                     "(the sequential last-place refusal runs on both, see test_placements)")
class LastPlaceRaceTests(TransactionTestCase):
    serialized_rollback = True  # the rule sets loaded by migration come back after the flush

    def setUp(self):
        world(self)
        frozen = clock.frozen_at(TODAY)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)
        officer = self.users["district_epi"]
        services.placement_create(actor=officer, person=self.people["An"], purpose="quarantine",
                                  setting="facility", facility=self.camp)  # 1 of 2 places taken

    def race(self, names: list[str]) -> dict[str, object]:
        barrier = threading.Barrier(len(names))
        original = services._occupy
        state = {"holder": None, "overlapped": False}
        guard = threading.Lock()
        outcomes: dict[str, object] = {}

        def occupy_then_hold(facility):
            original(facility)
            with guard:
                first = state["holder"] is None
                if first:
                    state["holder"] = threading.current_thread().name
            if first:  # keep the row lock until the other admission is blocked on it
                deadline = time.monotonic() + WAIT
                while time.monotonic() < deadline:
                    if _someone_waits_on_a_lock():
                        state["overlapped"] = True
                        break
                    time.sleep(0.02)

        def admit(name: str) -> None:
            try:
                barrier.wait(WAIT)
                services.placement_create(
                    actor=self.users["district_epi"], person=self.people[name], purpose="quarantine",
                    setting="facility", facility=Facility.objects.get(pk=self.camp.pk))
                outcomes[name] = "admitted"
            except Conflict as exc:
                outcomes[name] = exc
            except Exception as exc:  # noqa: BLE001 - reported by the assertions below
                outcomes[name] = exc
            finally:
                connections.close_all()

        with mock.patch.object(services, "_occupy", occupy_then_hold):
            threads = [threading.Thread(target=admit, args=(n,), name=n) for n in names]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(WAIT * 2)
        self.assertTrue(state["overlapped"], "the second admission never waited on the row lock")
        return outcomes

    def test_two_admissions_into_the_last_place_at_once_let_exactly_one_in(self):
        outcomes = self.race(["Bình", "Dũng"])
        admitted = [n for n, o in outcomes.items() if o == "admitted"]
        refused = [o for o in outcomes.values() if isinstance(o, Conflict)]
        self.assertEqual((len(admitted), len(refused)), (1, 1), outcomes)
        self.assertIn("đã hết chỗ", refused[0].message)
        camp = Facility.objects.get(pk=self.camp.pk)
        active = Placement.objects.filter(facility=camp, status=PlacementStatus.ACTIVE).count()
        self.assertEqual((camp.occupied, camp.capacity, active), (2, 2, 2))

    def test_the_refused_admission_leaves_nothing_behind(self):
        outcomes = self.race(["Bình", "Dũng"])
        loser = next(n for n, o in outcomes.items() if o != "admitted")
        self.assertFalse(Placement.objects.filter(person=self.people[loser]).exists())
