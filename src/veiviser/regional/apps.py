from django.apps import AppConfig


class RegionalConfig(AppConfig):
    name = "veiviser.regional"
    label = "regional"
    verbose_name = "Regional oppfølging"
