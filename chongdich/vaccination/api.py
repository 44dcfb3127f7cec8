"""JSON API of vaccination, mounted at /api/vaccination (chongdich/api.py): products, doses (one
or a batch), coverage per unit with its source, aggregate reports. Inputs resolve through
selectors (outside the actor's area is 'not found'); each write calls one service."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Status

from chongdich.core import clock
from chongdich.core.api_support import actor_of, error_responses, resolve
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.geography.api import unit_in_jurisdiction
from chongdich.people.selectors import person_get
from chongdich.vaccination import presenting, selectors, services
from chongdich.vaccination.models import DoseSource, VaccineProduct
from chongdich.vaccination.schemas import (
    CoverageTreeOut,
    DoseBatchIn,
    DoseBatchOut,
    DoseIn,
    DoseOut,
    ProductOut,
    ReportIn,
    ReportOut,
)

router = Router(tags=["vaccination"])


def _product(code: str, field: str = "product") -> VaccineProduct:
    product = VaccineProduct.objects.filter(code=code.strip().upper()).first()
    if product is None:
        raise InvalidInput(_("Không rõ loại vắc xin: %(value)s") % {"value": code}, field=field)
    return product


def _dose_in(actor, item: DoseIn, prefix: str = "") -> services.DoseIn:
    person = resolve(f"{prefix}person_id", person_get, actor=actor, person_id=item.person_id)
    site_unit = unit_in_jurisdiction(actor, item.site_unit, f"{prefix}site_unit")
    return services.DoseIn(person, _product(item.product, f"{prefix}product"), item.dose_number,
                           item.given_on, item.site, site_unit, item.batch)


@router.get("/products", response={200: list[ProductOut], **error_responses(401)})
def product_list(request):
    return list(selectors.product_list())


@router.get("/doses", response={200: list[DoseOut], **error_responses(401, 404)})
def dose_list(request, person_id: int):
    """A person's doses."""
    actor = actor_of(request)
    person = resolve("person_id", person_get, actor=actor, person_id=person_id)
    return list(selectors.dose_list_for_person(actor=actor, person=person))


@router.post("/doses", response={201: DoseOut, **error_responses()})
def dose_create(request, payload: DoseIn):
    """Record one dose; the same dose again answers the record already there; another vaccine or
    date for a dose number already recorded is 409."""
    actor = actor_of(request)
    d = _dose_in(actor, payload)
    dose = services.dose_record(actor=actor, person=d.person, product=d.product, dose_number=d.dose_number,
                                given_on=d.given_on, site=d.site, site_unit=d.site_unit, batch=d.batch,
                                source=DoseSource.API)
    return Status(201, dose)


@router.post("/doses/batch", response={200: DoseBatchOut, **error_responses()})
def dose_batch(request, payload: DoseBatchIn):
    """Up to 5,000 doses at once, stored together; one outcome per item (a person not found is
    an error on that item, not on the batch)."""
    actor = actor_of(request)
    items, results = [], {}
    for i, item in enumerate(payload.items):
        try:
            items.append((i, _dose_in(actor, item)))
        except (NotFound, InvalidInput) as exc:
            results[i] = {"index": i, "status": "error", "field": exc.field or "", "message": exc.message}
    stored = services.dose_record_bulk(actor=actor, items=[d for _i, d in items], source=DoseSource.API)
    for (i, _dose), outcome in zip(items, stored, strict=True):
        results[i] = {"index": i, "status": outcome.status, "id": outcome.dose.pk if outcome.dose else None,
                      "field": outcome.field, "message": outcome.message}
    rows = [results[i] for i in sorted(results)]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("created", "duplicate", "error")}
    return {**counts, "items": rows}


@router.delete("/doses/{int:dose_id}", response={204: None, **error_responses()})
def dose_delete(request, dose_id: int):
    actor = actor_of(request)
    services.dose_delete(actor=actor, dose=selectors.dose_get(actor=actor, dose_id=dose_id))
    return Status(204, None)


@router.get("/coverage/{code}", response={200: CoverageTreeOut, **error_responses(401, 404)})
def coverage(request, code: str, as_of: dt.date | None = None, children: bool = False):
    """Coverage of a unit by age group and dose, with its source (records or aggregate reports);
    `children=true` adds each child unit's."""
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, code, "code")
    day = as_of or clock.today()
    config = selectors.config_in_force(day)
    if not children:
        return presenting.coverage_body(unit, selectors.coverage_get(actor=actor, unit=unit, as_of=day), config)
    own, kids = selectors.coverage_with_children(actor=actor, unit=unit, as_of=day)
    return {**presenting.coverage_body(unit, own, config),
            "children": [presenting.coverage_body(k, c, config) for k, c in kids]}


@router.get("/reports", response={200: list[ReportOut], **error_responses(401, 404)})
def report_list(request, unit: str = ""):
    actor = actor_of(request)
    return list(selectors.coverage_report_list(actor=actor, unit=unit_in_jurisdiction(actor, unit, "unit"))[:500])


@router.post("/reports", response={200: ReportOut, 201: ReportOut, **error_responses()})
def report_submit(request, payload: ReportIn):
    """Totals a unit reports for one age group as of a date (201); the same unit, date and group
    again replaces them (200)."""
    actor = actor_of(request)
    unit = unit_in_jurisdiction(actor, payload.unit, "unit")
    report, created = services.coverage_report_submit(
        actor=actor, unit=unit, as_of=payload.as_of, grp=payload.group, one_dose=payload.one_dose,
        full_series=payload.full_series, booster=payload.booster, population=payload.population,
        source=payload.source, note=payload.note)
    return Status(201 if created else 200, report)


@router.delete("/reports/{int:report_id}", response={204: None, **error_responses()})
def report_delete(request, report_id: int):
    actor = actor_of(request)
    services.coverage_report_delete(actor=actor, report=selectors.coverage_report_get(actor=actor,
                                                                                      report_id=report_id))
    return Status(204, None)
