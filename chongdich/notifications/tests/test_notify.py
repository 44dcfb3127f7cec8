"""notify(): in-app at once, e-mail and webhook after commit, by each person's choices."""

from django.core import mail
from django.db import transaction
from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from chongdich.accounts.models import User
from chongdich.core import clock
from chongdich.core.testing import at, make_geography, make_user, personas
from chongdich.notifications import domain, selectors
from chongdich.notifications.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    Preference,
)
from chongdich.notifications.services import notify, preferences_set
from chongdich.notifications.tests.helpers import IMMEDIATE_TASKS, WebhookReceiver


class NotifyTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        for user in cls.users.values():
            user.email = f"{user.username}@example.vn"
            user.save(update_fields=["email"])

    def setUp(self):
        frozen = clock.frozen_at(at(20))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def send(self, event="task_assigned", *personas_, **extra):
        recipients = [self.users[p] for p in (personas_ or ("commune_officer",))]
        with self.captureOnCommitCallbacks(execute=True):
            return notify(recipients=recipients, event=event, subject=extra.pop("subject", "Nhiệm vụ mới"),
                          body=extra.pop("body", "Báo cáo trước 17:00"), **extra)


class InAppTests(NotifyTestCase):
    def test_each_recipient_gets_one_notification_in_the_app(self):
        made = self.send("task_assigned", "commune_officer", "tracer", url="/command/tasks/7/",
                         unit=self.units["commune_a1"])
        self.assertEqual([n.recipient for n in made], [self.users["commune_officer"], self.users["tracer"]])
        n = Notification.objects.get(recipient=self.users["tracer"])
        self.assertEqual((n.event, n.subject, n.url, n.unit, n.in_app, n.read_at),
                         ("task_assigned", "Nhiệm vụ mới", "/command/tasks/7/", self.units["commune_a1"], True, None))
        self.assertEqual(n.created_at, at(20))

    def test_a_recipient_named_twice_is_told_once(self):
        officer = self.users["commune_officer"]
        with self.captureOnCommitCallbacks(execute=True):
            made = notify(recipients=[officer, officer], event="task_overdue", subject="Quá hạn", body="")
        self.assertEqual(len(made), 1)

    def test_an_inactive_account_is_not_notified(self):
        gone = make_user(self.units["commune_a1"], is_active=False)
        with self.captureOnCommitCallbacks(execute=True):
            made = notify(recipients=[gone], event="task_overdue", subject="Quá hạn", body="")
        self.assertEqual(made, [])

    def test_an_unregistered_event_is_refused(self):
        with self.assertRaises(ValueError):
            notify(recipients=[self.users["tracer"]], event="lunch_ready", subject="x", body="")

    def test_the_in_app_notification_is_part_of_the_callers_transaction(self):
        try:
            with transaction.atomic():
                notify(recipients=[self.users["tracer"]], event="task_assigned", subject="x", body="")
                raise RuntimeError("the caller fails after notifying")
        except RuntimeError:
            pass
        self.assertFalse(Notification.objects.exists())

    def test_turning_the_app_off_for_a_kind_keeps_it_out_of_the_inbox(self):
        preferences_set(actor=self.users["tracer"], choices={("task_assigned", domain.IN_APP): False})
        made = self.send("task_assigned", "tracer")
        self.assertEqual(made, [])


