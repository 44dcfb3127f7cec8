"""Matching in the database: the hook queues a job, the set-based SQL makes one proposal per
person with all the evidence, agrees with domain.match_visits, and never re-proposes."""

import datetime as dt
import unittest
from unittest import mock

from django.db import connection
from django.test import TransactionTestCase, override_settings

from chongdich.cases.models import Detection
from chongdich.cases.services import case_register
from chongdich.core import clock
from chongdich.venues import domain, selectors, services, services_exposures
from chongdich.venues.models import CheckIn, MatchJob, Proposal, ProposalStatus, Venue
from chongdich.venues.rule_data import as_rule
from chongdich.venues.tests.base import NOW, VenuesTestCase, on, world


class MatchingTests(VenuesTestCase):
    def scene(self):
        """An at the factory 9 May 8–9 h; Bình overlaps; Cường exactly 60 min after; Dũng 61 min
        after; Giang twice at the factory and once on the bus with An; Hà on the bus too late."""
        self.visit("An", self.factory, on(9, 8), on(9, 9))
        self.visit("An", self.bus, on(9, 17), on(9, 18))
        self.visit("An", self.factory, on(2, 8), on(2, 9))  # before the window
        self.visit("Bình", self.factory, on(9, 8, 30), on(9, 10))
        self.visit("Cường", self.factory, on(9, 10), on(9, 11))
        self.visit("Dũng", self.factory, on(9, 10, 1), None)
        self.visit("Giang", self.factory, on(9, 7), on(9, 8, 10))
        self.visit("Giang", self.factory, on(9, 8, 50), None)
        self.visit("Giang", self.bus, on(9, 17, 30), on(9, 18, 30))
        self.visit("Hà", self.bus, on(9, 18, 16), None)
        self.visit("Hà", self.factory, on(2, 8, 30), None)

    def test_a_confirmed_case_queues_its_matching_and_counts_as_open(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            case = self.confirm("An")
        self.assertTrue(MatchJob.objects.filter(case=case, status="queued").exists())
        self.assertTrue(callbacks)  # the task is enqueued after commit
        self.assertEqual(selectors.open_proposal_counts([case.pk]), {case.pk: 1})

    def test_one_proposal_per_person_with_all_evidence(self):
        self.scene()
        case = self.confirm("An")
        totals = services_exposures.matching_run_queued()
        self.assertEqual(totals["proposals"], 3)
        got = {p.person.full_name.split()[-1]: p for p in Proposal.objects.select_related("person")}
        self.assertEqual(set(got), {"Bình", "Cường", "Giang"})
        self.assertEqual((got["Bình"].overlap_minutes, got["Bình"].gap_minutes), (30, 0))
        self.assertEqual((got["Cường"].overlap_minutes, got["Cường"].gap_minutes), (0, 60))
        giang = got["Giang"]
        self.assertEqual(giang.visits, 3)
        self.assertEqual(giang.evidence.count(), 3)  # rows only when there is more than one piece
        self.assertEqual(got["Bình"].evidence.count(), 0)
        self.assertEqual((got["Bình"].visit_in, got["Bình"].visit_out), (on(9, 8, 30), on(9, 10)))
        self.assertEqual((got["Bình"].source_in, got["Bình"].source_out), (on(9, 8), on(9, 9)))
        self.assertEqual((giang.visit_in, giang.source_in), (on(9, 17, 30), on(9, 17)))
        pieces = selectors.evidence_of([got["Bình"], giang])
        self.assertEqual([e.visit_in for e in pieces[got["Bình"].pk]], [on(9, 8, 30)])
        self.assertEqual([e.visit_in for e in pieces[giang.pk]], [on(9, 7), on(9, 8, 50), on(9, 17, 30)])
        self.assertEqual(giang.overlap_minutes, 30)  # the bus, 17:30–18:00: the best of three
        self.assertEqual(giang.venue_id, self.bus.pk)
        self.assertEqual(giang.last_visit_at, on(9, 18, 30))
        self.assertEqual(giang.slot_start, on(9, 17))
        self.assertEqual(selectors.open_proposal_counts([case.pk]), {case.pk: 3})

    def test_the_sql_agrees_with_the_domain_rules(self):
        self.scene()
        case = self.confirm("An")
        services_exposures.matching_run_queued()
        job = MatchJob.objects.get(case=case)
        visits = [domain.Visit(c.person_id, c.venue_id, c.checked_in_at, c.checked_out_at)
                  for c in CheckIn.objects.all()]
        kinds = dict(Venue.objects.values_list("pk", "kind"))
        expected = domain.match_visits(self.people["An"].pk, visits, window=(job.window_start, job.window_end),
                                       rule=as_rule(job.rule_set), kinds=kinds)
        want = sorted((m.person, m.venue, m.visit_in, m.overlap_minutes, m.gap_minutes) for m in expected)
        proposals = list(Proposal.objects.select_related("venue"))
        got = sorted((p.person_id, e.venue_id, e.visit_in, e.overlap_minutes, e.gap_minutes)
                     for p in proposals for e in selectors.evidence_of(proposals)[p.pk])
        self.assertEqual(got, want)

    def test_long_stays_reach_back_to_the_rule_s_longest_stay_and_the_edges_hold(self):
        """On PostgreSQL the visits that began more than two hours before the source's are read
        from the partial index of long stays: every edge must come out as domain.match_visits
        says. An is at the factory 9 May 8–9 (margin 60 minutes, longest stay 12 hours)."""
        self.visit("An", self.factory, on(9, 8), on(9, 9))
        self.visit("Bình", self.factory, on(9, 0), on(9, 7, 30))  # 30 minutes apart: match
        self.visit("Cường", self.factory, on(9, 0), on(9, 6, 59))  # 61 minutes: no
        self.visit("Dũng", self.factory, on(9, 6), None)  # lasts 60 minutes, to 7:00: match
        self.visit("Giang", self.factory, on(9, 5, 59), None)  # to 6:59: no
        self.visit("Hà", self.factory, on(8, 19), on(9, 7))  # 12 hours, ends 7:00: match
        self.visit("Khoa", self.factory, on(8, 18, 59), on(9, 9))  # counted 12 hours, to 6:59: no
        case = self.confirm("An")
        services_exposures.matching_run_queued()
        got = dict(Proposal.objects.filter(case=case).values_list("person__full_name", "gap_minutes"))
        self.assertEqual(got, {"Nguyễn Văn Bình": 30, "Nguyễn Văn Dũng": 60, "Nguyễn Văn Hà": 60})
        job = MatchJob.objects.get(case=case)
        visits = [domain.Visit(c.person_id, c.venue_id, c.checked_in_at, c.checked_out_at)
                  for c in CheckIn.objects.all()]
        expected = domain.match_visits(self.people["An"].pk, visits, window=(job.window_start, job.window_end),
                                       rule=as_rule(job.rule_set), kinds=dict(Venue.objects.values_list("pk", "kind")))
        self.assertEqual(sorted(m.person for m in expected),
                         sorted(Proposal.objects.filter(case=case).values_list("person_id", flat=True)))

    def test_running_again_adds_nothing_and_decided_people_are_not_reproposed(self):
        self.scene()
        case = self.confirm("An")
        services_exposures.matching_run_queued()
        dismissed = Proposal.objects.get(person=self.people["Cường"])
        services_exposures.proposals_decide(actor=self.users["tracer"], proposal_ids=[dismissed.pk],
                                            action="dismiss")
        MatchJob.objects.filter(case=case).update(status="queued")
        self.visit("Cường", self.factory, on(9, 8), on(9, 9))  # a late upload
        services_exposures.matching_run_queued()
        self.assertEqual(Proposal.objects.count(), 3)
        self.assertEqual(Proposal.objects.get(pk=dismissed.pk).status, ProposalStatus.DISMISSED)
        self.assertEqual(Proposal.objects.get(person=self.people["Giang"]).evidence.count(), 3)

    def test_a_new_piece_of_evidence_re_ranks_a_pending_proposal(self):
        self.scene()
        case = self.confirm("An")
        services_exposures.matching_run_queued()
        binh = Proposal.objects.get(person=self.people["Bình"])
        self.assertEqual((binh.visits, binh.evidence.count()), (1, 0))
        MatchJob.objects.filter(case=case).update(status="queued")
        self.visit("Bình", self.bus, on(9, 17, 10), on(9, 18))  # a late upload: 50 minutes with An
        services_exposures.matching_run_queued()
        binh.refresh_from_db()
        self.assertEqual((binh.visits, binh.evidence.count()), (2, 2))
        self.assertEqual((binh.venue_id, binh.overlap_minutes, binh.visit_in, binh.source_in),
                         (self.bus.pk, 50, on(9, 17, 10), on(9, 17)))
        self.assertEqual((binh.slot_start, binh.last_visit_at), (on(9, 17), on(9, 18)))
        self.assertEqual([e.venue_id for e in selectors.evidence_of([binh])[binh.pk]], [self.factory.pk, self.bus.pk])
        MatchJob.objects.filter(case=case).update(status="queued")
        services_exposures.matching_run_queued()  # nothing new: nothing changes
        binh.refresh_from_db()
        self.assertEqual((binh.visits, binh.evidence.count(), binh.overlap_minutes), (2, 2, 50))
        self.assertEqual(Proposal.objects.get(person=self.people["Cường"]).evidence.count(), 0)

    def test_the_window_ends_at_onset_rules(self):
        self.visit("An", self.factory, on(6, 8), on(6, 9))
        self.visit("Bình", self.factory, on(6, 8), on(6, 9))
        self.confirm("An", onset_on=on(8).date())  # window from 6 May 00:00
        services_exposures.matching_run_queued()
        self.assertEqual(Proposal.objects.count(), 1)

    def test_confirmed_f1_visits_give_proposed_f2(self):
        self.scene()
        self.visit("Khoa", self.market, on(9, 20), on(9, 21))
        self.visit("Bình", self.market, on(9, 20, 30), None)
        case = self.confirm("An")
        services_exposures.matching_run_queued()
        binh = Proposal.objects.get(person=self.people["Bình"])
        with clock.frozen_at(on(10, 12)):
            services_exposures.proposals_decide(actor=self.users["province_leader"], proposal_ids=[binh.pk],
                                                action="confirm")
        self.assertEqual(selectors.open_proposal_counts([case.pk])[case.pk], 2 + 1)  # F2 job queued
        services_exposures.matching_run_queued()
        f2 = Proposal.objects.filter(generation=2)
        # Khoa met Bình at the market; Dũng came to the factory a minute after Bình left. Giang
        # and Cường met Bình too, but they are already proposed as F1 of the same F0.
        self.assertEqual({(p.person_id, p.source_id, p.case_id) for p in f2},
                         {(self.people[n].pk, self.people["Bình"].pk, case.pk) for n in ("Khoa", "Dũng")})


@unittest.skipUnless(connection.vendor == "postgresql", "the parallel run is for PostgreSQL")
class ParallelMatchingTests(TransactionTestCase):
    """A large batch runs in parts, one connection each, split by F0: the same proposals as one
    transaction would make, every job done, and the jobs of one F0 in one part."""

    def setUp(self):
        self.clock = clock.frozen_at(NOW)
        self.clock.__enter__()
        self.addCleanup(self.clock.__exit__, None, None, None)
        world(self)

    def test_parts_make_the_same_proposals_as_one_transaction(self):
        leader = self.users["province_leader"]
        for name, start in (("An", on(9, 8)), ("Bình", on(9, 8, 30)), ("Hà", on(9, 20)), ("Khoa", on(9, 20, 10)),
                            ("Cường", on(9, 20, 40))):
            venue = self.factory if start.hour < 12 else self.market
            services.checkin_record(actor=leader, venue=venue, person=self.people[name], checked_in_at=start,
                                    checked_out_at=start + dt.timedelta(hours=1))
        with mock.patch.object(services_exposures, "_enqueue"):  # queued, not run
            cases = [case_register(actor=leader, person=self.people[n], confirmed_at=on(10, 8),
                                   detection=Detection.COMMUNITY) for n in ("An", "Hà")]
        jobs = list(MatchJob.objects.filter(case__in=cases).values_list("pk", flat=True))
        with override_settings(VENUES_MATCH_WORKERS=2), \
                mock.patch.object(services_exposures, "PARALLEL_FROM", 2), \
                mock.patch.object(services_exposures, "_matching_run_thread",
                                  wraps=services_exposures._matching_run_thread) as part:
            totals = services_exposures.matching_run(job_ids=jobs)
        self.assertEqual(part.call_count, 2)
        self.assertEqual((totals["jobs"], totals["proposals"]), (2, 3))
        got = {(p.case_id, p.person_id) for p in Proposal.objects.all()}
        self.assertEqual(got, {(cases[0].pk, self.people["Bình"].pk), (cases[1].pk, self.people["Khoa"].pk),
                               (cases[1].pk, self.people["Cường"].pk)})
        self.assertFalse(MatchJob.objects.filter(status="queued").exists())
