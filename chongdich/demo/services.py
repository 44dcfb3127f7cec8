"""Writes of the demo: a synthetic outbreak loaded in bulk, and the demo accounts.

The generator (population, outbreak, tracing, identities) works in NumPy arrays; this module turns
them into rows and loads them with COPY (PostgreSQL) or executemany (SQLite), then rebuilds the
ranks and the daily counters so they agree with the rows, exactly as the case services keep them.
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction

from chongdich.accounts.models import User
from chongdich.cases import ranks, stats
from chongdich.cases.models import Case, CaseStatusEvent, Cluster, Contact
from chongdich.core.errors import InvalidInput
from chongdich.demo import bulk, identities
from chongdich.demo.codes import DETECTIONS, IMPORTED, SETTINGS, STATUSES
from chongdich.demo.outbreak import Outbreak, simulate
from chongdich.demo.population import (
    Commune,
    Population,
    build_population,
    occupation_and_workplace,
)
from chongdich.demo.tracing import within_period
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.geography.services import units_load
from chongdich.people.models import Person

DEMO_PASSWORD = "chongdich"
DEFAULT_START = dt.date(2021, 5, 1)
# The synthetic population is the province's (spread like its communes' populations), at most
# this many people — but always six per case, so a million cases still meet new people.
MAX_POPULATION = 2_000_000
# From this many cases, PostgreSQL loads without secondary indexes and foreign keys, then builds
# them (exclusive locks for the duration: fine for a demo or benchmark database).
BIG_LOAD = 20_000
LOADED_TABLES = [m._meta.db_table for m in (Person, Cluster, Case, CaseStatusEvent, Contact)]


@dataclass(frozen=True)
class DemoSummary:
    people: int
    cases: int
    contacts: int
    clusters: int
    status_events: int
    start: dt.date
    end: dt.date
    seconds: float
    skipped: bool = False


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit: AdminUnit | None


def _province(code: str) -> AdminUnit:
    province = AdminUnit.objects.filter(code=code, level=UnitLevel.PROVINCE).first()
    if province is None or not AdminUnit.objects.filter(province=province, level=UnitLevel.COMMUNE).exists():
        units_load(province_code=code)
        province = AdminUnit.objects.get(code=code, level=UnitLevel.PROVINCE)
    return province


def _communes(province: AdminUnit) -> list[Commune]:
    rows = (AdminUnit.objects.filter(province=province, level=UnitLevel.COMMUNE)
            .select_related("district").order_by("code"))
    return [Commune(id=c.pk, district_id=c.district_id, province_id=province.pk, name=c.name,
                    name_with_type=c.name_with_type, kind=c.kind, district_name=c.district.name_with_type,
                    population=c.population or 1) for c in rows]


class Clock:
    """Days from the start (local midnight) → UTC datetimes and local dates."""

    def __init__(self, start: dt.date):
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        midnight = dt.datetime.combine(start, dt.time(), tzinfo=tz)
        self.start = np.datetime64(start, "D")
        self.utc0 = np.datetime64(midnight.astimezone(dt.UTC).replace(tzinfo=None), "s")

    def at(self, days: np.ndarray) -> np.ndarray:
        seconds = np.where(np.isnan(days), 0, np.round(days * 86400)).astype(np.int64)
        out = self.utc0 + seconds.astype("timedelta64[s]")
        return np.where(np.isnan(days), np.datetime64("NaT"), out)

    def day(self, days: np.ndarray) -> np.ndarray:
        whole = np.floor(np.nan_to_num(days, nan=0)).astype(np.int64)
        return np.where(np.isnan(days), np.datetime64("NaT"), self.start + whole.astype("timedelta64[D]"))


def _code_start(province: AdminUnit) -> int:
    prefix = f"BN{province.code}-"
    codes = Case.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    return max((int(c[len(prefix):]) for c in codes if c[len(prefix):].isdigit()), default=0) + 1


def _load_people(rng, pop: Population, ob: Outbreak, clock: Clock, province: AdminUnit, ref_year: int):
    """Everyone who appears in a case or a contact, in order of first appearance. Returns the
    virtual-person → database id map."""
    seen = np.concatenate([ob.person, ob.contact_a, ob.contact_b])
    when = np.concatenate([ob.confirmed_t, ob.contact_created_t, ob.contact_created_t])
    uniq, first = np.unique(seen, return_index=True)
    people = uniq[np.argsort(first, kind="stable")]
    created = np.full(pop.n, np.inf)
    np.minimum.at(created, seen, when)
    base = bulk.next_id(Person)
    id_of = np.full(pop.n, -1, dtype=np.int64)
    id_of[people] = base + np.arange(len(people))
    # Ranks as the rank rules give them (rebuild_all then finds nothing to change).
    active = ~np.isin(ob.status, [STATUSES.index("recovered"), STATUSES.index("died")])
    index = np.full(pop.n, -1, dtype=np.int64)
    index[people] = np.arange(len(people))
    rank = ranks.full_ranks_arrays(len(people), index[ob.contact_a], index[ob.contact_b],
                                   index[ob.person[active]], ranks.max_rank())
    full, folded = identities.full_names(rng, pop, people)
    taken = set(Person.objects.filter(citizen_id__startswith="0" + province.code.zfill(2))
                .values_list("citizen_id", flat=True))
    occupation, workplace = occupation_and_workplace(pop, people, ref_year, rng)
    commune = pop.commune[people]
    c_ids = np.array([c.id for c in pop.communes])
    d_ids = np.array([c.district_id for c in pop.communes])
    bulk.insert(Person._meta.db_table, {
        "id": id_of[people],
        "full_name": full,
        "name_folded": folded,
        "birth_year": pop.birth_year[people],
        "birth_date": np.full(len(people), np.datetime64("NaT"), dtype="datetime64[D]"),
        "sex": np.where(pop.female[people], "female", "male").tolist(),
        "phone": identities.phones(rng, pop, people, ref_year),
        "citizen_id": identities.citizen_ids(rng, pop, people, province.code, taken),
        "commune_id": c_ids[commune],
        "district_id": d_ids[commune],
        "province_id": np.full(len(people), province.pk),
        "address": identities.addresses(rng, pop, people),
        "occupation": occupation,
        "workplace": workplace,
        "created_at": clock.at(created[people]),
        "rank": rank,
        "rank_changed_at": np.where(rank >= 0, clock.at(np.array([ob.confirmed_t.max()]))[0],
                                    np.datetime64("NaT")).astype("datetime64[s]"),
    })
    return id_of


def _source_text(ob: Outbreak, code: list[str], cluster: int) -> str:
    first, root = int(ob.cluster_first_case[cluster]), int(ob.cluster_source_case[cluster])
    if ob.setting[root] == IMPORTED:
        return f"Ca xâm nhập từ ngoài tỉnh {code[root]}"
    if root != first:
        return f"Lây từ ca {code[root]}"
    return "Chưa rõ nguồn lây"


def _load(rng, pop: Population, ob: Outbreak, province: AdminUnit, start: dt.date, ref_year: int) -> dict:
    clock = Clock(start)
    end_day = ob.days
    id_of = _load_people(rng, pop, ob, clock, province, ref_year)
    n = len(ob.person)
    first_code = _code_start(province)
    code = [f"BN{province.code}-{i:06d}" for i in range(first_code, first_code + n)]
    case_base = bulk.next_id(Case)
    case_id = case_base + np.arange(n)
    c_ids = np.array([c.id for c in pop.communes])
    d_ids = np.array([c.district_id for c in pop.communes])

    k = len(ob.cluster_name)
    cluster_base = bulk.next_id(Cluster)
    first_t, last_t = ob.confirmed_t[ob.cluster_first_case], ob.confirmed_t[ob.cluster_last_case]
    closes = np.where(np.floor(last_t) + 28 <= end_day, np.floor(last_t) + 28, np.nan)
    bulk.insert(Cluster._meta.db_table, {
        "id": cluster_base + np.arange(k),
        "name": ob.cluster_name,
        "place": ob.cluster_place,
        "source": [_source_text(ob, code, i) for i in range(k)],
        "started_on": clock.day(first_t),
        "closed_on": clock.day(closes),
        "note": [""] * k,
        "created_at": clock.at(within_period(first_t, first_t + 0.25, end_day, rng)),
        "commune_id": c_ids[ob.cluster_commune],
        "district_id": d_ids[ob.cluster_commune],
        "province_id": np.full(k, province.pk),
    })

    commune = pop.commune[ob.person]
    ended = np.isin(ob.status, [STATUSES.index("recovered"), STATUSES.index("died")])
    status_names = np.array(STATUSES, dtype=object)
    bulk.insert(Case._meta.db_table, {
        "id": case_id,
        "code": code,
        "external_ref": np.full(len(code), "", dtype=object),
        "person_id": id_of[ob.person],
        "confirmed_at": clock.at(ob.confirmed_t),
        "confirmed_on": clock.day(ob.confirmed_t),
        "onset_on": clock.day(ob.onset_t),
        "detection": np.array(DETECTIONS, dtype=object)[ob.detection],
        "infected_by_id": np.where(ob.infector >= 0, case_base + ob.infector, -1),
        "cluster_id": np.where(ob.cluster >= 0, cluster_base + ob.cluster, -1),
        "status": status_names[ob.status],
        "status_since": clock.at(ob.status_t),
        "ended_on": clock.day(np.where(ended, ob.status_t, np.nan)),
        "discarded_at": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"),
        "discard_reason": [""] * n,
        "note": [""] * n,
        "created_at": clock.at(within_period(ob.confirmed_t, ob.confirmed_t + 0.05, end_day, rng)),
        "commune_id": c_ids[commune],
        "district_id": d_ids[commune],
        "province_id": np.full(n, province.pk),
    })
    m = len(ob.event_case)
    bulk.insert(CaseStatusEvent._meta.db_table, {
        "case_id": case_id[ob.event_case],
        "status": status_names[ob.event_status],
        "at": clock.at(ob.event_t),
        "note": [""] * m,
        "recorded_at": clock.at(within_period(ob.event_t, ob.event_t + 0.1, end_day, rng)),
    })
    contacts = bulk.insert(Contact._meta.db_table, {
        "person_id": id_of[ob.contact_a],
        "contact_id": id_of[ob.contact_b],
        "last_contact_at": clock.at(ob.contact_last_t),
        "setting": np.array(SETTINGS, dtype=object)[ob.contact_setting],
        "note": [""] * len(ob.contact_a),
        "case_id": case_id[ob.contact_case],
        "created_at": clock.at(ob.contact_created_t),
    })
    bulk.reset_sequences(Person, Case, Cluster, CaseStatusEvent, Contact)
    return {"people": int((id_of >= 0).sum()), "cases": n, "contacts": contacts, "clusters": k,
            "status_events": m}


def demo_build(*, province_code: str = "26", cases: int = 2000, seed: int = 1,
               start: dt.date = DEFAULT_START, days: int | None = None, if_empty: bool = False,
               progress=None) -> DemoSummary:
    """Generate and load a synthetic outbreak of exactly `cases` confirmed cases in one province,
    from `start` over `days` days (default: 8 weeks for 2,000 cases, a week more per doubling).
    The same seed gives the same data. Ranks and daily counters are rebuilt afterwards."""
    if cases < 1:
        raise InvalidInput("Số ca phải lớn hơn 0.", field="cases")
    if days is not None and days < 7:
        raise InvalidInput("Thời gian mô phỏng phải từ 7 ngày trở lên.", field="days")
    began = time.perf_counter()
    say = progress or (lambda message: None)
    province = _province(province_code)
    if if_empty and Case.objects.exists():
        return DemoSummary(0, 0, 0, 0, 0, start, start, time.perf_counter() - began, skipped=True)
    communes = _communes(province)
    ref_year = start.year
    world, outbreak_seed, people_seed = np.random.SeedSequence(seed).spawn(3)
    size = max(min(sum(c.population for c in communes), MAX_POPULATION), 6 * cases)
    say(f"Dân số mô phỏng: {size:,} người ở {len(communes)} xã/phường…")
    pop = build_population(np.random.default_rng(world), n=size, communes=communes,
                           province_code=province.code, ref_year=ref_year)
    ob = simulate(pop, np.random.default_rng(outbreak_seed), cases=cases, days=days, ref_year=ref_year)
    say(f"Mô phỏng xong: {cases:,} ca, {len(ob.contact_a):,} tiếp xúc; đang ghi vào cơ sở dữ liệu… "
        f"({time.perf_counter() - began:.0f} s)")
    big = cases >= BIG_LOAD
    with transaction.atomic():
        with bulk.indexes_dropped(LOADED_TABLES, enabled=big):
            counts = _load(np.random.default_rng(people_seed), pop, ob, province, start, ref_year)
        say(f"Kiểm tra phân loại F0/F1/F2… và tính số liệu theo ngày… ({time.perf_counter() - began:.0f} s)")
        ranks.rebuild_all()
        stats.rebuild()
    if big:
        say(f"VACUUM ANALYZE… ({time.perf_counter() - began:.0f} s)")
        bulk.vacuum(LOADED_TABLES)
    return DemoSummary(**counts, start=start, end=start + dt.timedelta(days=ob.days - 1),
                       seconds=time.perf_counter() - began)


def demo_accounts(province: AdminUnit) -> list[DemoAccount]:
    district = (AdminUnit.objects.filter(code="243", province=province).first()
                or AdminUnit.objects.filter(province=province, level=UnitLevel.DISTRICT).order_by("code").first())
    commune = (AdminUnit.objects.filter(code="08707", district=district).first()
               or AdminUnit.objects.filter(district=district, level=UnitLevel.COMMUNE).order_by("code").first())
    return [
        DemoAccount("lanhdao", "Nguyễn Văn Thắng", User.Role.LEADER, province),
        DemoAccount("dichte", "Trần Thị Thu Hà", User.Role.EPIDEMIOLOGIST, province),
        DemoAccount("huyen", "Lê Minh Tuấn", User.Role.OFFICER, district),
        DemoAccount("xa", "Phạm Thị Hồng Nhung", User.Role.OFFICER, commune),
        DemoAccount("truyvet", "Hoàng Đức Anh", User.Role.TRACER, commune),
        DemoAccount("xem", "Vũ Thị Lan", User.Role.VIEWER, province),
        DemoAccount("xetnghiem", "Đặng Thị Ngọc", User.Role.LAB, province),
        DemoAccount("cachly", "Bùi Văn Hùng", User.Role.FACILITY, district),
        DemoAccount("admin", "Quản trị hệ thống", User.Role.VIEWER, None),
    ]


@transaction.atomic
def demo_accounts_ensure(*, province_code: str = "26") -> list[DemoAccount]:
    """Create the demo accounts, or put them back as they should be (password `chongdich`)."""
    accounts = demo_accounts(_province(province_code))
    for account in accounts:
        user = User.objects.filter(username=account.username).first() or User(username=account.username)
        user.full_name, user.role, user.unit = account.full_name, account.role, account.unit
        user.is_active = True
        user.is_superuser = user.is_staff = account.username == "admin"
        user.set_password(DEMO_PASSWORD)
        user.save()
    return accounts
