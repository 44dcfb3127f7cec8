"""/api/notifications: each person reads and marks only their own; preferences get and set."""

from chongdich.core.tests.api_helpers import ApiTestCase
from chongdich.notifications.models import ChannelSettings, Notification, Preference
from chongdich.notifications.services import notify


class NotificationApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = notify(recipients=[cls.users["commune_officer"]], event="task_assigned",
                          subject="Báo cáo ca F1 trước 17:00", body="", unit=cls.units["commune_a1"])[0]
        cls.theirs = notify(recipients=[cls.users["outsider"]], event="task_assigned",
                            subject="Việc của xã B1", body="")[0]

    def patch_preferences(self, body: dict, status: int = 200) -> dict:
        return self.assertStatus(self.patch("/api/notifications/preferences", body), status)

    def test_the_list_holds_only_my_notifications(self):
        body = self.assertStatus(self.as_user("commune_officer").get("/api/notifications"), 200)
        self.assertEqual([n["subject"] for n in body["items"]], ["Báo cáo ca F1 trước 17:00"])
        self.assertEqual(body["items"][0]["event_label"], "Được giao nhiệm vụ")
        self.assertEqual(body["items"][0]["unit"]["code"], self.units["commune_a1"].code)

    def test_marking_someone_elses_notification_is_not_found(self):
        self.as_user("commune_officer")
        self.assertStatus(self.post(f"/api/notifications/{self.theirs.pk}/read", {}), 404)
        self.theirs.refresh_from_db()
        self.assertIsNone(self.theirs.read_at)

    def test_marking_mine_read_stamps_the_time_and_lowers_the_count(self):
        self.as_user("commune_officer")
        body = self.assertStatus(self.post(f"/api/notifications/{self.mine.pk}/read", {}), 200)
        self.assertEqual(body["read_at"][:10], "2021-05-20")
        self.assertEqual(self.assertStatus(self.get("/api/notifications/unread-count"), 200), {"unread": 0})

    def test_the_unread_filter_leaves_out_read_notifications(self):
        Notification.objects.filter(pk=self.mine.pk).update(read_at=self.mine.created_at)
        body = self.assertStatus(self.as_user("commune_officer").get("/api/notifications", unread="true"), 200)
        self.assertEqual(body["count"], 0)

    def test_mark_all_read_touches_only_mine(self):
        self.as_user("commune_officer")
        self.assertEqual(self.assertStatus(self.post("/api/notifications/read-all", {}), 200), {"marked": 1})
        self.theirs.refresh_from_db()
        self.assertIsNone(self.theirs.read_at)

    def test_the_api_needs_a_signed_in_account(self):
        self.assertStatus(self.get("/api/notifications"), 401)

    def test_preferences_show_every_kind_with_its_defaults(self):
        body = self.assertStatus(self.as_user("province_leader").get("/api/notifications/preferences"), 200)
        by_event = {e["event"]: e["channels"] for e in body["events"]}
        self.assertEqual(by_event["task_assigned"], {"in_app": True, "email": False, "webhook": False})
        self.assertEqual(by_event["task_escalated"], {"in_app": True, "email": True, "webhook": False})
        self.assertEqual((body["webhook_url"], body["has_webhook_secret"]), ("", False))

    def test_setting_a_webhook_and_choosing_it_for_a_kind(self):
        self.as_user("province_leader")
        body = self.patch_preferences({
            "webhook_url": "https://sms.example.vn/hook", "webhook_secret": "s3cret",
            "choices": [{"event": "task_overdue", "channel": "webhook", "enabled": True}],
        })
        by_event = {e["event"]: e["channels"] for e in body["events"]}
        self.assertTrue(by_event["task_overdue"]["webhook"])
        self.assertEqual((body["webhook_url"], body["has_webhook_secret"]), ("https://sms.example.vn/hook", True))
        self.assertNotIn("s3cret", str(body))
        self.assertEqual(ChannelSettings.objects.get(user=self.users["province_leader"]).webhook_secret, "s3cret")

    def test_choosing_the_webhook_without_any_url_is_refused(self):
        self.as_user("province_leader")
        body = self.patch_preferences(
            {"choices": [{"event": "task_overdue", "channel": "webhook", "enabled": True}]}, 422)
        self.assertEqual(body["field"], "webhook_url")
        self.assertFalse(Preference.objects.exists())

    def test_a_webhook_url_must_be_http_or_https(self):
        self.as_user("province_leader")
        body = self.patch_preferences({"webhook_url": "file:///etc/passwd"}, 422)
        self.assertEqual(body["field"], "webhook_url")

    def test_an_unknown_event_kind_is_refused(self):
        self.as_user("province_leader")
        body = self.patch_preferences({"choices": [{"event": "nope", "channel": "email", "enabled": True}]}, 422)
        self.assertEqual(body["field"], "event")

    def test_choosing_the_default_again_stores_no_row(self):
        self.as_user("province_leader")
        self.patch_preferences({"choices": [{"event": "task_escalated", "channel": "email", "enabled": False}]})
        self.assertEqual(Preference.objects.count(), 1)
        self.patch_preferences({"choices": [{"event": "task_escalated", "channel": "email", "enabled": True}]})
        self.assertEqual(Preference.objects.count(), 0)

    def test_the_delivery_log_lists_only_my_deliveries(self):
        self.users["province_leader"].email = "ld@example.vn"
        self.users["province_leader"].save()
        notify(recipients=[self.users["province_leader"]], event="task_escalated", subject="Quá hạn", body="")
        body = self.assertStatus(self.as_user("province_leader").get("/api/notifications/deliveries"), 200)
        self.assertEqual([(d["channel"], d["target"], d["status"]) for d in body["items"]],
                         [("email", "ld@example.vn", "pending")])
        other = self.assertStatus(self.as_user("commune_officer").get("/api/notifications/deliveries"), 200)
        self.assertEqual(other["count"], 0)
