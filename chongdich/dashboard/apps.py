from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "chongdich.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều hành"
