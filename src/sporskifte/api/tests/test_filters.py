"""The bucket filter must agree with ``selectors.inbox_bucket`` on every kind of referral."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from sporskifte.api.serializers import BUCKETS
from sporskifte.referrals.models import Referral
from sporskifte.referrals.selectors import inbox_bucket, inbox_bucket_q

DUE_OFFSETS = [
    dt.timedelta(days=-3),
    dt.timedelta(seconds=-1),
    dt.timedelta(0),
    dt.timedelta(seconds=1),
    dt.timedelta(days=1),
    dt.timedelta(days=2, seconds=-1),
    dt.timedelta(days=2),
    dt.timedelta(days=2, seconds=1),
    dt.timedelta(days=5),
]


def test_bucket_filter_agrees_with_inbox_bucket(make_referrals):
    now = timezone.now()
    referrals = make_referrals(len(DUE_OFFSETS))
    for referral, offset in zip(referrals, DUE_OFFSETS, strict=True):
        Referral.objects.filter(pk=referral.pk).update(due_at=now + offset)
    ids = [r.pk for r in referrals]

    for status, contacted in itertools.product(Referral.Status.values, (False, True)):
        Referral.objects.filter(pk__in=ids).update(
            status=status, contact_made_at=now - dt.timedelta(hours=1) if contacted else None
        )
        expected = {b: set() for b in BUCKETS}
        for r in Referral.objects.filter(pk__in=ids):
            expected[inbox_bucket(r, now)].add(r.pk)
        for bucket in BUCKETS:
            found = set(
                Referral.objects.filter(pk__in=ids)
                .filter(inbox_bucket_q(bucket, now))
                .values_list("pk", flat=True)
            )
            assert found == expected[bucket], (status, contacted, bucket)
