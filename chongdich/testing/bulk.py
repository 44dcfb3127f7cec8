"""Storing many laboratory results at once: a lab's file, or a batch sent through the API.

Every row gets exactly one outcome: created, duplicate (the same result is already recorded — a
re-sent file changes nothing) or error (unknown or invisible code, a different result already
recorded, a time that cannot be, …). Codes are resolved with one query per call, the new results
are written with one COPY on PostgreSQL (`bulk_create` elsewhere), and what results imply (retests
for positive pools, F0 proposals for positive samples) is applied by
`services.results_after_insert` for all of them at once.

The loop is written for a million rows a minute or less on a small machine: rows travel as tuples,
every lookup is a dict, and messages are translated once per call, not once per row.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import PermissionDenied
from chongdich.core.text import fold
from chongdich.imports.domain import RowOutcome
from chongdich.testing import domain
from chongdich.testing.models import Laboratory, LabResult, Pool, Result, Sample, SampleKind

if TYPE_CHECKING:
    from chongdich.accounts.models import User

CAPABILITY = "record_result"
_RESULTS = frozenset(Result.values)
_TENTH = Decimal("0.1")
_RT_PCR = SampleKind.RT_PCR.value
# Concurrent bulk stores take turns (per transaction), so that "not there yet" stays true between
# the lookup and the COPY; a lone result recorded meanwhile is caught by the unique constraint.
_LOCK_KEY = zlib.crc32(b"chongdich.testing.bulk") & 0x7FFFFFFF
_SQLITE_BATCH = 5_000  # values per IN (…) on SQLite, under its limit on bound parameters
_AFTER_BATCH = 100_000
_IMPLYING = frozenset({Result.POSITIVE.value})
_SEND_BATCH = 5_000
MAX_REF = LabResult._meta.get_field("external_ref").max_length


@dataclass(frozen=True)
class ResultRow:
    """One result to store. Exactly one of `sample_code` / `pool_code` is set; `row` is how the
    caller numbers it (the file's line, the batch's position) and comes back in the outcome."""

    row: int
    sample_code: str
    pool_code: str
    result: str  # a `Result` value, or a word labs write ('Dương tính', 'N', …)
    resulted_at: dt.datetime  # aware
    ct_value: Decimal | None
    laboratory_code: str
    external_ref: str


def results_store_bulk(*, actor: User, rows: list[ResultRow]) -> list[RowOutcome]:
    """Store `rows`; one outcome per row, in the order given. A result may be written as labs
    write it ('Dương tính', 'N', …), a naive time is local, a Ct value is kept to one decimal."""
    tuples = []
    for r in rows:
        at = _aware(r.resulted_at)
        tuples.append((r.row, r.sample_code.strip().upper(), r.pool_code.strip().upper(),
                       _result_value(r.result), at,
                       None if r.ct_value is None else Decimal(r.ct_value).quantize(_TENTH),
                       r.laboratory_code, r.external_ref, at.timestamp()))
    return results_store_tuples(actor=actor, rows=tuples)


def _result_value(text: str) -> str:
    return text if text in _RESULTS else (domain.parse_result(text) or text)


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@transaction.atomic
def results_store_tuples(*, actor: User, rows: list[tuple]) -> list[RowOutcome]:
    """`results_store_bulk` for rows given as tuples: `ResultRow`'s fields in order, with `result`
    a `Result` value, `resulted_at` aware and `ct_value` to one decimal, then `resulted_at` again
    in seconds since the epoch — the import path, which saves building a million dataclasses (and
    comparing a million aware datetimes)."""
    from chongdich.testing import services

    if not actor.can(CAPABILITY):
        raise PermissionDenied(
            _("Vai trò của bạn không được phép thực hiện thao tác này (%(capability)s).")
            % {"capability": CAPABILITY}
        )
    if not rows:
        return []
    pg = connection.vendor == "postgresql"
    own_checks = False
    if pg:
        with connection.cursor() as cursor:
            own_checks = take_turn(cursor)
    sample_codes = {r[1] for r in rows if r[1]}
    samples = _lookup(Sample, sample_codes, actor, pg, own_checks)
    pool_codes = {r[2] for r in rows if r[2]} | {c for c in sample_codes if c not in samples}
    pools = _lookup(Pool, pool_codes, actor, pg, own_checks)
    latest = (clock.now() + services.FUTURE_TOLERANCE).timestamp()
    labs = _laboratories()
    sink = _CopySink(actor, _at_most_new(rows, samples, pools), own_checks) if pg else _OrmSink(actor)
    with sink:
        decided, new = _decide(rows, samples, pools, labs, latest, sink.send)
    ids = sink.ids
    outcomes = []
    append = outcomes.append
    for number, status, column, value, reason, ref in decided:
        append(RowOutcome(number, status, column, value, reason,
                          ids[~ref] if ref is not None and ref < 0 else ref))
    # Only positive results imply anything today (retests, F0 proposals): handing over the other
    # 99 % would cost two queries over a hundred thousand ids per chunk for nothing. Widen
    # _IMPLYING when `results_after_insert` learns something about negative or invalid results.
    implying = [pk for pk, row in zip(ids, new, strict=True) if row[4] in _IMPLYING]
    step = _AFTER_BATCH if pg else _SQLITE_BATCH
    for lo in range(0, len(implying), step):
        services.results_after_insert(actor=actor, result_ids=implying[lo : lo + step])
    return outcomes


def _may_check_references_itself(cursor) -> bool:
    """Whether this connection may switch off the foreign-key triggers for the COPY (a superuser,
    or on PostgreSQL 15+ a role granted SET on session_replication_role). See `_CopySink`."""
    if connection.pg_version >= 150000:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    else:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return bool(cursor.fetchone()[0])


def take_turn(cursor) -> bool:
    """Wait for concurrent bulk stores to end (until this transaction ends), then say whether
    this connection may check the references itself (`_may_check_references_itself`)."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    return _may_check_references_itself(cursor)


