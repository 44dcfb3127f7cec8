from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "chongdich.venues"
    label = "venues"
    verbose_name = "Địa điểm và quét mã QR"

    def ready(self):
        from chongdich.venues import services_exposures

        # A confirmed F0 queues the matching of its visits (run after commit by a task).
        services_exposures.register()
