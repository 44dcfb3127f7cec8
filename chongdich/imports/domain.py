"""What an import kind is, and what happens to each row — pure, no ORM.

A file is read into rows of text keyed by *field name* (after the column mapping has turned the
file's headers into our field names). A kind validates and stores rows chunk by chunk and says,
for every row, what became of it: created, updated, duplicate (already there, nothing changed) or
error (with the column, the value and the reason). A row is never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

Status = Literal["created", "updated", "duplicate", "error"]


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
    name: str  # "people", "lab_results", "cases"
    label: str
    fields: Sequence[FieldSpec]
    chunk_size: int  # rows per call to process()

    def process(self, *, actor, rows: list[tuple[int, dict[str, str]]], job) -> list[RowOutcome]:
        """Validate and store `rows`; return exactly one outcome per row, in any order. Runs inside
        one transaction per chunk (the runner opens it)."""
        ...
