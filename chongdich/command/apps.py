from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "chongdich.command"
    label = "command"
    verbose_name = "Chỉ đạo, điều hành: văn bản, nhiệm vụ, kiểm tra"

    def ready(self):
        # The notifications app refuses events it does not know; the command app's own event
        # kinds are registered here, the shared ones are registered there.
        from chongdich.notifications.domain import IN_APP
        from chongdich.notifications.events import register_event

        register_event("task_sent_back", _("Nhiệm vụ bị trả lại, yêu cầu làm tiếp"), defaults=(IN_APP,))
