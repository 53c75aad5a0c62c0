from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "veiviser.planning"
    label = "planning"
    verbose_name = "Kostnader og vikarplan"
