"""Reads for imports: jobs in the actor's jurisdiction, their row errors, saved column mappings."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chongdich.core.errors import NotFound
from chongdich.core.jurisdiction import scope_q
from chongdich.geography.models import UnitLevel
from chongdich.imports import kinds
from chongdich.imports.models import ColumnMapping, ImportJob, ImportRowError, JobStatus


def job_list(*, actor, kind: str = "") -> QuerySet[ImportJob]:
    """Jobs started in the actor's unit or below it, newest first."""
    qs = ImportJob.objects.filter(scope_q(actor)).select_related("created_by", "mapping")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")


def job_get(*, actor, job_id: int) -> ImportJob:
    job = job_list(actor=actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Không tìm thấy lần nhập này."))
    return job


def job_same_file_before(*, actor, job: ImportJob) -> ImportJob | None:
    """The latest earlier import of the very same file (same SHA-256) that the actor can see."""
    return (job_list(actor=actor).filter(sha256=job.sha256, kind=job.kind, pk__lt=job.pk)
            .exclude(status=JobStatus.MAPPING).first())


def row_error_list(*, job: ImportJob) -> QuerySet[ImportRowError]:
    """The errors of a job already fetched through job_get (so inside the actor's jurisdiction)."""
    return ImportRowError.objects.filter(job=job).order_by("row", "pk")


def _mapping_q(actor) -> Q:
    """Mappings of the actor's unit, of the units above it (a province CDC's mapping serves its
    communes), of the units below it, and national ones."""
    unit = actor.unit
    if unit is None:
        return Q() if (actor.is_superuser or actor.is_national) else Q(unit__isnull=True)
    q = Q(unit__isnull=True) | Q(unit_id=unit.pk)
    above = [pk for pk in (unit.province_id, unit.district_id) if pk]
    if above:
        q |= Q(unit_id__in=above)
    if unit.level != UnitLevel.COMMUNE:
        q |= Q(**{f"unit__{unit.level}_id": unit.pk})
    return q


def mapping_list(*, actor, kind: str = "") -> QuerySet[ColumnMapping]:
    qs = ColumnMapping.objects.filter(_mapping_q(actor)).select_related("unit")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "name", "pk")


def mapping_get(*, actor, mapping_id: int) -> ColumnMapping:
    mapping = mapping_list(actor=actor).filter(pk=mapping_id).first()
    if mapping is None:
        raise NotFound(_("Không tìm thấy cách ghép cột này."))
    return mapping


def mapping_candidates(*, actor, kind: str) -> list[tuple[int, dict]]:
    """(id, columns) of the mappings the actor may use for `kind`, most recently updated first."""
    rows = mapping_list(actor=actor, kind=kind).select_related(None).order_by("-updated_at", "-pk")
    return [(m.pk, m.columns) for m in rows.only("pk", "columns")]


def job_detail(*, actor, job_id: int) -> ImportJob:
    """The job with what its page and the API show besides its fields: the earlier import of
    the same file (`previous`) and the required fields still without a column (`missing`)."""
    job = job_get(actor=actor, job_id=job_id)
    job.previous = job_same_file_before(actor=actor, job=job)
    job.same_file_before = job.previous.pk if job.previous else None
    try:
        fields = kinds.get(job.kind).fields
    except (KeyError, ImportError):
        fields = ()
    job.missing = [f.name for f in fields if f.required and f.name not in job.columns]
    return job
