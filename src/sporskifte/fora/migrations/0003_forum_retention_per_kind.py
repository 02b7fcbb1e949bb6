"""Data: each existing forum gets its kind's default deletion deadline (0002 gave all of them
730 days). The defaults are written out here, not imported from ``sporskifte.fora.frame``: a
migration must give the same result whatever the app's code says later."""

from django.db import migrations

ONE_YEAR_KINDS = ("ksp", "ungesamraad", "banderaad", "lokalerhed")  # the others keep 730 days


def kind_defaults(apps, schema_editor):
    Forum = apps.get_model("fora", "Forum")
    Forum.objects.filter(kind__in=ONE_YEAR_KINDS).update(retention_days=365)


class Migration(migrations.Migration):
    dependencies = [
        ("fora", "0002_forum_retention_and_erased_agenda_items"),
    ]

    # Backwards: 0002's removal of the column takes the values with it.
    operations = [migrations.RunPython(kind_defaults, migrations.RunPython.noop)]
