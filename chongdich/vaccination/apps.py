from django.apps import AppConfig


class VaccinationConfig(AppConfig):
    name = "chongdich.vaccination"
    label = "vaccination"
    verbose_name = "Tiêm chủng"
