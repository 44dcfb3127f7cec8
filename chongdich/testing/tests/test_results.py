"""Results and what they imply: retests, F0 proposals confirmed or dismissed by an officer."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chongdich.cases.models import Case, CaseStatus, Detection
from chongdich.cases.services import case_register
from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.core.testing import at
from chongdich.people.models import Person
from chongdich.testing.domain import Outcome
from chongdich.testing.models import (
    CaseProposal,
    LabResult,
    ProposalStatus,
    Sample,
    SampleKind,
    SampleReason,
)
from chongdich.testing.selectors import outcome_of, proposal_list, sample_get
from chongdich.testing.services import (
    proposal_confirm,
    proposal_dismiss,
    results_after_insert,
    samples_take,
)
from chongdich.testing.tests.base import TestingWorld


class ResultRecordTests(TestingWorld):
    def test_a_result_in_the_labs_words_is_stored_as_its_value(self):
        record = self.result(self.take(self.people[0]), "Âm tính", ct_value="")
        self.assertEqual((record.result, record.ct_value, record.laboratory), ("negative", None, self.lab))

    def test_a_ct_value_written_with_a_comma_is_kept(self):
        record = self.result(self.take(self.people[0]), "dương tính", ct_value="24,5")
        self.assertEqual(record.ct_value, Decimal("24.5"))

    def test_an_unknown_result_word_is_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.result(self.take(self.people[0]), "có lẽ")
        self.assertEqual(caught.exception.field, "result")

    def test_a_rapid_test_has_no_ct_value(self):
        sample = self.take(self.people[0], kind=SampleKind.RAPID_ANTIGEN)
        with self.assertRaises(InvalidInput):
            self.result(sample, "positive", ct_value="20")

    def test_a_tube_has_one_result(self):
        sample = self.take(self.people[0])
        self.result(sample, "negative")
        with self.assertRaises(Conflict):
            self.result(sample, "positive")

    def test_a_pooled_sample_gets_its_result_through_the_pool(self):
        pool = self.pool()
        with self.assertRaises(InvalidInput):
            self.result(pool.members.first(), "negative")

    def test_a_result_before_the_sample_was_taken_is_refused(self):
        with self.assertRaises(InvalidInput):
            self.result(self.take(self.people[0], day=18), "negative", day=17)

    def test_a_negative_pool_is_negative_for_every_member(self):
        pool = self.pool()
        self.result(pool, "negative")
        member = sample_get(actor=self.officer, sample_id=pool.members.first().pk)
        self.assertEqual(outcome_of(member), Outcome.NEGATIVE)

    def test_a_member_of_a_positive_pool_awaits_a_retest(self):
        pool = self.pool()
        self.result(pool, "positive")
        member = sample_get(actor=self.officer, sample_id=pool.members.first().pk)
        self.assertEqual(outcome_of(member), Outcome.RETEST)

    def test_a_viewer_may_not_record_results(self):
        with self.assertRaises(PermissionDenied):
            self.result(self.take(self.people[0]), "negative", actor=self.users["viewer"])

    def test_a_tracer_may_not_record_results(self):
        with self.assertRaises(PermissionDenied):
            self.result(self.take(self.people[0]), "negative", actor=self.users["tracer"])

    def test_an_outsider_cannot_find_the_tube(self):
        with self.assertRaises(NotFound):
            self.result(self.take(self.people[0]), "negative", actor=self.users["outsider"])


class ProposalTests(TestingWorld):
    def positive(self, person, reason=SampleReason.SYMPTOMS, day=18):
        sample = self.take(person, reason=reason, day=day)
        self.result(sample, "positive", day=day + 1)
        return sample

    def test_a_positive_individual_result_proposes_an_f0(self):
        sample = self.positive(self.people[0])
        proposal = CaseProposal.objects.get()
        self.assertEqual((proposal.person_id, proposal.sample_id, proposal.status),
                         (self.people[0].pk, sample.pk, ProposalStatus.PROPOSED))
        self.assertEqual(proposal.commune_id, self.units["commune_a1"].pk)

    def test_nothing_becomes_a_case_until_an_officer_confirms(self):
        self.positive(self.people[0])
        self.assertFalse(Case.objects.exists())
        self.assertIsNone(Person.objects.get(pk=self.people[0].pk).rank)

    def test_a_negative_result_proposes_nothing(self):
        self.result(self.take(self.people[0]), "negative")
        self.assertFalse(CaseProposal.objects.exists())

    def test_a_second_positive_tube_does_not_open_a_second_proposal(self):
        self.positive(self.people[0], day=17)
        self.positive(self.people[0], day=18)
        self.assertEqual(CaseProposal.objects.count(), 1)

    def test_an_active_f0_is_not_proposed_again(self):
        case_register(actor=self.leader, person=self.people[0], confirmed_at=at(10), detection=Detection.COMMUNITY)
        self.positive(self.people[0])
        self.assertFalse(CaseProposal.objects.exists())

    def test_confirming_registers_the_case_at_the_sample_time_and_makes_the_person_f0(self):
        sample = self.positive(self.people[0], reason=SampleReason.SCREENING)
        case = proposal_confirm(actor=self.officer, proposal=CaseProposal.objects.get())
        self.assertEqual((case.person_id, case.confirmed_at, case.detection),
                         (self.people[0].pk, sample.taken_at, Detection.COMMUNITY))
        self.assertEqual(Person.objects.get(pk=self.people[0].pk).rank, 0)
        proposal = CaseProposal.objects.get()
        self.assertEqual((proposal.status, proposal.case_id, proposal.decided_by),
                         (ProposalStatus.CONFIRMED, case.pk, self.officer))

    def test_a_retest_after_a_screening_pool_is_detected_in_the_community(self):
        self.result(self.pool(), "positive")
        self.positive(self.people[0], reason=SampleReason.RETEST, day=19)
        case = proposal_confirm(actor=self.officer, proposal=CaseProposal.objects.get())
        self.assertEqual(case.detection, Detection.COMMUNITY)

    def test_a_quarantine_sample_confirms_a_case_detected_in_quarantine(self):
        self.positive(self.people[0], reason=SampleReason.QUARANTINE)
        case = proposal_confirm(actor=self.officer, proposal=CaseProposal.objects.get(),
                                status=CaseStatus.QUARANTINE_FACILITY)
        self.assertEqual((case.detection, case.status), (Detection.QUARANTINE, CaseStatus.QUARANTINE_FACILITY))

    def test_a_proposal_is_decided_once(self):
        self.positive(self.people[0])
        proposal = CaseProposal.objects.get()
        proposal_dismiss(actor=self.officer, proposal=proposal, reason="Nhầm ống mẫu")
        with self.assertRaises(Conflict):
            proposal_confirm(actor=self.officer, proposal=proposal)

    def test_dismissing_needs_a_reason_and_creates_no_case(self):
        self.positive(self.people[0])
        proposal = CaseProposal.objects.get()
        with self.assertRaises(InvalidInput):
            proposal_dismiss(actor=self.officer, proposal=proposal, reason="  ")
        proposal_dismiss(actor=self.officer, proposal=proposal, reason="Ca cũ đã khỏi, còn đào thải virus")
        self.assertEqual(CaseProposal.objects.get().status, ProposalStatus.DISMISSED)
        self.assertFalse(Case.objects.exists())

    def test_after_a_dismissal_a_new_positive_proposes_again(self):
        self.positive(self.people[0], day=17)
        proposal_dismiss(actor=self.officer, proposal=CaseProposal.objects.get(), reason="Nhầm")
        self.positive(self.people[0], day=18)
        self.assertEqual(proposal_list(actor=self.officer).count(), 1)

    def test_a_viewer_may_not_confirm(self):
        self.positive(self.people[0])
        with self.assertRaises(PermissionDenied):
            proposal_confirm(actor=self.users["viewer"], proposal=CaseProposal.objects.get())

    def test_a_lab_may_not_confirm(self):
        self.positive(self.people[0])
        with self.assertRaises(PermissionDenied):
            proposal_confirm(actor=self.lab_user, proposal=CaseProposal.objects.get())

    def test_an_outsider_cannot_find_the_proposal(self):
        self.positive(self.people[0])
        with self.assertRaises(NotFound):
            proposal_dismiss(actor=self.users["outsider"], proposal=CaseProposal.objects.get(), reason="x")
        self.assertFalse(proposal_list(actor=self.users["outsider"]).exists())


class AfterResultsTests(TestingWorld):
    """results_after_insert as the bulk import calls it: results stored, then one call."""

    def test_many_results_cost_a_fixed_number_of_queries(self):
        samples = samples_take(actor=self.officer, people=self.people, commune=self.units["commune_a1"],
                               taken_at=at(18), reason=SampleReason.SCREENING)
        pools = [self.pool(self.people[i:i + 5]) for i in (0, 5)]
        rows = [LabResult(sample=s, result="positive", resulted_at=at(19)) for s in samples]
        rows += [LabResult(pool=p, result="positive", resulted_at=at(19)) for p in pools]
        LabResult.objects.bulk_create(rows)
        ids = list(LabResult.objects.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            after = results_after_insert(actor=self.lab_user, result_ids=ids)
        self.assertEqual((after.retests_requested, after.proposals_opened), (10, 12))
        self.assertLessEqual(len(queries), 6)

    def test_no_results_no_queries(self):
        with CaptureQueriesContext(connection) as queries:
            results_after_insert(actor=self.lab_user, result_ids=[])
        self.assertEqual(len(queries), 0)

    def test_two_positives_of_one_person_in_one_call_open_one_proposal(self):
        first, second = (self.take(self.people[0], day=d) for d in (17, 18))
        LabResult.objects.bulk_create([LabResult(sample=s, result="positive", resulted_at=at(19))
                                       for s in (first, second)])
        results_after_insert(actor=self.lab_user, result_ids=list(LabResult.objects.values_list("pk", flat=True)))
        self.assertEqual(CaseProposal.objects.get().sample_id, first.pk)
        self.assertEqual(Sample.objects.count(), 2)
