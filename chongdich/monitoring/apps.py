from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "chongdich.monitoring"
    label = "monitoring"
    verbose_name = "Theo dõi sức khỏe tại nhà"

    def ready(self):
        from chongdich.notifications.domain import EMAIL, IN_APP
        from chongdich.notifications.events import register_event

        # A danger sign at home is urgent: e-mail (or the officer's webhook) as well as the app.
        register_event("needs_escalation", _("Người theo dõi tại nhà cần xử trí"), defaults=(IN_APP, EMAIL))
