from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chongdich.core"
    label = "core"
