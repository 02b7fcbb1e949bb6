# Each existing offer gets its own random record key. Whether a backend evaluates the column's
# default once for the whole table or once per row when the column is added differs, so the keys
# are drawn again here, per row, by the database.

from django.db import migrations, models
from django.db.models.functions import Cast, Floor, Random

RECORD_KEY_RANGE = 2**20


def draw_keys(apps, schema_editor):
    Offer = apps.get_model("referrals", "Offer")
    Offer.objects.using(schema_editor.connection.alias).update(
        record_key=Cast(Floor(Random() * RECORD_KEY_RANGE), models.IntegerField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0011_offer_record_key"),
    ]

    operations = [migrations.RunPython(draw_keys, migrations.RunPython.noop)]
