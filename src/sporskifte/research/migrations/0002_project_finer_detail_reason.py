# Why a research project needs finer detail than months and age bands (issue 7).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('research', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='researchproject',
            name='finer_detail_reason',
            field=models.TextField(blank=True, verbose_name='why finer detail is needed'),
        ),
    ]
