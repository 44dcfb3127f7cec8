"""Small factories and named personas for tests (see STYLE.md: owner, teammate, outsider)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.geography.models import AdminUnit, UnitLevel

_seq = itertools.count(1)


_geo_seq = itertools.count(1)
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(n: int, width: int) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = _B36[r] + out
    return out


def make_geography() -> dict[str, AdminUnit]:
    """A province with two districts; district A has communes A1 and A2, district B has B1.

    Codes are unique among 36³ geographies (real GSO codes are digits, so they never collide)."""
    n = next(_geo_seq)
    tag = _b36(n, 3)
    p = AdminUnit.objects.create(code=f"p{tag}", level=UnitLevel.PROVINCE, kind="tinh",
                                 name=f"Tỉnh Thử {n}", name_with_type=f"Tỉnh Thử {n}", name_folded=f"tinh thu {n}",
                                 population=1_000_000, lat=21.3, lon=105.5)
    units = {"province": p}
    for d_key, communes in (("district_a", ("commune_a1", "commune_a2")), ("district_b", ("commune_b1",))):
        d = AdminUnit.objects.create(code=f"{d_key[-1]}{tag}", level=UnitLevel.DISTRICT, kind="huyen",
                                     name=d_key, name_with_type=f"Huyện {d_key}", name_folded=d_key,
                                     parent=p, province=p, population=300_000)
        units[d_key] = d
        for c_key in communes:
            c = AdminUnit.objects.create(code=f"{c_key[-2:]}{tag}", level=UnitLevel.COMMUNE, kind="xa",
                                         name=c_key, name_with_type=f"Xã {c_key}", name_folded=c_key,
                                         parent=d, province=p, district=d, population=10_000,
                                         lat=21.3, lon=105.5)
            units[c_key] = c
    return units


def make_user(unit: AdminUnit | None, role: str = User.Role.OFFICER, **extra) -> User:
    return User.objects.create_user(username=f"user{next(_seq)}", password="pw-test-123456",
                                    unit=unit, role=role, **extra)


def personas(units: dict[str, AdminUnit]) -> dict[str, User]:
    """province leader, district-A epidemiologist, commune-A1 officer and tracer, commune-B1 officer
    (the outsider for anything in A1), and a province viewer."""
    return {
        "province_leader": make_user(units["province"], User.Role.LEADER),
        "district_epi": make_user(units["district_a"], User.Role.EPIDEMIOLOGIST),
        "commune_officer": make_user(units["commune_a1"], User.Role.OFFICER),
        "tracer": make_user(units["commune_a1"], User.Role.TRACER),
        "outsider": make_user(units["commune_b1"], User.Role.OFFICER),
        "viewer": make_user(units["province"], User.Role.VIEWER),
    }


def at(day: int, hour: int = 9) -> dt.datetime:
    """A fixed moment in the 2021 wave (local time), for readable tests."""
    return timezone.make_aware(dt.datetime(2021, 5, day, hour, 0))
