"""Dose records for the risk benchmark: `ensure_dose_records(total, say=print)` fills the benchmark
database (PostgreSQL) with `total` dose records spread over every commune of the country over the
2021 campaign (8 March – 27 December 2021: the year of the risk benchmark, whose assessed week
2021-W50 is then near the end of the data, as a real weekly assessment is), with the people they
need, then builds the coverage counters
(chongdich.vaccination.counters.rebuild) — each step timed.

Set-based: people and doses are generated inside PostgreSQL with generate_series (INSERT … SELECT),
the dose table loaded without its secondary indexes and constraints, which are built once
afterwards (chongdich.demo.bulk.indexes_dropped). Every block of 10 doses belongs to 4 people:
one with doses 1–4, one with 1–3, one with 1–2, one with dose 1 only (so 4 people per 10 doses:
20,000,000 people for 50,000,000 doses). Ages 12–81, spread evenly; products AZ, Pfizer, Vero
Cell, Moderna in turn; a person's first dose within the first 150 days, the next every 48 days.

Idempotent: a table `bench_vaccination` remembers what was loaded (ids of the people and doses);
when it says `total` and those rows are still there, nothing is done. Another total replaces the
earlier bench rows (only those: demo data is left alone).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction

from chongdich.demo import bulk
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.vaccination import counters
from chongdich.vaccination.models import DoseRecord, VaccineProduct

COUNTRY_COMMUNES = 10_000  # fewer than this: the whole country's units are loaded first
START = "2021-03-08"
SPEC = f"v2 {START} +150d first, 48d apart"  # what the marker must say for the rows to be reused
PRODUCTS = ("AZ", "PFIZER", "VEROCELL", "MODERNA")
MARKER = "bench_vaccination"


def _people_for(total: int) -> int:
    return (total + 9) // 10 * 4


def _marker() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (id int PRIMARY KEY, total bigint NOT NULL,"
                       " first_person bigint NOT NULL, people bigint NOT NULL, first_dose bigint NOT NULL)")
        cursor.execute(f"ALTER TABLE {MARKER} ADD COLUMN IF NOT EXISTS spec text NOT NULL DEFAULT ''")
        cursor.execute(f"SELECT total, first_person, people, first_dose, spec FROM {MARKER} WHERE id = 1")
        row = cursor.fetchone()
    keys = ("total", "first_person", "people", "first_dose", "spec")
    return dict(zip(keys, row, strict=True)) if row else None


def _still_there(mark: dict) -> bool:
    last_dose = mark["first_dose"] + mark["total"] - 1
    last_person = mark["first_person"] + mark["people"] - 1
    return (DoseRecord.objects.filter(pk__in=[mark["first_dose"], last_dose]).count() == 2
            and Person.objects.filter(pk__in=[mark["first_person"], last_person]).count() == 2)


def _remove(mark: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DoseRecord._meta.db_table} WHERE id >= %s AND id < %s",
                       [mark["first_dose"], mark["first_dose"] + mark["total"]])
        cursor.execute(f"DELETE FROM {DoseRecord._meta.db_table} WHERE person_id >= %s AND person_id < %s",
                       [mark["first_person"], mark["first_person"] + mark["people"]])
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE id >= %s AND id < %s",
                       [mark["first_person"], mark["first_person"] + mark["people"]])
        cursor.execute(f"DELETE FROM {MARKER}")


def _communes_table() -> int:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_vx_communes")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_vx_communes AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx,"
            f" id, district_id, province_id FROM {AdminUnit._meta.db_table} WHERE level = 'commune'")
        cursor.execute("CREATE UNIQUE INDEX ON bench_vx_communes (idx)")
        cursor.execute("ANALYZE bench_vx_communes")
        cursor.execute("SELECT count(*) FROM bench_vx_communes")
        return cursor.fetchone()[0]


def _insert_people(first: int, count: int, communes: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Person._meta.db_table} (id, full_name, name_folded, birth_date, birth_year, sex,"
            " phone, citizen_id, commune_id, district_id, province_id, address, occupation, workplace,"
            " created_at)"
            " SELECT %(first)s + g, 'Người tiêm ' || g, 'nguoi tiem ' || lpad(g::text, 9, '0'),"
            " make_date((1940 + (g * 7919) %% 70)::int, (1 + g %% 12)::int, (1 + g %% 28)::int), 1940 + (g * 7919) %% 70,"
            " CASE WHEN g %% 2 = 0 THEN 'male' ELSE 'female' END, '', '', c.id, c.district_id,"
            " c.province_id, '', '', '', now()"
            " FROM generate_series(0::bigint, %(count)s - 1) g JOIN bench_vx_communes c"
            " ON c.idx = g %% %(communes)s",
            {"first": first, "count": count, "communes": communes})


def _insert_doses(first: int, total: int, first_person: int, communes: int, products: list[int]) -> None:
    """Dose n: block n / 10 of 4 people; offset n % 10 → (person in the block, dose number)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DoseRecord._meta.db_table} (id, person_id, product_id, dose_number, given_on,"
            " site, batch, commune_id, district_id, province_id, source, created_at)"
            " SELECT %(first)s + n, %(first_person)s + p, (%(products)s::int[])[1 + p %% 4], d,"
            " %(start)s::date + ((p * 37) %% 150)::int + (d - 1) * 48, '', '', c.id, c.district_id,"
            " c.province_id, 'import', now()"
            " FROM (SELECT n, (n / 10) * 4 + (ARRAY[0,0,0,0,1,1,1,2,2,3])[1 + n %% 10] AS p,"
            "  (ARRAY[1,2,3,4,1,2,3,1,2,1])[1 + n %% 10] AS d"
            "  FROM generate_series(0::bigint, %(total)s - 1) n) s"
            " JOIN bench_vx_communes c ON c.idx = s.p %% %(communes)s",
            {"first": first, "first_person": first_person, "products": products, "start": START,
             "total": total, "communes": communes})


