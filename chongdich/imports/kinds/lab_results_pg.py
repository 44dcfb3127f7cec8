"""A whole lab-results CSV file at once, set-based in PostgreSQL: the same outcomes as the chunked
path (`lab_results.read_rows` + `testing.bulk`), a few times faster on a million rows.

1. The raw file is COPYed into a staging table of text cells (rows of empty cells skipped by
   COPY's WHERE); `ord` follows the file's records, so the spreadsheet row is `ord + 1`.
2. Result words, times, Ct values and laboratories are read in Python once per DISTINCT cell (one
   GROUPING SETS pass), with the kind's own readers; the readings go back as small tables.
3. `cells`: every row read once (codes normalised, readings joined in), narrow. `decided`: every
   row's tube and fate, in `bulk._decide`'s order (in parallel where PostgreSQL can).
4. INSERT … SELECT the new results (references checked and locked as `bulk` does, or for a large
   file the tubes' tables locked against writes; triggers off), in a savepoint: if a code is
   repeated in the file, a result's unique index refuses the insert, and then the repeats are
   decided — the first row stands, later ones are duplicates if the same, else errors — and the
   insert runs again. Then the error rows, each distinct reason translated once in Python and
   filled in SQL.

The staging tables are UNLOGGED tables of this import (`_import<job id>_…`), not TEMP ones, so
PostgreSQL may read them with parallel workers; they are made and dropped in the transaction.

Anything this path does not read exactly like `reading.Table` (blank or ragged lines, UTF-16, a
header below the first line) makes COPY fail or the runner not call it: the whole attempt is
rolled back and the runner goes chunk by chunk. One difference is kept on purpose: a code repeated
in the file is judged against its first row wherever it is, where the chunked path, past its
50,000-row chunk, compares with the result stored by the earlier chunk (the same status; the
reason names the stored result instead of the row).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.imports import domain, reading
from chongdich.imports.kinds import lab_results
from chongdich.imports.models import ImportJob, ImportRowError
from chongdich.testing import bulk
from chongdich.testing import domain as testing_domain
from chongdich.testing.models import LabResult, Pool, Result, Sample, SampleKind

logger = logging.getLogger(__name__)

ENCODINGS = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "cp1258": "WIN1258", "cp1252": "WIN1252"}
_DELIMITERS = {",": "','", ";": "';'", "\t": "E'\\t'"}
# Sentinels in translated reasons, replaced in SQL by the row's values (private-use characters:
# no message holds them, and formatting a message with them resolves its '%%' once, in Python).
P1, P2 = "\ue001", "\ue002"
# What Python's str.strip() takes away (reading.Table strips every cell).
_SPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
_BLOCK = 1 << 20
_READ = ("result", "resulted_at", "ct_value", "laboratory_code")  # read in Python, once per cell
_ROW_LOCKS_UP_TO = 20_000  # rows whose tubes are locked one by one; more: the tables, in SHARE mode
_NOT_ERRORS = "('candidate', 'dup_existing', 'dup_row')"
_TABLES = ("rows", "result", "time", "ct", "lab", "reasons", "cells", "decided", "repeats", "errs")


def process_file(*, actor, job: ImportJob, path, layout: reading.Table, progress) -> bool:
    """Store every row of the CSV at `path` (read by `layout`) for `job`; False (nothing done)
    when this path does not apply. Raises when it fails: nothing of it is kept."""
    encoding = ENCODINGS.get(layout.dialect.encoding if layout.dialect else "")
    if (connection.vendor != "postgresql" or layout.xlsx or layout.header_row != 1
            or encoding is None or layout.dialect.delimiter not in _DELIMITERS
            or not actor.can(bulk.CAPABILITY) or not layout.headers):
        return False
    positions = domain.column_positions(job.headers, job.columns)
    with transaction.atomic():
        _File(actor, job, Path(path), layout, positions, encoding, progress).run()
    return True


class _File:
    def __init__(self, actor, job, path, layout, positions, encoding, progress):
        self.actor, self.job, self.path, self.layout = actor, job, path, layout
        self.positions, self.encoding, self.progress = positions, encoding, progress
        self.width = len(layout.headers)

    def raw(self, field: str) -> str:
        i = self.positions.get(field)
        return f"coalesce(r.c{i}, '')" if i is not None and i < self.width else "''::text"

    def norm(self, sql: str) -> str:
        # NFC and the rest of Unicode's spaces only for a cell that is not ASCII (one byte per
        # character): normalize() costs a second per million cells.
        return (f"CASE WHEN octet_length({sql}) = char_length({sql}) THEN btrim({sql}, {self.ascii})"
                f" ELSE btrim(normalize({sql}, NFC), {self.space}) END")

    def run(self) -> None:
        with connection.cursor() as cursor:
            self.cursor = cursor
            cursor.execute("SET LOCAL work_mem = '256MB'")
            self.space = "'" + _SPACE + "'"
            self.ascii = "'" + "".join(ch for ch in _SPACE if ch.isascii()) + "'"
            total = self._stage()
            self._count(total_rows=total)
            own_checks = bulk.take_turn(cursor)
            # Row locks on a million tubes cost a write to each: for a large file the tubes'
            # tables are locked instead, against writes only, from before the decision to the
            # commit (seconds), so no tube can go away once it has been looked up.
            self.tables_locked = own_checks and total > _ROW_LOCKS_UP_TO
            if self.tables_locked:
                cursor.execute(f"LOCK TABLE {Sample._meta.db_table}, {Pool._meta.db_table} IN SHARE MODE")
            self._readings()
            # Whole tables meet in these two: hash joins, never a loop per row (the estimates of
            # joins on a staging table's cells can talk the planner into one).
            cursor.execute("SET LOCAL enable_nestloop = off")
            self._cells()
            self._decide()
            cursor.execute("SET LOCAL enable_nestloop = DEFAULT")
            created, positive = self._store(own_checks)
            errors = self._errors()
            duplicates = self.duplicates
            cursor.execute("DROP TABLE IF EXISTS " + ", ".join(self.t(name) for name in _TABLES))
        step = bulk._AFTER_BATCH
        from chongdich.testing import services

        for lo in range(0, len(positive), step):
            services.results_after_insert(actor=self.actor, result_ids=positive[lo : lo + step])
        self._count(processed_rows=created + duplicates + errors, created_count=created,
                    duplicate_count=duplicates, error_count=errors)

    def t(self, name: str) -> str:
        """This import's staging table `name`: an UNLOGGED table of its own (not TEMP, so that
        PostgreSQL may scan it with parallel workers), made and dropped inside the transaction,
        so a failure leaves nothing behind."""
        return f"_import{int(self.job.pk)}_{name}"

    def _count(self, **changes) -> None:
        if "total_rows" in changes:
            ImportJob.objects.filter(pk=self.job.pk).update(updated_at=clock.now(), **changes)
            self.job.total_rows = changes["total_rows"]
        else:
            ImportJob.objects.filter(pk=self.job.pk).update(
                updated_at=clock.now(), **{k: F(k) + v for k, v in changes.items() if v})
            for key, value in changes.items():
                setattr(self.job, key, getattr(self.job, key) + value)
        self.progress()

    # --- 1. the file, as text ------------------------------------------------------------------

    def _stage(self) -> int:
        cells = ", ".join(f"c{i} text" for i in range(self.width))
        names = ", ".join(f"c{i}" for i in range(self.width))
        every = ", ".join(f"c{i}" for i in range(self.width))
        rows = self.t("rows")
        self.cursor.execute(f"CREATE UNLOGGED TABLE {rows} (ord bigint GENERATED ALWAYS AS IDENTITY,"
                            f" {cells})")
        raw = connection.connection.cursor()
        delimiter = _DELIMITERS[self.layout.dialect.delimiter]
        # A row of empty cells is skipped, but keeps its number (reading.Table does the same): the
        # identity is drawn before COPY's WHERE looks at the row.
        try:
            with raw.copy(f"COPY {rows} ({names}) FROM STDIN (FORMAT csv, HEADER true,"
                          f" DELIMITER {delimiter}, ENCODING '{self.encoding}')"
                          f" WHERE btrim(concat({every}), {self.space}) <> ''") as copy, \
                    open(self.path, "rb") as f:
                while block := f.read(_BLOCK):
                    copy.write(block)
        finally:
            raw.close()
        self.cursor.execute(f"ANALYZE {rows}")
        self.cursor.execute(f"SELECT count(*) FROM {rows}")
        return self.cursor.fetchone()[0]

    # --- 2. distinct cells, read in Python -----------------------------------------------------

    def _distinct(self) -> dict[str, list[str]]:
        """Every distinct cell of the columns read in Python, in one pass over the rows."""
        fields = [f for f in _READ if self.raw(f) != "''::text"]
        found: dict[str, list[str]] = {f: [] if f in fields else [""] for f in _READ}
        if fields:
            cells = ", ".join(f"{self.raw(f)} AS {f}" for f in fields)
            sets = ", ".join(f"({f})" for f in fields)
            picks = ", ".join(fields)
            flags = ", ".join(f"GROUPING({f})" for f in fields)
            self.cursor.execute(f"SELECT {picks}, {flags} FROM (SELECT {cells} FROM {self.t('rows')} r) c"
                                f" GROUP BY GROUPING SETS ({sets})")
            n = len(fields)
            for row in self.cursor.fetchall():
                for i, field in enumerate(fields):
                    if row[n + i] == 0:
                        found[field].append(row[i])
        return found

    def _readings(self) -> None:
        results, times, cts, labs = [], [], [], []
        distinct = self._distinct()
        for text in distinct["result"]:
            shown = _cell(text)
            try:
                results.append((text, shown, lab_results.read_result(shown), None))
            except ValueError as exc:
                results.append((text, shown, None, str(exc)))
        for text in distinct["resulted_at"]:
            shown = _cell(text)
            try:
                times.append((text, shown, lab_results.read_time(shown).isoformat(), None))
            except ValueError as exc:
                times.append((text, shown, None, str(exc)))
        for text in distinct["ct_value"]:
            shown = _cell(text)
            try:
                ct = lab_results.parse_ct(shown)
                cts.append((text, shown, None if ct is None else str(ct), None))
            except ValueError as exc:
                cts.append((text, shown, None, str(exc)))
        known = bulk._laboratories()
        for text in distinct["laboratory_code"]:
            shown = _cell(text)
            labs.append((text, shown, bulk._lab_id(known, shown) if shown else None))
        self._load("result", "value text, msg text", results)
        self._load("time", "at timestamptz, msg text", times)
        self._load("ct", "ct numeric, msg text", cts)
        self._load("lab", "lab_id integer", labs)
        self._load("reasons", "tpl text", list(self._reasons().items()), key="key")

    def _load(self, name: str, columns: str, rows: list[tuple], key: str = "txt") -> None:
        shown = "" if key == "key" else " shown text,"
        table = self.t(name)
        self.cursor.execute(f"CREATE UNLOGGED TABLE {table} ({key} text PRIMARY KEY,{shown} {columns})")
        raw = connection.connection.cursor()
        try:
            with raw.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            raw.close()
        self.cursor.execute(f"ANALYZE {table}")

    @staticmethod
    def _reasons() -> dict[str, str]:
        """Every reason `bulk._decide` gives, translated once, its values as sentinels."""
        reasons = {
            "literal": P1,
            "both": _("Chỉ ghi một trong hai: mã mẫu hoặc mã mẫu gộp."),
            "none": _("Thiếu mã mẫu (hoặc mã mẫu gộp)."),
            "missing_sample_code": _("Không tìm thấy mẫu %(code)s.") % {"code": P1},
            "missing_pool_code": _("Không tìm thấy mẫu gộp %(code)s.") % {"code": P1},
            "pooled": _("Mẫu này đã gộp vào mẫu gộp %(code)s: ghi kết quả cho mẫu gộp.")
            % {"code": P1},
            "ref": _("Mã kết quả dài quá %(n)s ký tự.") % {"n": bulk.MAX_REF},
            "future": _("Thời gian trả kết quả ở tương lai."),
            "before": _("Thời gian trả kết quả trước lúc lấy mẫu (%(taken)s).") % {"taken": P1},
            "ct_range": _("Giá trị Ct phải từ %(low)s đến %(high)s.") % {
                "low": testing_domain.CT_MIN, "high": testing_domain.CT_MAX},
            "ct_kind": _("Giá trị Ct chỉ có ở xét nghiệm RT-PCR."),
            "no_lab": _("Không có phòng xét nghiệm %(code)s.") % {"code": P1},
            "repeat": _("Mã %(code)s đã có ở dòng %(row)s với kết quả khác.") % {
                "code": P1, "row": P2},
        }
        for value in Result.values:
            reasons[f"different_{value}"] = _(
                "Mẫu này đã có kết quả khác (%(result)s, %(at)s); sửa kết quả không làm qua nhập "
                "tệp.") % {"result": Result(value).label, "at": P1}
        return reasons

    # --- 3. every row's fate -------------------------------------------------------------------

    def _cells(self) -> None:
        """Every row's cells read once, into a narrow table: the codes normalised as
        `reading.Table` does, and the readings of the distinct cells joined in."""
        s, p, ref = (self.norm(self.raw(f)) for f in ("sample_code", "pool_code", "external_ref"))
        self.cursor.execute(f"""
            CREATE UNLOGGED TABLE {self.t("cells")} AS
            SELECT r.ord, {s} AS s, {p} AS p, {ref} AS ref, mr.value AS result, mt.at, mc.ct,
                   mc.msg IS NOT NULL AS c_bad, ml.lab_id, ml.shown <> '' AND ml.lab_id IS NULL AS l_bad
            FROM {self.t("rows")} r
            JOIN {self.t("result")} mr ON mr.txt = {self.raw("result")}
            JOIN {self.t("time")} mt ON mt.txt = {self.raw("resulted_at")}
            JOIN {self.t("ct")} mc ON mc.txt = {self.raw("ct_value")}
            JOIN {self.t("lab")} ml ON ml.txt = {self.raw("laboratory_code")}""")
        # Without statistics the planner takes the decision's joins for too small to share out.
        self.cursor.execute(f"ANALYZE {self.t('cells')}")

    def _tubes(self, errors: bool = False, extra: str = "") -> str:
        """The CTEs `f` (each row's cells, read) and `t` (its tube, and the result the tube
        already has), over every row, or over the error rows only (`errors`: with the cells as
        shown, the messages, and `extra` columns of the raw row `r`)."""
        scope = bulk._scope(self.actor)
        if scope is None:
            where_s = where_p = " AND false"
        elif scope[0]:
            where_s = f" AND sm.{scope[0]} = {int(scope[1])}"
            where_p = f" AND pl.{scope[0]} = {int(scope[1])}"
        else:
            where_s = where_p = ""
        if not errors:
            f = f"SELECT * FROM {self.t('cells')}"
        else:
            f = f"""
            SELECT c.*, mr.shown AS r_shown, mr.msg AS r_msg, mt.shown AS t_shown, mt.msg AS t_msg,
                   mc.shown AS c_shown, mc.msg AS c_msg, ml.shown AS l_shown{extra}
            FROM {self.t("errs")} e JOIN {self.t("cells")} c ON c.ord = e.ord
            JOIN {self.t("rows")} r ON r.ord = e.ord
            JOIN {self.t("result")} mr ON mr.txt = {self.raw("result")}
            JOIN {self.t("time")} mt ON mt.txt = {self.raw("resulted_at")}
            JOIN {self.t("ct")} mc ON mc.txt = {self.raw("ct_value")}
            JOIN {self.t("lab")} ml ON ml.txt = {self.raw("laboratory_code")}"""
        return f"""
        f AS ({f}
        ), t AS (
            SELECT f.*, upper(CASE WHEN f.s <> '' THEN f.s ELSE f.p END) AS code,
                   CASE WHEN f.s <> '' THEN 'sample_code' ELSE 'pool_code' END AS col,
                   sm.id IS NULL AS is_pool, coalesce(sm.id, pl.id) AS tube_id,
                   coalesce(sm.taken_at, pl.taken_at) AS taken, coalesce(sm.kind, pl.kind) AS kind,
                   sm.pool_id IS NOT NULL AS pooled, spl.code AS pooled_in,
                   coalesce(rs.id, rp.id) AS er_id, coalesce(rs.result, rp.result) AS er_result,
                   coalesce(rs.resulted_at, rp.resulted_at) AS er_at,
                   CASE WHEN rs.id IS NOT NULL THEN rs.ct_value ELSE rp.ct_value END AS er_ct,
                   CASE WHEN rs.id IS NOT NULL THEN rs.laboratory_id ELSE rp.laboratory_id END
                       AS er_lab
            FROM f
            LEFT JOIN {Sample._meta.db_table} sm
                   ON f.s <> '' AND f.p = '' AND sm.code = upper(f.s){where_s}
            LEFT JOIN {Pool._meta.db_table} spl ON spl.id = sm.pool_id
            LEFT JOIN {Pool._meta.db_table} pl
                   ON sm.id IS NULL AND NOT (f.s <> '' AND f.p <> '')
                  AND pl.code = upper(CASE WHEN f.s <> '' THEN f.s ELSE f.p END){where_p}
            LEFT JOIN {LabResult._meta.db_table} rs ON rs.sample_id = sm.id
            LEFT JOIN {LabResult._meta.db_table} rp ON rp.pool_id = pl.id
        )"""

    def _decide(self) -> None:
        """One narrow row per file row: the tube, the values to store, and `why` — 'candidate'
        (to be stored), 'dup_existing' / 'dup_row' (duplicates) or the error's key."""
        decided = self.t("decided")
        sql = f"""
        CREATE UNLOGGED TABLE {decided} AS
        WITH {self._tubes()}
        SELECT ord, is_pool, tube_id, lab_id, result, ct, at, ref, NULL::bigint AS first_ord, CASE
                WHEN result IS NULL THEN 'e_result'
                WHEN at IS NULL THEN 'e_time'
                WHEN c_bad THEN 'e_ct'
                WHEN s <> '' AND p <> '' THEN 'both'
                WHEN s = '' AND p = '' THEN 'none'
                WHEN tube_id IS NULL THEN 'missing'
                WHEN pooled THEN 'pooled'
                WHEN char_length(ref) > %(max_ref)s THEN 'ref'
                WHEN at > %(latest)s THEN 'future'
                WHEN at < taken THEN 'before'
                WHEN ct IS NOT NULL AND NOT ct BETWEEN %(ct_min)s AND %(ct_max)s THEN 'ct_range'
                WHEN ct IS NOT NULL AND kind <> %(rt_pcr)s THEN 'ct_kind'
                WHEN l_bad THEN 'no_lab'
                WHEN er_id IS NOT NULL THEN
                    CASE WHEN er_result = result AND er_at = at AND er_ct IS NOT DISTINCT FROM ct
                              AND er_lab IS NOT DISTINCT FROM lab_id THEN 'dup_existing'
                         ELSE 'different' END
                ELSE 'candidate' END AS why
        FROM t
        """
        # Shared out between the cores: the planner's default price for passing a row from a
        # worker is set for queries that return few, and keeps this one (a million rows, each
        # a join of its own) on one core; in parallel it takes two thirds of the time.
        self.cursor.execute("SET LOCAL parallel_tuple_cost = 0.001")
        self.cursor.execute(sql, {
            "max_ref": bulk.MAX_REF, "latest": clock.now() + _future_tolerance(),
            "ct_min": testing_domain.CT_MIN, "ct_max": testing_domain.CT_MAX,
            "rt_pcr": SampleKind.RT_PCR.value})
        self.cursor.execute("SET LOCAL parallel_tuple_cost = DEFAULT")
        self.cursor.execute(f"ANALYZE {decided}")

    def _repeats(self) -> None:
        """A tube named again by a later row: its first row's result stands; a later row with the
        same result is a duplicate, with another one an error. Run only when the insert met a
        tube twice (`_store`): grouping a million rows by tube cost most of a second, for files
        that almost never name a tube twice."""
        decided, repeats = self.t("decided"), self.t("repeats")
        self.cursor.execute(f"""
            CREATE UNLOGGED TABLE {repeats} AS
            SELECT bool_or(is_pool) AS is_pool, abs(tube) AS tube_id, min(ord) AS first_ord
            FROM (SELECT ord, is_pool, CASE WHEN is_pool THEN -tube_id ELSE tube_id END AS tube
                  FROM {decided} WHERE why = 'candidate') c
            GROUP BY tube HAVING count(*) > 1""")
        if self.cursor.rowcount:
            self.cursor.execute(f"""
                UPDATE {decided} d SET first_ord = g.first_ord, why = CASE
                    WHEN o.result = d.result AND o.at = d.at AND o.ct IS NOT DISTINCT FROM d.ct
                         AND o.lab_id IS NOT DISTINCT FROM d.lab_id THEN 'dup_row' ELSE 'repeat' END
                FROM {repeats} g JOIN {decided} o ON o.ord = g.first_ord
                WHERE d.why = 'candidate' AND d.is_pool = g.is_pool AND d.tube_id = g.tube_id
                  AND d.ord <> g.first_ord""")

    # --- 4. what is stored ---------------------------------------------------------------------

    def _store(self, own_checks: bool) -> tuple[int, list[int]]:
        """Insert the new results; (how many, the ids of those that imply something). The
        insert is tried as decided; a tube named twice in the file breaks a unique index (a tube
        has one result), and then the repeats are decided and the insert runs again."""
        try:
            with transaction.atomic():
                return self._insert(own_checks)
        except IntegrityError:
            self.cursor.execute("SET LOCAL enable_nestloop = off")  # as for the decision
            self._repeats()
            self.cursor.execute("SET LOCAL enable_nestloop = DEFAULT")
        return self._insert(own_checks)

    def _insert(self, own_checks: bool) -> tuple[int, list[int]]:
        cursor, decided = self.cursor, self.t("decided")
        cursor.execute(f"""SELECT count(*) FILTER (WHERE why = 'candidate' AND NOT is_pool),
                                  count(*) FILTER (WHERE why = 'candidate' AND is_pool),
                                  count(*) FILTER (WHERE why IN ('dup_existing', 'dup_row'))
                           FROM {decided}""")
        samples, pools, self.duplicates = cursor.fetchone()
        if own_checks and not self.tables_locked:  # a small file: its tubes, each once
            cursor.execute(f"""SELECT count(DISTINCT tube_id) FILTER (WHERE NOT is_pool),
                                      count(DISTINCT tube_id) FILTER (WHERE is_pool)
                               FROM {decided} WHERE why = 'candidate'""")
            samples, pools = cursor.fetchone()
        wanted = {False: samples, True: pools}
        if own_checks:
            for model, pool in ((Sample, False), (Pool, True)):
                if self.tables_locked:
                    break
                # The lock a foreign-key check takes, on every referenced tube; one gone since
                # the decision would not come back, and the file goes the chunked way instead.
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {model._meta.db_table} WHERE id IN"
                    f" (SELECT tube_id FROM {decided} WHERE why = 'candidate' AND is_pool = %s)"
                    f" FOR KEY SHARE) found", [pool])
                if cursor.fetchone()[0] != wanted[pool]:
                    raise RuntimeError("a tube went away while its results were being decided")
            bulk.lock_laboratories_and_recorder(cursor, self.actor)
            bulk.triggers_off(cursor)
        cursor.execute(f"""
            INSERT INTO {LabResult._meta.db_table} (sample_id, pool_id, laboratory_id, result,
                ct_value, resulted_at, external_ref, recorded_at, recorded_by_id)
            SELECT CASE WHEN is_pool THEN NULL ELSE tube_id END,
                   CASE WHEN is_pool THEN tube_id END, lab_id, result, ct, at, ref, %s, %s
            FROM {decided} WHERE why = 'candidate'""",
            [clock.now(), self.actor.pk])
        made = cursor.rowcount
        if own_checks:
            bulk.triggers_on(cursor)
        # The new results that imply something (a few in a thousand): a tube had none before.
        cursor.execute(f"""
            SELECT r.id FROM {decided} d JOIN {LabResult._meta.db_table} r ON r.sample_id = d.tube_id
            WHERE d.why = 'candidate' AND NOT d.is_pool AND d.result = ANY(%s)
            UNION ALL
            SELECT r.id FROM {decided} d JOIN {LabResult._meta.db_table} r ON r.pool_id = d.tube_id
            WHERE d.why = 'candidate' AND d.is_pool AND d.result = ANY(%s)
            ORDER BY 1""", [list(bulk._IMPLYING)] * 2)
        implying = [i for (i,) in cursor.fetchall()]
        self.progress()
        return made, implying

    def _errors(self) -> int:
        decided = self.t("decided")
        values = ", ".join(self.norm(f"coalesce(r.c{i}, '')") for i in range(self.width))
        headers = {name: header[:255] for name, header in self.job.columns.items()}
        local = "'DD/MM/YYYY HH24:MI'"
        # The error rows first, in a table of their own the planner knows is small.
        self.cursor.execute(f"CREATE UNLOGGED TABLE {self.t('errs')} AS"
                            f" SELECT ord FROM {decided} WHERE why NOT IN {_NOT_ERRORS}")
        if not self.cursor.rowcount:
            return 0
        self.cursor.execute(f"ANALYZE {self.t('errs')}")
        self.cursor.execute(f"""
            INSERT INTO {ImportRowError._meta.db_table}
                (job_id, "row", "column", header, value, reason, "values")
            WITH {self._tubes(True, f", to_jsonb(ARRAY[{values}]::text[]) AS vals")}, x AS (
                SELECT t.*, d.why, d.first_ord FROM t JOIN {decided} d ON d.ord = t.ord
            ), e AS (
                SELECT ord, vals,
                   CASE why WHEN 'e_result' THEN 'result' WHEN 'e_time' THEN 'resulted_at'
                            WHEN 'e_ct' THEN 'ct_value' WHEN 'both' THEN 'pool_code'
                            WHEN 'none' THEN 'sample_code' WHEN 'ref' THEN 'external_ref'
                            WHEN 'future' THEN 'resulted_at' WHEN 'before' THEN 'resulted_at'
                            WHEN 'ct_range' THEN 'ct_value' WHEN 'ct_kind' THEN 'ct_value'
                            WHEN 'no_lab' THEN 'laboratory_code' ELSE col END AS col,
                   CASE why WHEN 'e_result' THEN r_shown WHEN 'e_time' THEN t_shown
                            WHEN 'e_ct' THEN c_shown WHEN 'both' THEN p WHEN 'none' THEN s
                            WHEN 'ref' THEN ref WHEN 'future' THEN t_shown WHEN 'before' THEN t_shown
                            WHEN 'ct_range' THEN c_shown WHEN 'ct_kind' THEN c_shown
                            WHEN 'no_lab' THEN l_shown
                            ELSE CASE WHEN col = 'sample_code' THEN s ELSE p END END AS val,
                   CASE why WHEN 'e_result' THEN 'literal' WHEN 'e_time' THEN 'literal'
                            WHEN 'e_ct' THEN 'literal' WHEN 'missing' THEN 'missing_' || col
                            WHEN 'different' THEN 'different_' || er_result ELSE why END AS key,
                   CASE why WHEN 'e_result' THEN r_msg WHEN 'e_time' THEN t_msg WHEN 'e_ct' THEN c_msg
                            WHEN 'missing' THEN code WHEN 'pooled' THEN pooled_in
                            WHEN 'before' THEN to_char(taken AT TIME ZONE %(zone)s, {local})
                            WHEN 'no_lab' THEN l_shown
                            WHEN 'different' THEN to_char(er_at AT TIME ZONE %(zone)s, {local})
                            WHEN 'repeat' THEN code END AS p1,
                   CASE WHEN why = 'repeat' THEN (first_ord + 1)::text END AS p2
                FROM x
            )
            SELECT %(job)s, e.ord + 1, left(e.col, 40), coalesce(%(headers)s::jsonb ->> e.col, ''),
                   coalesce(e.val, ''),
                   replace(replace(m.tpl, %(p1)s, coalesce(e.p1, '')), %(p2)s, coalesce(e.p2, '')),
                   e.vals
            FROM e JOIN {self.t("reasons")} m ON m.key = e.key
            ORDER BY e.ord""",
            {"job": self.job.pk, "headers": _json(headers), "p1": P1, "p2": P2,
             "zone": timezone.get_current_timezone_name()})
        return self.cursor.rowcount


def _cell(text: str) -> str:
    """A cell as `reading.Table` gives it."""
    return reading._normal(text).strip()


def _future_tolerance():
    from chongdich.testing import services

    return services.FUTURE_TOLERANCE


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
