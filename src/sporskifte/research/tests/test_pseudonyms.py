import csv
import datetime as dt
import hashlib
import io

import pytest
from django.test import override_settings
from django.utils import timezone

from sporskifte.referrals import services as referrals
from sporskifte.referrals.retention import personal_data_erase_expired
from sporskifte.research import services
from sporskifte.research.exports import extract_csv
from sporskifte.research.pseudonyms import pseudonym
from sporskifte.research.tests.conftest import make_project

pytestmark = pytest.mark.django_db


def _by_offer(world, project):
    """The pseudonym column of a fresh extract, in row order."""
    extract = services.research_extract_build(
        actor=world.personas.researcher, project=project, file_format="csv"
    )
    return [row[0] for row in extract.rows], extract


def test_pseudonym_is_stable_within_a_project(world):
    project = make_project(world)
    first, _ = _by_offer(world, project)
    second, _ = _by_offer(world, project)
    assert first == second
    assert len(set(first)) == len(world.offers)
    assert all(p.startswith("P-") and len(p) == 22 for p in first)


def test_a_persons_offers_share_one_pseudonym_within_a_project(world):
    person = world.people[1]
    referrals.offer_register(
        actor=world.personas.officer_a,
        programme=world.programme,
        person=person,
        offence=world.offers[1].offence,
        offence_date=timezone.localdate(),
        journal_number="4100-76500-00123-26",
    )
    project = make_project(world)
    pseudonyms, _ = _by_offer(world, project)
    expected = pseudonym(
        project_id=project.pk, salt=project.pseudonym_salt, person_id=person.pk, offer_id=0
    )
    assert pseudonyms.count(expected) == 2


def test_pseudonym_differs_between_projects(world):
    one = make_project(world, title="Projekt 1")
    two = make_project(world, title="Projekt 2")
    first, _ = _by_offer(world, one)
    second, _ = _by_offer(world, two)
    assert len(first) == len(second) == len(world.offers)
    assert not set(first) & set(second)


def test_pseudonym_cannot_be_recomputed_without_the_key(world):
    project = make_project(world)
    person = world.people[0]
    kwargs = {
        "project_id": project.pk,
        "salt": project.pseudonym_salt,
        "person_id": person.pk,
        "offer_id": world.offers[0].pk,
    }
    real = pseudonym(**kwargs)
    with override_settings(PSEUDONYM_KEY="a-guessed-key"):
        guessed = pseudonym(**kwargs)
    assert guessed != real
    # Nor by hashing the inputs without a key, the first thing an attacker would try.
    message = f"{project.pk}:{project.pseudonym_salt}:P:{person.pk}".encode()
    assert hashlib.sha256(message).hexdigest()[:20] != real[2:]
    assert real in _by_offer(world, project)[0]


def test_erased_person_keeps_a_row_with_an_offer_pseudonym(world):
    project = make_project(world)
    before, _ = _by_offer(world, project)
    # Far in the future every offer without an open referral is past its retention.
    erased = personal_data_erase_expired(now=timezone.now() + dt.timedelta(days=5 * 365))
    assert erased > 0
    after, extract = _by_offer(world, project)
    assert len(after) == len(before)
    assert sum(p.startswith("O-") for p in after) == erased
    assert set(p for p in after if p.startswith("P-")) <= set(before)
    csv_text = extract_csv_text(extract)
    assert "O-" in csv_text


def extract_csv_text(extract):
    return extract_csv(extract).decode()


def test_csv_rows_are_sorted_by_pseudonym(world):
    project = make_project(world)
    _, extract = _by_offer(world, project)
    rows = list(csv.reader(io.StringIO(extract_csv_text(extract))))[1:]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
