"""Delivering e-mail and webhooks: retries with exponential backoff, giving up, the log of every
attempt, claims that keep two workers from sending twice, and `send-notifications`."""

import datetime as dt
import io
import smtplib
import socket
import urllib.error
from unittest import mock

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import TestCase, override_settings
from django_tasks_db.models import DBTaskResult

from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.core.testing import at, make_geography, make_user
from chongdich.notifications import domain
from chongdich.notifications.models import Delivery, DeliveryStatus
from chongdich.notifications.services import (
    deliveries_send_due,
    delivery_attempt,
    notify,
    preferences_set,
)
from chongdich.notifications.tests.helpers import IMMEDIATE_TASKS, WebhookReceiver

T0 = at(20)


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("421 try again later")


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


class DeliveryTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.leader = make_user(cls.units["province"], User.Role.LEADER, email="lanh.dao@example.vn")

    def at_time(self, moment: dt.datetime):
        frozen = clock.frozen_at(moment)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def setUp(self):
        self.at_time(T0)

    def use_webhook(self, url: str):
        preferences_set(actor=self.leader, choices={("task_escalated", domain.WEBHOOK): True,
                                                    ("task_escalated", domain.EMAIL): False},
                        webhook_url=url)

    def escalate(self):
        with self.captureOnCommitCallbacks(execute=True):
            notify(recipients=[self.leader], event="task_escalated", subject="Quá hạn", body="")
        return Delivery.objects.get()

    def send_due_at(self, moment: dt.datetime) -> dict:
        with clock.frozen_at(moment), self.captureOnCommitCallbacks(execute=True):
            return deliveries_send_due()


@IMMEDIATE_TASKS
class RetryTests(DeliveryTestCase):
    def test_a_failed_webhook_is_tried_again_after_the_first_backoff(self):
        with WebhookReceiver(statuses=[503, 200]) as hook:
            self.use_webhook(hook.url)
            delivery = self.escalate()
            self.assertEqual((delivery.status, delivery.attempts), (DeliveryStatus.PENDING, 1))
            self.assertEqual(delivery.next_attempt_at, T0 + dt.timedelta(minutes=1))
            self.assertIn("503", delivery.last_error)
            self.send_due_at(T0 + dt.timedelta(seconds=59))
            self.assertEqual(len(hook.received), 1)
            self.send_due_at(T0 + dt.timedelta(minutes=1))
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts, len(hook.received)), (DeliveryStatus.SENT, 2, 2))

    def test_each_failure_doubles_the_wait(self):
        with WebhookReceiver(statuses=[500, 500, 500]) as hook:
            self.use_webhook(hook.url)
            delivery = self.escalate()
            second = T0 + dt.timedelta(minutes=1)
            self.send_due_at(second)
            delivery.refresh_from_db()
            self.assertEqual(delivery.next_attempt_at, second + dt.timedelta(minutes=2))
            third = delivery.next_attempt_at
            self.send_due_at(third)
            delivery.refresh_from_db()
            self.assertEqual(delivery.next_attempt_at, third + dt.timedelta(minutes=4))
        self.assertEqual(len(hook.received), 3)

    @override_settings(NOTIFICATIONS_MAX_ATTEMPTS=3)
    def test_a_delivery_gives_up_after_the_maximum_number_of_attempts(self):
        with WebhookReceiver(statuses=[500] * 10) as hook:
            self.use_webhook(hook.url)
            delivery = self.escalate()
            for _ in range(5):
                if delivery.next_attempt_at is None:
                    break
                self.send_due_at(delivery.next_attempt_at)
                delivery.refresh_from_db()
            self.send_due_at(T0 + dt.timedelta(days=1))
        self.assertEqual((delivery.status, delivery.attempts, delivery.next_attempt_at),
                         (DeliveryStatus.FAILED, 3, None))
        self.assertEqual(len(hook.received), 3)

    def test_every_attempt_is_logged_with_its_response_code_or_error(self):
        with WebhookReceiver(statuses=[500, 201]) as hook:
            self.use_webhook(hook.url)
            delivery = self.escalate()
            self.send_due_at(T0 + dt.timedelta(minutes=1))
        log = list(delivery.attempt_log.order_by("number").values_list(
            "number", "channel", "ok", "response_code", "started_at"))
        self.assertEqual(log, [(1, "webhook", False, 500, T0),
                               (2, "webhook", True, 201, T0 + dt.timedelta(minutes=1))])
        self.assertIn("500", delivery.attempt_log.get(number=1).error)

    def test_an_unreachable_webhook_logs_the_error_without_a_response_code(self):
        self.use_webhook(closed_port_url())
        delivery = self.escalate()
        attempt = delivery.attempt_log.get()
        self.assertEqual((attempt.ok, attempt.response_code), (False, None))
        self.assertIn("refused", attempt.error.lower())
        self.assertEqual(delivery.status, DeliveryStatus.PENDING)

    @override_settings(EMAIL_BACKEND="chongdich.notifications.tests.test_delivery.RefusingEmailBackend")
    def test_a_refused_email_is_retried_and_its_error_logged(self):
        delivery = self.escalate()
        self.assertEqual((delivery.status, delivery.channel), (DeliveryStatus.PENDING, "email"))
        self.assertIn("421 try again later", delivery.attempt_log.get().error)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.send_due_at(delivery.next_attempt_at)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, DeliveryStatus.SENT)
        self.assertEqual(len(mail.outbox), 1)


