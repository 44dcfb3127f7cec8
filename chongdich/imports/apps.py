from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "chongdich.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu hàng loạt"
