from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "chongdich.zones"
    label = "zones"
    verbose_name = "Vùng và phong tỏa"
