from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "chongdich.risk"
    label = "risk"
    verbose_name = "Cấp độ dịch"
