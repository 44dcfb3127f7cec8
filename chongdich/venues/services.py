"""Writes for venues and check-ins (the public QR page, the API one by one or in batches, files).

Check-ins are checked set-based: the venues of a batch in one query (inside the actor's area,
active), the people in one query (any registered person may visit any venue: recording that
someone was somewhere reveals nothing about them), times inside the retention period and not
in the future. The day partitions a batch needs are created before it is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import InvalidInput, NotFound
from chongdich.core.jurisdiction import require_write
from chongdich.core.text import fold
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.domain import IdentityError, normalise_phone, validate_citizen_id
from chongdich.people.models import Person
from chongdich.venues import domain, partitions, retention
from chongdich.venues.models import CheckIn, CheckInSource, Venue, VenueKind

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
LONGEST_VISIT = dt.timedelta(days=1)
VENUE_FIELDS = ("name", "kind", "address", "capacity", "active", "note")


def _clean_venue(data: dict) -> dict:
    out = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    if "name" in out and not out["name"]:
        raise InvalidInput(_("Tên địa điểm không được để trống."), field="name")
    if "kind" in out and out["kind"] not in VenueKind.values:
        raise InvalidInput(_("Loại địa điểm không hợp lệ: %(value)s") % {"value": out["kind"]},
                           field="kind")
    if out.get("capacity") is not None and int(out["capacity"]) < 1:
        raise InvalidInput(_("Quy mô phải lớn hơn 0."), field="capacity")
    return out


@transaction.atomic
def venue_create(*, actor, commune: AdminUnit, name: str, kind: str, address: str = "",
                 capacity: int | None = None, note: str = "") -> Venue:
    if commune is None or commune.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Cần chọn xã/phường của địa điểm."), field="commune")
    require_write(actor, commune, "manage_venues")
    data = _clean_venue({"name": name, "kind": kind, "address": address, "capacity": capacity,
                         "note": note})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Venue.objects.create(code=domain.new_venue_code(), created_by=actor,
                                            **data, **commune.jurisdiction_keys())
        except IntegrityError:
            continue
    raise InvalidInput(_("Không tạo được mã địa điểm, hãy thử lại."))


@transaction.atomic
def venue_update(*, actor, venue: Venue, **changes) -> Venue:
    require_write(actor, venue.commune, "manage_venues")
    if unknown := set(changes) - set(VENUE_FIELDS):
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in _clean_venue(changes).items():
        setattr(venue, field, value)
    venue.save(update_fields=list(changes) or None)
    return venue


@transaction.atomic
def venue_new_code(*, actor, venue: Venue) -> Venue:
    """A new public code (the old poster stops working), e.g. when a code was misused."""
    require_write(actor, venue.commune, "manage_venues")
    venue.code = domain.new_venue_code()
    venue.save(update_fields=["code"])
    return venue


# --- Check-ins ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInRow:
    venue_id: int
    person_id: int
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None = None


@dataclass(frozen=True)
class RowError:
    index: int
    field: str
    message: str


def time_errors(row: CheckInRow, *, now: dt.datetime, first_day: dt.date) -> tuple[str, str] | None:
    """(field, message) when the row's times cannot be stored, else None."""
    if row.checked_in_at.tzinfo is None:
        return "checked_in_at", _("Thiếu múi giờ.")
    if row.checked_in_at > now + FUTURE_TOLERANCE:
        return "checked_in_at", _("Thời điểm này ở tương lai.")
    if partitions.day_of(row.checked_in_at) < first_day:
        return "checked_in_at", _("Lượt quét cũ hơn thời hạn lưu (%(days)s ngày).") % {"days": retention.days()}
    out = row.checked_out_at
    if out is not None and (out < row.checked_in_at or out - row.checked_in_at > LONGEST_VISIT):
        return "checked_out_at", _("Giờ ra phải sau giờ vào và trong vòng một ngày.")
    return None


def checkins_check(*, actor, rows: list[CheckInRow]) -> list[RowError]:
    """What is wrong with each row (set-based: one query for venues, one for people)."""
    venue_ids = {r.venue_id for r in rows}
    venues = {v.pk: v for v in Venue.objects.filter(pk__in=venue_ids).select_related("commune")}
    allowed: dict[int, bool] = {}
    for venue in venues.values():
        try:
            require_write(actor, venue.commune, "record_checkins")
            allowed[venue.pk] = venue.active
        except NotFound:
            allowed[venue.pk] = False
    people = set(Person.objects.filter(pk__in={r.person_id for r in rows}).values_list("pk", flat=True))
    now, first_day = clock.now(), retention.first_kept_day(clock.today())
    errors = []
    for i, row in enumerate(rows):
        if not allowed.get(row.venue_id):
            errors.append(RowError(i, "venue", _("Không tìm thấy địa điểm (hoặc đã ngừng hoạt động).")))
        elif row.person_id not in people:
            errors.append(RowError(i, "person", _("Không tìm thấy người này.")))
        elif problem := time_errors(row, now=now, first_day=first_day):
            errors.append(RowError(i, *problem))
    return errors


