from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseConfig(AppConfig):
    name = "chongdich.response"
    label = "response"
    verbose_name = "Phản ứng 5 giờ"

    def ready(self):
        from chongdich.cases import hooks as case_hooks
        from chongdich.notifications.domain import EMAIL, IN_APP
        from chongdich.notifications.events import register_event
        from chongdich.quarantine import hooks as quarantine_hooks
        from chongdich.response import services
        from chongdich.venues import hooks as venue_hooks
        from chongdich.zones import hooks as zone_hooks

        # The other apps know nothing of the clock: they call whoever registered.
        register = case_hooks.register
        register(case_hooks.case_confirmed_hooks, services.responses_open)
        register(case_hooks.contact_added_hooks, services.contacts_added_hook)
        register(venue_hooks.proposals_resolved_hooks, services.proposals_resolved_hook)
        register(zone_hooks.area_recorded_hooks, services.areas_recorded_hook)
        register(zone_hooks.zone_designated_hooks, services.zones_designated_hook)
        register(quarantine_hooks.placement_started_hooks, services.placements_started_hook)

        register_event("response_stage_near", _("Giai đoạn phản ứng 5 giờ sắp hết hạn"), defaults=(IN_APP,))
        register_event("response_stage_late", _("Giai đoạn phản ứng 5 giờ quá hạn"), defaults=(IN_APP, EMAIL))

        from chongdich.response.stats import register_scorecard_indicator

        register_scorecard_indicator()
