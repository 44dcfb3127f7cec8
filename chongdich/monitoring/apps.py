from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "chongdich.monitoring"
    label = "monitoring"
    verbose_name = "Theo dõi sức khỏe tại nhà"