def lock_laboratories_and_recorder(cursor, actor: User) -> None:
    """The FOR KEY SHARE a foreign-key check of a new result's laboratory and recorder takes."""
    cursor.execute(f"SELECT 1 FROM {Laboratory._meta.db_table} FOR KEY SHARE")
    cursor.execute(f"SELECT 1 FROM {actor._meta.db_table} WHERE id = %s FOR KEY SHARE", [actor.pk])


def triggers_off(cursor) -> None:
    """Foreign-key triggers off until `triggers_on` (or the transaction's end): only around the
    one statement that writes rows whose references were checked and locked by the caller."""
    cursor.execute("SET LOCAL session_replication_role = replica")


def triggers_on(cursor) -> None:
    cursor.execute("SET LOCAL session_replication_role = origin")


# A looked-up tube: its id, when it was taken (seconds since the epoch), its kind, the code of the
# pool a sample was put in, and the result already recorded for it, if any.
_TUBE = ("id", "taken_at", "kind", "pool_code", "result_id", "result", "resulted_at", "ct_value",
         "laboratory_id")
RESULT_ID = _TUBE.index("result_id")
_NO_RESULT = (None, None, None, None, None)


def _scope(actor: User) -> tuple[str, int] | None:
    """The jurisdiction key and unit the actor sees, ("", 0) for the whole country, None for
    nothing. A tube outside is reported exactly like a code that does not exist."""
    unit = actor.unit
    if unit is None:
        return ("", 0) if (actor.is_superuser or actor.is_national) else None
    return f"{unit.level}_id", unit.pk


def _lookup(model, codes: set[str], actor: User, pg: bool, lock: bool = False) -> dict[str, tuple]:
    """code → a `_TUBE` tuple, for the samples or pools with these codes that the actor sees."""
    scope = _scope(actor)
    if not codes or scope is None:
        return {}
    if pg:
        return _pg_lookup(model, list(codes), scope, lock)
    found = {}
    codes = list(codes)
    for lo in range(0, len(codes), _SQLITE_BATCH):
        found.update(_orm_lookup(model, codes[lo : lo + _SQLITE_BATCH], scope))
    return found


