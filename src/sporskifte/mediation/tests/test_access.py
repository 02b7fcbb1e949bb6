"""Who sees what of a mediation case: the role-by-object matrix, every cell.

Allowed GETs answer 200, allowed POSTs of an empty form 400 (validation fails, nothing
changes); everything else 404, exactly like a missing object. Each rule has a test that fails
without it: the coordinator's district (se_coordinator), the mediator's own cases (``mediator``
is in the district but not assigned), notes for their author alone (the coordinator reads the
page but never the note), the police view (no party names, the agreement text only under every
party's yes), proposers of other organisations (the proposal's receipt only).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from sporskifte.mediation import selectors, services
from sporskifte.mediation.models import Letter, MediatorNote
from sporskifte.mediation.tests.conftest import agreement_with_terms

PERSONAS = [
    "officer_a",
    "investigator_a",
    "admin_a",
    "officer_b",
    "counsellor_a",
    "counsellor_b",
    "ngo",
    "researcher",
    "council_member",
    "sysadmin",
    "mediation_coordinator",
    "mediator",
    "mediator2",
    "se_coordinator",
]
POLICE_A = {"officer_a", "investigator_a", "admin_a"}
CASE_WORKERS = {"mediation_coordinator", "mediator2"}

# action → (method, url name, object attribute or None, who may)
ACTIONS = {
    "case": ("get", "mediation:case_detail", "case", CASE_WORKERS),
    "case_post": ("post", "mediation:case_action", "case", CASE_WORKERS),
    "letter_pdf": ("get", "mediation:letter_download", "letter", CASE_WORKERS),
    "police_view": ("get", "mediation:police_detail", "case", POLICE_A),
    "police_list": ("get", "mediation:police_list", None, POLICE_A | {"officer_b"}),
    "queue": ("get", "mediation:queue", None, {"mediation_coordinator", "se_coordinator"}),
    "my_cases": ("get", "mediation:my_cases", None, {"mediator", "mediator2"}),
    "figures": ("get", "mediation:figures", None, {"mediation_coordinator", "se_coordinator"}),
    "figures_xlsx": (
        "get",
        "mediation:figures_xlsx",
        None,
        {"mediation_coordinator", "se_coordinator"},
    ),
    "settings": ("get", "mediation:settings", None, {"mediation_coordinator", "se_coordinator"}),
    "settings_post": (
        "post",
        "mediation:retention_save",
        None,
        {"mediation_coordinator", "se_coordinator"},
    ),
    # Their own roles (the secretariat, the prosecutor) are tested in test_national/prosecutor.
    "national": ("get", "mediation:national", None, set()),
    "prosecutor_list": ("get", "mediation:prosecutor_list", None, set()),
}


@pytest.fixture
def held(personas, world):
    """District A's case assigned to mediator2, meeting held, agreement made, a note, a letter."""
    case = agreement_with_terms(personas, world, [timezone.localdate()])
    world.note = MediatorNote.objects.create(case=case, author=world.mediator2, text="HEMMELIG")
    world.letter = Letter.objects.create(
        case=case,
        party=world.victim,
        kind="invitation",
        language="da",
        pdf=b"%PDF-1.7",
        pdf_size=8,
        pdf_sha256="0" * 64,
    )
    case.refresh_from_db()
    return world


def _user(name, personas, world):
    return (
        getattr(world, name) if name in ("mediator2", "se_coordinator") else getattr(personas, name)
    )


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_access_matrix(action, personas, held, as_user):
    method, name, attr, allowed = ACTIONS[action]
    args = [getattr(held, attr).pk] if attr else []
    if action == "case_post":
        args.append("screen")
    for persona in PERSONAS:
        client = as_user(_user(persona, personas, held))
        response = getattr(client, method)(reverse(name, args=args), {})
        if persona in allowed:
            assert response.status_code == (200 if method == "get" else 400), (persona, action)
        else:
            assert response.status_code == 404, (persona, action)


def test_the_coordinator_sees_the_case_but_never_the_note(personas, held, as_user):
    page = as_user(personas.mediation_coordinator).get(
        reverse("mediation:case_detail", args=[held.case.pk])
    )
    assert "Bente Prøvesen" in page.content.decode()
    assert "HEMMELIG" not in page.content.decode()
    assert not selectors.notes_for_user(personas.mediation_coordinator).exists()
    own = as_user(held.mediator2).get(reverse("mediation:case_detail", args=[held.case.pk]))
    assert "HEMMELIG" in own.content.decode()


def test_a_note_is_gone_from_a_mediator_no_longer_on_the_case(personas, held):
    held.case.mediator = personas.mediator
    held.case.save()
    assert not selectors.notes_for_user(held.mediator2).exists()
    assert not selectors.notes_for_user(personas.mediator).exists()  # not the author


def test_police_see_the_outcome_without_names_and_the_text_only_under_both_yes(
    personas, held, as_user
):
    url = reverse("mediation:police_detail", args=[held.case.pk])
    body = as_user(personas.officer_a).get(url).content.decode()
    # The party's full name: the officer's own (random) first name may be Bente too.
    assert "Anders betaler" not in body and "Prøvesen" not in body and "HEMMELIG" not in body
    assert "Made, terms running" in body
    services.file_yes_record(actor=held.mediator2, party=held.offender)
    assert "Anders betaler" not in as_user(personas.officer_a).get(url).content.decode()
    services.file_yes_record(actor=held.mediator2, party=held.victim)
    assert "Anders betaler 500 kr." in as_user(personas.officer_a).get(url).content.decode()


def test_a_proposer_of_another_organisation_sees_only_that_it_was_received(personas, world):
    from sporskifte.mediation.models import MediationCase

    MediationCase.objects.filter(pk=world.case.pk).update(
        proposer_organisation=personas.counsellor_a.membership.organisation
    )
    rows = list(selectors.proposals_received_for_user(personas.counsellor_a))
    assert [r.pk for r in rows] == [world.case.pk]
    assert selectors.cases_for_user(personas.counsellor_a).count() == 0
    assert not selectors.proposals_received_for_user(personas.counsellor_b).exists()


def test_missing_and_forbidden_look_the_same(personas, held, as_user):
    client = as_user(personas.officer_b)
    forbidden = client.get(reverse("mediation:police_detail", args=[held.case.pk]))
    missing = client.get(reverse("mediation:police_detail", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_every_look_at_the_case_page_names_each_party_in_the_log(personas, held, as_user):
    from sporskifte.audit.models import AuditEventItem

    as_user(personas.mediation_coordinator).get(
        reverse("mediation:case_detail", args=[held.case.pk])
    )
    people = set(
        AuditEventItem.objects.filter(event__purpose="mediation_case_page").values_list(
            "person_id", flat=True
        )
    )
    assert people == {held.offender.person_id, held.victim.person_id}
