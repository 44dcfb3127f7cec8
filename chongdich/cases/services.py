"""Writes for cases, contacts and clusters. Each is atomic and keeps ranks and daily counts current."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chongdich.cases import hooks, ranks, stats
from chongdich.cases.domain import ENDED_STATUSES
from chongdich.cases.models import (
    Case,
    CaseStatus,
    CaseStatusEvent,
    Cluster,
    Contact,
    ContactSetting,
    Detection,
)
from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput
from chongdich.core.jurisdiction import require_visible, require_write
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.people.services import person_create

FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def _not_future(moment: dt.datetime | None, field: str) -> None:
    if moment is not None and moment > clock.now() + FUTURE_TOLERANCE:
        raise InvalidInput(_("Thời điểm này ở tương lai."), field=field)


def _choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(_("Giá trị không hợp lệ: %(value)s") % {"value": value}, field=field)
    return value


def _check_infector(case: Case | None, infector: Case | None, actor) -> None:
    if infector is None:
        return
    require_visible(actor, infector.commune)
    if case is not None:
        seen, node = set(), infector
        while node is not None and node.pk not in seen:
            if node.pk == case.pk:
                raise InvalidInput(_("Nguồn lây tạo thành vòng lặp trong chuỗi lây nhiễm."), field="infected_by")
            seen.add(node.pk)
            node = node.infected_by
    if infector.discarded_at is not None:
        raise InvalidInput(_("Ca nguồn lây đã bị loại."), field="infected_by")


def _next_code(province: AdminUnit, attempt: int = 0) -> str:
    """BN<province>-<n>, one more than the province's latest generated code (codes typed in by
    users, such as national patient numbers, are skipped)."""
    prefix = f"BN{province.code}-"
    last = (Case.objects.filter(province_id=province.pk, code__startswith=prefix)
            .order_by("-pk").values_list("code", flat=True).first())
    number = last[len(prefix):] if last else ""
    n = (int(number) if number.isdigit() else 0) + 1 + attempt
    return f"{prefix}{n:06d}"


@transaction.atomic
def case_register(
    *, actor, person: Person, confirmed_at: dt.datetime, detection: str, code: str = "",
    infected_by: Case | None = None, cluster: Cluster | None = None,
    status: str = CaseStatus.HOME_CARE, onset_on: dt.date | None = None, note: str = "",
    external_ref: str = "",
) -> Case:
    """Confirm a person as F0. Their contacts become F1, theirs F2, … at once. `external_ref` is
    the patient number a health authority published (imported line lists)."""
    require_write(actor, person.commune, "register_case")
    _choice(detection, Detection, "detection")
    _choice(status, CaseStatus, "status")
    if status in ENDED_STATUSES:
        raise InvalidInput(_("Ca mới không thể ở trạng thái đã kết thúc."), field="status")
    _not_future(confirmed_at, "confirmed_at")
    if onset_on and onset_on > clock.today():
        raise InvalidInput(_("Ngày khởi phát ở tương lai."), field="onset_on")
    if Case.objects.filter(ranks.active_cases_q(), person=person).exists():
        raise Conflict(_("Người này đang là ca bệnh (F0) chưa kết thúc."), field="person")
    _check_infector(None, infected_by, actor)
    if cluster is not None:
        require_visible(actor, cluster.commune)
    commune = person.commune
    case = Case(
        person=person, confirmed_at=confirmed_at, confirmed_on=stats.local_day(confirmed_at),
        onset_on=onset_on, detection=detection, infected_by=infected_by, cluster=cluster, status=status,
        status_since=confirmed_at, note=note.strip(), created_by=actor, **commune.jurisdiction_keys(),
        external_ref=external_ref.strip(),
    )
    if case.external_ref and Case.objects.filter(external_ref=case.external_ref).exists():
        raise Conflict(_("Mã bệnh nhân %(ref)s đã có.") % {"ref": case.external_ref},
                       field="external_ref")
    for attempt in range(5):
        case.code = code.strip() or _next_code(commune.province, attempt)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError as exc:
            if code.strip() or Case.objects.filter(ranks.active_cases_q(), person=person).exists():
                raise Conflict(_("Mã ca bệnh đã tồn tại hoặc người này đang là F0."), field="code") from exc
            if attempt == 4:
                raise
    CaseStatusEvent.objects.create(case=case, status=status, at=confirmed_at, recorded_by=actor)
    stats.bump(commune=commune, day=case.confirmed_on, field=stats.new_field(detection))
    ranks.after_new_source(person.pk)
    hooks.run_case_confirmed([case.pk])
    return case


@transaction.atomic
def case_record_status(*, actor, case: Case, status: str, at: dt.datetime, note: str = "") -> Case:
    """Treatment status over time; recovery and death end the case and its contacts' ranks move."""
    require_write(actor, case.commune, "update_case")
    _choice(status, CaseStatus, "status")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.discarded_at is not None:
        raise Conflict(_("Ca bệnh đã bị loại."), field="status")
    if case.status in ENDED_STATUSES:
        raise Conflict(_("Ca bệnh đã kết thúc (khỏi bệnh hoặc tử vong)."), field="status")
    _not_future(at, "at")
    if at < case.status_since:
        raise InvalidInput(_("Thời điểm phải sau lần cập nhật trạng thái trước."), field="at")
    case.status, case.status_since = status, at
    CaseStatusEvent.objects.create(case=case, status=status, at=at, note=note.strip()[:255], recorded_by=actor)
    if status in ENDED_STATUSES:
        case.ended_on = stats.local_day(at)
        stats.bump(commune=case.commune, day=case.ended_on, field=status)
    case.save(update_fields=["status", "status_since", "ended_on"])
    if status in ENDED_STATUSES:
        ranks.after_source_removed(case.person_id)
    return case


