"""Importing 1,000,000 laboratory results from a CSV file into PostgreSQL with full validation: the
path a user takes — `imports.services.job_create` (upload, headers, column mapping) and
`imports.runner.job_run` (reading, chunks, the `lab_results` kind, error rows, progress) — timed
end to end. The file is a lab's: Vietnamese headers, dd/mm/yyyy hh:mm times, 0.5 % positives with
a Ct, 0.1 % bad rows (unknown codes, impossible dates) that must land in the error report.

Compared in the same run with (rates in rows per second):
- the same file imported again: every row a duplicate;
- the chunked path the runner takes where the whole-file path does not apply (SQLite, XLSX): rows
  validated in Python and stored per chunk with COPY; the same with Django's `bulk_create` in place
  of COPY; and with COPY but PostgreSQL's per-row foreign-key triggers on (what a database role
  that may not switch them off gets) — all three timed on the file's first 200,000 rows;
- the obvious importer: per row, find the sample by code and call `testing.services.result_record`
  (the single-result service, `save()` and all), timed on 2,000 rows and extrapolated;
- a raw `psql \\copy` of the same file into a scratch table of text columns, no validation at all:
  what the machine does at best.

Setup, untimed and reused by the next run: 1,000,000 people and one sample each, loaded with COPY.
Between measurements the results, proposals and jobs they made are removed."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
from django.db import connection, transaction
from django.test import override_settings

from bench import datasets
from bench.common import Result, database_url, human, timed
from chongdich.accounts.models import User
from chongdich.demo import bulk as demo_bulk
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.imports import runner, services
from chongdich.imports.kinds.lab_results import KIND
from chongdich.imports.models import ImportJob
from chongdich.people.models import Person
from chongdich.testing import bulk
from chongdich.testing.models import CaseProposal, Laboratory, LabResult, Sample

FULL = 1_000_000
SAVE_SAMPLE = 2_000
COMPARE_SAMPLE = 200_000  # bulk_create and the trigger path, timed on the file's first rows
TARGET = 15.0
START = np.datetime64("2021-06-01T00:00:00", "s")
HEADERS = ["STT", "Mã mẫu", "Kết quả", "Thời gian trả kết quả", "Giá trị Ct", "Mã PXN", "Số phiếu"]
LAB_CODE = "CDC26"


def run(scale: float, say=print) -> list[Result]:
    rows = max(2_000, int(FULL * scale))
    part = min(rows, COMPARE_SAMPLE)
    _ensure_samples(rows, say)
    actor = _lab_account()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        path, part_path = work / "ket-qua-xet-nghiem.csv", work / "mot-phan.csv"
        bad = _write_file(path, rows)
        part_bad = _head(path, part_path, part)
        say(f"  {path.stat().st_size / 1e6:.0f} MB, {rows:,} rows ({bad:,} bad)")
        with override_settings(MEDIA_ROOT=str(work / "media")):
            _clean()
            say("  psql \\copy into a scratch table …")
            raw = _psql_copy(path)
            say("  import through the runner (COPY) …")
            load_before = os.getloadavg()[0]
            seconds, job = timed(_import, actor, path, say)
            load_after = os.getloadavg()[0]
            _check(job, rows, bad)
            summary = (f"{job.created_count:,} created, {job.error_count:,} errors, "
                       f"{CaseProposal.objects.count():,} F0 proposals")
            say("  the same file again: every row a duplicate …")
            again, job = timed(_import, actor, path, say)
            duplicates = job.duplicate_count
            _clean()
            # The comparisons take the chunked path (rows validated in Python, stored per chunk),
            # which the runner uses where the whole-file path does not apply (SQLite, XLSX).
            chunked_only = mock.patch.object(type(KIND), "process_file", None)
            say(f"  the chunked path with COPY, {part:,} rows …")
            with chunked_only:
                chunked, job = timed(_import, actor, part_path, say)
            _check(job, part, part_bad)
            _clean()
            say(f"  the chunked path with bulk_create, {part:,} rows …")
            with chunked_only, mock.patch.object(bulk, "_CopySink", bulk._OrmSink):
                orm, job = timed(_import, actor, part_path, say)
            _check(job, part, part_bad)
            _clean()
            say(f"  the chunked path with COPY and the foreign-key triggers on, {part:,} rows …")
            with chunked_only, mock.patch.object(bulk, "_may_check_references_itself", return_value=False):
                triggered, job = timed(_import, actor, part_path, say)
            _check(job, part, part_bad)
            _clean()
            sample = min(SAVE_SAMPLE, rows)
            say(f"  result_record() row by row, {sample:,} rows …")
            naive = _row_by_row(actor, path, sample) * rows / sample
            _clean()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rate = {"copy": rows / seconds, "reimport": rows / again, "chunked": part / chunked, "bulk_create": part / orm,
            "fk_triggers": part / triggered, "save": rows / naive, "psql": rows / raw}
    scaled = "" if part == rows else f" (on {part:,} rows)"
    return [Result(
        name=f"import: {rows:,} lab results from CSV",
        figure=seconds, baseline=naive,
        baseline_how=f"result_record() per row, {sample:,} rows × {rows // sample}",
        target=TARGET if rows >= FULL else None,
        target_text=f"< {TARGET:.0f} s" if rows >= FULL else "(at 1,000,000)",
        note=(f"rows/s — runner + lab_results kind, whole file set-based in PostgreSQL {rate['copy']:,.0f}; "
              f"the chunked path (Python validation) with COPY {rate['chunked']:,.0f}{scaled}, with "
              f"bulk_create {rate['bulk_create']:,.0f}{scaled}, with COPY and the foreign-key triggers "
              f"{rate['fk_triggers']:,.0f}{scaled}; result_record() per row {rate['save']:,.0f}; "
              f"psql \\copy into a text table, no validation {rate['psql']:,.0f} ({human(raw)}); "
              f"re-import, all duplicates {rate['reimport']:,.0f} ({duplicates:,}). {summary}. "
              f"Load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs"),
        extra={"rows": rows, "compared_on": part, "load": [load_before, load_after],
               "seconds": {"copy": seconds, "reimport": again, "chunked": chunked, "bulk_create": orm,
                           "fk_triggers": triggered,
                           "save_extrapolated": naive, "psql_copy": raw},
               "rows_per_second": rate},
    )]


# --- Timed paths ------------------------------------------------------------------------------


def _import(actor, path: Path, say) -> ImportJob:
    job = services.job_create_from_path(actor=actor, kind="lab_results", path=path, background=False)
    if job.status != "queued":
        raise RuntimeError(f"the file's columns were not recognised: {job.columns}")
    shown = [0.0]

    def progress(j):
        if time.perf_counter() - shown[0] > 5:
            shown[0] = time.perf_counter()
            say(f"    {j.processed_rows:,} / {j.total_rows:,}")

    return runner.job_run(job.pk, progress=progress)


def _check(job: ImportJob, rows: int, bad: int) -> None:
    if (job.status, job.created_count, job.error_count) != ("done", rows - bad, bad):
        raise RuntimeError(f"unexpected outcome: {job.status} {job.created_count} created, "
                           f"{job.error_count} errors ({job.summary})")


def _row_by_row(actor, path: Path, count: int) -> float:
    """What an importer written the obvious way does: per row, the sample by code, the lab by
    code, and the single-result service (checks, save(), consequences)."""
    from chongdich.imports.kinds.lab_results import parse_ct, parse_when
    from chongdich.testing.domain import parse_result
    from chongdich.testing.services import result_record

    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        lines = [next(reader) for _ in range(count)]
    began = time.perf_counter()
    with transaction.atomic():
        for _n, code, result, when, ct, lab, ref in lines:
            try:
                with transaction.atomic():
                    result_record(actor=actor, sample=Sample.objects.get(code=code.upper()),
                                  result=parse_result(result), resulted_at=parse_when(when),
                                  ct_value=parse_ct(ct), laboratory=Laboratory.objects.get(code=lab),
                                  external_ref=ref)
            except Exception:  # the bad rows: reported, not stored
                pass
    return time.perf_counter() - began


def _psql_copy(path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_results")
        cursor.execute("CREATE TABLE bench_raw_results (stt text, sample_code text, result text,"
                       " resulted_at text, ct_value text, laboratory_code text, external_ref text)")
    began = time.perf_counter()
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", database_url(), "-c",
                    f"\\copy bench_raw_results FROM '{path}' WITH (FORMAT csv, HEADER true)"],
                   check=True)
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_results")
    return seconds


def _clean() -> None:
    """Remove what an import made, so the next one starts from the same database."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {CaseProposal._meta.db_table}, {LabResult._meta.db_table}")
        cursor.execute(f"UPDATE {Sample._meta.db_table} SET retest_requested_at = NULL"
                       " WHERE retest_requested_at IS NOT NULL")
    ImportJob.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {LabResult._meta.db_table}")


