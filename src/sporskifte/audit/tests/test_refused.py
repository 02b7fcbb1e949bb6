"""A look at another organisation's object answers 404 like a missing one, and is recorded;
bursts are shown to the administrator."""

import pytest
from django.urls import reverse

from sporskifte.audit.models import RefusedLook
from sporskifte.auditlog.selectors import REFUSED_BURST
from sporskifte.referrals.tests.conftest import world  # noqa: F401  (the referral world)


@pytest.mark.django_db
def test_another_districts_offer_is_a_404_and_a_refused_look(personas, world, as_user):  # noqa: F811
    client = as_user(personas.officer_a)

    response = client.get(reverse("referrals:offer_detail", args=[world.offer_b.pk]))

    assert response.status_code == 404
    look = RefusedLook.objects.get()
    assert (look.actor, look.object_type, look.object_id) == (
        personas.officer_a,
        "referrals.offer",
        str(world.offer_b.pk),
    )


@pytest.mark.django_db
def test_a_missing_object_is_not_a_refused_look(personas, as_user):
    as_user(personas.officer_a).get(reverse("referrals:offer_detail", args=[987654321]))

    assert not RefusedLook.objects.exists()


@pytest.mark.django_db
def test_a_burst_of_refused_looks_is_shown_to_the_district_administrator(
    personas,
    world,  # noqa: F811
    as_user,
):
    client = as_user(personas.officer_a)
    for _ in range(REFUSED_BURST):
        client.get(reverse("referrals:offer_detail", args=[world.offer_b.pk]))

    page = as_user(personas.admin_a).get(reverse("audit:search"))

    assert [(b["actor__username"], b["refused"]) for b in page.context["refused"]] == [
        ("officer_a", REFUSED_BURST)
    ]
    other = as_user(personas.sysadmin).get(reverse("audit:search")).context["refused"]
    assert len(other) == 1
