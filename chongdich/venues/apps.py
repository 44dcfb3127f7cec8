from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "chongdich.venues"
    label = "venues"
    verbose_name = "Địa điểm và quét mã QR"
