"""The referral a partner records on, locked, with its programme and offer: one statement
written once.

Every outcome step and contact attempt starts here. Through the ORM (``select_for_update`` with
``select_related("programme", "offer")``) the statement was compiled anew on every call: a
quarter of an API write's CPU, measured under the production settings on PostgreSQL
(``benchmarks/profile_paths.py --only write --cpu``). Its shape never changes, so it is written
from the models' metadata once per database (``core.joined``), with the referral's key as the
only parameter, and the rows are built into instances as ``select_related`` builds them.
"""

from __future__ import annotations

import functools

from django.db import connections, router
from django.db.transaction import TransactionManagementError

from sporskifte.core.joined import Part, relate
from sporskifte.referrals.models import Offer, Programme, Referral

_REFERRAL, _PROGRAMME, _OFFER = Part(Referral, "r"), Part(Programme, "p"), Part(Offer, "o")


@functools.cache
def _sql(alias: str) -> str:
    connection = connections[alias]
    r, p, o = _REFERRAL, _PROGRAMME, _OFFER
    # Only the referral's row is locked, as ``select_for_update(of=("self",))`` locks it: the
    # programme and the offer are read, not held. SQLite has no row locks (its writer holds
    # the whole database for the transaction).
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else " FOR UPDATE"
    columns = ", ".join(part.columns(connection) for part in (r, p, o))
    programme = f"{p.column(connection, 'pk')} = {r.column(connection, 'programme')}"
    offer = f"{o.column(connection, 'pk')} = {r.column(connection, 'offer')}"
    return (
        f"SELECT {columns} FROM {r.table(connection)}"  # noqa: S608
        f" JOIN {p.table(connection)} ON {programme} JOIN {o.table(connection)} ON {offer}"
        f" WHERE {r.column(connection, 'pk')} = %s{lock}"
    )


def referral_locked(pk: int) -> Referral:
    """The referral, its row locked until the transaction ends, with ``programme`` and
    ``offer`` read in the same statement. ``Referral.DoesNotExist`` if there is none."""
    connection = connections[router.db_for_write(Referral)]
    if connection.get_autocommit():
        # As Django refuses select_for_update in autocommit: the lock would end at once.
        raise TransactionManagementError("referral_locked() needs a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.alias), [pk])
        row = cursor.fetchone()
    if row is None:
        raise Referral.DoesNotExist(f"Referral {pk} does not exist.")
    referral = _REFERRAL.build(row, 0, connection)
    assert isinstance(referral, Referral)
    start = _REFERRAL.width
    relate(referral, "programme", _PROGRAMME.build(row, start, connection))
    relate(referral, "offer", _OFFER.build(row, start + _PROGRAMME.width, connection))
    return referral
