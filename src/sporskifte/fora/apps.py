from django.apps import AppConfig


class ForaConfig(AppConfig):
    name = "sporskifte.fora"
