from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "chongdich.risk"
    label = "risk"
    verbose_name = "Cấp độ dịch"

    def ready(self):
        from chongdich.notifications.domain import EMAIL, IN_APP
        from chongdich.notifications.events import register_event

        # A raise changes what people may do in 48 hours: the unit's officers hear of it by e-mail too.
        register_event("risk_level_raised", _("Cấp độ dịch của đơn vị được nâng"), defaults=(IN_APP, EMAIL))
