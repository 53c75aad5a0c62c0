from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "veiviser.cycle"
    label = "cycle"
    verbose_name = "Rekruttere og beholde"
