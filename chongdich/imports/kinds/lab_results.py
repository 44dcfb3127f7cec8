"""Laboratory results (kết quả xét nghiệm): one row per tube — a sample or a pool — with its
result, when it was returned, the Ct value and the laboratory.

Cells are read here (result words, times, Ct); everything that needs the database — codes, access,
times against sampling, results already recorded, codes repeated in the file — is decided by
`chongdich.testing.bulk`, which stores the chunk with one COPY. Re-importing a file changes
nothing: every row comes back as a duplicate.

A lab file repeats the same few values a million times (a result word, a minute, a Ct), so each
distinct cell is read once and remembered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core.text import fold
from chongdich.imports.domain import FieldSpec, RowOutcome
from chongdich.testing import bulk
from chongdich.testing import domain as testing_domain

FIELDS = (
    FieldSpec("sample_code", gettext_lazy("Mã mẫu"), aliases=(
        "ma mau", "ma ong mau", "ma so mau", "ma mau don", "ma xet nghiem", "ma xn", "ma ong",
        "ma vach", "barcode", "ma barcode", "sample", "sample id", "sample code", "sample no",
        "specimen id", "tube code", "ma ong nghiem"),
        help=gettext_lazy("mã trên ống mẫu; mã mẫu gộp ghi ở đây cũng được")),
    FieldSpec("pool_code", gettext_lazy("Mã mẫu gộp"), aliases=(
        "ma mau gop", "ma ong gop", "ma gop", "mau gop", "ma ong mau gop", "pool", "pool id",
        "pool code")),
    FieldSpec("result", gettext_lazy("Kết quả"), required=True, aliases=(
        "ket qua", "ket qua xet nghiem", "ket qua xn", "kq", "kqxn", "kq xn", "ket luan",
        "ket qua sars cov 2", "sars cov 2", "result", "test result", "outcome"),
        help=gettext_lazy("Dương tính / Âm tính / Không xác định (hoặc P, N, +, −)")),
    FieldSpec("resulted_at", gettext_lazy("Thời gian trả kết quả"), required=True, aliases=(
        "thoi gian tra ket qua", "ngay tra ket qua", "ngay gio tra ket qua", "gio tra ket qua",
        "thoi gian co ket qua", "ngay co ket qua", "thoi diem tra ket qua", "ngay tra kq",
        "thoi gian tra kq", "ngay xet nghiem", "thoi gian xet nghiem", "ngay gio xet nghiem",
        "result time", "result date", "resulted at", "reported at", "report date",
        "date of result"),
        help=gettext_lazy("ngày/tháng/năm giờ:phút")),
    FieldSpec("ct_value", gettext_lazy("Giá trị Ct"), aliases=(
        "ct", "gia tri ct", "chi so ct", "ct value", "ct gen e", "ct e", "ct gen n", "ct n",
        "ct orf1ab", "ct rdrp", "chu ky nguong"),
        help=gettext_lazy("RT-PCR, từ 0 đến 50; trống nếu âm tính")),
    FieldSpec("laboratory_code", gettext_lazy("Mã phòng xét nghiệm"), aliases=(
        "ma phong xet nghiem", "phong xet nghiem", "ma phong xn", "phong xn", "ma pxn", "pxn",
        "don vi xet nghiem", "noi xet nghiem", "co so xet nghiem", "lab", "lab code",
        "laboratory", "laboratory code"),
        help=gettext_lazy("mã hoặc tên phòng xét nghiệm")),
    FieldSpec("external_ref", gettext_lazy("Mã kết quả của phòng xét nghiệm"), aliases=(
        "ma ket qua", "so phieu", "so phieu ket qua", "ma phieu", "id ket qua", "so ket qua",
        "result id", "lab result id", "lab ref", "reference", "report id")),
)

# --- Cells ------------------------------------------------------------------------------------

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_CLOCK = r"(\d{1,2})\s*[:h]\s*(\d{2})?(?:\s*:\s*(\d{2}))?(?:\s*(sa|ch|am|pm)\b)?"
_DATE = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
_DATE_CLOCK = re.compile(_DATE + r"(?:\s*(?:[,t]|luc)?\s*" + _CLOCK + r")?")
_CLOCK_DATE = re.compile(_CLOCK + r"\s*(?:,|ngay)?\s*" + _DATE)
_EXCEL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_NO_CT = frozenset({"-", "--", "x", "n/a", "na", "k", "khong", "khong co", "undetermined",
                    "undet", "kxd", "khong xac dinh", "am tinh", "negative", "neg"})


def parse_when(text: str) -> dt.datetime:
    """A result time as labs write it: '01/06/2021 14:30', '1-6-2021 9h30', '14:30 01/06/2021',
    '9h30 ngày 1/6/2021', '2021-06-01 14:30[:00]' (how spreadsheet cells arrive), ISO with an
    offset, or an Excel day number ('44348.6041'). Day before month, as Vietnam writes; a time
    without an offset is local. A date alone is midnight. Raises ValueError with a message."""
    raw = text.strip()
    if len(raw) == 16 and raw[2] == "/" and raw[5] == "/" and raw[10] == " " and raw[13] == ":":
        try:  # the common spelling, 'dd/mm/yyyy hh:mm', without the regular expressions
            return dt.datetime(int(raw[6:10]), int(raw[3:5]), int(raw[:2]), int(raw[11:13]),
                               int(raw[14:]), tzinfo=timezone.get_default_timezone())
        except ValueError:
            pass  # the slow way says what is wrong
    if _ISO.fullmatch(raw):
        try:
            moment = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(_("Ngày giờ không tồn tại: %(value)s") % {"value": text}) from None
        return timezone.make_aware(moment) if moment.tzinfo is None else moment
    key = fold(raw)
    if match := _DATE_CLOCK.fullmatch(key):
        day, month, year, hour, minute, second, half = match.groups()
    elif match := _CLOCK_DATE.fullmatch(key):
        hour, minute, second, half, day, month, year = match.groups()
    elif _EXCEL.fullmatch(raw) and 20_000 <= float(raw) <= 80_000:
        seconds = round(float(raw) * 86_400)
        return timezone.make_aware(_EXCEL_EPOCH + dt.timedelta(seconds=seconds))
    else:
        raise ValueError(_("Không đọc được thời gian: %(value)s (ghi dạng ngày/tháng/năm giờ:phút)")
                         % {"value": text})
    h = int(hour or 0)
    if half in ("ch", "pm") and h < 12:
        h += 12
    elif half in ("sa", "am") and h == 12:
        h = 0
    try:
        moment = dt.datetime(int(year), int(month), int(day), h, int(minute or 0), int(second or 0))
    except ValueError:
        raise ValueError(_("Ngày giờ không tồn tại: %(value)s") % {"value": text}) from None
    return timezone.make_aware(moment)


def parse_ct(text: str):
    """A Ct value (Decimal, one decimal), or None for an empty cell or a 'no Ct' word ('-', 'N/A',
    'Undetermined' …). Raises ValueError with a message."""
    if fold(text) in _NO_CT:
        return None
    return testing_domain.parse_ct_value(text)


def read_result(text: str) -> str:
    """A cell of the result column as a `Result` value; ValueError with the row's message."""
    result = testing_domain.parse_result(text)
    if result is None:
        raise ValueError(_("Kết quả không rõ: %(value)s (ghi Dương tính, Âm tính hoặc Không xác "
                           "định)") % {"value": text} if text else _("Thiếu kết quả."))
    return result