def ensure_dose_records(total: int, *, say: Callable[[str], object] = print) -> dict:
    """Make the benchmark database hold `total` bench dose records and their counters; returns
    what was done with the seconds of each step."""
    if connection.vendor != "postgresql":
        raise RuntimeError("bench.vaccination_data runs on PostgreSQL")
    report: dict = {"total": total, "people": _people_for(total), "steps": {}}

    def step(name: str, fn, *args):
        began = time.perf_counter()
        value = fn(*args)
        report["steps"][name] = round(time.perf_counter() - began, 2)
        say(f"  vaccination data: {name} {report['steps'][name]:.1f} s")
        return value

    if AdminUnit.objects.filter(level=UnitLevel.COMMUNE).count() < COUNTRY_COMMUNES:
        from chongdich.geography.services import units_load

        step("units_load (whole country)", units_load)
    mark = _marker()
    if mark and mark["total"] == total and mark["spec"] == SPEC and _still_there(mark):
        say(f"  vaccination data: reusing {total:,} dose records")
        report["reused"] = True
        return report
    if mark:
        step("remove earlier bench rows", _remove, mark)
    products = list(VaccineProduct.objects.filter(code__in=PRODUCTS).order_by("code").values_list("pk", flat=True))
    communes = step("communes table", _communes_table)
    people = _people_for(total)
    first_person, first_dose = bulk.next_id(Person), bulk.next_id(DoseRecord)
    with transaction.atomic():
        with bulk.indexes_dropped([Person._meta.db_table, DoseRecord._meta.db_table]):
            step("people", _insert_people, first_person, people, communes)
            step("dose records", _insert_doses, first_dose, total, first_person, communes, products)
            began = time.perf_counter()
        report["steps"]["indexes and constraints"] = round(time.perf_counter() - began, 2)
        say(f"  vaccination data: indexes and constraints {report['steps']['indexes and constraints']:.1f} s")
        bulk.reset_sequences(Person, DoseRecord)
        step("counters rebuild", counters.rebuild)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER} (id, total, first_person, people, first_dose, spec)"
                           " VALUES (1, %s, %s, %s, %s, %s)", [total, first_person, people, first_dose, SPEC])
            cursor.execute("DROP TABLE bench_vx_communes")
    step("analyze", _analyze)
    report["reused"] = False
    return report


def _analyze() -> None:
    from chongdich.vaccination.models import DoseTotal, DoseWeekCount

    tables = [m._meta.db_table for m in (Person, DoseRecord, DoseWeekCount, DoseTotal)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
