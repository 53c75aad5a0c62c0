from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "veiviser.core"
    label = "core"
    verbose_name = "Organisasjon"
