from django.apps import AppConfig


class ResponseConfig(AppConfig):
    name = "chongdich.response"
    label = "response"
    verbose_name = "Phản ứng 5 giờ"