def read_time(text: str) -> dt.datetime:
    """A cell of the result-time column; ValueError with the row's message (an empty cell too)."""
    if not text:
        raise ValueError(_("Thiếu thời gian trả kết quả."))
    return parse_when(text)


class _Cells:
    """Distinct cell texts already read, per kind of cell. Only successes are remembered (a
    message is translated in the language of the job at hand); the memory is bounded."""

    LIMIT = 200_000

    def __init__(self):
        self.results: dict[str, str] = {}
        self.times: dict[str, tuple[dt.datetime, float]] = {}  # the time and its epoch seconds
        self.cts: dict[str, object] = {"": None}

    def trim(self) -> None:
        for memo in (self.results, self.times, self.cts):
            if len(memo) > self.LIMIT:
                memo.clear()
        self.cts[""] = None


_cells = _Cells()


# --- The kind ---------------------------------------------------------------------------------


class LabResultsKind:
    name = "lab_results"
    label = gettext_lazy("Kết quả xét nghiệm")
    fields = FIELDS
    chunk_size = 50_000
    capability = bulk.CAPABILITY

    def process(self, *, actor, rows, job) -> list[RowOutcome]:
        outcomes, tuples = read_rows(rows)
        stored = bulk.results_store_tuples(actor=actor, rows=tuples)
        return outcomes + as_written(stored, rows)

    def process_file(self, *, actor, job, path, layout, progress) -> bool:
        """A whole CSV file at once, set-based in PostgreSQL (see `lab_results_pg`); False when
        the file or the database does not allow it and the runner goes chunk by chunk."""
        from chongdich.imports.kinds import lab_results_pg

        return lab_results_pg.process_file(actor=actor, job=job, path=path, layout=layout,
                                           progress=progress)


KIND = LabResultsKind()


def as_written(outcomes: list[RowOutcome], rows: list[tuple[int, dict[str, str]]]) -> list[RowOutcome]:
    """Errors found by the store name the value as it was read (a time in one spelling); the error
    report shows the cell as the file wrote it."""
    cells = None
    for i, outcome in enumerate(outcomes):
        if outcome.status == "error" and outcome.column:
            cells = cells or dict(rows)
            outcomes[i] = replace(outcome, value=cells[outcome.row].get(outcome.column, outcome.value))
    return outcomes


def read_rows(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[RowOutcome], list[tuple]]:
    """Read the cells of each row: (error outcomes, rows for `bulk.results_store_tuples`)."""
    _cells.trim()
    results, times, cts = _cells.results, _cells.times, _cells.cts
    errors: list[RowOutcome] = []
    good: list[tuple] = []
    add = good.append
    for number, row in rows:
        get = row.get
        sample_code, pool_code, text = get("sample_code", ""), get("pool_code", ""), get("result", "")
        when_text, ct_text = get("resulted_at", ""), get("ct_value", "")
        lab_code, ref = get("laboratory_code", ""), get("external_ref", "")
        result = results.get(text)
        if result is None:
            try:
                result = results[text] = read_result(text)
            except ValueError as exc:
                errors.append(RowOutcome(number, "error", "result", text, str(exc)))
                continue
        when = times.get(when_text)
        if when is None:
            try:
                moment = read_time(when_text)
            except ValueError as exc:
                errors.append(RowOutcome(number, "error", "resulted_at", when_text, str(exc)))
                continue
            when = times[when_text] = (moment, moment.timestamp())
        ct = cts.get(ct_text, cts)
        if ct is cts:
            try:
                ct = cts[ct_text] = parse_ct(ct_text)
            except ValueError as exc:
                errors.append(RowOutcome(number, "error", "ct_value", ct_text, str(exc)))
                continue
        add((number, sample_code.upper(), pool_code.upper(), result, when[0], ct, lab_code, ref, when[1]))
    return errors, good
