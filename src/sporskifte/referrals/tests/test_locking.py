"""``referral_locked``: the statement written once must give back what the ORM gives back."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sporskifte.referrals.locking import referral_locked
from sporskifte.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _values(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_referral_programme_and_offer_are_the_orms_in_one_statement(world):
    expected = Referral.objects.select_related("programme", "offer").get(
        pk=world.referral_viborg.pk
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        locked = referral_locked(world.referral_viborg.pk)
        # Converted as the ORM converts (SQLite's datetimes aware, its booleans from integers,
        # JSON decoded), and the relations cached both ways: nothing more is read.
        assert _values(locked) == _values(expected)
        assert _values(locked.programme) == _values(expected.programme)
        assert _values(locked.offer) == _values(expected.offer)
        assert locked.offer.referral is locked
    assert len(captured) == 1


def test_the_referral_row_is_locked_where_the_database_has_row_locks(world):
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        referral_locked(world.referral_viborg.pk)
    sql = captured[0]["sql"]
    if connection.features.has_select_for_update_of:
        # The referral only: the programme and offer rows are not held against other writers.
        assert sql.rstrip().endswith("FOR UPDATE OF r")
    else:
        assert "FOR UPDATE" not in sql  # SQLite: the writer holds the whole database


def test_a_referral_that_is_not_there_raises_does_not_exist(world):
    with transaction.atomic(), pytest.raises(Referral.DoesNotExist):
        referral_locked(world.referral_viborg.pk + 10_000)