def _store(rows: list[CheckInRow], source: str) -> list[CheckIn]:
    partitions.ensure({partitions.day_of(r.checked_in_at) for r in rows})
    return CheckIn.objects.bulk_create(
        [CheckIn(venue_id=r.venue_id, person_id=r.person_id, checked_in_at=r.checked_in_at,
                 checked_out_at=r.checked_out_at, source=source) for r in rows], batch_size=5000)


@transaction.atomic
def checkins_record(*, actor, rows: list[CheckInRow], source: str = CheckInSource.BATCH,
                    partial: bool = False) -> tuple[list[CheckIn], list[RowError]]:
    """Store a batch. All or nothing (the first error raised, naming the row), or with `partial`
    the good rows stored and the bad ones returned (file imports)."""
    errors = checkins_check(actor=actor, rows=rows)
    if errors and not partial:
        first = errors[0]
        prefix = "" if len(rows) == 1 else f"rows[{first.index}]."
        raise InvalidInput(first.message, field=prefix + first.field)
    bad = {e.index for e in errors}
    return _store([r for i, r in enumerate(rows) if i not in bad], source), errors


def checkin_record(*, actor, venue: Venue, person: Person, checked_in_at: dt.datetime,
                   checked_out_at: dt.datetime | None = None) -> CheckIn:
    stored, _errors = checkins_record(actor=actor, source=CheckInSource.API, rows=[CheckInRow(
        venue.pk, person.pk, checked_in_at, checked_out_at)])
    return stored[0]


def _visitor(venue: Venue, *, full_name: str, phone: str, citizen_id: str) -> Person:
    """The person scanning: by CCCD, else by phone and name; someone unknown is registered in
    the venue's commune with only what they typed (the people app's duplicate search can merge
    them later)."""
    name = " ".join((full_name or "").split())
    if not name:
        raise InvalidInput(_("Cần nhập họ và tên."), field="full_name")
    try:
        phone = normalise_phone(phone)
        citizen_id = validate_citizen_id(citizen_id)
    except IdentityError as exc:
        raise InvalidInput(exc.message, field=exc.field) from exc
    if not phone and not citizen_id:
        raise InvalidInput(_("Cần nhập số điện thoại hoặc số CCCD."), field="phone")
    folded = fold(name)
    if citizen_id:
        found = Person.objects.filter(citizen_id=citizen_id).first()
        if found is not None:
            return found
    if phone:
        found = Person.objects.filter(phone=phone, name_folded=folded).order_by("pk").first()
        if found is not None:
            return found
    return Person.objects.create(full_name=name, name_folded=folded, phone=phone, citizen_id=citizen_id,
                                 **venue.commune.jurisdiction_keys())


@transaction.atomic
def checkin_public(*, code: str, full_name: str, phone: str = "", citizen_id: str = "") -> CheckIn:
    """A check-in from the public page a phone opens by scanning the venue's code: no account,
    the time is now. Answers 'not found' for an unknown or inactive code."""
    venue = Venue.objects.select_related("commune").filter(code=(code or "").upper(), active=True).first()
    if venue is None:
        raise NotFound()
    person = _visitor(venue, full_name=full_name, phone=phone, citizen_id=citizen_id)
    return _store([CheckInRow(venue.pk, person.pk, clock.now())], CheckInSource.QR)[0]


# --- Retention ------------------------------------------------------------------------------


def checkins_purge(*, today: dt.date | None = None) -> dict:
    """Check-ins older than the retention period leave: whole day partitions dropped on
    PostgreSQL (and the coming week's partitions created), a DELETE elsewhere."""
    today = today or clock.today()
    first_day = retention.first_kept_day(today)
    if partitions.is_partitioned():
        with transaction.atomic():
            dropped = partitions.drop_before(first_day)
            created = partitions.ensure_range(first_day, today + dt.timedelta(days=partitions.AHEAD_DAYS))
        return {"first_kept_day": first_day, "dropped_partitions": len(dropped),
                "created_partitions": created, "deleted_rows": 0}
    cutoff = partitions.bounds(first_day)[0]
    deleted, _detail = CheckIn.objects.filter(checked_in_at__lt=cutoff).delete()
    return {"first_kept_day": first_day, "dropped_partitions": 0, "created_partitions": 0,
            "deleted_rows": deleted}
