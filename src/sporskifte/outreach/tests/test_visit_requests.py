import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.outreach import retention, services
from sporskifte.outreach.models import VisitRequest
from sporskifte.outreach.tests.conftest import sent, visit_fields
from sporskifte.testing.factories import municipality

pytestmark = pytest.mark.django_db

FORM_URL = "outreach:visit_request_new"


def _post_data(**overrides):
    fields = visit_fields()
    data = {k: v for k, v in fields.items() if k != "language"}
    data["municipality"] = municipality("Viborg").pk
    data["wished_from"] = fields["wished_from"].isoformat()
    data["wished_to"] = fields["wished_to"].isoformat()
    return data | overrides


def _link_token(message) -> str:
    line = next(line for line in message.body.splitlines() if "/bekraeft/" in line)
    return line.rstrip("/").rsplit("/", 1)[1]


def test_a_request_waits_for_the_email_confirmation(
    client, personas, unit_a, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(FORM_URL), _post_data())
    assert response.status_code == 302
    request = VisitRequest.objects.get()
    assert request.state == VisitRequest.State.UNCONFIRMED
    assert len(sent()) == 1 and sent()[0].to == ["inge@example.dk"]
    # The unit does not see it yet.
    assert b"Hald Ege" not in as_user(unit_a).get(reverse("outreach:visit_request_list")).content
    token = _link_token(sent()[0])
    confirm = reverse("outreach:visit_request_confirm", args=[token])
    assert client.get(confirm).status_code == 200
    assert VisitRequest.objects.get().state == VisitRequest.State.UNCONFIRMED  # GET changes nothing
    client.post(confirm)
    assert VisitRequest.objects.get().state == VisitRequest.State.NEW
    assert b"Hald Ege" in as_user(unit_a).get(reverse("outreach:visit_request_list")).content


def test_only_the_hash_of_the_link_is_stored(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(FORM_URL), _post_data())
    token = _link_token(sent()[0])
    assert token not in VisitRequest.objects.get().confirm_token_hash


def test_a_link_works_once(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(FORM_URL), _post_data())
    confirm = reverse("outreach:visit_request_confirm", args=[_link_token(sent()[0])])
    client.post(confirm)
    again = client.post(confirm)
    assert "cannot be used" in again.content.decode()


def test_an_old_link_confirms_nothing(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(FORM_URL), _post_data())
    VisitRequest.objects.update(submitted_at=timezone.now() - dt.timedelta(hours=49))
    client.post(reverse("outreach:visit_request_confirm", args=[_link_token(sent()[0])]))
    assert VisitRequest.objects.get().state == VisitRequest.State.UNCONFIRMED


def test_a_request_without_contact_gets_a_clear_message_and_stores_nothing(client, personas):
    response = client.post(reverse(FORM_URL), _post_data(contact_email="", contact_name=""))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert VisitRequest.objects.count() == 0 and len(sent()) == 0


def test_dates_out_of_order_or_past_are_refused(client, personas):
    today = timezone.localdate()
    client.post(reverse(FORM_URL), _post_data(wished_to=(today + dt.timedelta(days=1)).isoformat()))
    client.post(
        reverse(FORM_URL), _post_data(wished_from=(today - dt.timedelta(days=1)).isoformat())
    )
    assert VisitRequest.objects.count() == 0


def test_a_bad_phone_number_is_refused(client, personas):
    response = client.post(reverse(FORM_URL), _post_data(contact_phone="12ab"))
    assert response.status_code == 200 and VisitRequest.objects.count() == 0


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, personas):
    response = client.post(reverse(FORM_URL), _post_data(website="http://spam.example"))
    assert response.status_code == 302
    assert VisitRequest.objects.count() == 0 and len(sent()) == 0


def test_a_flood_from_one_address_is_stopped_with_a_clear_message(client, personas):
    statuses = [client.post(reverse(FORM_URL), _post_data()).status_code for _ in range(100)]
    assert statuses.count(302) == 5
    assert statuses[5:] == [429] * 95
    refused = client.post(reverse(FORM_URL), _post_data())
    assert "Too many requests" in refused.content.decode()
    assert VisitRequest.objects.count() == 5


def test_another_address_is_not_stopped_by_the_flood(client, personas):
    for _ in range(6):
        client.post(reverse(FORM_URL), _post_data())
    other = client.post(reverse(FORM_URL), _post_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_the_unit_is_told_without_personal_data(personas, django_capture_on_commit_callbacks):
    from sporskifte.organisations.models import Organisation

    Organisation.objects.filter(slug="midt-vestjylland").update(email="forebyggelse@politi.example")
    _request, token = services.visit_request_submit(
        municipality=municipality("Viborg"), confirm_url="https://x/{token}", **visit_fields()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_request_confirm(
            token=token, unit_link="https://sporskifte/forebyggelse/besoeg/"
        )
    notice = sent()[-1]
    assert notice.to == ["forebyggelse@politi.example"]
    assert "Inge Skov" not in notice.body and "inge@example.dk" not in notice.body


def test_the_request_goes_to_the_district_of_its_municipality(
    personas, unit_a, unit_b, as_user, confirmed_request
):
    assert confirmed_request.district.slug == "midt-vestjylland"
    url = reverse("outreach:visit_request_detail", args=[confirmed_request.pk])
    assert as_user(unit_a).get(url).status_code == 200
    assert as_user(unit_b).get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "officer_b",
        "counsellor_a",
        "counsellor_b",
        "researcher",
        "council_member",
        "sysadmin",
        "ngo",
    ],
)
def test_nobody_outside_the_unit_sees_a_request(personas, as_user, name, confirmed_request):
    client = as_user(getattr(personas, name))
    assert (
        client.get(
            reverse("outreach:visit_request_detail", args=[confirmed_request.pk])
        ).status_code
        == 404
    )
    assert b"Hald Ege" not in client.get(reverse("outreach:visit_request_list")).content


