"""The screening's plain bulk writes: what they write and how they fail, on either database."""

import pytest
from django.db import IntegrityError, transaction

from sporskifte.screening.models import Hit
from sporskifte.screening.rows import insert_rows
from sporskifte.screening.tests.conftest import screened

pytestmark = pytest.mark.django_db


@pytest.fixture
def hit(personas, district_a, rule):
    screened(personas, district_a, "0101809000", ("0101159000", "0661"))
    return Hit.objects.get()


def test_links_are_written_and_a_repeat_is_skipped_only_when_asked(hit):
    through = Hit.incidents.through
    ids = list(hit.incidents.values_list("pk", flat=True))
    through.objects.all().delete()
    insert_rows(through, ("hit_id", "incident_id"), [(hit.pk, i) for i in ids])
    assert sorted(hit.incidents.values_list("pk", flat=True)) == sorted(ids)
    insert_rows(
        through, ("hit_id", "incident_id"), [(hit.pk, i) for i in ids], ignore_conflicts=True
    )
    assert hit.incidents.count() == len(ids)


def test_a_refused_row_fails_the_whole_call_as_djangos_integrity_error(hit):
    through = Hit.incidents.through
    before = through.objects.count()
    rows = [(hit.pk, i) for i in hit.incidents.values_list("pk", flat=True)]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(through, ("hit_id", "incident_id"), rows)
    assert through.objects.count() == before
