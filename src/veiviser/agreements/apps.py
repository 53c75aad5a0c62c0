from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "veiviser.agreements"
    label = "agreements"
    verbose_name = "Avtaler og tilskudd"