def _pg_lookup(model, codes: list[str], scope: tuple[str, int], lock: bool) -> dict[str, tuple]:
    # One statement, the codes one text parameter split by the server (psycopg builds a list
    # parameter in Python, a string in C; a code never holds a line break). Times come as
    # epoch seconds (a float is read in C; a timestamptz through Django's loader costs more than
    # the rest of the row). FOR KEY SHARE is the lock a foreign-key check takes, for all at once.
    if model is Sample:
        pool_code = "p.code"
        join = f"LEFT JOIN {Pool._meta.db_table} p ON p.id = t.pool_id"
        own = "sample_id"
    else:
        pool_code, join, own = "NULL", "", "pool_id"
    key, unit_id = scope
    sql = (
        f"SELECT t.code, t.id, EXTRACT(EPOCH FROM t.taken_at)::float8, t.kind, {pool_code}, r.id,"
        f" r.result, EXTRACT(EPOCH FROM r.resulted_at)::float8, r.ct_value, r.laboratory_id"
        f" FROM {model._meta.db_table} t {join}"
        f" LEFT JOIN {LabResult._meta.db_table} r ON r.{own} = t.id"
        f" WHERE t.code = ANY(string_to_array(%s, E'\\n'))"
        + (f" AND t.{key} = %s" if key else "")
        + (" FOR KEY SHARE OF t" if lock else "")
    )
    params = ["\n".join(c for c in codes if "\n" not in c)] + ([unit_id] if key else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {rec[0]: rec[1:] for rec in cursor.fetchall()}


def _orm_lookup(model, codes: list[str], scope: tuple[str, int]) -> dict[str, tuple]:
    sample = model is Sample
    key, unit_id = scope
    where = {key: unit_id} if key else {}
    things = model.objects.filter(code__in=codes, **where).values_list(
        "code", "id", "taken_at", "kind", "pool__code" if sample else "code")
    own = "sample_id" if sample else "pool_id"
    results = {
        r[0]: (r[1], r[2], r[3].timestamp(), r[4], r[5])
        for r in LabResult.objects.filter(**{f"{own[:-3]}__code__in": codes}).values_list(
            own, "id", "result", "resulted_at", "ct_value", "laboratory_id")
    }
    return {t[0]: (t[1], t[2].timestamp(), t[3], t[4] if sample else None, *results.get(t[1], _NO_RESULT))
            for t in things}


def _laboratories() -> dict[str, int]:
    """Laboratory code, or name without diacritics, → id. Few rows: read them all."""
    labs = {}
    for pk, code, name in Laboratory.objects.values_list("pk", "code", "name"):
        labs.setdefault(fold(name), pk)
        labs[code.strip().upper()] = pk
    return labs


def _lab_id(labs: dict[str, int], text: str) -> int | None:
    return labs.get(text) or labs.get(text.strip().upper()) or labs.get(fold(text))


def _decide(rows, samples, pools, labs, latest, send):
    """Each row's fate. Returns (decisions, new rows) where a decision is (row, status, column,
    value, reason, ref) — ref is an existing result's id, or for a new result ~i (i its position
    in the new rows: its id is known only after the insert) — and a new row is (row, sample id,
    pool id, lab id, result, ct, resulted_at, external_ref). New rows go to `send` in batches as
    they come."""
    msg_already = _("Đã có đúng kết quả này.")
    msg_future = _("Thời gian trả kết quả ở tương lai.")
    msg_ct = _("Giá trị Ct phải từ %(low)s đến %(high)s.") % {"low": domain.CT_MIN, "high": domain.CT_MAX}
    msg_ct_kind = _("Giá trị Ct chỉ có ở xét nghiệm RT-PCR.")
    msg_result = _("Kết quả không hợp lệ.")
    msg_both = _("Chỉ ghi một trong hai: mã mẫu hoặc mã mẫu gộp.")
    msg_none = _("Thiếu mã mẫu (hoặc mã mẫu gộp).")
    msg_ref = _("Mã kết quả dài quá %(n)s ký tự.") % {"n": MAX_REF}
    ct_min, ct_max = domain.CT_MIN, domain.CT_MAX
    results, rt_pcr, batch = _RESULTS, _RT_PCR, _SEND_BATCH
    lab_ids: dict[str, int | None] = {}
    decided = []
    append = decided.append
    new = []
    add = new.append
    seen: dict[int, tuple] = {}  # sample id, or minus the pool id → (row, result, stamp, ct, lab, ~i)
    waiting = count = 0
    last_code = last_lab = None
    for number, sample_code, pool_code, result, resulted_at, ct, lab_code, ref, stamp in rows:
        if sample_code:
            if pool_code:
                append((number, "error", "pool_code", pool_code, msg_both, None))
                continue
            column, code = "sample_code", sample_code
            tube = samples.get(code)
            is_pool = tube is None
            if is_pool:
                tube = pools.get(code)
        elif pool_code:
            column, code, is_pool = "pool_code", pool_code, True
            tube = pools.get(code)
        else:
            append((number, "error", "sample_code", "", msg_none, None))
            continue
        if tube is None:
            reason = (_("Không tìm thấy mẫu gộp %(code)s.") if column == "pool_code"
                      else _("Không tìm thấy mẫu %(code)s.")) % {"code": code}
            append((number, "error", column, code, reason, None))
            continue
        tube_id, taken, kind, pooled_in, result_id, r_result, r_stamp, r_ct, r_lab = tube
        if pooled_in is not None:
            reason = _("Mẫu này đã gộp vào mẫu gộp %(code)s: ghi kết quả cho mẫu gộp.") % {"code": pooled_in}
            append((number, "error", column, code, reason, None))
            continue
        if result not in results:
            append((number, "error", "result", str(result), msg_result, None))
            continue
        if len(ref) > MAX_REF:
            append((number, "error", "external_ref", ref, msg_ref, None))
            continue
        if stamp > latest:
            append((number, "error", "resulted_at", _local(resulted_at), msg_future, None))
            continue
        if stamp < taken:
            reason = _("Thời gian trả kết quả trước lúc lấy mẫu (%(taken)s).") % {"taken": _local(taken)}
            append((number, "error", "resulted_at", _local(resulted_at), reason, None))
            continue
        if ct is not None:
            if not ct_min <= ct <= ct_max:
                append((number, "error", "ct_value", str(ct), msg_ct, None))
                continue
            if kind != rt_pcr:
                append((number, "error", "ct_value", str(ct), msg_ct_kind, None))
                continue
        if lab_code:
            if lab_code != last_code:  # a lab's file names one laboratory, row after row
                lab = lab_ids.get(lab_code, 0)
                if lab == 0:
                    lab = lab_ids[lab_code] = _lab_id(labs, lab_code)
                last_code, last_lab = lab_code, lab
            else:
                lab = last_lab
            if lab is None:
                reason = _("Không có phòng xét nghiệm %(code)s.") % {"code": lab_code}
                append((number, "error", "laboratory_code", lab_code, reason, None))
                continue
        else:
            lab = None
        if result_id is not None:
            if r_result == result and r_stamp == stamp and r_ct == ct and r_lab == lab:
                append((number, "duplicate", "", "", msg_already, result_id))
            else:
                append((number, "error", column, code, _different(r_result, r_stamp), None))
            continue
        key = -tube_id if is_pool else tube_id
        first = seen.get(key)
        if first is not None:
            if first[1:5] == (result, stamp, ct, lab):
                append((number, "duplicate", "", "", _("Trùng với dòng %(row)s.") % {"row": first[0]},
                        first[5]))
            else:
                reason = _("Mã %(code)s đã có ở dòng %(row)s với kết quả khác.") % {
                    "code": code, "row": first[0]}
                append((number, "error", column, code, reason, None))
            continue
        position = ~count
        count += 1
        seen[key] = (number, result, stamp, ct, lab, position)
        add((number, None if is_pool else tube_id, tube_id if is_pool else None, lab, result, ct,
             resulted_at, ref))
        append((number, "created", "", "", "", position))
        waiting += 1
        if waiting >= batch:
            send(new[-waiting:])
            waiting = 0
    if waiting:
        send(new[-waiting:])
    return decided, new


def _different(result: str, stamp: float) -> str:
    return _("Mẫu này đã có kết quả khác (%(result)s, %(at)s); sửa kết quả không làm qua nhập tệp.") % {
        "result": Result(result).label, "at": _local(stamp)}


def _local(moment: dt.datetime | float) -> str:
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.fromtimestamp(moment, dt.UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _at_most_new(rows, samples, pools) -> int:
    """How many rows can become new results: a tube found, without a result yet."""
    count = 0
    for row in rows:
        tube = samples.get(row[1]) or pools.get(row[1] or row[2])
        if tube is not None and tube[RESULT_ID] is None:
            count += 1
    return count


class _OrmSink:
    """bulk_create, batch by batch (SQLite; and the benchmark's comparison on PostgreSQL, where the
    triggers check the references)."""

    def __init__(self, actor: User, *_args):
        self.actor, self.ids = actor, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send(self, batch: list[tuple]) -> None:
        objs = LabResult.objects.bulk_create([
            LabResult(sample_id=s, pool_id=p, laboratory_id=lab, result=result, ct_value=ct,
                      resulted_at=at, external_ref=ref, recorded_by_id=self.actor.pk)
            for _n, s, p, lab, result, ct, at, ref in batch
        ], batch_size=2_000)
        self.ids += [o.pk for o in objs]


class _CopySink:
    """One COPY, fed batch by batch while the rows are still being decided: PostgreSQL stores a
    batch while Python decides the next (psycopg sends from a thread of its own).

    The ids come from the table's sequence beforehand, as many as rows could be new (COPY returns
    nothing; the outcomes and `results_after_insert` need them; an id left unused is a gap).

    The foreign keys of a result (sample or pool, laboratory, recorder) are checked by PostgreSQL
    with one trigger query per row and key: three million queries for a million rows, more time
    than everything else together. When the connection may (`own_checks`), this transaction does
    the same check set-based instead — every referenced row was read and locked FOR KEY SHARE,
    the lock the trigger would take, so none can go away before the commit — and switches the
    triggers off for the COPY alone. Unique and check constraints are untouched."""

    SQL = (f"COPY {LabResult._meta.db_table} (id, sample_id, pool_id, laboratory_id, result, ct_value,"
           " resulted_at, external_ref, recorded_at, recorded_by_id) FROM STDIN")

    def __init__(self, actor: User, count: int, own_checks: bool):
        self.actor, self.count, self.own_checks = actor, count, own_checks
        self.ids: list[int] = []
        self.recorded = clock.now().isoformat()
        self.texts: dict[int, str] = {}

    def __enter__(self):
        from psycopg.copy import QueuedLibpqWriter

        table = LabResult._meta.db_table
        with connection.cursor() as cursor:
            # The sequence is named once: resolved on every row, its name costs ten times the nextval.
            cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                           [cursor.fetchone()[0], self.count])
            self.free = iter([r[0] for r in cursor.fetchall()])
            if self.own_checks:
                lock_laboratories_and_recorder(cursor, self.actor)
        self.cursor = connection.connection.cursor()
        if self.own_checks:
            triggers_off(self.cursor)
        self.copying = self.cursor.copy(self.SQL, writer=QueuedLibpqWriter(self.cursor))
        self.copy = self.copying.__enter__()
        return self

    def __exit__(self, *exc):
        try:
            with connection.wrap_database_errors:  # e.g. IntegrityError, as Django raises it
                self.copying.__exit__(*exc)
                if self.own_checks and exc[0] is None:  # at once: nothing after may skip a trigger
                    triggers_on(self.cursor)
        finally:
            self.cursor.close()
        return False

    def send(self, batch: list[tuple]) -> None:
        # Times by identity: the rows of a call share a few thousand datetime objects (the kind
        # reads each distinct cell once), all alive until the call ends; hashing an aware datetime
        # asks its zone for the offset every time.
        texts, tail = self.texts, f"\t{self.recorded}\t{self.actor.pk}\n"
        ids = list(islice(self.free, len(batch)))
        self.ids += ids
        lines = []
        add = lines.append
        for pk, (_n, s, p, lab, result, ct, at, ref) in zip(ids, batch, strict=True):
            at_text = texts.get(id(at))
            if at_text is None:
                at_text = texts[id(at)] = at.isoformat()
            if ref and ("\\" in ref or "\t" in ref or "\n" in ref or "\r" in ref):
                ref = ref.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            add(f"{pk}\t{s or _NULL}\t{p or _NULL}\t{_NULL if lab is None else lab}\t{result}\t"
                f"{_NULL if ct is None else ct}\t{at_text}\t{ref}{tail}")
        self.copy.write("".join(lines))


_NULL = r"\N"


