"""The runner: counters after every chunk, a failing chunk retried row by row so only the guilty
rows are errors, one run per job, deferred rows handed back, a job that cannot finish says so."""

from unittest import mock

from django.db import transaction

from chongdich.core.errors import InvalidInput
from chongdich.imports import runner
from chongdich.imports.domain import FieldSpec, RowOutcome
from chongdich.imports.models import ImportJob
from chongdich.imports.tests.helpers import ImportTestCase
from chongdich.people.models import Person


class FakeKind:
    """Stores a person per row (so a rolled-back chunk is visible); 'boom' raises, 'bad' is an
    error outcome, 'later' defers until 'first' has landed."""

    name = "fake"
    label = "Thử"
    fields = (FieldSpec("word", "Từ", required=True, aliases=("tu",)),)
    chunk_size = 3

    def __init__(self):
        self.calls = []

    def process(self, *, actor, rows, job):
        self.calls.append([n for n, _ in rows])
        outcomes = []
        for n, row in rows:
            word = row["word"]
            if word == "boom":
                raise RuntimeError("chunk broke")
            if word == "refused":
                raise InvalidInput("không nhận", field="word")
            if word == "bad":
                outcomes.append(RowOutcome(n, "error", column="word", value=word, reason="sai"))
            elif word == "later" and not Person.objects.filter(full_name="first").exists():
                outcomes.append(RowOutcome(n, "deferred"))
            elif word == "forgotten":
                continue
            else:
                person = Person.objects.create(
                    full_name=word, name_folded=word, **self.place.jurisdiction_keys())
                outcomes.append(RowOutcome(n, "created", object_id=person.pk))
        return outcomes


class RunnerTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.kind = FakeKind()
        self.kind.place = self.units["commune_a1"]
        patcher = mock.patch("chongdich.imports.kinds.get", return_value=self.kind)
        patcher.start()
        self.addCleanup(patcher.stop)

    def run_words(self, words, **options):
        return self.run_import("people", ["Từ"], [[w] for w in words], **options)

    def test_counters_add_up_after_every_chunk(self):
        seen = []
        job = self.start("people", ["Từ"], [["a"], ["bad"], ["c"], ["d"], ["bad"]])
        job = runner.job_run(job.pk, progress=lambda j: seen.append((j.processed_rows, j.total_rows)))
        self.assertEqual(seen, [(0, 5), (3, 5), (5, 5)])
        self.assertEqual((job.status, job.processed_rows, self.counts(job)), ("done", 5, (3, 0, 0, 2)))
        self.assertEqual(self.kind.calls, [[2, 3, 4], [5, 6]])

    def test_a_chunk_that_breaks_is_retried_row_by_row_and_only_the_guilty_row_is_an_error(self):
        job = self.run_words(["a", "boom", "c", "d"])
        self.assertEqual(self.counts(job), (3, 0, 0, 1))
        self.assertEqual(sorted(Person.objects.values_list("full_name", flat=True)), ["a", "c", "d"])
        error = job.row_errors.get()
        self.assertEqual((error.row, error.values), (3, ["boom"]))
        self.assertIn("RuntimeError", error.reason)

    def test_a_domain_error_raised_for_a_row_names_its_column_and_value(self):
        job = self.run_words(["a", "refused"])
        self.assertEqual(self.errors_of(job), [(3, "word", "refused")])
        self.assertEqual(job.row_errors.get().reason, "không nhận")

    def test_a_row_the_kind_forgets_is_an_error_not_lost(self):
        job = self.run_words(["a", "forgotten"])
        self.assertEqual(self.counts(job), (1, 0, 0, 1))

    def test_deferred_rows_are_handed_back_once_the_file_is_read(self):
        job = self.run_words(["later", "x", "y", "first"])
        self.assertEqual(self.counts(job), (4, 0, 0, 0))
        self.assertEqual(self.kind.calls, [[2, 3, 4], [5], [2]])

    def test_rows_that_stay_deferred_become_errors(self):
        job = self.run_words(["later", "x"])
        self.assertEqual(self.errors_of(job), [(2, "", "")])

    def test_a_job_runs_once_even_if_started_twice(self):
        job = self.start("people", ["Từ"], [["a"]])
        runner.job_run(job.pk)
        again = runner.job_run(job.pk)
        self.assertEqual((again.status, Person.objects.count()), ("done", 1))
        self.assertEqual(len(self.kind.calls), 1)

    def test_a_job_that_is_running_is_not_claimed_again(self):
        job = self.start("people", ["Từ"], [["a"]])
        ImportJob.objects.filter(pk=job.pk).update(status="running")
        self.assertEqual(runner.job_run(job.pk).status, "running")
        self.assertEqual(self.kind.calls, [])

    def test_a_job_whose_file_is_gone_fails_with_a_summary(self):
        job = self.start("people", ["Từ"], [["a"]])
        job.file.delete(save=False)
        job = runner.job_run(job.pk)
        self.assertEqual(job.status, "failed")
        self.assertIn("Lần nhập dừng giữa chừng", job.summary)
        self.assertIsNotNone(job.finished_at)

    def test_errors_are_stored_with_the_row_as_it_was(self):
        job = self.run_import("people", ["STT", "Từ", "Khác"], [["1", "bad", "x"]],
                              columns={"word": "Từ"})
        error = job.row_errors.get()
        self.assertEqual((error.row, error.column, error.header, error.value, error.values),
                         (2, "word", "Từ", "bad", ["1", "bad", "x"]))


class BackgroundTaskTests(ImportTestCase):
    def test_a_queued_job_is_enqueued_as_a_task_on_commit(self):
        from django_tasks_db.models import DBTaskResult

        from chongdich.imports import services
        from chongdich.imports.tests.helpers import csv_file

        with self.captureOnCommitCallbacks(execute=True):
            with transaction.atomic():
                job = services.job_create(actor=self.users["commune_officer"], kind="people",
                                          upload=csv_file(["Họ tên"], [["An"]]))
        job.refresh_from_db()
        task = DBTaskResult.objects.get()
        self.assertEqual((str(task.id), task.args_kwargs["args"]), (job.task_result_id, [job.pk]))
        self.assertEqual(task.task_path, "chongdich.imports.tasks.run_import")

    def test_the_task_runs_the_job(self):
        from chongdich.imports.tasks import run_import

        job = self.start("people", ["Họ tên"], [["Nguyễn Văn An"]])
        self.assertEqual(run_import.call(job.pk), "done")
        self.assertEqual(Person.objects.get().full_name, "Nguyễn Văn An")
