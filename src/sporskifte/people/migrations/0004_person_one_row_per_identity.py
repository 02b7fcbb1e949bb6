from django.db import migrations, models


class Migration(migrations.Migration):
    """After 0003 merged the duplicates, the database keeps one row per identity number."""

    dependencies = [
        ("people", "0003_merge_duplicate_identity_numbers"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(condition=models.Q(('register', 'referrals'), models.Q(('id_number', ''), _negated=True)), fields=('police_district', 'id_kind', 'id_number'), name='person_one_row_per_identity'),
        ),
    ]
