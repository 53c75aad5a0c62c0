from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "veiviser.reminders"
    label = "reminders"
    verbose_name = "Påminnelser"
