import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.outreach import services
from sporskifte.outreach.models import PublicWarning, PublicWarningVersion
from sporskifte.testing.factories import district

pytestmark = pytest.mark.django_db


def _warning(actor, **overrides):
    today = timezone.localdate()
    fields = {
        "district": district("midt-vestjylland"),
        "title": "Falsk webshop",
        "body": "Betal ikke forud.",
        "area": "Herning",
        "starts_on": today - dt.timedelta(days=1),
        "ends_on": today + dt.timedelta(days=30),
        "links": ["https://www.forbrug.dk/"],
    }
    return services.warning_create(actor=actor, **(fields | overrides))


def _change(actor, warning, **overrides):
    fields = {
        f: getattr(warning, f) for f in ("title", "body", "area", "starts_on", "ends_on", "links")
    }
    return services.warning_change(actor=actor, warning=warning, **(fields | overrides))


def test_a_draft_is_not_public_until_published(unit_a, client):
    warning = _warning(unit_a)
    page = client.get(reverse("outreach:public_warnings", args=["midt-vestjylland"]))
    assert "Falsk webshop" not in page.content.decode()
    services.warning_publish(actor=unit_a, warning=warning)
    page = client.get(reverse("outreach:public_warnings", args=["midt-vestjylland"]))
    assert page.status_code == 200 and "Falsk webshop" in page.content.decode()


def test_a_change_shows_only_once_published_as_a_new_version(unit_a, client):
    warning = _warning(unit_a)
    services.warning_publish(actor=unit_a, warning=warning)
    _change(unit_a, warning, title="Falsk webshop igen")
    url = reverse("outreach:public_warnings", args=["midt-vestjylland"])
    assert "Falsk webshop igen" not in client.get(url).content.decode()
    version = services.warning_publish(actor=unit_a, warning=warning)
    assert version.number == 2
    body = client.get(url).content.decode()
    assert "Falsk webshop igen" in body and body.count("data-warning") == 1


def test_publishing_nothing_new_is_refused(unit_a):
    warning = _warning(unit_a)
    services.warning_publish(actor=unit_a, warning=warning)
    with pytest.raises(ValidationError):
        services.warning_publish(actor=unit_a, warning=warning)
    assert PublicWarningVersion.objects.count() == 1


@pytest.mark.parametrize("field", ["title", "body", "area"])
def test_a_script_tag_is_refused_and_changes_nothing(unit_a, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        _warning(unit_a, **{field: "Se her <script>alert(1)</script>"})
    assert field in exc.value.message_dict
    assert PublicWarning.objects.count() == 0 and AuditEvent.objects.count() == before


def test_the_form_shows_the_script_refusal_in_danish(unit_a, as_user, settings):
    client = as_user(unit_a)
    response = client.post(
        reverse("outreach:warning_new"),
        {"title": "<script>x</script>", "body": "tekst", "starts_on": "2026-12-01"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == 200
    assert "HTML" in response.content.decode()
    assert PublicWarning.objects.count() == 0


def test_a_link_that_is_not_https_is_refused(unit_a, as_user):
    client = as_user(unit_a)
    response = client.post(
        reverse("outreach:warning_new"),
        {"title": "T", "body": "B", "starts_on": "2026-12-01", "links": "javascript:alert(1)"},
    )
    assert response.status_code == 200 and PublicWarning.objects.count() == 0


def test_an_end_before_the_start_is_refused(unit_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        _warning(unit_a, starts_on=today, ends_on=today - dt.timedelta(days=1))


def test_a_withdrawn_warning_leaves_the_page_and_says_so_in_the_feed(unit_a, client):
    warning = _warning(unit_a)
    services.warning_publish(actor=unit_a, warning=warning)
    services.warning_withdraw(actor=unit_a, warning=warning, reason="Sagen er opklaret")
    page = client.get(reverse("outreach:public_warnings", args=["midt-vestjylland"]))
    assert "Falsk webshop" not in page.content.decode()
    feed = client.get(reverse("outreach:warning_feed", args=["midt-vestjylland"]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "Withdrawn: Falsk webshop" in text and "Sagen er opklaret" in text


def test_withdrawing_needs_a_reason_and_a_published_warning(unit_a):
    warning = _warning(unit_a)
    with pytest.raises(ValidationError):
        services.warning_withdraw(actor=unit_a, warning=warning, reason="x")
    services.warning_publish(actor=unit_a, warning=warning)
    with pytest.raises(ValidationError):
        services.warning_withdraw(actor=unit_a, warning=warning, reason="  ")


def test_a_warning_outside_its_period_is_not_shown(unit_a, client):
    today = timezone.localdate()
    warning = _warning(
        unit_a, starts_on=today - dt.timedelta(days=10), ends_on=today - dt.timedelta(days=1)
    )
    services.warning_publish(actor=unit_a, warning=warning)
    page = client.get(reverse("outreach:public_warnings", args=["midt-vestjylland"]))
    assert "Falsk webshop" not in page.content.decode()


def test_the_feed_reads_a_constant_number_of_queries(unit_a, client, django_assert_max_num_queries):
    for i in range(5):
        w = _warning(unit_a, title=f"Advarsel {i}")
        services.warning_publish(actor=unit_a, warning=w)
    with django_assert_max_num_queries(4):
        client.get(reverse("outreach:warning_feed", args=["midt-vestjylland"]))


def test_every_step_of_a_warning_is_audited(unit_a):
    warning = _warning(unit_a)
    services.warning_publish(actor=unit_a, warning=warning)
    services.warning_withdraw(actor=unit_a, warning=warning, reason="Opklaret")
    purposes = list(
        AuditEvent.objects.filter(object_type="public_warning", object_id=str(warning.pk))
        .order_by("pk")
        .values_list("purpose", flat=True)
    )
    assert purposes == ["warning_created", "warning_published", "warning_withdrawn"]


def test_the_unit_of_another_district_cannot_see_the_warning(unit_a, unit_b, as_user):
    warning = _warning(unit_a)
    assert (
        as_user(unit_b).get(reverse("outreach:warning_detail", args=[warning.pk])).status_code
        == 404
    )
    assert (
        as_user(unit_a).get(reverse("outreach:warning_detail", args=[warning.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("name", ["officer_a", "counsellor_a", "council_member", "sysadmin"])
def test_only_the_prevention_unit_writes_warnings(personas, as_user, name, unit_a):
    warning = _warning(unit_a)
    client = as_user(getattr(personas, name))
    assert client.get(reverse("outreach:warning_list")).status_code == 404
    assert client.get(reverse("outreach:warning_detail", args=[warning.pk])).status_code == 404
    assert client.post(reverse("outreach:warning_publish", args=[warning.pk])).status_code == 404


def test_the_district_administrator_is_part_of_the_unit(personas, as_user, unit_a):
    warning = _warning(unit_a)
    client = as_user(personas.admin_a)
    assert client.get(reverse("outreach:warning_detail", args=[warning.pk])).status_code == 200
