import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.concerns import services
from sporskifte.concerns.letters import LetterContent, content_from_json
from sporskifte.concerns.models import CustodyHolder, Letter
from sporskifte.concerns.pdf import LetterResourceRefused, letter_render, render_html
from sporskifte.concerns.tasks import render_letter
from sporskifte.concerns.tests.conftest import add_parents, letter_fields, open_case
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db


def _content(**overrides) -> LetterContent:
    import datetime as dt

    fields = {
        "child_name": "Emil Østergård Åberg",
        "child_birth_date": dt.date(2010, 5, 4),
        "recipients": ["Anne Åberg", "Søren Østergård"],
        "address": "Østergade 12",
        "postal_code": "7500",
        "city": "Holstebro",
        "observation": "Vi så Emil ved caféen <script>alert(1)</script> sent om aftenen.",
        "contact_name": "Mette Kjærgaard",
        "contact_phone": "114",
        "contact_email": "",
        "offer_conversation": True,
        "officer_name": "Mette Kjærgaard",
        "officer_title": "Forebyggelsesbetjent",
        "unit_name": "Forebyggelse",
        "district_name": "Midt- og Vestjyllands Politi",
        "reference": "Bekymringssag 1",
        "date": dt.date(2026, 3, 2),
    }
    fields.update(overrides)
    return LetterContent(**fields)


def test_the_letter_is_a_real_pdf_with_the_childs_name_in_danish():
    rendered = letter_render(_content())
    assert rendered.pdf.startswith(b"%PDF-") and rendered.pdf.rstrip().endswith(b"%%EOF")
    text = rendered.text()
    assert "Emil Østergård Åberg" in text
    assert "Kære Anne Åberg og Søren Østergård" in text
    assert "4. maj 2010" in text and "2. marts 2026" in text  # Danish dates
    assert "Vi tilbyder en samtale" in text
    assert "Midt- og Vestjyllands Politi" in text
    # The officer's text is escaped: it shows as text, it does not become markup.
    assert "<script>alert(1)</script>" in text


def test_the_offer_of_a_conversation_can_be_left_out():
    assert "Vi tilbyder en samtale" not in letter_render(_content(offer_conversation=False)).text()


@pytest.mark.parametrize(
    "url",
    [
        "https://fonts.example.com/font.css",
        "http://127.0.0.1:8000/static/x.css",
        "file:///etc/passwd",
        "letter.css/../../../../templates/concerns/letter/letter.html",
        "data:text/css,p{color:red}",
    ],
)
def test_the_letter_may_not_load_anything_but_its_own_stylesheet(url):
    html = f'<html><head><link rel="stylesheet" href="{url}"></head><body><p>x</p></body></html>'
    with pytest.raises(LetterResourceRefused):
        render_html(html)


def test_the_letters_own_stylesheet_is_applied():
    # The stylesheet sets A4 with a 25 mm left margin; without it WeasyPrint's default is 75 px.
    page = letter_render(_content()).document.pages[0]
    assert round(page.width * 25.4 / 96) == 210
    assert round(page._page_box.margin_left * 25.4 / 96) == 25


def test_generating_stores_the_pdf_with_the_case_and_audits_it(personas, world):
    letter = Letter.objects.get(pk=world.letter_a.pk)
    assert bytes(letter.pdf).startswith(b"%PDF-")
    assert letter.pdf_size == len(bytes(letter.pdf))
    row = AuditEvent.objects.get(object_type="concern_letter", action=AuditEvent.Action.CREATE)
    assert row.person_id == world.case_a.person_id
    assert row.object_id == str(letter.pk) and row.actor == personas.officer_a


def test_download_returns_the_stored_pdf_and_is_audited_each_time(personas, world, as_user):
    client = as_user(personas.investigator_a)
    url = reverse("concerns:letter_download", args=[world.letter_a.pk])
    first, second = client.get(url), client.get(url)
    stored = bytes(Letter.objects.get(pk=world.letter_a.pk).pdf)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content == stored == second.content
    assert "attachment" in first["Content-Disposition"]
    assert world.case_a.person.full_name not in first["Content-Disposition"]
    assert first["Cache-Control"] == "no-store"
    rows = AuditEvent.objects.filter(
        object_type="concern_letter", action=AuditEvent.Action.EXPORT, actor=personas.investigator_a
    )
    assert rows.count() == 2
    assert set(rows.values_list("person_id", flat=True)) == {world.case_a.person_id}


def test_letter_through_the_form(personas, world, as_user):
    response = as_user(personas.officer_a).post(
        reverse("concerns:letter_new", args=[world.case_a.pk]),
        {
            "recipients": [world.parents_a[0].pk],
            "observation": "Vi så Emil ved caféen.",
            "contact_name": "Mette Kjærgaard",
            "contact_phone": "114",
            "offer_conversation": "on",
        },
    )
    assert response.status_code == 302
    assert world.case_a.letters.count() == 2


def test_recipients_at_different_addresses_get_a_message(personas):
    case = open_case(personas.officer_a)
    mother, father = add_parents(personas.officer_a, case)
    father.address = "Vestergade 3"
    father.save()
    with pytest.raises(ValidationError) as exc:
        services.letter_generate(
            actor=personas.officer_a, case=case, recipients=[mother, father], **letter_fields()
        )
    assert "different addresses" in exc.value.message_dict["recipients"][0]
    assert not Letter.objects.exists()


