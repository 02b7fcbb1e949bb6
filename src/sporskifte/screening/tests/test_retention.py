import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from sporskifte.screening import services
from sporskifte.screening.models import Hit, Incident, IncidentPerson
from sporskifte.screening.retention import screening_erase_expired
from sporskifte.screening.tests.conftest import household, incident

pytestmark = pytest.mark.django_db
ADULT = "0101809001"


def test_dismissed_hits_go_first_and_really_leave_the_table(personas, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, "0101159002")
    services.screening_run(actor=personas.screening_a, district=district_a, mode="full")
    hit = services.hit_dismiss(actor=personas.screening_a, hit=Hit.objects.get(), reason="Known")
    assert screening_erase_expired()["dismissed_hit"] == 0
    Hit.objects.filter(pk=hit.pk).update(reviewed_at=timezone.now() - dt.timedelta(days=91))
    assert screening_erase_expired()["dismissed_hit"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM screening_hit_incidents")
        assert cursor.fetchone()[0] == 0
    assert Incident.objects.count() == 2  # the incidents have their own, longer period


def test_incidents_past_every_window_are_deleted_with_their_persons(personas, district_a):
    incident(district_a, ADULT, days_ago=3 * 365 + 31)
    kept = incident(district_a, ADULT, days_ago=10)
    assert screening_erase_expired()["incident"] == 1
    assert list(Incident.objects.all()) == [kept]
    assert IncidentPerson.objects.count() == 1
