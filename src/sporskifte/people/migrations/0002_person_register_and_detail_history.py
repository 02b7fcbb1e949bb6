
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_forum_authority_kinds'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonDetailChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(choices=[('phone', 'phone'), ('email', 'e-mail'), ('home_municipality', 'home municipality'), ('full_name', 'full name')], max_length=20)),
                ('old_value', models.CharField(blank=True, max_length=254)),
                ('new_value', models.CharField(blank=True, max_length=254)),
                ('source', models.CharField(choices=[('registration', 'A new registration'), ('correction', 'Corrected by an officer'), ('merge', 'Duplicate rows merged')], max_length=12)),
                ('changed_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'earlier person detail',
                'verbose_name_plural': 'earlier person details',
                'ordering': ['-changed_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='person',
            name='register',
            field=models.CharField(choices=[('referrals', 'Referral programmes'), ('concerns', 'Worry conversations')], default='referrals', editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='persondetailchange',
            name='changed_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='persondetailchange',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='detail_changes', to='people.person'),
        ),
    ]
