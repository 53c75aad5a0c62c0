from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "veiviser.accounts"
    label = "accounts"
    verbose_name = "Brukere og roller"