@transaction.atomic
def case_discard(*, actor, case: Case, reason: str) -> Case:
    """Not a case after all (e.g. a false positive): it leaves every count and every chain."""
    require_write(actor, case.commune, "discard_case")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Cần ghi lý do loại ca bệnh."), field="reason")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.discarded_at is not None:
        raise Conflict(_("Ca bệnh đã bị loại trước đó."))
    was_active = case.is_active
    case.discarded_at, case.discard_reason = clock.now(), reason[:255]
    case.save(update_fields=["discarded_at", "discard_reason"])
    stats.bump(commune=case.commune, day=case.confirmed_on, field=stats.new_field(case.detection), delta=-1)
    if case.status in ENDED_STATUSES and case.ended_on:
        stats.bump(commune=case.commune, day=case.ended_on, field=case.status, delta=-1)
    if was_active:
        ranks.after_source_removed(case.person_id)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, **changes) -> Case:
    """Link a case to its infector or cluster, or correct its onset and note."""
    require_write(actor, case.commune, "update_case")
    allowed = {"infected_by", "cluster", "onset_on", "note"}
    if unknown := set(changes) - allowed:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "infected_by" in changes:
        _check_infector(case, changes["infected_by"], actor)
    if changes.get("cluster") is not None:
        require_visible(actor, changes["cluster"].commune)
    if changes.get("onset_on") and changes["onset_on"] > clock.today():
        raise InvalidInput(_("Ngày khởi phát ở tương lai."), field="onset_on")
    for field, value in changes.items():
        setattr(case, field, value.strip() if isinstance(value, str) else value)
    case.save(update_fields=list(changes))
    return case


@transaction.atomic
def contact_add(
    *, actor, person: Person, contact: Person | None = None, new_contact: dict | None = None,
    last_contact_at: dt.datetime | None = None, setting: str = ContactSetting.OTHER, note: str = "",
    case: Case | None = None,
) -> Contact:
    """Record an exposure between `person` and an existing or new person. Ranks fall at once:
    the contact of an F0 becomes F1, and so on. Recording a known pair again keeps one record
    with the latest contact time."""
    require_write(actor, person.commune, "add_contact")
    _choice(setting, ContactSetting, "setting")
    _not_future(last_contact_at, "last_contact_at")
    if (contact is None) == (new_contact is None):
        raise InvalidInput(_("Chọn một người đã có hoặc nhập người mới."), field="contact")
    if contact is None:
        contact = person_create(actor=actor, **new_contact)
    else:
        require_visible(actor, contact.commune)
    if contact.pk == person.pk:
        raise InvalidInput(_("Một người không thể là tiếp xúc của chính mình."), field="contact")
    existing = (Contact.objects.filter(person=person, contact=contact)
                | Contact.objects.filter(person=contact, contact=person)).first()
    if existing is not None:
        if last_contact_at and (existing.last_contact_at is None or last_contact_at > existing.last_contact_at):
            existing.last_contact_at = last_contact_at
            existing.save(update_fields=["last_contact_at"])
        return existing
    now = clock.now()
    record = Contact.objects.create(
        person=person, contact=contact, last_contact_at=last_contact_at, setting=setting,
        note=note.strip()[:255], case=case, created_by=actor, created_at=now,
    )
    stats.bump(commune=person.commune, day=stats.local_day(now), field="contacts")
    ranks.after_new_contact(person.pk, contact.pk)
    hooks.run_contact_added([record.pk])
    return record


@transaction.atomic
def cluster_create(*, actor, commune: AdminUnit, name: str, place: str = "", source: str = "",
                   started_on: dt.date | None = None, note: str = "") -> Cluster:
    if commune is None or commune.level != UnitLevel.COMMUNE:
        raise InvalidInput(_("Cần chọn xã/phường của ổ dịch."), field="commune")
    require_write(actor, commune, "manage_clusters")
    if not name.strip():
        raise InvalidInput(_("Tên ổ dịch không được để trống."), field="name")
    return Cluster.objects.create(
        name=name.strip(), place=place.strip(), source=source.strip(), started_on=started_on,
        note=note.strip(), created_by=actor, **commune.jurisdiction_keys(),
    )