@IMMEDIATE_TASKS
class EmailTests(NotifyTestCase):
    def test_assignments_are_not_emailed_by_default(self):
        self.send("task_assigned")
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Delivery.objects.exists())

    def test_escalations_are_emailed_by_default_with_the_link(self):
        self.send("task_escalated", "province_leader", subject="Nhiệm vụ quá hạn 3 ngày",
                  body="Xã A1 chưa báo cáo.", url="/command/tasks/9/")
        [message] = mail.outbox
        self.assertEqual(message.to, [self.users["province_leader"].email])
        self.assertEqual(message.subject, "Nhiệm vụ quá hạn 3 ngày")
        self.assertIn("Xã A1 chưa báo cáo.", message.body)
        self.assertIn("/command/tasks/9/", message.body)
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts, delivery.sent_at), (DeliveryStatus.SENT, 1, at(20)))

    def test_a_person_can_choose_email_for_a_kind_that_has_none_by_default(self):
        preferences_set(actor=self.users["tracer"], choices={("task_assigned", domain.EMAIL): True})
        self.send("task_assigned", "tracer", "commune_officer")
        self.assertEqual([m.to for m in mail.outbox], [[self.users["tracer"].email]])

    def test_a_person_can_turn_escalation_emails_off(self):
        preferences_set(actor=self.users["province_leader"], choices={("task_escalated", domain.EMAIL): False})
        self.send("task_escalated", "province_leader")
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Notification.objects.count(), 1)

    def test_with_the_app_off_and_email_on_it_is_emailed_but_kept_out_of_the_inbox(self):
        preferences_set(actor=self.users["tracer"], choices={("task_assigned", domain.IN_APP): False,
                                                             ("task_assigned", domain.EMAIL): True})
        [n] = self.send("task_assigned", "tracer")
        self.assertFalse(n.in_app)
        self.assertEqual(len(mail.outbox), 1)
        self.assertFalse(selectors.notification_list(actor=self.users["tracer"]).exists())

    def test_an_account_without_an_email_address_is_logged_as_skipped(self):
        leader = self.users["province_leader"]
        User.objects.filter(pk=leader.pk).update(email="")
        leader.refresh_from_db()
        self.send("task_escalated", "province_leader")
        self.assertEqual(mail.outbox, [])
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts), (DeliveryStatus.SKIPPED, 0))
        self.assertTrue(delivery.last_error)

    def test_nothing_leaves_if_the_callers_transaction_rolls_back(self):
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    notify(recipients=[self.users["province_leader"]], event="task_escalated",
                           subject="x", body="")
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(mail.outbox, [])


@IMMEDIATE_TASKS
class WebhookTests(NotifyTestCase):
    def choose_webhook(self, persona, url, secret=""):
        preferences_set(actor=self.users[persona], choices={("finding_recorded", domain.WEBHOOK): True},
                        webhook_url=url, webhook_secret=secret)

    def test_a_webhook_receives_the_notification_as_json(self):
        with WebhookReceiver() as hook:
            self.choose_webhook("district_epi", hook.url)
            self.send("finding_recorded", "district_epi", subject="Phát hiện: thiếu khẩu trang",
                      url="/command/inspections/3/", unit=self.units["district_a"])
        [request] = hook.received
        self.assertEqual(request["json"]["event"], "finding_recorded")
        self.assertEqual(request["json"]["subject"], "Phát hiện: thiếu khẩu trang")
        self.assertEqual(request["json"]["unit"]["code"], self.units["district_a"].code)
        self.assertEqual(request["headers"]["Content-Type"], "application/json; charset=utf-8")
        self.assertNotIn("X-ChongDich-Signature", request["headers"])
        self.assertEqual(Delivery.objects.get().status, DeliveryStatus.SENT)

    def test_with_a_secret_the_body_is_signed(self):
        with WebhookReceiver() as hook:
            self.choose_webhook("district_epi", hook.url, secret="khoa-bi-mat")
            self.send("finding_recorded", "district_epi")
        [request] = hook.received
        self.assertEqual(request["headers"]["X-ChongDich-Signature"], domain.sign("khoa-bi-mat", request["raw"]))

    def test_a_kind_can_have_its_own_webhook_url(self):
        with WebhookReceiver() as account_hook, WebhookReceiver() as own_hook:
            self.choose_webhook("district_epi", account_hook.url)
            preferences_set(actor=self.users["district_epi"],
                            event_webhook_urls={"finding_recorded": own_hook.url})
            self.send("finding_recorded", "district_epi")
        self.assertEqual((len(account_hook.received), len(own_hook.received)), (0, 1))
        self.assertEqual(Preference.objects.get().webhook_url, own_hook.url)

    def test_the_attempt_is_logged_with_its_response_code(self):
        with WebhookReceiver(statuses=[202]) as hook:
            self.choose_webhook("district_epi", hook.url)
            self.send("finding_recorded", "district_epi")
        attempt = Delivery.objects.get().attempt_log.get()
        self.assertEqual((attempt.number, attempt.ok, attempt.response_code, attempt.error), (1, True, 202, ""))


class QueueTests(NotifyTestCase):
    """With the database task backend (the default), delivery waits for the worker."""

    def test_deliveries_are_queued_as_tasks_after_commit(self):
        self.send("task_escalated", "province_leader")
        task = DBTaskResult.objects.get()
        self.assertEqual(task.task_path, "chongdich.notifications.tasks.deliver_notification")
        self.assertEqual(task.args_kwargs["args"], [Delivery.objects.get().pk])
        self.assertEqual(mail.outbox, [])

    def test_nothing_is_queued_before_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notify(recipients=[self.users["province_leader"]], event="task_escalated", subject="x", body="")
        self.assertEqual(DBTaskResult.objects.count(), 0)
        self.assertEqual(len(callbacks), 1)

