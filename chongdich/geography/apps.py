from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "chongdich.geography"
    label = "geography"
    verbose_name = "Địa giới hành chính"