def test_a_recipient_without_address_gets_a_message(personas):
    case = open_case(personas.officer_a)
    holder = services.custody_holder_add(
        actor=personas.officer_a, case=case, full_name="Anne", relation="mother"
    )
    with pytest.raises(ValidationError) as exc:
        services.letter_generate(
            actor=personas.officer_a, case=case, recipients=[holder], **letter_fields()
        )
    assert "no address" in exc.value.message_dict["recipients"][0]


def test_no_letter_to_the_parents_once_the_young_person_is_18(personas, world):
    person = world.case_a.person
    person.birth_date = person.birth_date.replace(year=person.birth_date.year - 4)
    person.save()
    with pytest.raises(ValidationError) as exc:
        services.letter_generate(
            actor=personas.officer_a,
            case=world.case_a,
            recipients=world.parents_a,
            **letter_fields(),
        )
    assert "under 18" in exc.value.message_dict["recipients"][0]
    assert world.case_a.letters.count() == 1


def test_a_swedish_districts_letter_is_swedish_with_swedish_police_contacts():
    text = letter_render(
        _content(
            country="SE",
            recipients=["Anna Berg", "Per Lind"],
            contact_phone="114 14",
            district_name="Polisregion Stockholm",
            unit_name="Länsnarkotikaroteln",
            child_name="Lars Berg",
            observation="Vi såg Lars vid tunnelbanan sent på kvällen.",
        )
    ).text()
    assert "Hej Anna Berg och Per Lind!" in text
    assert "Vi är oroliga för Lars" in text and "i Lars liv" in text
    assert "Telefon: 114 14" in text and "polisen.se" in text
    assert "4 maj 2010" in text and "2 mars 2026" in text  # Swedish dates
    assert "Vi erbjuder ett samtal" in text
    for danish in ("Kære", "politi.dk", "SSP-medarbejdere", "Med venlig hilsen", " og "):
        assert danish not in text


def test_the_danish_letter_has_no_swedish_contacts():
    text = letter_render(_content()).text()
    assert "politi.dk" in text and "polisen.se" not in text and "Hej " not in text


def test_a_swedish_officer_generates_a_swedish_letter(personas):
    from sporskifte.accounts.models import Role
    from sporskifte.concerns.pdf import letter_render as render
    from sporskifte.testing.factories import district, member

    officer = member("polis", district("polisregion-stockholm-narkotikarotel"), Role.OFFICER)
    case = open_case(officer, "polisregion-stockholm")
    holders = add_parents(officer, case)[:1]
    content = services._letter_content(
        actor=officer, case=case, recipients=holders, fields=letter_fields()
    )
    assert content.country == "SE" and content.reference.startswith("Orosärende")
    text = render(content).text()
    assert "Vi är oroliga för" in text and "Kære" not in text


def test_the_letter_form_suggests_the_countrys_police_number(personas, as_user):
    from sporskifte.accounts.models import Role
    from sporskifte.testing.factories import district, member

    officer = member("polis", district("polisregion-stockholm-narkotikarotel"), Role.OFFICER)
    case = open_case(officer, "polisregion-stockholm")
    form = as_user(officer).get(reverse("concerns:letter_new", args=[case.pk])).context["form"]
    assert form.initial["contact_phone"] == "114 14"


def test_the_pdf_is_rendered_by_a_job_and_the_page_shows_it_being_prepared(
    personas, world, as_user
):
    client = as_user(personas.officer_a)
    letter = services.letter_generate(
        actor=personas.officer_a, case=world.case_a, recipients=world.parents_a, **letter_fields()
    )
    assert not Letter.objects.get(pk=letter.pk).rendered  # nothing laid out in the request
    page = client.get(reverse("concerns:case_detail", args=[world.case_a.pk]))
    assert f'data-letter-pending="{letter.pk}"'.encode() in page.content
    status_url = reverse("concerns:letter_status", args=[letter.pk])
    assert b"data-letter-pending" in client.get(status_url).content
    download = reverse("concerns:letter_download", args=[letter.pk])
    assert client.get(download)["Location"] == reverse(
        "concerns:case_detail", args=[world.case_a.pk]
    )

    run_queued_jobs()
    cell = client.get(status_url).content
    assert f'data-letter="{letter.pk}"'.encode() in cell and b"data-letter-pending" not in cell
    assert client.get(download).content.startswith(b"%PDF-")


def test_a_letter_rendered_twice_keeps_its_first_pdf(personas, world):
    first = bytes(Letter.objects.get(pk=world.letter_a.pk).pdf)
    render_letter.call(letter_id=world.letter_a.pk)
    assert bytes(Letter.objects.get(pk=world.letter_a.pk).pdf) == first


def test_the_pdf_says_what_the_officer_wrote_even_if_the_address_changed_before_the_job(
    personas, world
):
    letter = services.letter_generate(
        actor=personas.officer_a, case=world.case_a, recipients=world.parents_a, **letter_fields()
    )
    address = world.parents_a[0].address
    CustodyHolder.objects.filter(pk__in=[p.pk for p in world.parents_a]).update(
        address="Flyttet 99"
    )
    run_queued_jobs()
    text = letter_render(content_from_json(Letter.objects.get(pk=letter.pk).content)).text()
    assert address in text and "Flyttet 99" not in text


def test_other_district_cannot_see_a_letters_status(personas, world, as_user):
    url = reverse("concerns:letter_status", args=[world.letter_a.pk])
    assert as_user(personas.officer_b).get(url).status_code == 404
    assert as_user(personas.officer_a).get(url).status_code == 200
