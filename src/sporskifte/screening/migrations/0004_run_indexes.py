from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0003_overdue_reminder"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="incidentperson",
            name="screening_ip_window",
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(
                fields=["police_district", "occurred_at", "is_current"],
                name="screening_inc_time",
            ),
        ),
        migrations.AddIndex(
            model_name="incidentperson",
            index=models.Index(
                fields=[
                    "police_district",
                    "incident_code",
                    "occurred_at",
                    "is_current",
                    "role",
                    "birth_date",
                    "id_number",
                    "incident_id",
                ],
                name="screening_ip_rule",
            ),
        ),
    ]
