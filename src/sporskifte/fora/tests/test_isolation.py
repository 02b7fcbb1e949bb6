"""What a forum receives stays in the forum and never reaches an investigation (retsplejeloven
§ 115): no link between forum records and the referral programme's people, offers or cases; no
address outside /fora/ serves forum data; the referral and case pages and the API show none of
it, even to a user who sits in the forum; only members export, inside the forum; and the pages
where a member might be tempted say so."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.fora.frame import WARNING
from sporskifte.fora.tests.conftest import SSP_PERSON, SSP_SECRET
from sporskifte.people.models import Person
from sporskifte.referrals import services as referral_services
from sporskifte.referrals.models import Consent, Offer
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.testing.factories import CaseFactory, OfferFactory, ProgrammeFactory

INVESTIGATION_APPS = {"people", "referrals", "api", "insights", "research"}


def test_no_relation_joins_forum_records_with_investigation_data():
    fora = set(apps.get_app_config("fora").get_models())
    for model in apps.get_models():
        for field in model._meta.get_fields():
            target = field.related_model
            if target is None:
                continue
            app = model._meta.app_label
            if model in fora:
                assert target._meta.app_label not in INVESTIGATION_APPS, (model, field.name)
            elif app in INVESTIGATION_APPS:
                assert target not in fora, (model, field.name)


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_forum_views_are_served_only_under_fora():
    served = [
        (route, cb.__module__)
        for route, cb in _patterns(get_resolver())
        if cb.__module__.startswith("sporskifte.fora")
    ]
    assert served, "the fora app serves nothing?"
    assert all(route.startswith("fora/") for route, _ in served), served


@pytest.fixture
def same_name_suspect(personas, world):
    """The forum's person is also a suspect in a police case, under the same name."""
    programme = ProgrammeFactory()
    case = CaseFactory(programme=programme)
    offer = OfferFactory(programme=programme, case=case, person__full_name=SSP_PERSON)
    referral_services.offer_answer(
        actor=personas.officer_a,
        offer=offer,
        answer=Offer.Answer.YES,
        consent_method=Consent.Method.SIGNED,
        consent_text=consent_text_current(programme),
    )
    return offer


def test_referral_and_case_pages_show_no_forum_data(personas, world, same_name_suspect, as_user):
    officer = as_user(personas.officer_a)  # a member of the SSP forum, too
    offer = same_name_suspect
    pages = [
        reverse("referrals:overview"),
        reverse("referrals:overview") + f"?q={SSP_PERSON}",
        reverse("referrals:offer_detail", args=[offer.pk]),
        reverse("referrals:case_list"),
        reverse("referrals:case_detail", args=[offer.case_id]),
    ]
    for url in pages:
        body = officer.get(url).content.decode()
        assert SSP_SECRET not in body and world.ssp.name not in body, url
        assert reverse("fora:person_detail", args=[world.ssp_person.pk]) not in body, url
        assert "/fora/personer/" not in body, url


def test_api_shows_no_forum_data(personas, world, same_name_suspect):
    from sporskifte.api.tests.conftest import client_for, issue_token

    api = client_for(issue_token("midt-vestjylland", "officer"))
    for url in (
        f"/api/v1/offers/{same_name_suspect.pk}/",
        f"/api/v1/cases/{same_name_suspect.case_id}/",
        "/api/v1/referrals/",
    ):
        response = api.get(url)
        assert response.status_code in {200, 404, 405}, url
        body = response.content.decode()
        assert SSP_SECRET not in body and world.ssp.name not in body, url
    schema = api.get("/api/v1/schema/").content.decode().lower()
    assert "forum" not in schema and "fora" not in schema


def test_forum_person_is_not_a_referral_person(world):
    assert not Person.objects.filter(full_name=world.ssp_person.full_name).exists()


def test_only_members_export_and_every_export_is_logged(personas, world, as_user):
    url = reverse("fora:person_export", args=[world.ssp_person.pk])
    for outsider in (personas.investigator_a, personas.admin_a, personas.counsellor_a):
        assert as_user(outsider).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()

    response = as_user(world.school).get(url)
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert body.startswith(str(WARNING)) and SSP_SECRET in body
    row = AuditEvent.objects.get(action="export", object_type="forum_person")
    assert (row.object_id, row.actor, row.person_id) == (
        str(world.ssp_person.pk),
        world.school,
        None,
    )


@pytest.mark.parametrize(
    ("name", "attr", "who"),
    [
        ("fora:person_detail", "ssp_person", "school"),
        ("fora:person_new", "ssp", "school"),
        ("fora:forum_detail", "ssp", "school"),
        ("fora:meeting_detail", "ssp_meeting", "school"),
        ("fora:person_escalate", "psp_person", "nurse"),
    ],
)
def test_pages_with_persons_warn_against_investigative_use(name, attr, who, world, as_user):
    response = as_user(getattr(world, who)).get(reverse(name, args=[getattr(world, attr).pk]))
    assert response.status_code == 200
    assert str(WARNING) in response.content.decode()
