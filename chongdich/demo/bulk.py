"""Fast inserts of column arrays: PostgreSQL COPY through psycopg 3, executemany elsewhere.

A column is a NumPy array or a list. Conventions, so the generator can stay in arrays:
integer arrays use a negative value for NULL; datetime64 arrays use NaT; object arrays and lists
use None. Datetimes are UTC (Django keeps the database session in UTC).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from contextlib import contextmanager

import numpy as np
from django.core.management.color import no_style
from django.db import connection

CHUNK = 100_000
log = logging.getLogger(__name__)


def _text(values, vendor: str) -> list:
    """One chunk of a column as COPY text (PostgreSQL) or Python values (others)."""
    pg = vendor == "postgresql"
    null_text = r"\N" if pg else None
    if not isinstance(values, np.ndarray):
        values = list(values)
        if pg and None in values:
            return [null_text if v is None else v for v in values]
        return values
    if np.issubdtype(values.dtype, np.datetime64):
        unit = "D" if values.dtype == np.dtype("datetime64[D]") else "s"
        text = np.datetime_as_string(values, unit=unit)
        if not pg and unit == "s":
            text = np.char.replace(text, "T", " ")
        null = np.isnat(values)
    elif np.issubdtype(values.dtype, np.integer):
        text = values.astype(str) if pg else values.astype(object)
        null = values < 0
    else:
        text = values.astype(object)
        null = np.equal(text, None)
    if null.any():
        text = np.where(null, null_text, text.astype(object))
    return text.tolist()


def insert(table: str, columns: Mapping[str, Sequence | np.ndarray]) -> int:
    """Insert the rows made of `columns` (all the same length) into `table`. Returns the count."""
    names = list(columns)
    count = len(next(iter(columns.values()))) if names else 0
    vendor = connection.vendor
    connection.ensure_connection()
    began = time.perf_counter()
    if vendor == "postgresql":
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for lo in range(0, count, CHUNK):
                cols = [_text(columns[n][lo : lo + CHUNK], vendor) for n in names]
                copy.write("\n".join(map("\t".join, zip(*cols, strict=True))) + "\n")
    else:
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
        with connection.cursor() as cursor:
            for lo in range(0, count, CHUNK):
                cols = [_text(columns[n][lo : lo + CHUNK], vendor) for n in names]
                cursor.executemany(sql, list(zip(*cols, strict=True)))
    log.info("%.1f s: %s rows into %s", time.perf_counter() - began, count, table)
    return count


def next_id(model) -> int:
    """The first free primary key (rows are then inserted with explicit ids)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return int(cursor.fetchone()[0]) + 1


def reset_sequences(*models) -> None:
    """After explicit ids, move the id sequences past them (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def indexes_dropped(tables: list[str], *, enabled: bool = True):
    """PostgreSQL's advice for populating a database: load without foreign keys and secondary
    indexes, then build them once ("Populating a Database" in its manual). The definitions are
    read from the catalogue and put back exactly, inside the caller's transaction, so the
    constraints are checked over all rows when they return. Takes exclusive locks: for big loads."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check what is pending: no ALTER otherwise
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint"
            " WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype, conname",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))"
            " ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        statements = [definition for _, definition in indexes] + [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition, _ in reversed(constraints)  # unique ones before foreign keys
        ] + [f"ANALYZE {', '.join(tables)}"]
        for statement in statements:
            began = time.perf_counter()
            cursor.execute(statement)
            log.info("%.1f s: %s", time.perf_counter() - began, statement[:120])
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def vacuum(tables: list[str]) -> None:
    """VACUUM ANALYZE after a big load, so index-only scans work at once (PostgreSQL, and only
    outside a transaction; elsewhere it does nothing)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
