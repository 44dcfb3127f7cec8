from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "chongdich.demo"
    verbose_name = "Dữ liệu mô phỏng"