# --- Setup (untimed) --------------------------------------------------------------------------


def _code(i: int) -> str:
    return f"XN26-{i:07d}"


def _ensure_samples(count: int, say) -> None:
    spec = {"kind": "lab_samples", "samples": count, "seed": 3}
    if datasets.loaded() == spec:
        say(f"  (reusing dataset {spec})")
        return
    say(f"  loading {count:,} people and samples …")
    began = time.perf_counter()
    datasets.wipe()
    rng = np.random.default_rng(spec["seed"])
    tables = [Person._meta.db_table, Sample._meta.db_table]
    with transaction.atomic(), demo_bulk.indexes_dropped(tables):
        datasets._people(rng, count)
        communes = datasets._communes()
        where = communes[rng.integers(0, len(communes), count)]
        taken = START + rng.integers(0, 10 * 86_400, count).astype("timedelta64[s]")
        demo_bulk.insert(Sample._meta.db_table, {
            "id": 1 + np.arange(count), "code": [_code(i) for i in range(1, count + 1)],
            "person_id": 1 + np.arange(count), "kind": ["rt_pcr"] * count, "reason": ["screening"] * count,
            "taken_at": taken, "taken_on": (taken + np.timedelta64(7, "h")).astype("datetime64[D]"),
            "place": [""] * count, "created_at": taken,
            "commune_id": where[:, 0], "district_id": where[:, 1], "province_id": where[:, 2],
        })
        demo_bulk.reset_sequences(Person, Sample)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM bench_dataset")
            cursor.execute("INSERT INTO bench_dataset (id, spec) VALUES (1, %s)",
                           [json.dumps(spec, sort_keys=True)])
    demo_bulk.vacuum(tables)
    say(f"  loaded in {human(time.perf_counter() - began)}")


