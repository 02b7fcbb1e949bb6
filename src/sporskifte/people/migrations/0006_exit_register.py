from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_person_register_mediation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="register",
            field=models.CharField(
                choices=[
                    ("referrals", "Referral programmes"),
                    ("concerns", "Worry conversations"),
                    ("exit", "Exit programme"),
                    ("mediation", "Victim-offender mediation"),
                ],
                default="referrals",
                editable=False,
                max_length=10,
            ),
        ),
    ]
