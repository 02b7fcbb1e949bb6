from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "sporskifte.research"
