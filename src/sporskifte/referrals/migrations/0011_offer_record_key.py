# The cell-key method's record key per offer (docs/figures-protection.md), drawn by the database.

import django.db.models.expressions
import django.db.models.functions.comparison
import django.db.models.functions.math
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0010_funnel_rollup"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="record_key",
            field=models.PositiveIntegerField(
                db_default=django.db.models.functions.comparison.Cast(
                    django.db.models.functions.math.Floor(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.functions.math.Random(), "*", models.Value(1048576)
                        )
                    ),
                    models.IntegerField(),
                ),
                editable=False,
            ),
        ),
    ]
