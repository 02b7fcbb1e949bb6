import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.concerns import services
from sporskifte.concerns.tests.conftest import add_parents, conversation_fields, open_case
from sporskifte.testing.audit import persons_looked_at

pytestmark = pytest.mark.django_db


def _cases(officer, n):
    for i in range(n):
        case = open_case(officer, name=f"Ung Nummer{i}")
        parents = add_parents(officer, case)
        services.conversation_record(
            actor=officer, case=case, custody_holders=parents, **conversation_fields()
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


def test_list_uses_the_same_number_of_queries_for_3_and_30_cases(personas, as_user):
    client = as_user(personas.officer_a)
    url = reverse("concerns:case_list")
    client.get(url)  # warm the session
    _cases(personas.officer_a, 3)
    few, _ = _count(client, url)
    _cases(personas.officer_a, 27)
    many, response = _count(client, url)
    assert many == few
    assert response.content.decode().count("data-case=") == 30


def test_list_logs_a_look_per_young_person_shown(personas, world, as_user):
    as_user(personas.officer_a).get(reverse("concerns:case_list"))
    looks = AuditEvent.objects.filter(
        purpose=AuditEvent.Purpose.WORRY_CASE_LIST, actor=personas.officer_a
    )
    assert persons_looked_at(looks) == [world.case_a.person_id]


def test_list_shows_only_the_own_districts_cases(personas, world, as_user):
    html = as_user(personas.officer_b).get(reverse("concerns:case_list")).content.decode()
    assert world.case_b.person.full_name in html
    assert world.case_a.person.full_name not in html


def test_case_page_queries_do_not_grow_with_conversations_and_letters(personas, world, as_user):
    client = as_user(personas.officer_a)
    url = reverse("concerns:case_detail", args=[world.case_a.pk])
    client.get(url)
    few, _ = _count(client, url)
    for _ in range(4):
        services.conversation_record(
            actor=personas.officer_a,
            case=world.case_a,
            custody_holders=world.parents_a,
            **conversation_fields(),
        )
    from sporskifte.concerns.models import Letter

    Letter.objects.create(
        case=world.case_a,
        observation="x",
        contact_name="x",
        contact_phone="114",
        pdf=b"%PDF-",
        pdf_size=5,
        pdf_sha256="0" * 64,
    ).recipients.set(world.parents_a)
    many, response = _count(client, url)
    assert many == few
    assert response.content.decode().count("data-conversation=") == 5


def test_case_page_does_not_load_the_pdf_bytes(personas, world, as_user):
    client = as_user(personas.officer_a)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("concerns:case_detail", args=[world.case_a.pk]))
    letter_queries = [q["sql"] for q in ctx if 'FROM "concerns_letter"' in q["sql"]]
    assert letter_queries and all('"concerns_letter"."pdf"' not in q for q in letter_queries)


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("officer_a", True), ("investigator_a", True), ("counsellor_a", False), ("sysadmin", False)],
)
def test_menu_entry_for_police_only(persona, shown, personas, as_user):
    response = as_user(getattr(personas, persona)).get(reverse("core:privacy"))
    assert response.status_code == 200
    assert (f'href="{reverse("concerns:case_list")}"' in response.content.decode()) is shown


def test_pages_have_no_inline_script_or_style(personas, world, as_user):
    client = as_user(personas.officer_a)
    for url in (
        reverse("concerns:case_list"),
        reverse("concerns:case_new"),
        reverse("concerns:case_detail", args=[world.case_a.pk]),
        reverse("concerns:conversation_new", args=[world.case_a.pk]),
        reverse("concerns:letter_new", args=[world.case_a.pk]),
        reverse("concerns:custody_holder_new", args=[world.case_a.pk]),
    ):
        html = client.get(url).content.decode()
        assert "style=" not in html and "<script>" not in html and " onclick=" not in html