def _lab_account() -> User:
    province = AdminUnit.objects.get(code=datasets.PROVINCE, level=UnitLevel.PROVINCE)
    Laboratory.objects.get_or_create(code=LAB_CODE, defaults={"name": "CDC Vĩnh Phúc", "unit": province})
    user = User.objects.filter(username="bench-lab").first()
    if user is None:
        user = User(username="bench-lab", unit=province, role=User.Role.LAB)
        user.set_unusable_password()
        user.save()
    return user


def _head(path: Path, into: Path, count: int) -> int:
    """The first `count` rows of the file at `path` into `into`; returns how many are bad."""
    with open(path, encoding="utf-8", newline="") as f, open(into, "w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(f), csv.writer(out)
        writer.writerow(next(reader))
        bad = 0
        for _ in range(count):
            cells = next(reader)
            bad += cells[1].startswith("XN26-X") or cells[3].startswith("31/06")
            writer.writerow(cells)
    return bad


def _write_file(path: Path, count: int) -> int:
    """The lab's file, in a shuffled order; returns how many rows are bad."""
    rng = np.random.default_rng(7)
    order = 1 + rng.permutation(count)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, taken_at FROM {Sample._meta.db_table} WHERE id <= %s", [count])
        taken = dict(cursor.fetchall())
    delay = rng.integers(6 * 3600, 48 * 3600, count)
    positive = rng.random(count) < 0.005
    ct = rng.uniform(14, 36, count)
    bad = rng.random(count) < 0.001
    seven = dt.timedelta(hours=7)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for n, i in enumerate(order.tolist()):
            when = (taken[i] + seven + dt.timedelta(seconds=int(delay[n]))).strftime("%d/%m/%Y %H:%M")
            code = _code(i)
            if bad[n]:
                if n % 2:
                    code = f"XN26-X{i:06d}"
                else:
                    when = "31/06/2021 10:00"
            writer.writerow([n + 1, code, "Dương tính" if positive[n] else "Âm tính", when,
                             f"{ct[n]:.1f}" if positive[n] else "", LAB_CODE, f"KQ-{n + 1:07d}"])
    return int(bad.sum())
