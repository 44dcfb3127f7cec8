"""Storing many results at once (`testing.bulk`), through the lab-results import kind and through
`results_store_bulk`: every row's outcome, duplicates, access, and what results imply."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from unittest import mock, skipUnless

from django.db import IntegrityError, connection, transaction

from chongdich.accounts.models import User
from chongdich.core.errors import PermissionDenied
from chongdich.core.testing import at, make_geography, make_user
from chongdich.imports.kinds.lab_results import KIND
from chongdich.people.services import person_create
from chongdich.testing import bulk
from chongdich.testing.models import CaseProposal, Laboratory, LabResult, Result, Sample, SampleKind
from chongdich.testing.tests.base import TestingWorld


def row(sample="S-A", result="Âm tính", when="19/05/2021 10:00", **cells) -> dict[str, str]:
    return {"sample_code": sample, "result": result, "resulted_at": when} | cells


# One row in a world where: S-A, S-B are RT-PCR samples of commune A1 taken 18/05 09:00; S-RAPID a
# rapid antigen test; pool G-1 of five people (members G-1-01 …); S-DONE already has a negative
# result of 19/05 10:00 from lab CDC; S-FAR is a sample of another province. Now: 20/05 09:00.
VALIDATION = [
    # (what, cells, status, column at fault)
    ("a negative result", row(), "created", ""),
    ("a positive result with its Ct", row(result="Dương tính", ct_value="25,3"), "created", ""),
    ("a result word in English", row(result="negative"), "created", ""),
    ("a result written P", row(result="P"), "created", ""),
    ("an unknown result word", row(result="có thể"), "error", "result"),
    ("no result", row(result=""), "error", "result"),
    ("no time", row(when=""), "error", "resulted_at"),
    ("a time in ISO form", row(when="2021-05-19T10:00:00+07:00"), "created", ""),
    ("a time as a spreadsheet cell", row(when="2021-05-19 10:00"), "created", ""),
    ("a time as an Excel day number", row(when="44335.5"), "created", ""),
    ("a day that does not exist", row(when="32/05/2021 10:00"), "error", "resulted_at"),
    ("a time that is not one", row(when="hôm qua"), "error", "resulted_at"),
    ("a time in the future", row(when="20/05/2021 09:30"), "error", "resulted_at"),
    ("a time a few minutes ahead (clock skew)", row(when="20/05/2021 09:03"), "created", ""),
    ("a time before the sample was taken", row(when="18/05/2021 08:59"), "error", "resulted_at"),
    ("a Ct over 50", row(ct_value="50.5"), "error", "ct_value"),
    ("a Ct that is not a number", row(ct_value="cao"), "error", "ct_value"),
    ("a Ct written '-'", row(ct_value="-"), "created", ""),
    ("a Ct for a rapid antigen test", row(sample="S-RAPID", ct_value="20"), "error", "ct_value"),
    ("an unknown sample code", row(sample="S-NONE"), "error", "sample_code"),
    ("a sample code in lower case", row(sample="s-a"), "created", ""),
    ("no code at all", row(sample=""), "error", "sample_code"),
    ("both a sample and a pool code", row(pool_code="G-1"), "error", "pool_code"),
    ("a pool code", row(sample="", pool_code="G-1"), "created", ""),
    ("a pool code in the sample column", row(sample="G-1"), "created", ""),
    ("an unknown pool code", row(sample="", pool_code="G-NONE"), "error", "pool_code"),
    ("a pooled sample's own result", row(sample="G-1-01"), "error", "sample_code"),
    ("a laboratory by code", row(laboratory_code="cdc"), "created", ""),
    ("a laboratory by name", row(laboratory_code="CDC Tinh"), "created", ""),
    ("an unknown laboratory", row(laboratory_code="XYZ"), "error", "laboratory_code"),
    ("a lab reference too long", row(external_ref="K" * 65), "error", "external_ref"),
    ("a sample of another province", row(sample="S-FAR"), "error", "sample_code"),
    ("the result already recorded", row(sample="S-DONE", laboratory_code="CDC"), "duplicate", ""),
    ("a different result already recorded", row(sample="S-DONE", result="Dương tính"), "error",
     "sample_code"),
]


class BulkWorld(TestingWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        a, b = cls.people[0], cls.people[1]
        cls.take_as(a, code="S-A")
        cls.take_as(b, code="S-B")
        cls.take_as(cls.people[2], code="S-RAPID", kind=SampleKind.RAPID_ANTIGEN)
        done = cls.take_as(cls.people[3], code="S-DONE")
        LabResult.objects.create(sample=done, result=Result.NEGATIVE, resulted_at=at(19, 10),
                                 laboratory=cls.lab, recorded_by=cls.lab_user)
        from chongdich.testing.services import pool_take

        cls.pool_g1 = pool_take(actor=cls.officer, people=cls.people[5:10], code="G-1",
                                commune=cls.units["commune_a1"], taken_at=at(18))
        far = make_geography()
        leader = make_user(far["province"], User.Role.LEADER)
        stranger = person_create(actor=leader, commune=far["commune_a1"], full_name="Trần Xa")
        cls.take_as(stranger, code="S-FAR", actor=leader)

    @classmethod
    def take_as(cls, person, code, actor=None, **kw):
        from chongdich.testing.services import sample_take

        return sample_take(actor=actor or cls.officer, person=person, taken_at=at(18), code=code,
                           reason="symptoms", **kw)

    def process(self, rows, actor=None):
        numbered = [(n, cells) for n, cells in enumerate(rows, start=2)]
        return sorted(KIND.process(actor=actor or self.lab_user, rows=numbered, job=None),
                      key=lambda o: o.row)

    def statuses(self, outcomes):
        return [(o.row, o.status, o.column) for o in outcomes]


class ValidationTests(BulkWorld):
    def test_every_rule_gives_its_outcome(self):
        for what, cells, status, column in VALIDATION:
            with self.subTest(what), transaction.atomic():
                outcomes = self.process([cells])
                transaction.set_rollback(True)
                self.assertEqual(len(outcomes), 1)
                got = outcomes[0]
                self.assertEqual((got.status, got.column), (status, column), got.reason)
                if status == "error":
                    self.assertTrue(got.reason)

    def test_a_created_row_names_the_stored_result(self):
        [outcome] = self.process([row(result="Dương tính", ct_value="25,3", laboratory_code="CDC",
                                      external_ref="KQ-1")])
        stored = LabResult.objects.get(pk=outcome.object_id)
        self.assertEqual(
            (stored.sample.code, stored.result, stored.ct_value, stored.resulted_at, stored.laboratory,
             stored.external_ref, stored.recorded_by),
            ("S-A", "positive", Decimal("25.3"), at(19, 10), self.lab, "KQ-1", self.lab_user))

    def test_an_unseen_sample_reads_like_a_missing_one(self):
        [far] = self.process([row(sample="S-FAR")])
        [missing] = self.process([row(sample="S-NONE")])
        self.assertEqual(far.reason.replace("S-FAR", "?"), missing.reason.replace("S-NONE", "?"))

    def test_an_outsider_commune_account_cannot_reach_a1_samples(self):
        outsider = make_user(self.units["commune_b1"], User.Role.LAB)
        [outcome] = self.process([row()], actor=outsider)
        self.assertEqual((outcome.status, outcome.column), ("error", "sample_code"))
        self.assertFalse(LabResult.objects.filter(sample__code="S-A").exists())

    def test_a_role_that_may_not_record_results_is_refused(self):
        with self.assertRaises(PermissionDenied):
            self.process([row()], actor=self.officer)


class DuplicateTests(BulkWorld):
    def test_the_same_code_twice_with_the_same_result_is_one_result_and_a_duplicate(self):
        outcomes = self.process([row(), row()])
        self.assertEqual(self.statuses(outcomes), [(2, "created", ""), (3, "duplicate", "")])
        self.assertEqual(outcomes[0].object_id, outcomes[1].object_id)
        self.assertEqual(LabResult.objects.filter(sample__code="S-A").count(), 1)

    def test_the_same_code_twice_with_different_results_keeps_the_first_and_refuses_the_second(self):
        outcomes = self.process([row(), row(result="Dương tính")])
        self.assertEqual(self.statuses(outcomes), [(2, "created", ""), (3, "error", "sample_code")])
        self.assertIn("2", outcomes[1].reason)

    def test_importing_the_same_rows_again_gives_only_duplicates(self):
        rows = [row(), row(sample="S-B", result="Dương tính", ct_value="30.1"),
                row(sample="", pool_code="G-1", laboratory_code="CDC")]
        first = self.process(rows)
        again = self.process(rows)
        self.assertEqual([o.status for o in first], ["created"] * 3)
        self.assertEqual([o.status for o in again], ["duplicate"] * 3)
        self.assertEqual([o.object_id for o in again], [o.object_id for o in first])
        self.assertEqual(LabResult.objects.count(), 4)  # with S-DONE's


class ConsequenceTests(BulkWorld):
    def test_a_positive_pool_marks_every_member_for_a_retest(self):
        self.process([row(sample="", pool_code="G-1", result="Dương tính")])
        marked = Sample.objects.filter(pool=self.pool_g1, retest_requested_at__isnull=False).count()
        self.assertEqual(marked, 5)

    def test_a_negative_pool_marks_nobody(self):
        self.process([row(sample="", pool_code="G-1")])
        self.assertFalse(Sample.objects.filter(retest_requested_at__isnull=False).exists())

    def test_a_positive_sample_proposes_its_person_as_f0(self):
        self.process([row(result="Dương tính", ct_value="22")])
        proposal = CaseProposal.objects.get()
        self.assertEqual((proposal.person, proposal.sample.code), (self.people[0], "S-A"))

    def test_a_duplicate_positive_row_proposes_nothing_more(self):
        self.process([row(result="Dương tính")])
        self.process([row(result="Dương tính")])
        self.assertEqual(CaseProposal.objects.count(), 1)


class ResultRowTests(BulkWorld):
    def test_results_store_bulk_takes_lab_words_naive_times_and_long_ct_values(self):
        rows = [bulk.ResultRow(row=1, sample_code=" s-a ", pool_code="", result="Dương tính",
                               resulted_at=dt.datetime(2021, 5, 19, 10, 0), ct_value=Decimal("25.34"),
                               laboratory_code="CDC", external_ref="")]
        [outcome] = bulk.results_store_bulk(actor=self.lab_user, rows=rows)
        stored = LabResult.objects.get(pk=outcome.object_id)
        self.assertEqual((stored.result, stored.resulted_at, stored.ct_value),
                         ("positive", at(19, 10), Decimal("25.3")))

    def test_outcomes_come_back_in_the_order_given(self):
        rows = [bulk.ResultRow(row=n, sample_code=code, pool_code="", result="negative",
                               resulted_at=at(19, 10), ct_value=None, laboratory_code="", external_ref="")
                for n, code in ((7, "S-NONE"), (3, "S-A"), (5, "S-B"))]
        outcomes = bulk.results_store_bulk(actor=self.lab_user, rows=rows)
        self.assertEqual([(o.row, o.status) for o in outcomes], [(7, "error"), (3, "created"), (5, "created")])


@skipUnless(connection.vendor == "postgresql", "COPY is PostgreSQL's")
class CopyPathTests(BulkWorld):
    ROWS = [cells for _what, cells, _status, _column in VALIDATION] + [row(), row(result="P")]

    def test_copy_with_its_own_reference_checks_gives_what_bulk_create_gives(self):
        copied = self._run(self.ROWS)
        created = self._run(self.ROWS, mock.patch.object(bulk, "_CopySink", bulk._OrmSink))
        self.assertEqual(copied, created)
        self.assertEqual({o[1] for o in copied[0]}, {"created", "duplicate", "error"})
        self.assertEqual(len(copied[1]), 3)  # S-DONE's, then S-A's and G-1's

    def test_copy_with_the_trigger_checks_gives_the_same(self):
        copied = self._run(self.ROWS)
        checked = self._run(self.ROWS, mock.patch.object(bulk, "_may_check_references_itself",
                                                         return_value=False))
        self.assertEqual(copied, checked)

    def test_the_foreign_key_triggers_are_back_right_after_the_copy(self):
        self.process([row()])
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            self.assertEqual(cursor.fetchone()[0], "origin")
        with self.assertRaises(IntegrityError), transaction.atomic():
            LabResult.objects.create(sample_id=10**9, result="negative", resulted_at=at(19))
            connection.check_constraints()

    def test_a_result_stored_meanwhile_fails_the_copy_with_an_integrity_error(self):
        lookup = bulk._lookup

        def as_before_the_other_result(*args, **kwargs):  # the other writer comes after the lookup
            return {code: (*tube[:bulk.RESULT_ID], *bulk._NO_RESULT)
                    for code, tube in lookup(*args, **kwargs).items()}

        with mock.patch.object(bulk, "_lookup", as_before_the_other_result), \
                self.assertRaises(IntegrityError), transaction.atomic():
            self.process([row(sample="S-DONE")])

    def test_copied_ids_follow_the_sequence(self):
        self.process([row()])
        later = LabResult.objects.create(sample=Sample.objects.get(code="S-B"), result="negative",
                                         resulted_at=at(19, 10))
        self.assertEqual(LabResult.objects.filter(pk__gt=later.pk).count(), 0)

    def _run(self, rows, patch=None):
        """(outcomes without ids, what is stored), rolled back."""
        with transaction.atomic(), (patch or contextlib.nullcontext()):
            outcomes = [(o.row, o.status, o.column, o.value, o.reason) for o in self.process(rows)]
            stored = sorted(LabResult.objects.values_list(
                "sample__code", "pool__code", "result", "ct_value", "resulted_at", "laboratory__code",
                "external_ref", "recorded_by"), key=str)
            transaction.set_rollback(True)
        return outcomes, stored


class LaboratoryTests(BulkWorld):
    def test_two_laboratories_are_told_apart(self):
        other = Laboratory.objects.create(code="BV", name="Bệnh viện tỉnh", unit=self.units["province"])
        [outcome] = self.process([row(laboratory_code="BV")])
        self.assertEqual(LabResult.objects.get(pk=outcome.object_id).laboratory, other)
