from django.apps import AppConfig


class ErozgarConfig(AppConfig):
    name = "erozgar"
    verbose_name = "e-Rozgar Portal"
