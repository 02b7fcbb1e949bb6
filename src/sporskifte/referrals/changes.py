"""The change feeds a partner's journal system and a police system read instead of re-reading
their lists: ``GET /api/v1/referrals/changes/`` and ``GET /api/v1/offers/changes/``.

Each organisation has one feed numbered 1, 2, 3, … A reader keeps the last number it saw and
asks for what came after. Numbers, not timestamps: two writes in the same microsecond, clocks
that step back, and a transaction that commits after a later one would each make a reader that
asks "changed since T" miss a change for good. Here a writer numbers its changes while holding
the feed's counter row lock until it commits, so a number is visible only once every smaller
number of that feed is: a reader never skips one. (SQLite has one writer at a time anyway.)
The cost is that writes to one organisation's feed commit one after another, which at a
partner's or a district's rate of work is not felt. A write that touches both feeds takes the
partner's lock before the district's, always, so two writers cannot wait on each other.

Police learn of a referral's work only when what they may see of it changes (its
``police_status``, capped by the programme's feedback level): a change of the offer for every
step would tell them of the help the feedback level hides.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router

from sporskifte.referrals.models import Change, FeedCounter, Offer, Referral
from sporskifte.referrals.selectors import police_status_code


def changes_note(
    *, organisation_id: int, object_type: str, kind: str, object_ids: Iterable[int]
) -> None:
    """Append changes to one organisation's feed; call inside the writing transaction."""
    ids = list(object_ids)
    if not ids:
        return
    last = _numbers_take(organisation_id, len(ids))
    first = last - len(ids) + 1
    Change.objects.bulk_create(
        (
            Change(
                organisation_id=organisation_id,
                seq=first + i,
                object_type=object_type,
                object_id=object_id,
                kind=kind,
            )
            for i, object_id in enumerate(ids)
        ),
        batch_size=1000,
    )


# FeedCounter's table (its db_table is Django's default; the SQL is the same on both databases).
_TAKE_NUMBERS = (
    'INSERT INTO "referrals_feedcounter" (organisation_id, last_seq) VALUES (%s, %s) '
    'ON CONFLICT (organisation_id) DO UPDATE SET last_seq = "referrals_feedcounter".last_seq + %s '
    "RETURNING last_seq"
)


def _numbers_take(organisation_id: int, count: int) -> int:
    """Take the next ``count`` numbers of the feed; returns the last. One statement makes the
    counter row if the feed has none yet, adds to it and keeps its row lock until the writing
    transaction ends, as SELECT … FOR UPDATE and an UPDATE did in three (PostgreSQL and SQLite
    3.35+ both have INSERT … ON CONFLICT … RETURNING)."""
    db = connections[router.db_for_write(FeedCounter)]
    with db.cursor() as cursor:
        cursor.execute(_TAKE_NUMBERS, [organisation_id, count, count])
        (last,) = cursor.fetchone()
    return int(last)


def note_offers(offers: Iterable[Offer], kind: str) -> None:
    by_district: dict[int, list[int]] = {}
    for offer in offers:
        by_district.setdefault(offer.police_district_id, []).append(offer.pk)
    for district, ids in by_district.items():
        changes_note(organisation_id=district, object_type="offer", kind=kind, object_ids=ids)


def note_referrals(referrals: Iterable[Referral], kind: str) -> None:
    by_partner: dict[int, list[int]] = {}
    for referral in referrals:
        by_partner.setdefault(referral.partner_id, []).append(referral.pk)
    for partner, ids in by_partner.items():
        changes_note(organisation_id=partner, object_type="referral", kind=kind, object_ids=ids)


def note_referral(referral: Referral, kind: str) -> None:
    note_referrals([referral], kind)


def note_referral_work(referral: Referral, police_saw: str) -> None:
    """A partner recorded or corrected something: the partner's feed always, the police's
    only if their ``police_status`` of it changed."""
    note_referral(referral, Change.Kind.UPDATED)
    if police_status_code(referral) != police_saw:
        changes_note(
            organisation_id=referral.police_district_id,
            object_type="offer",
            kind=Change.Kind.UPDATED,
            object_ids=[referral.offer_id],
        )
