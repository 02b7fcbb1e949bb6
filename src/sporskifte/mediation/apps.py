from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "sporskifte.mediation"
