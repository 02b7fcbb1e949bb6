# The funnel's index replaces (programme, created_at), whose lookups it serves as well. The new
# one is built before the old one goes, so the funnel is never left without an index.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_offer_journal_number_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=["programme", "created_at", "answer", "prevention_conversation"],
                name="offer_funnel_idx",
            ),
        ),
        migrations.RemoveIndex(
            model_name="offer",
            name="referrals_o_program_6977a4_idx",
        ),
    ]
