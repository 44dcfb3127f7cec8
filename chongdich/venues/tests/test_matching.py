"""Matching in the database: the hook queues a job, the set-based SQL makes one proposal per
person with all the evidence, agrees with domain.match_visits, and never re-proposes."""

from chongdich.core import clock
from chongdich.venues import domain, selectors, services_exposures
from chongdich.venues.models import CheckIn, MatchJob, Proposal, ProposalStatus, Venue
from chongdich.venues.rule_data import as_rule
from chongdich.venues.tests.base import VenuesTestCase, on


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
        self.assertEqual(giang.evidence.count(), 3)
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
        got = sorted(Proposal.objects.values_list("person_id", "evidence__venue_id", "evidence__visit_in",
                                                  "evidence__overlap_minutes", "evidence__gap_minutes"))
        self.assertEqual(got, want)

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
