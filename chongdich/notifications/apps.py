from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chongdich.notifications"
    label = "notifications"
    verbose_name = "Thông báo"
