from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "veiviser.training"
    label = "training"
    verbose_name = "Spesialistutdanning"
