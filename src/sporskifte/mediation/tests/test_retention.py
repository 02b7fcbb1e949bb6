"""Erasure at the end of the district's retention leaves name-free counts behind."""

import datetime as dt

from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.mediation import services
from sporskifte.mediation.figures import district_figures
from sporskifte.mediation.models import CaseFigures, MediationCase, Settings
from sporskifte.mediation.retention import cases_erase_expired
from sporskifte.people.models import Person


def test_a_closed_case_is_erased_after_the_districts_retention_and_its_counts_stay(personas, world):
    services.case_screen(
        actor=personas.mediation_coordinator,
        case=world.case,
        suitable=False,
        note="Ingen tilståelse",
    )
    Settings.objects.create(district=world.case.district, retention_days=30)
    person_ids = [world.offender.person_id, world.victim.person_id]
    year = timezone.localdate().year
    before = district_figures(world.case.district_id, year).headline
    assert cases_erase_expired(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert cases_erase_expired(now=timezone.now() + dt.timedelta(days=31)) == 1
    assert not MediationCase.objects.filter(pk=world.case.pk).exists()
    assert not Person.objects.filter(pk__in=person_ids).exists()
    figures = CaseFigures.objects.get(district=world.case.district)
    assert figures.case is None and figures.suitable is False
    assert district_figures(world.case.district_id, year).headline == before
    assert AuditEvent.objects.filter(purpose="mediation_retention_ended").count() == 2


def test_an_open_case_is_never_erased(personas, world):
    assert cases_erase_expired(now=timezone.now() + dt.timedelta(days=5000)) == 0
    assert MediationCase.objects.filter(pk=world.case.pk).exists()
