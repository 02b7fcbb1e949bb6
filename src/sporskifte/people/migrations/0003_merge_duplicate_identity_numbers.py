"""Merge people registered more than once with the same identity number in a district.

Data only (the constraint follows in 0004). The oldest row survives, so earlier audit rows keep
pointing at the person; it takes each later registration's non-empty details in the order they
were made (the latest phone and home municipality win), and the values they replace become
history. Offers move to the surviving row. Every merge writes audit rows: one for the surviving
person and one for each removed row, so a data subject's look-up by either id finds it.

Worry cases keep their own person rows (purpose limitation, concerns/models.py): those rows are
marked as the concerns register first and are never merged.
"""

from django.db import migrations
from django.db.models import Count

TRACKED = ("full_name", "phone", "email", "home_municipality_id")
PURPOSE = "duplicate_identity_merged"  # audit.vocabulary.Purpose


def _shown(person, field, municipalities):
    if field == "home_municipality_id":
        m = municipalities.get(person.home_municipality_id)
        return f"{m.code} {m.name}" if m else ""
    return getattr(person, field)


def merge(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonDetailChange = apps.get_model("people", "PersonDetailChange")
    Municipality = apps.get_model("organisations", "Municipality")
    Offer = apps.get_model("referrals", "Offer")
    ConcernCase = apps.get_model("concerns", "ConcernCase")
    AuditEvent = apps.get_model("audit", "AuditEvent")

    in_concerns = ConcernCase.objects.values("person_id")
    Person.objects.filter(pk__in=in_concerns).update(register="concerns")

    groups = (
        Person.objects.filter(register="referrals")
        .exclude(id_number="")
        .values("police_district_id", "id_kind", "id_number")
        .annotate(rows=Count("id"))
        .filter(rows__gt=1)
    )
    municipalities = {m.pk: m for m in Municipality.objects.all()}
    for group in groups:
        rows = list(
            Person.objects.filter(
                register="referrals",
                police_district_id=group["police_district_id"],
                id_kind=group["id_kind"],
                id_number=group["id_number"],
            ).order_by("created_at", "id")
        )
        keeper, later = rows[0], rows[1:]
        history = []
        for row in later:
            for field in TRACKED:
                new = getattr(row, field)
                if new in ("", None) or new == getattr(keeper, field):
                    continue
                old = _shown(keeper, field, municipalities)
                setattr(keeper, field, new)
                history.append(
                    PersonDetailChange(
                        person_id=keeper.pk,
                        field=field.removesuffix("_id"),
                        old_value=old,
                        new_value=_shown(keeper, field, municipalities),
                        source="merge",
                    )
                )
        keeper.is_test_data = keeper.is_test_data and all(r.is_test_data for r in later)
        keeper.save()
        PersonDetailChange.objects.bulk_create(history)
        removed = [r.pk for r in later]
        moved = Offer.objects.filter(person_id__in=removed).update(person_id=keeper.pk)
        PersonDetailChange.objects.filter(person_id__in=removed).update(person_id=keeper.pk)
        Person.objects.filter(pk__in=removed).delete()
        system = {"actor": None, "actor_label": "system", "organisation": None}
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    **system,
                    action="update",
                    object_type="person",
                    object_id=str(keeper.pk),
                    person_id=keeper.pk,
                    purpose=PURPOSE,
                    detail={"merged_person_ids": removed, "offers_moved": moved},
                ),
                *(
                    AuditEvent(
                        **system,
                        action="erase",
                        object_type="person",
                        object_id=str(pk),
                        person_id=pk,
                        purpose=PURPOSE,
                        detail={"merged_into": keeper.pk},
                    )
                    for pk in removed
                ),
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_register_and_detail_history"),
        ("referrals", "0005_offer_funnel_index"),
        # The audit rows it writes use the vocabulary of audit 0003 (stored values, not labels).
        ("audit", "0004_refused_look"),
        ("concerns", "0001_initial"),
        ("audit", "0001_initial"),
        ("organisations", "0002_forum_authority_kinds"),
    ]

    # Merged rows cannot be split again; reversing leaves the merge in place.
    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
