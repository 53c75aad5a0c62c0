from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "veiviser.documents"
    label = "documents"
    verbose_name = "Dokumenter"
