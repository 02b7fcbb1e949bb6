"""The Swedish prosecutor (åklagare) learns whether the offender took part in medling, and
nothing else: no party's name, no note, no place; the agreement only under every party's yes
to it going into the case file, as for the police. Each rule has a test that fails without it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.audit.models import AuditEvent
from sporskifte.mediation import selectors, services
from sporskifte.mediation.models import Agreement, MediatorNote, Meeting, Party, State
from sporskifte.mediation.tests.test_services import NOW
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member

pytestmark = pytest.mark.django_db


def _office(slug, country, parent, kind=Organisation.Kind.PROSECUTION):
    return Organisation.objects.create(
        name=f"Åklagarkammaren {slug}", slug=slug, kind=kind, country=country, parent=parent
    )


@pytest.fixture
def prosecutor():
    office = _office("ak-stockholm", "SE", district("polisregion-stockholm"))
    return member("aklagare", office, Role.PROSECUTOR)


@pytest.fixture
def se_cases(personas, world):
    """Stockholm: one case where the offender attended the held meeting and every party said
    yes to the agreement in the case file; one withdrawn before any meeting; one just proposed."""
    held = world.se_case
    meeting = Meeting.objects.create(
        case=held, kind="mediation", place="Medborgarhuset Provgatan", starts_at=NOW(),
        status=Meeting.Status.HELD,
    )  # fmt: skip
    meeting.attendees.set([world.se_offender, world.se_victim])
    Agreement.objects.create(case=held, text="Olle städar butiken.", made_on=timezone.localdate())
    Party.objects.filter(case=held).update(file_yes_at=NOW())
    MediatorNote.objects.create(case=held, author=world.se_coordinator, text="HEMLIG ANTECKNING")
    withdrawn = services.proposal_create(
        actor=world.se_coordinator,
        district=held.district,
        offence=held.offence,
        offence_date=held.offence_date,
        source="social_services",
        parties=[services.PartyInput(role="victim", organisation_name="Pressbyrån Provtorget")],
    )
    withdrawn.state = State.WITHDRAWN
    withdrawn.save()
    proposed = services.proposal_create(
        actor=world.se_coordinator,
        district=held.district,
        offence=held.offence,
        offence_date=held.offence_date,
        source="social_services",
    )
    return {"held": held, "withdrawn": withdrawn, "proposed": proposed}


def test_the_prosecutor_learns_whether_the_offender_took_part(prosecutor, se_cases):
    got = {c.pk: selectors.took_part(c) for c in selectors.prosecutor_cases_for_user(prosecutor)}
    assert got == {
        se_cases["held"].pk: "yes",
        se_cases["withdrawn"].pk: "no",
        se_cases["proposed"].pk: "not_yet",
    }


def test_a_meeting_without_the_offender_is_not_taking_part(prosecutor, world, se_cases):
    Meeting.objects.get(case=se_cases["held"]).attendees.set([world.se_victim])
    [case] = [
        c for c in selectors.prosecutor_cases_for_user(prosecutor) if c.pk == se_cases["held"].pk
    ]
    assert selectors.took_part(case) == "not_yet"


def test_the_page_names_no_party_note_or_place(prosecutor, world, se_cases, as_user):
    Party.objects.filter(pk=world.se_victim.pk).update(file_yes_at=None)  # the text names Olle
    response = as_user(prosecutor).get(reverse("mediation:prosecutor_list"))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in ("Olle", "Provsson", "Ica Nära", "Pressbyrån", "HEMLIG", "Medborgarhuset"):
        assert secret not in html


def test_the_agreement_shows_only_under_every_partys_yes(prosecutor, world, se_cases, as_user):
    client = as_user(prosecutor)
    url = reverse("mediation:prosecutor_list")
    assert "Olle städar butiken." in client.get(url).content.decode()
    Party.objects.filter(pk=world.se_victim.pk).update(file_yes_at=None)
    assert "städar" not in client.get(url).content.decode()


def test_the_prosecutor_sees_only_their_own_region(prosecutor, personas, world, se_cases):
    seen = set(selectors.prosecutor_cases_for_user(prosecutor).values_list("pk", flat=True))
    assert world.case.pk not in seen  # Midt- og Vestjylland's konfliktråd
    other = member(
        "aklagare-syd", _office("ak-syd", "SE", district("sydoestjylland")), Role.PROSECUTOR
    )
    assert not selectors.prosecutor_cases_for_user(other).filter(pk__in=seen).exists()


def test_prosecution_is_swedish_only(world, se_cases, as_user):
    danish = member(
        "anklager", _office("ak-dk", "DK", district("polisregion-stockholm")), Role.PROSECUTOR
    )
    assert as_user(danish).get(reverse("mediation:prosecutor_list")).status_code == 404


def test_the_role_needs_a_prosecution_office(world, se_cases, as_user):
    elsewhere = member(
        "fake-aklagare",
        _office("ak-ngo", "SE", district("polisregion-stockholm"), Organisation.Kind.NGO),
        Role.PROSECUTOR,
    )
    assert as_user(elsewhere).get(reverse("mediation:prosecutor_list")).status_code == 404


@pytest.mark.parametrize(
    "name", ["officer_a", "admin_a", "mediation_coordinator", "mediator", "ngo", "researcher"]
)
def test_no_one_else_opens_the_prosecutors_page(name, personas, se_cases, as_user):
    client = as_user(getattr(personas, name))
    assert client.get(reverse("mediation:prosecutor_list")).status_code == 404


def test_the_prosecutor_opens_no_case_page_nor_police_view(prosecutor, se_cases, as_user):
    client = as_user(prosecutor)
    pk = se_cases["held"].pk
    assert client.get(reverse("mediation:case_detail", args=[pk])).status_code == 404
    assert client.get(reverse("mediation:police_detail", args=[pk])).status_code == 404
    assert client.get(reverse("mediation:queue")).status_code == 404


def test_the_list_is_logged_as_a_look(prosecutor, se_cases, as_user):
    as_user(prosecutor).get(reverse("mediation:prosecutor_list"))
    [row] = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.MEDIATION_PROSECUTOR_LIST)
    assert row.actor == prosecutor
    assert set(row.detail["cases"]) == {c.pk for c in se_cases.values()}


def test_the_list_takes_a_fixed_number_of_queries(
    prosecutor, se_cases, as_user, django_assert_max_num_queries
):
    client = as_user(prosecutor)
    client.get(reverse("mediation:prosecutor_list"))
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("mediation:prosecutor_list"))
    for _ in range(5):
        services.proposal_create(
            actor=se_cases["held"].proposed_by,
            district=se_cases["held"].district,
            offence=se_cases["held"].offence,
            offence_date=se_cases["held"].offence_date - dt.timedelta(days=1),
            source="social_services",
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("mediation:prosecutor_list"))
