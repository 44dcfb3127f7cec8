"""The coverage counters (decision 0005): people per commune × ISO week × age group
(`DoseWeekCount`) and their sum over all weeks (`DoseTotal`), in three columns — one dose, full
series, booster.

Every write of dose records moves them in its own transaction with one set-based
INSERT … SELECT … ON CONFLICT DO UPDATE per table, computed in SQL from the records written
(their product's series, their person's age at the dose date), so one dose and a chunk of fifty
thousand cost the same few statements. `rebuild()` recounts everything from the records
(`chongdich vaccination_recount`). Works on PostgreSQL and SQLite; the two differ only in how a
date becomes its week and an age.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction

from chongdich.core import clock
from chongdich.vaccination import domain
from chongdich.vaccination.models import DoseRecord, DoseTotal, DoseWeekCount

COLUMNS = ("one_dose", "full_series", "booster")
IDS_PER_STATEMENT = 900  # SQLite's limit on parameters is the tighter one


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _week_sql(column: str) -> str:
    if connection.vendor == "postgresql":  # date arithmetic: no time zones, no timestamps
        return f"({column} - CAST(EXTRACT(ISODOW FROM CAST({column} AS timestamp)) AS integer) + 1)"
    return f"date({column}, 'weekday 0', '-6 days')"  # the Sunday on or after, less six days


def _age_sql() -> str:
    """Completed years at the dose date (from the birth year alone: the difference of years)."""
    if connection.vendor == "postgresql":
        return ("CASE WHEN pe.birth_date IS NOT NULL"
                " THEN CAST(date_part('year', age(CAST(r.given_on AS timestamp),"
                " CAST(pe.birth_date AS timestamp))) AS integer)"
                " WHEN pe.birth_year IS NOT NULL"
                " THEN CAST(date_part('year', CAST(r.given_on AS timestamp)) AS integer) - pe.birth_year END")
    return ("CASE WHEN pe.birth_date IS NOT NULL"
            " THEN CAST(strftime('%%Y', r.given_on) AS integer)"
            " - CAST(strftime('%%Y', pe.birth_date) AS integer)"
            " - (strftime('%%m-%%d', r.given_on) < strftime('%%m-%%d', pe.birth_date))"
            " WHEN pe.birth_year IS NOT NULL"
            " THEN CAST(strftime('%%Y', r.given_on) AS integer) - pe.birth_year END")


def _groups_sql(groups: Sequence[domain.AgeGroup]) -> str:
    """The age groups' codes as a derived table (codes are checked by domain.groups_from_data,
    so they are written in as literals)."""
    return " UNION ALL ".join(f"SELECT '{g.code}' AS code" for g in groups)


def _member_sql(group: domain.AgeGroup) -> str:
    if group.code == domain.ALL:
        return "1 = 1"
    upper = "" if group.max_age is None else f" AND d.age <= {int(group.max_age)}"
    return f"d.age >= {int(group.min_age)}{upper}"


def _deltas_sql(groups, where: str, sign: int, *, by_week: bool) -> str:
    """People per (commune, [week,] group) counted by the records matching `where` (alias r).

    Each record's age is computed once (the inner query; OFFSET 0 keeps PostgreSQL from inlining
    it); the records are summed per commune and week into one column per group and key, and only
    those few rows are turned into one row per group."""
    from chongdich.people.models import Person
    from chongdich.vaccination.models import VaccineProduct

    week = ", d.week" if by_week else ""
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sums = ", ".join(f"SUM(CASE WHEN {_member_sql(g)} THEN d.{k} ELSE 0 END) AS {k}_{i}"
                     for i, g in enumerate(groups) for k in ("k1", "kf", "kb"))
    picks = ", ".join(f"{sign} * CASE g.code " + " ".join(f"WHEN '{g.code}' THEN w.{k}_{i}"
                                                        for i, g in enumerate(groups)) + " END"
                      for k in ("k1", "kf", "kb"))
    nonzero = ("CASE g.code " + " ".join(f"WHEN '{g.code}' THEN w.k1_{i} + w.kf_{i} + w.kb_{i}"
                                          for i, g in enumerate(groups)) + " END <> 0")
    return (
        f"SELECT w.commune_id, w.district_id, w.province_id{week.replace('d.', 'w.')}, g.code, {picks}"
        f" FROM (SELECT d.commune_id, d.district_id, d.province_id{week}, {sums}"
        f" FROM (SELECT r.commune_id, r.district_id, r.province_id,"
        f" {_week_sql('r.given_on')} AS week, {_age_sql()} AS age,"
        f" CASE WHEN r.dose_number = 1 THEN 1 ELSE 0 END AS k1,"
        f" CASE WHEN r.dose_number = p.series_doses THEN 1 ELSE 0 END AS kf,"
        f" CASE WHEN r.dose_number = p.series_doses + 1 THEN 1 ELSE 0 END AS kb"
        f" FROM {_table(DoseRecord)} r JOIN {_table(VaccineProduct)} p ON p.id = r.product_id"
        f" JOIN {_table(Person)} pe ON pe.id = r.person_id"
        f" WHERE ({where}) AND (r.dose_number = 1 OR r.dose_number = p.series_doses"
        f" OR r.dose_number = p.series_doses + 1){fence}) d"
        f" GROUP BY d.commune_id, d.district_id, d.province_id{week}) w"
        f" CROSS JOIN ({_groups_sql(groups)}) g WHERE ({nonzero})"
    )


def _upsert_sql(model, key: str, select: str) -> str:
    table = _table(model)
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
    week = ", week" if model is DoseWeekCount else ""
    return (f"INSERT INTO {table} (commune_id, district_id, province_id{week}, grp, {', '.join(COLUMNS)})"
            f" {select} ON CONFLICT ({key}) DO UPDATE SET {adds}")


def current_groups() -> tuple[domain.AgeGroup, ...]:
    from chongdich.vaccination.selectors import config_in_force

    config = config_in_force(clock.today())
    return domain.groups_from_data(config.groups if config else [])


def bump(record_ids: Sequence[int], *, sign: int = 1) -> None:
    """Count (sign=+1) or uncount (sign=-1, before a delete) the records `record_ids`. Call inside
    the transaction that writes them."""
    assert sign in (1, -1)
    if not record_ids:
        return
    groups = current_groups()
    ids = list(record_ids)
    pg = connection.vendor == "postgresql"
    step = len(ids) if pg else IDS_PER_STATEMENT
    with connection.cursor() as cursor:
        for start in range(0, len(ids), step):
            part = ids[start:start + step]
            if pg:
                where, params = "r.id = ANY(%s)", [part]
            else:
                where, params = f"r.id IN ({', '.join(['%s'] * len(part))})", part
            # Rows in key order: concurrent writers take the counter rows' locks in the same order.
            weekly = f"SELECT * FROM ({_deltas_sql(groups, where, sign, by_week=True)}) x WHERE 1 = 1 ORDER BY 1, 4, 5"
            cursor.execute(_upsert_sql(DoseWeekCount, "commune_id, week, grp", weekly), params)
            total = f"SELECT * FROM ({_deltas_sql(groups, where, sign, by_week=False)}) x WHERE 1 = 1 ORDER BY 1, 4"
            cursor.execute(_upsert_sql(DoseTotal, "commune_id, grp", total), params)


@transaction.atomic
def rebuild(*, province_id: int | None = None) -> dict[str, int]:
    """Recount every counter (of one province) from the dose records; returns the rows written."""
    groups = current_groups()
    weekly_t, total_t = _table(DoseWeekCount), _table(DoseTotal)
    where, params = ("r.province_id = %s", [province_id]) if province_id else ("1 = 1", [])
    scope, scope_params = ("WHERE province_id = %s", [province_id]) if province_id else ("", [])
    columns = ", ".join(COLUMNS)
    sums = ", ".join(f"SUM({c})" for c in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
        if connection.vendor == "postgresql" and province_id is None:  # all of it: no row by row
            # TRUNCATE refuses while foreign-key checks of this transaction are pending: run them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {weekly_t}, {total_t}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute(f"DELETE FROM {weekly_t} {scope}", scope_params)
            cursor.execute(f"DELETE FROM {total_t} {scope}", scope_params)
        # In week order, so the weeks after a date sit together on disk (decision 0005).
        cursor.execute(f"INSERT INTO {weekly_t} (commune_id, district_id, province_id, week, grp, {columns})"
                       f" SELECT * FROM ({_deltas_sql(groups, where, 1, by_week=True)}) x ORDER BY 4",
                       params)
        weekly = cursor.rowcount
        cursor.execute(f"INSERT INTO {total_t} (commune_id, district_id, province_id, grp, {columns})"
                       f" SELECT commune_id, district_id, province_id, grp, {sums} FROM {weekly_t}"
                       f" {scope} GROUP BY commune_id, district_id, province_id, grp", scope_params)
        totals = cursor.rowcount
    return {"weekly": weekly, "totals": totals}


def snapshot(*, province_id: int | None = None) -> dict[tuple, tuple[int, int, int]]:
    """Every non-zero counter as {(commune, week or None, group): (one, full, booster)}, to compare
    the counters kept with a recount."""
    out = {}
    for model in (DoseWeekCount, DoseTotal):
        rows = model.objects.all()
        if province_id:
            rows = rows.filter(province_id=province_id)
        week = "week" if model is DoseWeekCount else "grp"
        for r in rows.values_list("commune_id", week, "grp", *COLUMNS):
            if any(r[3:]):
                out[(model.__name__, r[0], r[1] if model is DoseWeekCount else None, r[2])] = tuple(r[3:])
    return out
