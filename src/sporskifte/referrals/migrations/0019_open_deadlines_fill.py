# The rows of the referrals whose contact deadline is still ahead (a few days' referrals), as
# ``referrals.rollup`` writes them from now on. The age bands are copied here as they were when
# this was written: a migration does not import the application.

from django.db import migrations
from django.utils import timezone

AGE_BANDS = {
    "u18": (0, 17),
    "18-24": (18, 24),
    "25-29": (25, 29),
    "30-39": (30, 39),
    "40+": (40, 200),
}


def age_band(year, birth_year):
    if birth_year is None:
        return ""
    age = year - birth_year
    return next((k for k, (lo, hi) in AGE_BANDS.items() if lo <= age <= hi), "")


def fill(apps, schema_editor):
    db = schema_editor.connection.alias
    Referral = apps.get_model("referrals", "Referral")
    OpenDeadline = apps.get_model("referrals", "OpenDeadline")
    open_ = (
        Referral.objects.using(db)
        .filter(due_at__gte=timezone.now(), offer__relative_of__isnull=True)
        .select_related("offer")
    )
    rows = []
    for r in open_.iterator(chunk_size=2000):
        offer = r.offer
        created = timezone.localtime(offer.created_at)
        further = r.further_sessions_at is not None
        rows.append(
            OpenDeadline(
                referral_id=r.pk,
                programme_id=offer.programme_id,
                due_at=r.due_at,
                day=created.date(),
                municipality=offer.home_municipality_id or 0,
                offence=offer.offence_id,
                age_band=age_band(created.year, offer.birth_year),
                sex=offer.sex or "",
                partner=r.partner_id,
                contacted=r.contact_made_at is not None,
                first_conversation=further or r.first_conversation_at is not None,
                further_sessions=further,
                record_key=offer.record_key,
            )
        )
    OpenDeadline.objects.using(db).bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0018_open_deadlines"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