@transaction.atomic
def cluster_update(*, actor, cluster: Cluster, **changes) -> Cluster:
    require_write(actor, cluster.commune, "manage_clusters")
    allowed = {"name", "place", "source", "started_on", "closed_on", "note"}
    if unknown := set(changes) - allowed:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "name" in changes and not (changes["name"] or "").strip():
        raise InvalidInput(_("Tên ổ dịch không được để trống."), field="name")
    for field, value in changes.items():
        setattr(cluster, field, value.strip() if isinstance(value, str) else value)
    if cluster.closed_on and cluster.started_on and cluster.closed_on < cluster.started_on:
        raise InvalidInput(_("Ngày kết thúc trước ngày bắt đầu."), field="closed_on")
    cluster.save()
    return cluster


@transaction.atomic
def case_register_new_person(*, actor, person: dict, **case_fields) -> Case:
    """Register a person not yet known and confirm them as F0, in one transaction: if the case is
    refused, the person is not kept either. `person` holds person_create's arguments."""
    created = person_create(actor=actor, **person)
    return case_register(actor=actor, person=created, **case_fields)


@transaction.atomic
def contacts_add_many(
    *, actor, pairs: list[tuple[Person, Person, dt.datetime | None]], case: Case | None = None,
    setting: str = ContactSetting.OTHER, note: str = "",
) -> list[Contact]:
    """`contact_add` for many (person, contact, last contact time) at once, set-based: the same
    checks, the same records, counts and ranks as calling it pair by pair (a pair already known,
    in either direction, keeps one record with the latest time), in a few queries. Returns the
    contact record of each pair, in order. Used by confirmed venue exposures (venues)."""
    _choice(setting, ContactSetting, "setting")
    for unit in {p.commune_id: p.commune for p, _c, _t in pairs}.values():
        require_write(actor, unit, "add_contact")
    for unit in {c.commune_id: c.commune for _p, c, _t in pairs}.values():
        require_visible(actor, unit)
    latest: dict[frozenset, dt.datetime | None] = {}
    first: dict[frozenset, tuple[Person, Person]] = {}
    for person, contact, when in pairs:
        if contact.pk == person.pk:
            raise InvalidInput(_("Một người không thể là tiếp xúc của chính mình."), field="contact")
        _not_future(when, "last_contact_at")
        key = frozenset((person.pk, contact.pk))
        first.setdefault(key, (person, contact))
        if when is not None and (latest.get(key) is None or when > latest[key]):
            latest[key] = when
        else:
            latest.setdefault(key, None)
    ids = sorted({pk for key in first for pk in key})
    existing: dict[frozenset, Contact] = {}
    for chunk in ranks._chunks(ids):
        for record in Contact.objects.filter(person_id__in=chunk, contact_id__in=ids):
            key = frozenset((record.person_id, record.contact_id))
            if key in first:
                existing[key] = record
    changed = []
    for key, record in existing.items():
        when = latest[key]
        if when and (record.last_contact_at is None or when > record.last_contact_at):
            record.last_contact_at = when
            changed.append(record)
    Contact.objects.bulk_update(changed, ["last_contact_at"], batch_size=1000)
    now = clock.now()
    new = [Contact(person=first[key][0], contact=first[key][1], last_contact_at=latest[key],
                   setting=setting, note=note.strip()[:255], case=case, created_by=actor, created_at=now)
           for key in first if key not in existing]
    created = Contact.objects.bulk_create(new, batch_size=1000)
    if created and created[0].pk is None:  # a backend that does not return ids
        found = Contact.objects.filter(created_at=now, person_id__in=[c.person_id for c in created])
        by_pair = {(c.person_id, c.contact_id): c for c in found}
        created = [by_pair[(c.person_id, c.contact_id)] for c in created]
    per_commune: dict[int, list] = {}
    for record in created:
        unit = first[frozenset((record.person_id, record.contact_id))][0].commune
        per_commune.setdefault(unit.pk, [unit, 0])[1] += 1
    for unit, count in per_commune.values():
        stats.bump(commune=unit, day=stats.local_day(now), field="contacts", delta=count)
    if created:
        graph = ranks.DatabaseGraph()
        current = graph.ranks(ids)
        seeds: dict[int, int] = {}
        for record in created:
            for a, b in ((record.person_id, record.contact_id), (record.contact_id, record.person_id)):
                if current.get(a) is not None:
                    seeds[b] = min(seeds.get(b, current[a] + 1), current[a] + 1)
        if seeds:
            ranks.apply(_propagate(graph, seeds))
        hooks.run_contact_added([record.pk for record in created])
    by_key = {**existing, **{frozenset((r.person_id, r.contact_id)): r for r in created}}
    return [by_key[frozenset((p.pk, c.pk))] for p, c, _t in pairs]


def _propagate(graph, seeds: dict[int, int]) -> dict[int, int]:
    from chongdich.cases import domain

    return domain.propagate_decrease(graph, seeds, ranks.max_rank())
