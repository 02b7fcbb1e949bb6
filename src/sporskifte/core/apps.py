from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sporskifte.core"

    def ready(self) -> None:
        from sporskifte.core import db

        db.connect()
