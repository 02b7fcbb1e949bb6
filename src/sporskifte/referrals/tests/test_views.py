import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.people.models import Person
from sporskifte.referrals.models import Offer, Programme, Referral, Step
from sporskifte.referrals.tests.conftest import accept
from sporskifte.testing.audit import persons_looked_at
from sporskifte.testing.factories import OfferFactory, PersonFactory, municipality

pytestmark = pytest.mark.django_db


def _grow(world, officer, n):
    for _ in range(n):
        accept(OfferFactory(programme=world.programme_a), officer)


@pytest.mark.parametrize(
    ("persona", "url"),
    [("officer_a", "referrals:overview"), ("counsellor_a", "referrals:inbox")],
)
def test_list_pages_use_the_same_number_of_queries_for_3_and_30_rows(
    persona, url, personas, world, as_user, django_assert_max_num_queries
):
    client = as_user(getattr(personas, persona))
    client.get(reverse(url))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url)).status_code == 200
    _grow(world, personas.officer_a, 27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url)).status_code == 200
    assert len(many) == len(few)


def test_inbox_page_of_30_people_costs_the_queries_of_a_page_of_3(personas, world, as_user):
    """The inbox reads only the columns a row shows: a column the row needs but the query left
    out would cost a query per row, and this page would grow with it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sporskifte.referrals.selectors import inbox_bucket

    _grow(world, personas.officer_a, 3)
    partner = world.referral_viborg.partner
    newest = Referral.objects.filter(partner=partner).latest("id")
    url = reverse("referrals:inbox") + f"?vis={inbox_bucket(newest)}"
    client = as_user(personas.counsellor_a)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(world, personas.officer_a, 27)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    links = [
        reverse("referrals:referral_detail", args=[r.pk])
        for r in Referral.objects.filter(partner=partner)
    ]
    assert sum(f'href="{link}"' in html for link in links) >= 30
    assert len(many) == len(few)


def test_inbox_logs_a_look_per_person_shown(personas, world, as_user):
    as_user(personas.counsellor_a).get(reverse("referrals:inbox") + "?vis=new")
    looks = AuditEvent.objects.filter(
        purpose=AuditEvent.Purpose.PARTNER_INBOX, actor=personas.counsellor_a
    )
    assert persons_looked_at(looks) == [world.offer_viborg.person_id]
    assert looks.get().detail["criterion"] == {"bucket": "new", "vis": "new"}


def test_inbox_shows_only_own_centre(personas, world, as_user):
    page = as_user(personas.counsellor_b).get(reverse("referrals:inbox") + "?vis=new")
    html = page.content.decode()
    assert world.offer_herning.person.full_name in html
    assert world.offer_viborg.person.full_name not in html


def test_officer_registers_offer_through_the_form(personas, world, as_user):
    client = as_user(personas.officer_a)
    response = client.post(
        reverse("referrals:offer_new"),
        {
            "programme": world.programme_a.pk,
            "journal_number": "4100-12345-00001-25",
            "offence": world.programme_a.offences.first().pk,
            "offence_date": timezone.localdate().isoformat(),
            "full_name": "Kim Testesen",
            "id_kind": "cpr",
            "id_number": "010190-9991",
            "phone": "20 30 40 50",
            "home_municipality": municipality("Viborg").pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(full_name="Kim Testesen")
    assert person.id_number == "0101909991" and person.sex == "M"
    assert str(person.birth_date) == "1990-01-01"
    assert person.phone == "+4520304050"


def test_invalid_cpr_gets_a_danish_message_and_changes_nothing(personas, world, as_user):
    client = as_user(personas.officer_a)
    before = Offer.objects.count()
    response = client.post(
        reverse("referrals:offer_new"),
        {
            "programme": world.programme_a.pk,
            "journal_number": "4100-1",
            "offence": world.programme_a.offences.first().pk,
            "offence_date": timezone.localdate().isoformat(),
            "full_name": "Kim",
            "id_kind": "cpr",
            "id_number": "320190-1234",
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == 200
    assert "CPR" in response.content.decode()
    assert Offer.objects.count() == before


def test_answer_yes_through_the_page_creates_referral(personas, world, as_user):
    client = as_user(personas.officer_a)
    offer = world.offer_not_asked
    response = client.post(
        reverse("referrals:offer_answer", args=[offer.pk]),
        {
            "answer": "yes",
            "prevention_conversation": "accepted",
            "consent_method": "oral",
            "consent_given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get(offer=offer).partner.name == "Rusmiddelcenter Viborg"


def test_counsellor_records_first_conversation_and_officer_sees_allowed_status(
    personas, world, as_user
):
    r = world.referral_viborg
    client = as_user(personas.counsellor_a)
    response = client.post(
        reverse("referrals:referral_step", args=[r.pk]),
        {"step": Step.FIRST_CONVERSATION, "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    page = as_user(personas.officer_a).get(reverse("referrals:offer_detail", args=[r.offer_id]))
    assert "Kontakt etableret" in page.content.decode() or "Contact made" in page.content.decode()


def test_admin_creates_programme_through_the_page(personas, as_user):
    from sporskifte.referrals.models import Offence

    client = as_user(personas.admin_a)
    response = client.post(
        reverse("referrals:programme_new"),
        {
            "name": "Nyt program",
            "offences": [Offence.objects.get(code="FL53").pk],
            "destination": "home_centre",
            "feedback_level": "1",
            "contact_deadline_days": "3",
            "outcome_steps": ["first_conversation", "closed"],
            "retention_days": "730",
            "is_active": "on",
            "consent_text": "Jeg siger ja.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(name="Nyt program")
    assert programme.police_district.slug == "midt-vestjylland"
    assert programme.consent_texts.get().version == 1


def test_fixed_partner_missing_gives_field_error(personas, as_user):
    client = as_user(personas.admin_a)
    response = client.post(
        reverse("referrals:programme_new"),
        {
            "name": "X",
            "destination": "fixed_partner",
            "feedback_level": "0",
            "contact_deadline_days": "3",
            "outcome_steps": ["closed"],
            "retention_days": "730",
            "consent_text": "x",
        },
    )
    assert response.status_code == 200
    assert not Programme.objects.filter(name="X").exists()


def test_programme_form_enforces_its_minimum_days():
    from sporskifte.referrals.forms import ProgrammeForm

    form = ProgrammeForm(data={"contact_deadline_days": "0", "retention_days": "29"})
    assert not form.is_valid()
    assert form.has_error("contact_deadline_days", "min_value")
    assert form.has_error("retention_days", "min_value")
    assert len(form.errors["retention_days"]) == 1
    assert 'min="30"' in str(form["retention_days"])
    ok = ProgrammeForm(data={"contact_deadline_days": "1", "retention_days": "30"})
    ok.is_valid()
    assert "contact_deadline_days" not in ok.errors
    assert "retention_days" not in ok.errors


def test_erased_person_shows_as_erased(personas, world, as_user):
    Offer.objects.filter(pk=world.offer_not_asked.pk).update(person=None)
    Person.objects.filter(pk=world.offer_not_asked.person_id).delete()
    page = as_user(personas.officer_a).get(reverse("referrals:overview"))
    assert page.status_code == 200


def test_herning_person_is_referred_to_herning(personas, world):
    offer = OfferFactory(
        programme=world.programme_a, person=PersonFactory(home_municipality=municipality("Herning"))
    )
    assert accept(offer, personas.officer_a).partner.municipality.name == "Herning"


@pytest.mark.parametrize(
    ("persona", "url", "offer", "detail"),
    [
        ("counsellor_a", "referrals:inbox", "offer_viborg", "referrals:referral_detail"),
        ("officer_a", "referrals:overview", "offer_viborg", "referrals:offer_detail"),
    ],
)
def test_list_rows_escape_names_and_link_each_row(
    persona, url, offer, detail, personas, world, as_user
):
    """The rows are written by a template tag (referral_rows), not the template engine: a name
    is still escaped, and each row still links to its own page."""
    shown = getattr(world, offer)
    Person.objects.filter(pk=shown.person_id).update(full_name="<b>Ib</b> & Co")
    html = as_user(getattr(personas, persona)).get(reverse(url) + "?vis=new").content.decode()
    assert "&lt;b&gt;Ib&lt;/b&gt; &amp; Co" in html
    assert "<b>Ib</b>" not in html
    pk = shown.referral.pk if detail == "referrals:referral_detail" else shown.pk
    assert f'href="{reverse(detail, args=[pk])}"' in html


@pytest.mark.parametrize(
    ("persona", "url"),
    [("officer_a", "referrals:overview"), ("counsellor_a", "referrals:inbox")],
)
def test_list_pages_build_no_model_instance_per_row(persona, url, personas, world, as_user):
    """The rows are plain ``values()`` dicts: a referral, an offer and a person built per row
    cost more CPU than writing the row out (benchmarks/profile_paths.py)."""
    from django.db.models.signals import post_init

    _grow(world, personas.officer_a, 5)
    client = as_user(getattr(personas, persona))
    client.get(reverse(url))  # warm the session
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    for model in (Offer, Referral, Person, Programme):
        post_init.connect(count, sender=model, weak=False)
    try:
        page = client.get(reverse(url) + "?vis=new")
    finally:
        for model in (Offer, Referral, Person, Programme):
            post_init.disconnect(count, sender=model)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing here." not in html and "No offers match." not in html
    assert [m for m in built if m is not Programme] == []  # the filter's programmes are models


def test_the_closed_tab_stops_counting_past_its_cap_and_open_tabs_stay_exact(
    personas, world, as_user, monkeypatch
):
    """A centre's closed referrals only grow: past the cap the tab says "over" instead of
    counting every one on each view; the open work is always counted exactly."""
    from sporskifte.referrals import selectors

    monkeypatch.setattr(selectors, "CLOSED_COUNT_CAP", 2)
    partner = world.referral_viborg.partner
    for _ in range(3):
        offer = OfferFactory(programme=world.programme_a, person=world.offer_viborg.person)
        accept(offer, personas.officer_a)
    mine = Referral.objects.filter(partner=partner)
    assert mine.count() == 4
    client = as_user(personas.counsellor_a)

    def tab(key: str) -> str:
        html = client.get(reverse("referrals:inbox")).content.decode()
        return html.split(f'data-bucket-count="{key}">')[1].split("<")[0]

    mine.filter(pk__in=list(mine.values_list("pk", flat=True)[:2])).update(status="closed")
    assert tab("closed") == "2"
    mine.update(status="closed")
    assert tab("closed") == "over 2"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        assert selectors.inbox_counts(mine, timezone.now())["closed"] == 3  # the cap, plus one
    # Sorting every closed referral to keep the first thousand cost 40 ms at 29,293.
    assert not any("ORDER BY" in q["sql"] for q in counted)
    mine.update(status="new", due_at=timezone.now() + dt.timedelta(days=5))
    assert tab("new") == "4" and tab("closed") == "0"
