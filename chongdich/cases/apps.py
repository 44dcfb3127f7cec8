from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chongdich.cases"
    label = "cases"
    verbose_name = "Ca bệnh và tiếp xúc"
