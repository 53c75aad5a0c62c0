from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "veiviser.workforce"
    label = "workforce"
    verbose_name = "Stillinger og stabilitet"
