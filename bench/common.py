"""What every benchmark shares: the database to run on, timing, and the result rows."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field

import numpy as np

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chongdich_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def create_database(url: str) -> bool:
    """Create the benchmark database if it is missing (connects to the `postgres` database)."""
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url.replace("postgres://", "postgresql://", 1))
    name = info.pop("dbname")
    with psycopg.connect(psycopg.conninfo.make_conninfo(**info, dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


@dataclass
class Result:
    name: str
    figure: float  # seconds
    baseline: float  # seconds
    baseline_how: str
    target: float | None = None  # seconds; the figure must be at most this
    target_text: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.baseline / self.figure if self.figure > 0 else float("inf")

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "PASS" if self.figure <= self.target else "MISS"

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "verdict": self.verdict}


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    began = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - began, value


def percentiles(samples: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples, 50)), float(np.percentile(samples, 95))


def human(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
