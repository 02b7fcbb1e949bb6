"""One person per identity number in a district's referral register, and a move follows the
person: a later registration updates the row (history kept), the referral goes by the
municipality the person has when answering, and an officer can correct it on the offer."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.people.models import Person, PersonDetailChange
from sporskifte.people.services import person_build
from sporskifte.referrals import services
from sporskifte.referrals.imports import case_import_suspects
from sporskifte.referrals.models import Consent, Offer, Programme, Referral
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.testing.factories import (
    CaseFactory,
    OfferFactory,
    PersonFactory,
    ProgrammeFactory,
    centre,
    district,
    municipality,
)

CPR = "0101909001"  # fictitious: serial in the 9000s


def _new_person(home: str, phone: str, number: str = CPR) -> Person:
    return person_build(
        police_district_id=district("midt-vestjylland").pk,
        full_name="Flyttet Person",
        id_kind=Person.IdKind.CPR,
        id_number=number,
        phone=phone,
        home_municipality=municipality(home),
    )


def _register(officer, programme, person: Person) -> Offer:
    return services.offer_register(
        actor=officer,
        programme=programme,
        person=person,
        offence=programme.offences.first(),
        offence_date=timezone.localdate() - dt.timedelta(days=1),
        journal_number="4100-10000-00001-26",
    )


def _yes(officer, offer: Offer) -> Referral:
    services.offer_answer(
        actor=officer,
        offer=offer,
        answer=Offer.Answer.YES,
        consent_method=Consent.Method.ORAL,
        consent_text=consent_text_current(offer.programme),
    )
    return Referral.objects.get(offer=offer)


def test_the_database_refuses_a_second_row_with_the_same_number(personas):
    PersonFactory(id_number=CPR)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=CPR)


def test_a_worry_case_keeps_its_own_row(personas):
    PersonFactory(id_number=CPR)
    PersonFactory(id_number=CPR, register=Person.Register.CONCERNS)
    assert Person.objects.filter(id_number=CPR).count() == 2


def test_single_offer_for_a_known_number_updates_the_person_and_keeps_history(personas):
    programme = ProgrammeFactory()
    first = _register(personas.officer_a, programme, _new_person("Viborg", "21234567"))
    second = _register(personas.officer_a, programme, _new_person("Herning", "31234567"))

    assert first.person_id == second.person_id
    person = Person.objects.get(pk=first.person_id)
    assert (person.home_municipality.name, person.phone) == ("Herning", "+4531234567")
    history = {c.field: c.old_value for c in person.detail_changes.all()}
    assert history == {"home_municipality": "0791 Viborg", "phone": "+4521234567"}
    registered = AuditEvent.objects.filter(
        object_id=str(second.pk), purpose=AuditEvent.Purpose.OFFER_REGISTERED
    )
    assert registered.get().detail == {"person_details_changed": ["phone", "home_municipality"]}


def test_a_later_batch_moves_the_person_and_the_yes_goes_to_the_new_centre(personas):
    programme = ProgrammeFactory()
    offer = _register(personas.officer_a, programme, _new_person("Viborg", "21234567"))
    case = CaseFactory(programme=programme)
    today = f"{timezone.localdate():%Y-%m-%d}"
    header = "navn;id_type;id_nummer;telefon;kommunekode;gerningsdato"
    csv = f"{header}\nFlyttet Person;cpr;{CPR};31234567;657;{today}\n"

    result = case_import_suspects(actor=personas.officer_a, case=case, data=csv.encode())
    referral = _yes(personas.officer_a, offer)

    assert result.ok
    assert Person.objects.filter(id_number=CPR).count() == 1
    assert referral.partner == centre("Herning")
    assert Offer.objects.get(pk=offer.pk).home_municipality.name == "Herning"
    assert (
        PersonDetailChange.objects.filter(person_id=offer.person_id, source="registration").count()
        == 2
    )


def test_a_batch_row_without_phone_keeps_the_known_phone(personas):
    programme = ProgrammeFactory()
    offer = _register(personas.officer_a, programme, _new_person("Viborg", "21234567"))
    case = CaseFactory(programme=programme)
    today = f"{timezone.localdate():%Y-%m-%d}"
    csv = f"navn;id_type;id_nummer;kommunekode;gerningsdato\nFlyttet Person;cpr;{CPR};791;{today}\n"

    assert case_import_suspects(actor=personas.officer_a, case=case, data=csv.encode()).ok
    assert Person.objects.get(pk=offer.person_id).phone == "+4521234567"
    assert not PersonDetailChange.objects.exists()


def test_officer_corrects_municipality_and_phone_on_an_offer(personas):
    offer = OfferFactory()
    services.offer_correct_contact(
        actor=personas.officer_a,
        offer=offer,
        home_municipality=municipality("Herning"),
        phone="31234567",
    )
    referral = _yes(personas.officer_a, offer)

    person = Person.objects.get(pk=offer.person_id)
    assert (person.home_municipality.name, person.phone) == ("Herning", "+4531234567")
    assert referral.partner == centre("Herning")
    assert set(person.detail_changes.values_list("source", flat=True)) == {"correction"}
    row = AuditEvent.objects.get(purpose=AuditEvent.Purpose.CONTACT_DETAILS_CORRECTED)
    assert (row.person_id, row.actor) == (person.pk, personas.officer_a)


def test_another_district_cannot_correct_the_offer(personas):
    offer = OfferFactory()
    with pytest.raises(PermissionDenied):
        services.offer_correct_contact(
            actor=personas.officer_b, offer=offer, home_municipality=None, phone=""
        )
    assert Person.objects.get(pk=offer.person_id).home_municipality is not None


def test_an_offer_routed_to_the_home_centre_needs_the_municipality(personas):
    programme = ProgrammeFactory(destination=Programme.Destination.HOME_CENTRE)
    person = _new_person("Viborg", "")
    person.home_municipality = None
    with pytest.raises(ValidationError) as caught:
        _register(personas.officer_a, programme, person)
    assert "home_municipality" in caught.value.message_dict
    assert not Person.objects.filter(id_number=CPR).exists()


def test_the_offer_form_requires_the_municipality_for_a_home_centre_programme(personas, as_user):
    programme = ProgrammeFactory()
    client = as_user(personas.officer_a)
    response = client.post(
        "/henvisninger/tilbud/ny/",
        {
            "programme": programme.pk,
            "journal_number": "4100-10000-00001-26",
            "offence": programme.offences.first().pk,
            "offence_date": f"{timezone.localdate():%Y-%m-%d}",
            "full_name": "Uden Kommune",
            "id_kind": "cpr",
            "id_number": CPR,
        },
    )
    assert response.status_code == 200
    assert "home_municipality" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_the_migration_merges_existing_duplicates_with_audit_rows(personas):
    merge = importlib.import_module(
        "sporskifte.people.migrations.0003_merge_duplicate_identity_numbers"
    ).merge
    with connection.cursor() as cursor:  # the rows main could make; rolled back with the test
        cursor.execute("DROP INDEX person_one_row_per_identity")
    old = OfferFactory(
        person=PersonFactory(full_name="Samme Navn", id_number=CPR, phone="+4521234567")
    )
    new = OfferFactory(
        person=PersonFactory(
            full_name="Samme Navn",
            id_number=CPR,
            phone="+4531234567",
            home_municipality=municipality("Herning"),
        )
    )
    other = OfferFactory()

    merge(apps, connection.schema_editor())

    assert Person.objects.filter(id_number=CPR).count() == 1
    kept = Person.objects.get(id_number=CPR)
    assert kept.pk == old.person_id
    assert (kept.phone, kept.home_municipality.name) == ("+4531234567", "Herning")
    assert set(Offer.objects.filter(person=kept).values_list("pk", flat=True)) == {old.pk, new.pk}
    assert Offer.objects.get(pk=other.pk).person_id == other.person_id
    assert {c.field for c in kept.detail_changes.filter(source="merge")} == {
        "phone",
        "home_municipality",
    }
    rows = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.DUPLICATE_IDENTITY_MERGED)
    assert {(r.person_id, r.action) for r in rows} == {
        (kept.pk, "update"),
        (new.person_id, "erase"),
    }


def test_the_offer_page_corrects_the_municipality_and_shows_the_earlier_value(personas, as_user):
    offer = OfferFactory()
    client = as_user(personas.officer_a)
    url = f"/henvisninger/tilbud/{offer.pk}/kontakt/"
    herning = municipality("Herning")

    response = client.post(url, {"home_municipality": herning.pk, "phone": "31234567"})
    page = client.get(f"/henvisninger/tilbud/{offer.pk}/")

    assert response.status_code == 302
    assert Person.objects.get(pk=offer.person_id).home_municipality == herning
    assert "0791 Viborg" in page.content.decode()
    other = as_user(personas.officer_b).post(url, {"home_municipality": "", "phone": ""})
    assert other.status_code == 404


def test_the_offer_page_refuses_to_clear_the_municipality_of_a_home_centre_offer(personas, as_user):
    offer = OfferFactory()
    response = as_user(personas.officer_a).post(
        f"/henvisninger/tilbud/{offer.pk}/kontakt/", {"home_municipality": "", "phone": ""}
    )
    assert response.status_code == 400
    assert "home_municipality" in response.context["contact_form"].errors
    assert Person.objects.get(pk=offer.person_id).home_municipality is not None
