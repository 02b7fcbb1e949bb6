"""The offences konfliktråd and medling mostly see (violence, robbery, burglary, vandalism,
threats), added to the shared offence reference data. Codes and provisions as in the acts:
straffeloven (DK) and brottsbalken (SE)."""

from django.db import migrations

OFFENCES = [
    ("STRL244", "DK", "Vold", "Straffeloven § 244"),
    ("STRL266", "DK", "Trusler", "Straffeloven § 266"),
    ("STRL276", "DK", "Tyveri, herunder indbrud", "Straffeloven § 276"),
    ("STRL288", "DK", "Røveri", "Straffeloven § 288"),
    ("STRL291", "DK", "Hærværk", "Straffeloven § 291"),
    ("BRB-3-5", "SE", "Misshandel", "Brottsbalken 3 kap. 5 §"),
    ("BRB-4-5", "SE", "Olaga hot", "Brottsbalken 4 kap. 5 §"),
    ("BRB-8-1", "SE", "Stöld", "Brottsbalken 8 kap. 1 §"),
    ("BRB-8-5", "SE", "Rån", "Brottsbalken 8 kap. 5 §"),
    ("BRB-12-1", "SE", "Skadegörelse", "Brottsbalken 12 kap. 1 §"),
]


def add(apps, schema_editor):
    Offence = apps.get_model("referrals", "Offence")
    for code, country, name, law in OFFENCES:
        Offence.objects.update_or_create(
            code=code, defaults={"country": country, "name": name, "law": law}
        )


def remove(apps, schema_editor):
    Offence = apps.get_model("referrals", "Offence")
    Offence.objects.filter(code__in=[o[0] for o in OFFENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial"), ("referrals", "0012_offer_record_key_fill")]

    operations = [migrations.RunPython(add, remove)]
