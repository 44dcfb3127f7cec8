from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chongdich.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
