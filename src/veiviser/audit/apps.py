from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "veiviser.audit"
    label = "audit"
    verbose_name = "Logg"
