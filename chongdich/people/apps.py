from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "chongdich.people"
    label = "people"
    verbose_name = "Người"
