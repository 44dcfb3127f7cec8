"""What an import kind is, what happens to each row, and how a file's headers become our field
names — pure, no ORM.

A file is read into rows of text keyed by *field name* (after the column mapping has turned the
file's headers into our field names). A kind validates and stores rows chunk by chunk and says,
for every row, what became of it: created, updated, duplicate (already there, nothing changed) or
error (with the column, the value and the reason). A row is never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from chongdich.core.text import fold

# "deferred": the row refers to something that may come later in the same file (a case's infector
# listed further down). The runner hands deferred rows back to `process` once the whole file has
# been read, as often as that settles more rows, and finally to the kind's `settle` (see ImportKind).
Status = Literal["created", "updated", "duplicate", "error", "deferred"]
SETTLED: frozenset[str] = frozenset({"created", "updated", "duplicate", "error"})


@dataclass(frozen=True)
class FieldSpec:
    name: str  # our field name, e.g. "sample_code"
    label: str  # Vietnamese label shown in the mapping form (wrap with gettext_lazy)
    required: bool = False
    # Header spellings seen in real files, compared after folding (no diacritics, lower case,
    # spaces/punctuation collapsed): e.g. ("ma mau", "ma ong mau", "sample id").
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class RowOutcome:
    row: int  # 1-based line/row number in the file as the user sees it (header = row 1)
    status: Status
    column: str = ""  # our field name at fault (for errors)
    value: str = ""  # the offending value as written in the file
    reason: str = ""  # for people, translated
    object_id: int | None = None


@dataclass
class Chunk:
    """Rows handed to a kind: (row number, {field name: raw text})."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class ImportKind(Protocol):
    """A kind of file. Besides these, a kind may define:
    - `capability: str` — what the actor's role must allow to start such an import
      (checked when the job is created; every row still goes through the services' own checks);
    - `settle(*, actor, rows, job) -> list[RowOutcome]` — the last word on rows still deferred
      when nothing more can be resolved: each must become created/updated/duplicate/error.
      A kind that returns "deferred" without `settle` gets those rows reported as errors."""

    name: str  # "people", "lab_results", "cases"
    label: str
    fields: Sequence[FieldSpec]
    chunk_size: int  # rows per call to process()

    def process(self, *, actor, rows: list[tuple[int, dict[str, str]]], job) -> list[RowOutcome]:
        """Validate and store `rows`; return exactly one outcome per row, in any order. Runs inside
        one transaction per chunk (the runner opens it)."""
        ...


# --- Headers ----------------------------------------------------------------------------------

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")

# Columns that carry no data of ours: running numbers, and the columns our own error report adds
# in front of the original ones (so a corrected error report can be uploaded as it is).
IGNORED_HEADERS = frozenset({
    "stt", "tt", "so tt", "so thu tu", "no", "",
    "dong", "cot", "gia tri", "ly do", "row", "column", "value", "reason",
})


def header_key(text: str) -> str:
    """'Ngày sinh (dd/mm/yyyy) *' → 'ngay sinh': what two spellings of a header share."""
    text = _BRACKETS.sub(" ", fold(str(text or "")))
    return _NOT_WORD.sub(" ", text).strip()


def _spellings(spec: FieldSpec) -> list[str]:
    return [header_key(s) for s in (spec.name.replace("_", " "), str(spec.label), *spec.aliases)]


def match_headers(fields: Sequence[FieldSpec], headers: Sequence[str]) -> dict[str, str]:
    """{field name: header} for every field whose name, label or an alias is a header of the file.
    Each header serves one field at most (the first field, in the kind's order, that claims it)."""
    by_key: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        if key:
            by_key.setdefault(key, header)
    columns: dict[str, str] = {}
    used: set[str] = set()
    for spec in fields:
        for key in _spellings(spec):
            header = by_key.get(key)
            if header is not None and header not in used:
                columns[spec.name] = header
                used.add(header)
                break
    return columns


