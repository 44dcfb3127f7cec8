"""Opening responses and stages done by what happens in the system, with a frozen clock."""

from __future__ import annotations

import datetime as dt

from chongdich.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from chongdich.response import selectors, services
from chongdich.response.models import DoneHow, Response
from chongdich.response.tests.base import MINUTE, T0, ResponseTestCase, on
from chongdich.zones import hooks as zone_hooks
from chongdich.zones.models import LockdownArea, LockdownMember, ZoneDesignation


class OpeningTests(ResponseTestCase):
    def test_a_new_f0_opens_three_stages_with_deadlines_from_its_confirmation(self):
        case = self.confirm(at=T0 - 10 * MINUTE)
        response = self.response_of(case)
        got = {s.kind: (s.due_at, s.warn_at) for s in response.stages.all()}
        start = T0 - 10 * MINUTE
        assert got == {"trace": (start + 60 * MINUTE, start + 45 * MINUTE),
                       "zone": (start + 180 * MINUTE, start + 165 * MINUTE),
                       "move": (start + 300 * MINUTE, start + 285 * MINUTE)}
        assert (response.commune_id, response.rule_set.code) == (self.units["commune_a1"].pk, "QV-5H-2021")

    def test_a_case_confirmed_more_than_a_day_before_it_is_recorded_opens_nothing(self):
        old = self.confirm("An", at=T0 - dt.timedelta(hours=24, minutes=1))
        recent = self.confirm("Bình", at=T0 - dt.timedelta(hours=23))
        assert not Response.objects.filter(case=old).exists()
        assert Response.objects.filter(case=recent).exists()

    def test_opening_queues_a_check_for_the_first_warning_after_commit(self):
        from django_tasks_db.models import DBTaskResult

        with self.captureOnCommitCallbacks(execute=True):
            case = self.confirm()
        queued = DBTaskResult.objects.filter(task_path__endswith="check_response").get()
        assert queued.args_kwargs["args"] == [self.response_of(case).pk]
        assert queued.run_after >= T0 + 45 * MINUTE

    def test_a_backend_that_cannot_wait_queues_nothing_and_leaves_it_to_the_sweep(self):
        from django.test import override_settings
        from django_tasks_db.models import DBTaskResult

        immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        with override_settings(TASKS=immediate), self.captureOnCommitCallbacks(execute=True):
            case = self.confirm()
        assert Response.objects.filter(case=case).exists()
        assert not DBTaskResult.objects.exists()


class TraceTests(ResponseTestCase):
    def test_trace_is_done_when_a_contact_is_recorded_and_no_proposal_waits(self):
        case = self.confirm()
        self.freeze(T0 + 20 * MINUTE)
        self.contact(case, "Bình")
        stage = self.stage(case, "trace")
        assert (stage.done_at, stage.done_how, stage.evidence) == (T0 + 20 * MINUTE, DoneHow.AUTO, {"contacts": 1})

    def test_a_contact_of_another_investigation_does_not_count(self):
        case = self.confirm()
        self.contact(None, "Bình", source=self.people["Cường"])
        assert self.stage(case, "trace").done_at is None

    def test_trace_waits_for_exposure_proposals_then_completes_when_they_are_resolved(self):
        from chongdich.venues import hooks as venue_hooks

        case = self.confirm()
        self.patch_proposals({case.pk: 3})
        self.contact(case, "Bình")
        assert self.stage(case, "trace").done_at is None
        self.patch_proposals({})
        self.freeze(T0 + 70 * MINUTE)
        venue_hooks.run_proposals_resolved([case.pk])
        stage = self.stage(case, "trace")
        assert stage.done_at == T0 + 70 * MINUTE
        assert selectors.response_get(actor=self.users["commune_officer"], response_id=stage.response_id)


class ZoneTests(ResponseTestCase):
    def area(self, *, trigger=None, commune="commune_a1", starts_at=T0, members=()):
        unit = self.units[commune]
        area = LockdownArea.objects.create(name="Thôn 1", shape="units", reason="F0", trigger_case=trigger,
                                           starts_at=starts_at, **unit.jurisdiction_keys())
        for m in members:
            LockdownMember.objects.create(area=area, unit=self.units[m])
        zone_hooks.run_area_recorded([area.pk])
        return area

    def test_a_lockdown_area_triggered_by_the_f0_completes_zoning(self):
        case = self.confirm()
        self.freeze(T0 + 2 * 60 * MINUTE)
        area = self.area(trigger=case, commune="commune_b1")
        stage = self.stage(case, "zone")
        assert (stage.done_at, stage.evidence) == (T0 + 120 * MINUTE, {"lockdown_area": area.pk})

    def test_an_area_covering_the_commune_from_after_the_confirmation_completes_zoning(self):
        case = self.confirm()
        self.area(commune="commune_a2", members=["commune_a2", "commune_a1"], starts_at=T0 + 30 * MINUTE)
        assert self.stage(case, "zone").done_at == T0

    def test_an_area_elsewhere_or_started_before_the_f0_does_not(self):
        case = self.confirm(at=T0 - 5 * MINUTE)
        self.area(commune="commune_a2", members=["commune_a2"])
        self.area(commune="commune_a1", starts_at=T0 - 60 * MINUTE)
        assert self.stage(case, "zone").done_at is None

    def test_a_red_designation_of_the_commune_completes_zoning(self):
        case = self.confirm()
        designation = ZoneDesignation.objects.create(unit=self.units["commune_a1"], colour="red", starts_on=T0.date())
        zone_hooks.run_zone_designated([designation.pk])
        assert self.stage(case, "zone").evidence == {"zone_designation": designation.pk}


