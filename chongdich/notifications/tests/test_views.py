"""The bell in the header, the inbox, preferences and the delivery log pages."""

from django.test import TestCase
from django.urls import reverse

from chongdich.core import clock
from chongdich.core.testing import at, make_geography, personas
from chongdich.notifications import domain
from chongdich.notifications.events import event_kinds
from chongdich.notifications.models import ChannelSettings, Notification, Preference
from chongdich.notifications.services import notify

HTMX = {"HTTP_HX_REQUEST": "true"}


class NotificationPages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = make_geography()
        cls.users = personas(cls.units)
        officer = cls.users["commune_officer"]
        cls.first, = notify(recipients=[officer], event="task_assigned", subject="Rà soát người về từ vùng dịch",
                            body="Hạn 17:00", url="/cases/")
        cls.second, = notify(recipients=[officer], event="task_overdue", subject="Báo cáo ngày đã quá hạn",
                             body="")
        cls.theirs, = notify(recipients=[cls.users["outsider"]], event="task_assigned",
                             subject="Việc riêng của xã B1", body="")

    def setUp(self):
        frozen = clock.frozen_at(at(20))
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)
        self.client.force_login(self.users["commune_officer"])


class BellTests(NotificationPages):
    def test_the_header_shows_my_unread_count(self):
        response = self.client.get(reverse("dashboard:home"))
        self.assertContains(response, 'id="notification-bell"')
        self.assertContains(response, 'data-unread="2"')

    def test_the_bell_refreshes_itself_with_htmx(self):
        Notification.objects.filter(pk=self.first.pk).update(read_at=at(20))
        response = self.client.get(reverse("notifications:bell"), **HTMX)
        self.assertContains(response, 'data-unread="1"')
        self.assertContains(response, 'hx-trigger="every 60s, notifications-changed from:body"')

    def test_with_nothing_unread_the_bell_has_no_count(self):
        self.client.force_login(self.users["tracer"])
        response = self.client.get(reverse("notifications:bell"))
        self.assertNotContains(response, "data-unread")


class InboxTests(NotificationPages):
    def test_the_inbox_lists_only_my_notifications(self):
        response = self.client.get(reverse("notifications:inbox"))
        self.assertContains(response, "Rà soát người về từ vùng dịch")
        self.assertContains(response, "Báo cáo ngày đã quá hạn")
        self.assertNotContains(response, "Việc riêng của xã B1")

    def test_the_inbox_requires_login(self):
        self.client.logout()
        response = self.client.get(reverse("notifications:inbox"))
        self.assertEqual(response.status_code, 302)

    def test_marking_one_read_with_htmx_returns_its_row_and_tells_the_bell(self):
        response = self.client.post(reverse("notifications:read", args=[self.first.pk]), **HTMX)
        self.assertContains(response, f'id="notification-{self.first.pk}"')
        self.assertEqual(response["HX-Trigger"], "notifications-changed")
        self.first.refresh_from_db()
        self.assertEqual(self.first.read_at, at(20))

    def test_someone_elses_notification_cannot_be_marked_read(self):
        response = self.client.post(reverse("notifications:read", args=[self.theirs.pk]))
        self.assertEqual(response.status_code, 404)

    def test_mark_all_read_clears_my_unread(self):
        self.client.post(reverse("notifications:read_all"))
        self.assertFalse(Notification.objects.filter(recipient=self.users["commune_officer"],
                                                     read_at__isnull=True).exists())
        self.assertIsNone(Notification.objects.get(pk=self.theirs.pk).read_at)

    def test_the_unread_filter_hides_read_ones(self):
        Notification.objects.filter(pk=self.first.pk).update(read_at=at(20))
        response = self.client.get(reverse("notifications:inbox"), {"unread": "1"})
        self.assertNotContains(response, "Rà soát người về từ vùng dịch")
        self.assertContains(response, "Báo cáo ngày đã quá hạn")

    def test_opening_a_notification_marks_it_read_and_follows_its_link(self):
        response = self.client.get(reverse("notifications:open", args=[self.first.pk]))
        self.assertRedirects(response, "/cases/", fetch_redirect_response=False)
        self.first.refresh_from_db()
        self.assertIsNotNone(self.first.read_at)

    def test_a_link_to_another_site_is_not_followed(self):
        Notification.objects.filter(pk=self.second.pk).update(url="https://evil.example.com/")
        response = self.client.get(reverse("notifications:open", args=[self.second.pk]))
        self.assertRedirects(response, reverse("notifications:inbox"), fetch_redirect_response=False)


class PreferencesPageTests(NotificationPages):
    def form_data(self, **extra) -> dict:
        """The form as the page shows it by default, with `extra` on top."""
        data = {"webhook_url": ""}
        for kind in event_kinds():
            data.update({f"{kind.code}__{channel}": "on" for channel in kind.defaults})
        return {**data, **extra}

    def test_the_page_shows_a_checkbox_per_kind_and_channel_with_the_defaults(self):
        response = self.client.get(reverse("notifications:preferences"))
        self.assertContains(response, 'name="task_escalated__email" aria-label=', html=False)
        self.assertEqual(response.context["form"]["task_escalated__email"].value(), True)
        self.assertEqual(response.context["form"]["task_assigned__email"].value(), False)

    def test_saving_the_defaults_stores_no_choices(self):
        response = self.client.post(reverse("notifications:preferences"), self.form_data())
        self.assertRedirects(response, reverse("notifications:preferences"))
        self.assertFalse(Preference.objects.exists())

    def test_choosing_a_webhook_saves_the_url_and_the_choice(self):
        data = self.form_data(**{"task_overdue__webhook": "on", "webhook_url": "https://chat.example.vn/hook",
                                 "webhook_secret": "abc"})
        self.client.post(reverse("notifications:preferences"), data)
        pref = Preference.objects.get()
        self.assertEqual((pref.event, pref.channel, pref.enabled), ("task_overdue", domain.WEBHOOK, True))
        account = ChannelSettings.objects.get(user=self.users["commune_officer"])
        self.assertEqual((account.webhook_url, account.webhook_secret), ("https://chat.example.vn/hook", "abc"))

    def test_a_webhook_without_a_url_is_shown_as_an_error_on_the_form(self):
        response = self.client.post(reverse("notifications:preferences"),
                                    self.form_data(**{"task_overdue__webhook": "on"}))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["webhook_url"])
        self.assertFalse(Preference.objects.exists())

    def test_the_secret_is_kept_when_the_field_is_left_empty(self):
        ChannelSettings.objects.create(user=self.users["commune_officer"], webhook_url="https://x.example.vn/",
                                       webhook_secret="giu-nguyen")
        self.client.post(reverse("notifications:preferences"),
                         self.form_data(webhook_url="https://x.example.vn/"))
        self.assertEqual(ChannelSettings.objects.get().webhook_secret, "giu-nguyen")


class DeliveryLogPageTests(NotificationPages):
    def test_the_log_shows_my_deliveries_and_not_others(self):
        leader = self.users["province_leader"]
        leader.email = "ld@example.vn"
        leader.save()
        notify(recipients=[leader], event="task_escalated", subject="Xã A1 quá hạn báo cáo", body="")
        response = self.client.get(reverse("notifications:deliveries"))
        self.assertNotContains(response, "Xã A1 quá hạn báo cáo")
        self.client.force_login(leader)
        response = self.client.get(reverse("notifications:deliveries"))
        self.assertContains(response, "Xã A1 quá hạn báo cáo")
        self.assertContains(response, "ld@example.vn")
