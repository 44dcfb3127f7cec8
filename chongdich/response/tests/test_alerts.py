"""Alerts near and past a deadline, once each, to the commune and district officers; the task
chain and the cron sweep; with a frozen clock."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from chongdich.notifications.models import Notification
from chongdich.response import alerts, services, tasks
from chongdich.response.tests.base import MINUTE, T0, ResponseTestCase


class AlertTests(ResponseTestCase):
    def setUp(self):
        super().setUp()
        self.case = self.confirm()
        self.response = self.response_of(self.case)

    def sweep(self, at):
        self.freeze(at)
        return alerts.alerts_send_due(now=at)

    def sent(self, event: str) -> list[tuple[int, str]]:
        return sorted(Notification.objects.filter(event=event).values_list("recipient_id", "url"))

    def test_nothing_is_sent_before_the_warning(self):
        assert self.sweep(T0 + 44 * MINUTE)["near"] == 0
        assert not Notification.objects.exists()

    def test_a_stage_nearing_its_deadline_alerts_commune_and_district_officers_once(self):
        first = self.sweep(T0 + 46 * MINUTE)
        again = self.sweep(T0 + 50 * MINUTE)
        assert (first["near"], again["near"]) == (1, 0)
        url = f"/responses/{self.response.pk}/"
        who = {self.users["commune_officer"].pk, self.users["district_epi"].pk}
        assert self.sent("response_stage_near") == sorted((pk, url) for pk in who)
        # not the tracer (may not sign off), not the outsider, not the province (not responsible)

    def test_a_stage_past_its_deadline_alerts_once_and_only_as_late(self):
        result = self.sweep(T0 + 61 * MINUTE)
        assert (result["near"], result["late"]) == (0, 1)
        assert self.sweep(T0 + 62 * MINUTE)["late"] == 0
        assert len(self.sent("response_stage_late")) == 2
        stage = self.stage(self.case, "trace")
        assert stage.late_alerted_at == T0 + 61 * MINUTE

    def test_a_done_stage_is_not_alerted(self):
        self.contact(self.case, "Bình")
        assert self.sweep(T0 + 61 * MINUTE)["late"] == 0

    def test_the_sweep_rechecks_stages_before_alerting(self):
        self.patch_proposals({self.case.pk: 1})  # matching not run yet
        self.contact(self.case, "Bình")
        self.patch_proposals({})  # it ran and found nothing, without telling anyone
        result = self.sweep(T0 + 61 * MINUTE)
        assert (result["marked_done"], result["late"]) == (1, 0)

    def test_the_task_at_a_deadline_alerts_and_queues_the_next_moment(self):
        self.freeze(T0 + 45 * MINUTE)
        tasks.check_response.call(self.response.pk)
        assert len(self.sent("response_stage_near")) == 2
        queued = DBTaskResult.objects.filter(task_path__endswith="check_response").order_by("-run_after").first()
        assert queued.run_after == T0 + 60 * MINUTE + tasks.GRACE
        self.freeze(T0 + 60 * MINUTE + tasks.GRACE)
        tasks.check_response.call(self.response.pk)
        tasks.check_response.call(self.response.pk)  # run twice (a retry): still one alert each
        assert len(self.sent("response_stage_late")) == 2

    def test_the_cron_command_prints_what_it_did(self):
        self.freeze(T0 + 170 * MINUTE)
        out = StringIO()
        call_command("response_alerts", stdout=out)
        # trace is late, zone is near: one alert of each kind
        assert "sắp hết hạn: 1, quá hạn: 1" in out.getvalue()

    def test_no_alert_once_the_case_is_discarded(self):
        from chongdich.cases.models import Case

        Case.objects.filter(pk=self.case.pk).update(discarded_at=T0, discard_reason="kết quả sai")
        assert self.sweep(T0 + 61 * MINUTE)["late"] == 0

    def test_no_alert_for_a_stage_signed_off(self):
        services.stage_sign_off(actor=self.users["commune_officer"], stage=self.stage(self.case, "trace"),
                                note="Đã truy vết xong qua tổ COVID")
        assert self.sweep(T0 + 61 * MINUTE)["late"] == 0
