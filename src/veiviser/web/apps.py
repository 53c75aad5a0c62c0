from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "veiviser.web"
    label = "web"
    verbose_name = "Nettsider"
