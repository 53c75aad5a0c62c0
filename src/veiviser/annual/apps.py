from django.apps import AppConfig


class AnnualConfig(AppConfig):
    name = "veiviser.annual"
    label = "annual"
    verbose_name = "Årsrapport"