def test_an_officer_sees_only_the_requests_assigned_to_them(
    personas, unit_a, as_user, confirmed_request
):
    url = reverse("outreach:visit_request_detail", args=[confirmed_request.pk])
    assert as_user(personas.officer_a).get(url).status_code == 404
    services.visit_request_assign(
        actor=unit_a, request=confirmed_request, officer=personas.officer_a
    )
    assert as_user(personas.officer_a).get(url).status_code == 200
    assert as_user(personas.investigator_a).get(url).status_code == 404


def test_only_the_unit_assigns(personas, unit_a, as_user, confirmed_request):
    services.visit_request_assign(
        actor=unit_a, request=confirmed_request, officer=personas.officer_a
    )
    response = as_user(personas.officer_a).post(
        reverse("outreach:visit_request_assign", args=[confirmed_request.pk]),
        {"officer": personas.officer_a.pk},
    )
    assert response.status_code == 404


def test_a_proposed_time_is_mailed_to_the_sender_in_their_language(
    personas, unit_a, django_capture_on_commit_callbacks
):
    request, token = services.visit_request_submit(
        municipality=municipality("Viborg"),
        confirm_url="https://x/{token}",
        **visit_fields(language="en"),
    )
    services.visit_request_confirm(token=token, unit_link="https://x/")
    services.visit_request_assign(actor=unit_a, request=request, officer=personas.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_request_propose_time(
            actor=unit_a, request=request, when=timezone.now() + dt.timedelta(days=3), note=""
        )
    assert sent()[-1].subject == "A time for the police visit"


def test_a_time_in_the_past_or_before_an_officer_is_refused(personas, unit_a, confirmed_request):
    with pytest.raises(ValidationError):
        services.visit_request_propose_time(
            actor=unit_a,
            request=confirmed_request,
            when=timezone.now() + dt.timedelta(days=1),
            note="",
        )
    services.visit_request_assign(
        actor=unit_a, request=confirmed_request, officer=personas.officer_a
    )
    with pytest.raises(ValidationError):
        services.visit_request_propose_time(
            actor=unit_a,
            request=confirmed_request,
            when=timezone.now() - dt.timedelta(hours=1),
            note="",
        )


def test_declining_needs_a_reason_and_a_closed_request_stays_closed(
    personas, unit_a, confirmed_request
):
    with pytest.raises(ValidationError):
        services.visit_request_close(actor=unit_a, request=confirmed_request, held=False, reason="")
    services.visit_request_close(actor=unit_a, request=confirmed_request, held=True, reason="")
    with pytest.raises(ValidationError):
        services.visit_request_assign(
            actor=unit_a, request=confirmed_request, officer=personas.officer_a
        )


def test_the_list_is_one_audit_row_and_the_page_another(
    personas, unit_a, as_user, confirmed_request
):
    client = as_user(unit_a)
    client.get(reverse("outreach:visit_request_list"))
    client.get(reverse("outreach:visit_request_detail", args=[confirmed_request.pk]))
    events = AuditEvent.objects.filter(actor=unit_a).order_by("pk")
    purposes = list(events.values_list("purpose", flat=True))
    assert purposes == ["visit_request_list", "visit_request_page"]


def test_the_list_reads_a_constant_number_of_queries(
    personas, unit_a, as_user, django_assert_max_num_queries
):
    client = as_user(unit_a)
    client.get(reverse("outreach:visit_request_list"))
    for i in range(6):
        request, token = services.visit_request_submit(
            municipality=municipality("Herning"),
            confirm_url="https://x/{token}",
            **visit_fields(contact_email=f"k{i}@example.dk"),
        )
        services.visit_request_confirm(token=token, unit_link="https://x/")
        services.visit_request_assign(actor=unit_a, request=request, officer=personas.officer_a)
    with django_assert_max_num_queries(16):
        client.get(reverse("outreach:visit_request_list"))


def test_figures_count_per_municipality_and_topic(personas, unit_a, as_user, confirmed_request):
    services.visit_request_close(actor=unit_a, request=confirmed_request, held=True, reason="")
    page = as_user(unit_a).get(reverse("outreach:visit_request_figures"))
    assert page.status_code == 200
    assert [dict(r) for r in page.context["rows"]] == [
        {
            "municipality__name": "Viborg",
            "topic": "traffic",
            "requests": 1,
            "held": 1,
            "topic_label": "Traffic and speeding",
        }
    ]


def test_retention_deletes_unconfirmed_and_erases_old_contacts(personas, unit_a, confirmed_request):
    stale, _ = services.visit_request_submit(
        municipality=municipality("Viborg"), confirm_url="https://x/{token}", **visit_fields()
    )
    VisitRequest.objects.filter(pk=stale.pk).update(
        submitted_at=timezone.now() - dt.timedelta(hours=49)
    )
    services.visit_request_close(actor=unit_a, request=confirmed_request, held=True, reason="")
    VisitRequest.objects.filter(pk=confirmed_request.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=366)
    )
    assert retention.visit_requests_erase_expired() == (1, 1)
    kept = VisitRequest.objects.get()
    assert (kept.contact_name, kept.contact_email, kept.message) == ("", "", "")
    assert kept.topic == "traffic" and kept.erased_at is not None
    assert AuditEvent.objects.filter(purpose="visit_request_retention_ended").count() == 1
    assert retention.visit_requests_erase_expired() == (0, 0)
