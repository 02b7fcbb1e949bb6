"""The forebyggelsesområde thresholds in force since the category was introduced (almenboligloven
§ 61 b; the first list was published on 1 December 2021). Later changes are new dated rows."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def add(apps, schema_editor):
    AreaThresholds = apps.get_model("councils", "AreaThresholds")
    AreaThresholds.objects.get_or_create(
        valid_from=dt.date(2021, 12, 1),
        defaults={
            "min_residents": 1000,  # § 61 a, stk. 3
            "min_non_western_pct": Decimal("30"),  # § 61 b: "overstiger 30 pct."
            "max_no_work_pct": Decimal("30"),  # nr. 1: 18-64 år uden arbejde/uddannelse > 30 %
            "min_convicted_ratio": Decimal("2"),  # nr. 2: dømte ≥ 2 × landsgennemsnittet
            "max_basic_education_pct": Decimal("60"),  # nr. 3: kun grundskole > 60 %
            "max_income_pct": Decimal("65"),  # nr. 4: bruttoindkomst < 65 % af regionens
            "min_criteria": 2,
            "source": "Almenboligloven § 61 b, jf. § 61 a, stk. 3",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
