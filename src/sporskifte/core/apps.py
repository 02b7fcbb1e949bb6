from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: object) -> None:
    # The shared cache lives in the database (settings.CACHES): every migrate makes its table,
    # so a fresh clone, CI, the benchmarks and production need no extra step.
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "sporskifte.core"

    def ready(self) -> None:
        from sporskifte.core import db

        db.connect()
        post_migrate.connect(_create_cache_table, sender=self)