class QueuedRetryTests(DeliveryTestCase):
    """With the database task backend, a retry is queued as a task that runs after the backoff."""

    @mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("gateway down"))
    def test_a_failed_attempt_queues_the_next_one_to_run_after_the_backoff(self, urlopen):
        self.use_webhook("https://sms.example.vn/hook")
        delivery = self.escalate()
        DBTaskResult.objects.all().delete()  # the first attempt's task; run it by hand
        with self.captureOnCommitCallbacks(execute=True):
            delivery_attempt(delivery_id=delivery.pk)
        urlopen.assert_called_once()
        task = DBTaskResult.objects.get()
        self.assertEqual(task.args_kwargs["args"], [delivery.pk])
        self.assertEqual(task.run_after, T0 + dt.timedelta(minutes=1))
        self.assertIn("gateway down", Delivery.objects.get().last_error)


class ClaimTests(DeliveryTestCase):
    def setUp(self):
        super().setUp()
        self.delivery = self.escalate()  # e-mail by default; the task waits in the database queue

    def test_a_due_delivery_is_sent_once(self):
        self.assertEqual(delivery_attempt(delivery_id=self.delivery.pk).status, DeliveryStatus.SENT)
        self.assertIsNone(delivery_attempt(delivery_id=self.delivery.pk))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_delivery_another_worker_is_sending_is_left_alone(self):
        Delivery.objects.filter(pk=self.delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=T0)
        self.assertIsNone(delivery_attempt(delivery_id=self.delivery.pk))
        self.assertEqual(deliveries_send_due()["sent"], 0)
        self.assertEqual(mail.outbox, [])

    def test_a_delivery_not_yet_due_is_not_claimed(self):
        Delivery.objects.filter(pk=self.delivery.pk).update(next_attempt_at=T0 + dt.timedelta(minutes=5))
        self.assertIsNone(delivery_attempt(delivery_id=self.delivery.pk))
        self.assertEqual(Delivery.objects.get().attempts, 0)

    def test_a_claim_left_by_a_dead_worker_is_released_and_sent(self):
        Delivery.objects.filter(pk=self.delivery.pk).update(
            status=DeliveryStatus.SENDING, attempts=1, claimed_at=T0 - dt.timedelta(minutes=11))
        self.assertEqual(deliveries_send_due()["sent"], 1)
        self.assertEqual(Delivery.objects.get().attempts, 2)

    @override_settings(NOTIFICATIONS_MAX_ATTEMPTS=2)
    def test_a_dead_workers_claim_on_the_last_attempt_gives_up(self):
        Delivery.objects.filter(pk=self.delivery.pk).update(
            status=DeliveryStatus.SENDING, attempts=2, claimed_at=T0 - dt.timedelta(minutes=11))
        deliveries_send_due()
        self.assertEqual(Delivery.objects.get().status, DeliveryStatus.FAILED)
        self.assertEqual(mail.outbox, [])


class CommandTests(DeliveryTestCase):
    def test_send_notifications_delivers_what_is_due_and_says_so(self):
        self.escalate()
        out = io.StringIO()
        call_command("send_notifications", stdout=out)
        self.assertIn("sent 1", out.getvalue())
        self.assertEqual([m.to for m in mail.outbox], [["lanh.dao@example.vn"]])
        self.assertEqual(Delivery.objects.get().status, DeliveryStatus.SENT)

    def test_send_notifications_with_nothing_due_sends_nothing(self):
        out = io.StringIO()
        call_command("send_notifications", stdout=out)
        self.assertIn("sent 0", out.getvalue())