class MoveTests(ResponseTestCase):
    def setUp(self):
        super().setUp()
        self.case = self.confirm()
        self.contact(self.case, "Bình")
        self.contact(self.case, "Cường")
        self.contact(None, "Dũng", source=self.people["Bình"])  # an F2: stays at home
        self.response = self.response_of(self.case)

    def disinfect(self, at=None):
        return services.disinfection_record(actor=self.users["tracer"], response=self.response, place="Nhà số 5",
                                            done_by_name="Tổ COVID thôn 1", done_at=at)

    def test_move_needs_every_f1_placed_and_a_disinfection(self):
        self.freeze(T0 + 100 * MINUTE)
        self.place("Bình")
        self.disinfect(at=T0 + 90 * MINUTE)
        assert self.stage(self.case, "move").done_at is None  # Cường still at large
        self.freeze(T0 + 200 * MINUTE)
        placement = self.place("Cường")
        stage = self.stage(self.case, "move")
        assert stage.done_at == T0 + 200 * MINUTE
        assert placement.pk in stage.evidence["placements"]

    def test_the_disinfection_alone_is_not_enough_and_it_completes_the_stage_last(self):
        self.freeze(T0 + 60 * MINUTE)
        self.place("Bình")
        self.place("Cường")
        assert self.stage(self.case, "move").done_at is None
        self.freeze(T0 + 250 * MINUTE)
        record = self.disinfect()
        stage = self.stage(self.case, "move")
        assert (stage.done_at, stage.evidence["disinfection"]) == (T0 + 250 * MINUTE, record.pk)

    def test_disinfection_is_refused_to_an_outsider_and_without_a_place(self):
        with self.assertRaises(NotFound):
            services.disinfection_record(actor=self.users["outsider"], response=self.response, place="x",
                                         done_by_name="y")
        with self.assertRaises(InvalidInput):
            services.disinfection_record(actor=self.users["tracer"], response=self.response, place=" ",
                                         done_by_name="y")

    def test_when_every_stage_is_done_the_response_closes(self):
        self.place("Bình")
        self.place("Cường")
        self.disinfect()
        for kind in ("zone",):
            services.stage_sign_off(actor=self.users["commune_officer"], stage=self.stage(self.case, kind),
                                    note="Đã phong tỏa thôn 1 theo quyết định của UBND xã")
        self.response.refresh_from_db()
        assert self.response.closed_at == T0


class SignOffTests(ResponseTestCase):
    def test_a_named_officer_signs_a_stage_off_with_a_note(self):
        case = self.confirm()
        self.freeze(T0 + 200 * MINUTE)
        stage = services.stage_sign_off(actor=self.users["district_epi"], stage=self.stage(case, "zone"),
                                        note="Phong tỏa theo QĐ 12/QĐ-UBND")
        assert (stage.done_at, stage.done_how, stage.done_by) == (
            T0 + 200 * MINUTE, DoneHow.SIGN_OFF, self.users["district_epi"])

    def test_sign_off_needs_a_note_and_an_open_stage_and_the_right(self):
        case = self.confirm()
        stage = self.stage(case, "trace")
        with self.assertRaises(InvalidInput):
            services.stage_sign_off(actor=self.users["commune_officer"], stage=stage, note="  ")
        with self.assertRaises(NotFound):
            services.stage_sign_off(actor=self.users["outsider"], stage=stage, note="x")
        with self.assertRaises(PermissionDenied):
            services.stage_sign_off(actor=self.users["viewer"], stage=stage, note="x")
        services.stage_sign_off(actor=self.users["commune_officer"], stage=stage, note="xong")
        with self.assertRaises(Conflict):
            services.stage_sign_off(actor=self.users["commune_officer"], stage=stage, note="again")

    def test_an_outsider_does_not_see_the_response(self):
        case = self.confirm(at=on(8, 2, 8))
        with self.assertRaises(NotFound):
            selectors.response_get(actor=self.users["outsider"], response_id=self.response_of(case).pk)
