"""Which open stages of some responses are done by what the system now records — set-based: a
few queries for any number of responses, so a hook inside another app's transaction stays quick.

TRACE — at least one contact recorded by the F0's investigation (Contact.case) and no exposure
        proposal of the F0 waiting (venues.selectors.open_proposal_counts; matching not yet run
        counts as waiting).
ZONE  — a lockdown area or zone designation whose trigger is the F0; or a lockdown area that
        covers the F0's commune (its point's commune, a member commune or district, or a village
        of the commune) and starts at or after the confirmation; or a red/orange designation of
        the F0's commune from the confirmation day on. An area already in force before the F0
        does not count by itself: someone confirms it is enough with a sign-off.
MOVE  — every F1 of the F0 (the other side of each of its investigation's contacts that include
        the F0; at least one) has a quarantine or isolation placement that is active or began at
        or after the confirmation, and a disinfection is recorded for the response.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from chongdich.cases.models import Case, Contact
from chongdich.response import domain


@dataclass(frozen=True)
class Found:
    """A stage found done: when and by what."""

    done_at: dt.datetime
    evidence: dict


@dataclass(frozen=True)
class Open:
    """An open response as the checks need it."""

    response_id: int
    case_id: int
    commune_id: int
    district_id: int
    confirmed_at: dt.datetime
    stages: frozenset[str]  # kinds still open


def trace_done(responses: list[Open], now: dt.datetime) -> dict[int, Found]:
    from chongdich.venues.selectors import open_proposal_counts

    wanted = [r for r in responses if domain.TRACE in r.stages]
    if not wanted:
        return {}
    case_ids = [r.case_id for r in wanted]
    contacts = dict(Contact.objects.filter(case_id__in=case_ids).values("case_id")
                    .annotate(n=Count("pk")).values_list("case_id", "n"))
    with_contacts = [c for c in case_ids if contacts.get(c)]
    waiting = open_proposal_counts(with_contacts) if with_contacts else {}
    return {r.response_id: Found(now, {"contacts": contacts[r.case_id]})
            for r in wanted if contacts.get(r.case_id) and not waiting.get(r.case_id)}


ZONING_COLOURS = ("red", "orange")


def _areas(wanted: list[Open]):
    from chongdich.zones.models import LockdownArea, LockdownMember

    case_ids = [r.case_id for r in wanted]
    communes = {r.commune_id for r in wanted}
    units = communes | {r.district_id for r in wanted}
    since = min(r.confirmed_at for r in wanted)
    covering = (Q(commune_id__in=communes) | Q(members__unit_id__in=units)
                | Q(members__village__commune_id__in=communes))
    areas = list(LockdownArea.objects.filter(Q(trigger_case_id__in=case_ids)
                                             | covering & Q(starts_at__gte=since))
                 .distinct().values("pk", "trigger_case_id", "starts_at", "commune_id", "shape"))
    covered: dict[int, set[int]] = {a["pk"]: set() for a in areas}
    for area_id, unit_id, village_commune in LockdownMember.objects.filter(area_id__in=covered).values_list(
            "area_id", "unit_id", "village__commune_id"):
        covered[area_id].add(unit_id or village_commune)
    for a in areas:
        if a["shape"] == "point" or not covered[a["pk"]]:
            covered[a["pk"]].add(a["commune_id"])
    return areas, covered


def zone_done(responses: list[Open], now: dt.datetime) -> dict[int, Found]:
    from chongdich.zones.models import ZoneDesignation

    wanted = [r for r in responses if domain.ZONE in r.stages]
    if not wanted:
        return {}
    areas, covered = _areas(wanted)
    day = {r.response_id: timezone.localdate(r.confirmed_at) for r in wanted}
    designations = list(ZoneDesignation.objects.filter(
        Q(trigger_case_id__in=[r.case_id for r in wanted])
        | Q(unit_id__in={r.commune_id for r in wanted}, colour__in=ZONING_COLOURS,
            starts_on__gte=min(day.values())))
        .values("pk", "trigger_case_id", "unit_id", "colour", "starts_on"))
    found: dict[int, Found] = {}
    for r in wanted:
        for a in areas:
            if a["trigger_case_id"] == r.case_id or (
                    a["starts_at"] >= r.confirmed_at and covered[a["pk"]] & {r.commune_id, r.district_id}):
                found[r.response_id] = Found(now, {"lockdown_area": a["pk"]})
                break
        else:
            for d in designations:
                if d["trigger_case_id"] == r.case_id or (
                        d["unit_id"] == r.commune_id and d["colour"] in ZONING_COLOURS
                        and d["starts_on"] >= day[r.response_id]):
                    found[r.response_id] = Found(now, {"zone_designation": d["pk"]})
                    break
    return found


def f1_of(wanted: list[Open]) -> dict[int, set[int]]:
    """Case id → person ids of its F1."""
    f0_person = dict(Case.objects.filter(pk__in=[r.case_id for r in wanted]).values_list("pk", "person_id"))
    pairs: dict[int, list[tuple[int, int]]] = {}
    for case_id, a, b in Contact.objects.filter(case_id__in=f0_person).values_list("case_id", "person_id",
                                                                                   "contact_id"):
        pairs.setdefault(case_id, []).append((a, b))
    return {case_id: domain.f1_people(f0_person[case_id], pairs.get(case_id, [])) for case_id in f0_person}


def move_done(responses: list[Open], now: dt.datetime) -> dict[int, Found]:
    from chongdich.quarantine.models import Placement, PlacementStatus
    from chongdich.response.models import Disinfection

    wanted = [r for r in responses if domain.MOVE in r.stages]
    if not wanted:
        return {}
    disinfected: dict[int, tuple[int, dt.datetime]] = {}
    for pk, response_id, done_at in (Disinfection.objects.filter(response_id__in=[r.response_id for r in wanted])
                                     .order_by("done_at").values_list("pk", "response_id", "done_at")):
        disinfected.setdefault(response_id, (pk, done_at))
    wanted = [r for r in wanted if r.response_id in disinfected]
    if not wanted:
        return {}
    f1 = f1_of(wanted)
    people = set().union(*f1.values())
    since = min(r.confirmed_at for r in wanted)
    placements: dict[int, list[tuple[int, dt.datetime, bool]]] = {}
    for pk, person_id, started_at, status in Placement.objects.filter(
            Q(status=PlacementStatus.ACTIVE) | Q(started_at__gte=since), person_id__in=people).values_list(
            "pk", "person_id", "started_at", "status"):
        placements.setdefault(person_id, []).append((pk, started_at, status == PlacementStatus.ACTIVE))
    found: dict[int, Found] = {}
    for r in wanted:
        chosen = []
        for person_id in f1.get(r.case_id, ()):
            fitting = [p for p in placements.get(person_id, []) if p[2] or p[1] >= r.confirmed_at]
            if not fitting:
                break
            chosen.append(max(fitting, key=lambda p: p[1]))
        else:
            if chosen:
                disinfection_id, disinfected_at = disinfected[r.response_id]
                done_at = max([r.confirmed_at, disinfected_at, *(max(p[1], r.confirmed_at) for p in chosen)])
                found[r.response_id] = Found(min(done_at, now), {
                    "placements": sorted(p[0] for p in chosen), "disinfection": disinfection_id})
    return found


CHECKS = {domain.TRACE: trace_done, domain.ZONE: zone_done, domain.MOVE: move_done}
