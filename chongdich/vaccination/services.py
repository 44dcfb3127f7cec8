"""Writes of vaccination: dose records (one, or many at once — the import and the API batch) and
aggregate coverage reports. Every write of dose records moves the coverage counters in its own
transaction (`counters.bump`), set-based, so coverage is never behind the records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import Conflict, DomainError, InvalidInput
from chongdich.core.jurisdiction import require_visible, require_write
from chongdich.geography.models import AdminUnit
from chongdich.people.models import Person
from chongdich.vaccination import counters, domain
from chongdich.vaccination.models import CoverageReport, DoseRecord, DoseSource, VaccineProduct

RECORD = "record_vaccination"
REPORT = "report_coverage"


@dataclass(frozen=True)
class DoseIn:
    """One dose to record (the person already resolved, inside the actor's jurisdiction)."""

    person: Person
    product: VaccineProduct
    dose_number: int
    given_on: dt.date
    site: str = ""
    site_unit: AdminUnit | None = None
    batch: str = ""


@dataclass(frozen=True)
class DoseOutcome:
    status: str  # "created" | "duplicate" | "error"
    dose: DoseRecord | None = None
    field: str = ""
    message: str = ""


def _refuse(exc: domain.DoseError) -> InvalidInput:
    return InvalidInput(_(exc.message), field=exc.field)


def _check(item: DoseIn, today: dt.date) -> None:
    try:
        domain.check_dose(dose_number=item.dose_number, given_on=item.given_on, today=today,
                          series_doses=item.product.series_doses, birth_date=item.person.birth_date)
    except domain.DoseError as exc:
        raise _refuse(exc) from exc
    if len(item.site) > 200 or len(item.batch) > 40:
        raise InvalidInput(_("Nơi tiêm hoặc số lô quá dài."), field="site" if len(item.site) > 200 else "batch")


def _same(record: DoseRecord, item: DoseIn) -> bool:
    return (record.product_id == item.product.pk and record.given_on == item.given_on)


def _differs(record: DoseRecord) -> str:
    return (_("Mũi %(n)s của người này đã ghi: %(product)s ngày %(day)s; sửa trên trang của người đó "
              "nếu cần.") % {"n": record.dose_number, "product": record.product.code,
                              "day": record.given_on.strftime("%d/%m/%Y")})


@transaction.atomic
def dose_record_bulk(*, actor, items: Iterable[DoseIn], source: str = DoseSource.IMPORT) -> list[DoseOutcome]:
    """Record many doses at once: one outcome per item, in order. A dose already recorded with
    the same product and date is a duplicate; with other values an error (nothing is
    overwritten). The new records and their counters are written set-based."""
    items = list(items)
    today = clock.today()
    outcomes: list[DoseOutcome | None] = [None] * len(items)
    checked: set[int] = set()
    for i, item in enumerate(items):
        try:
            if item.person.commune_id not in checked:
                require_write(actor, item.person.commune, RECORD)
                checked.add(item.person.commune_id)
            if item.site_unit is not None:
                require_visible(actor, item.site_unit)
            _check(item, today)
        except DomainError as exc:
            outcomes[i] = DoseOutcome("error", field=getattr(exc, "field", "") or "", message=exc.message)
    existing = {(d.person_id, d.dose_number): d for d in DoseRecord.objects.filter(
        person_id__in={it.person.pk for it in items}).select_related("product")}
    new: list[tuple[int, DoseRecord]] = []
    for i, item in enumerate(items):
        if outcomes[i] is not None:
            continue
        known = existing.get((item.person.pk, item.dose_number))
        if known is not None:
            outcomes[i] = (DoseOutcome("duplicate", known) if _same(known, item)
                           else DoseOutcome("error", known, "dose_number", _differs(known)))
            continue
        record = DoseRecord(
            person=item.person, product=item.product, dose_number=item.dose_number, given_on=item.given_on,
            site=item.site.strip(), site_unit=item.site_unit, batch=item.batch.strip(), source=source,
            recorded_by=actor, **item.person.commune.jurisdiction_keys())
        existing[(item.person.pk, item.dose_number)] = record
        new.append((i, record))
    DoseRecord.objects.bulk_create([r for _, r in new], batch_size=5000)
    counters.bump([r.pk for _, r in new])
    for i, record in new:
        outcomes[i] = DoseOutcome("created", record)
    return [o for o in outcomes if o is not None]


@transaction.atomic
def dose_record(*, actor, person: Person, product: VaccineProduct, dose_number: int,
                given_on: dt.date, site: str = "", site_unit: AdminUnit | None = None, batch: str = "",
                source: str = DoseSource.MANUAL) -> DoseRecord:
    """Record one dose. The same dose again (same product and date) returns the record already
    there; another product or date for a dose number already recorded is a Conflict."""
    require_write(actor, person.commune, RECORD)
    outcome = dose_record_bulk(actor=actor, source=source, items=[DoseIn(
        person, product, dose_number, given_on, site, site_unit, batch)])[0]
    if outcome.status == "error" and outcome.dose is not None:
        raise Conflict(outcome.message, field=outcome.field)
    if outcome.status == "error":
        raise InvalidInput(outcome.message, field=outcome.field or None)
    return outcome.dose


@transaction.atomic
def dose_delete(*, actor, dose: DoseRecord) -> None:
    """Remove a dose recorded by mistake (to correct it, delete and record again)."""
    require_write(actor, dose.commune, RECORD)
    counters.bump([dose.pk], sign=-1)
    dose.delete()


# --- Aggregate reports ----------------------------------------------------------------------


def _place(unit: AdminUnit) -> dict:
    """The unit's keys for scope_q: a report lives at the unit's own level."""
    if unit.level == "commune":
        return unit.jurisdiction_keys()
    if unit.level == "district":
        return {"province_id": unit.province_id, "district_id": unit.pk, "commune_id": None}
    return {"province_id": unit.pk, "district_id": None, "commune_id": None}


@transaction.atomic
def coverage_report_submit(*, actor, unit: AdminUnit, as_of: dt.date, grp: str, one_dose: int,
                           full_series: int, booster: int | None = None, population: int | None = None,
                           source: str = "", note: str = "") -> tuple[CoverageReport, bool]:
    """Record the totals a unit reports for one age group as of a date; a report for the same
    unit, date and group is replaced (returns the report and whether it was new)."""
    require_write(actor, unit, REPORT)
    from chongdich.vaccination.selectors import config_in_force

    config = config_in_force(as_of)
    codes = [g.code for g in domain.groups_from_data(config.groups if config else [])]
    if grp not in codes:
        raise InvalidInput(_("Nhóm tuổi không có trong cấu hình: %(value)s") % {"value": grp}, field="grp")
    if as_of > clock.today():
        raise InvalidInput(_("Ngày báo cáo ở tương lai."), field="as_of")
    try:
        domain.check_report(population=population, one_dose=one_dose, full_series=full_series,
                            booster=booster)
    except domain.DoseError as exc:
        raise _refuse(exc) from exc
    report, created = CoverageReport.objects.select_for_update().update_or_create(
        unit=unit, as_of=as_of, grp=grp, defaults={
            "population": population, "one_dose": one_dose, "full_series": full_series,
            "booster": booster, "source": source.strip()[:200], "note": note.strip(),
            "reported_by": actor, **_place(unit)})
    return report, created


@transaction.atomic
def coverage_report_delete(*, actor, report: CoverageReport) -> None:
    require_write(actor, report.unit, REPORT)
    report.delete()


def recount(*, province_id: int | None = None) -> dict[str, int]:
    """Rebuild the counters from the records (`chongdich vaccination_recount`)."""
    return counters.rebuild(province_id=province_id)
