from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sporskifte.api"

    def ready(self) -> None:
        # Registers the Bearer scheme with drf-spectacular before any schema is generated.
        from sporskifte.api import schema  # noqa: F401
