from django.apps import AppConfig


class QuarantineConfig(AppConfig):
    name = "chongdich.quarantine"
    label = "quarantine"
    verbose_name = "Cách ly và điều trị"
