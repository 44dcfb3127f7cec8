from django.apps import AppConfig


class TestingConfig(AppConfig):
    name = "chongdich.testing"
    label = "testing"
    verbose_name = "Xét nghiệm"