@dataclass(frozen=True)
class MappingCheck:
    """How well a {field: header} mapping covers a file."""

    columns: dict[str, str]
    missing: tuple[str, ...]  # required fields without a column
    unknown: tuple[str, ...]  # headers of the file that no field takes (and that carry data)
    absent: tuple[str, ...] = ()  # headers named by the mapping that the file does not have

    @property
    def complete(self) -> bool:
        """Every required field has a column of the file."""
        return not self.missing and not self.absent

    @property
    def certain(self) -> bool:
        """Complete, and no column of the file is left unexplained."""
        return self.complete and not self.unknown


def check_mapping(fields: Sequence[FieldSpec], headers: Sequence[str],
                  columns: Mapping[str, str]) -> MappingCheck:
    """Check `columns` ({field: header}) against a file's headers. Headers are compared folded, so
    a mapping saved for 'Họ tên' still fits a file whose header is 'HỌ TÊN'; the result names the
    file's own spelling."""
    by_key = {header_key(h): h for h in reversed(list(headers)) if header_key(h)}
    known = {spec.name for spec in fields}
    resolved: dict[str, str] = {}
    absent: list[str] = []
    for name, header in columns.items():
        if name not in known or not header:
            continue
        found = by_key.get(header_key(header))
        if found is None:
            absent.append(header)
        else:
            resolved[name] = found
    used = {header_key(h) for h in resolved.values()}
    missing = tuple(s.name for s in fields if s.required and s.name not in resolved)
    unknown = tuple(h for h in headers
                    if header_key(h) not in used and header_key(h) not in IGNORED_HEADERS)
    return MappingCheck(resolved, missing, unknown, tuple(absent))


def pick_saved_mapping(fields: Sequence[FieldSpec], headers: Sequence[str],
                       saved: Sequence[tuple[int, Mapping[str, str]]]) -> int | None:
    """The id of the saved mapping that fits the file best: all its headers present and every
    required field covered; among those, the one that takes the most columns (the first on a tie,
    so callers pass the most recently used first)."""
    best, best_size = None, -1
    for mapping_id, columns in saved:
        check = check_mapping(fields, headers, columns)
        if check.complete and len(check.columns) > best_size:
            best, best_size = mapping_id, len(check.columns)
    return best


def column_positions(headers: Sequence[str], columns: Mapping[str, str]) -> dict[str, int]:
    """{field: index of its column in a row}, for turning rows of cells into rows of fields."""
    index = {h: i for i, h in reversed(list(enumerate(headers)))}
    return {name: index[header] for name, header in columns.items() if header in index}


def row_fields(cells: Sequence[str], positions: Mapping[str, int]) -> dict[str, str]:
    return {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}


def header_score(fields: Sequence[FieldSpec], cells: Sequence[str]) -> int:
    """How many fields a row of cells would name if it were the header row."""
    return len(match_headers(fields, [c for c in cells if c]))


# --- Outcomes ---------------------------------------------------------------------------------


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    duplicate: int = 0
    error: int = 0

    def add(self, status: str, n: int = 1) -> None:
        setattr(self, status, getattr(self, status) + n)

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.duplicate + self.error


def one_outcome_per_row(rows: Sequence[int], outcomes: Sequence[RowOutcome],
                        missing_reason: str) -> list[RowOutcome]:
    """Exactly one outcome for each of `rows`, in their order: the kind's first word on a row,
    and for a row it forgot, an error (`missing_reason`) — a row is never dropped."""
    wanted = set(rows)
    first: dict[int, RowOutcome] = {}
    for outcome in outcomes:
        if outcome.row in wanted and outcome.row not in first:
            first[outcome.row] = outcome
    return [first.get(row) or RowOutcome(row=row, status="error", reason=missing_reason)
            for row in rows]


def percent(done: int, total: int) -> int:
    if total <= 0:
        return 0
    return min(100, (100 * done) // total)
