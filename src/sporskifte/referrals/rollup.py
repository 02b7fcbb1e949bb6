"""Keeping ``FunnelRollup`` in step with the offers and referrals it counts.

Every service that changes what an offer counts for calls ``rollup_change(before, after)``
inside its own transaction: ``before`` and ``after`` are the offer's ``Contribution``
(``contribution_of`` before and after the change, None for an offer that did not exist). The
difference is added to the rows of the offer's cohort with one upsert (``INSERT … ON CONFLICT
DO UPDATE SET n = n + excluded.n``, which SQLite and PostgreSQL both speak); it locks only those
rows, in key order, so two writers cannot deadlock on them.

The rollup is a cohort by the day the offer was *registered* (in Danish time), as the figures
are; what an offer counts for is defined once, here, and the figures' raw-row computation in
``insights.selectors`` must agree with it (the property test in insights compares them).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from sporskifte.referrals.models import FunnelRollup, Offer, OpenDeadline, Referral

# Age in whole years at registration: the offer's year minus the birth year (only the birth
# year is kept, so a person may be a year younger). Bounds are inclusive.
AGE_BANDS = {
    "u18": (0, 17),
    "18-24": (18, 24),
    "25-29": (25, 29),
    "30-39": (30, 39),
    "40+": (40, 200),
}
COUNTS = (
    "offered",
    "yes",
    "referred",
    "contact",
    "first_conversation",
    "further_sessions",
    "prevention_accepted",
    "timed",
    "within",
)
# Per count the sum of the record keys of the offers it counts: the cell key that protected
# figures round by (insights.protection), so a rounded figure read from the rollup is the one
# the raw rows give. NULL in a row counted before the sums were kept (until a rebuild).
KEYS = tuple(f"key_{k}" for k in COUNTS)
DIMENSIONS = ("municipality", "offence", "age_band", "sex", "partner")
KEY = ("level", "programme_id", "start", *DIMENSIONS, "contact_days")
DAY, DAY_DIMS, MONTH_DIMS, YEAR_DIMS = 0, 1, 2, 3
# Months with every dimension but not the days to contact, for the trend (which does not show
# them): half of MONTH_DIMS's rows (276,000 against 586,000 at 1,000,000 referrals), so one
# offence's trend reads 11,700 rows, not 24,800 (11 -> 6 ms on PostgreSQL).
MONTH_TREND = 4
NO_CONTACT = -1


def age_band(year: int, birth_year: int | None) -> str:
    if birth_year is None:
        return ""
    age = year - birth_year
    return next((k for k, (lo, hi) in AGE_BANDS.items() if lo <= age <= hi), "")


def contact_days(referral: Referral) -> int:
    """Whole days from the referral to the first contact, rounded up ("reached within N
    days"); a contact recorded a few minutes before the referral counts as 0."""
    assert referral.contact_made_at is not None
    seconds = (referral.contact_made_at - referral.created_at).total_seconds()
    return math.ceil(max(0.0, seconds) / 86400)


@dataclass(frozen=True)
class Contribution:
    """What one offer adds to the rollup: its cohort's key and a 0/1 per count."""

    programme_id: int
    day: dt.date
    dimensions: tuple[int, int, str, str, int]
    contact_days: int
    counts: tuple[int, ...]
    record_key: int = 0
    # The referral and its contact deadline, for ``OpenDeadline`` (None: no referral).
    referral_id: int | None = None
    due_at: dt.datetime | None = None

    def rows(self) -> list[tuple]:
        d = self.day
        zero = (0, 0, "", "", 0)
        return [
            (DAY, self.programme_id, d, *zero, self.contact_days),
            (DAY_DIMS, self.programme_id, d, *self.dimensions, self.contact_days),
            (MONTH_DIMS, self.programme_id, d.replace(day=1), *self.dimensions, self.contact_days),
            (YEAR_DIMS, self.programme_id, d.replace(month=1, day=1), *self.dimensions,
             self.contact_days),
            (MONTH_TREND, self.programme_id, d.replace(day=1), *self.dimensions, NO_CONTACT),
        ]  # fmt: skip


def contribution_of(offer: Offer, referral: Referral | None) -> Contribution | None:
    """Each step counts the offers that reached *at least* that step, as the figures do.

    An offer to a relative of a detained person ([S4]) is support of its own, not a step of
    the detained person's funnel: it contributes nothing (None)."""
    if offer.relative_of_id is not None:
        return None
    created = timezone.localtime(offer.created_at)
    referred = referral is not None
    further = first = timed = within = False
    days = NO_CONTACT
    if referral is not None:
        further = referral.further_sessions_at is not None
        first = further or referral.first_conversation_at is not None
        if referral.contact_made_at is not None:
            timed, days = True, contact_days(referral)
            within = referral.contact_made_at <= referral.due_at
    counts = {
        "offered": True,
        "yes": offer.answer == Offer.Answer.YES,
        "referred": referred,
        "contact": first or timed,
        "first_conversation": first,
        "further_sessions": further,
        "prevention_accepted": offer.prevention_conversation == Offer.Prevention.ACCEPTED,
        "timed": timed,
        "within": within,
    }
    return Contribution(
        programme_id=offer.programme_id,
        day=created.date(),
        dimensions=(
            offer.home_municipality_id or 0,
            offer.offence_id,
            age_band(created.year, offer.birth_year),
            offer.sex or "",
            referral.partner_id if referral is not None else 0,
        ),
        contact_days=days,
        counts=tuple(int(bool(counts[k])) for k in COUNTS),
        record_key=offer.record_key,
        referral_id=referral.pk if referral is not None else None,
        due_at=referral.due_at if referral is not None else None,
    )


def _deltas(changes: Iterable[tuple[Contribution | None, Contribution | None]]) -> dict:
    out: dict[tuple, Counter[str]] = {}
    for before, after in changes:
        for sign, c in ((-1, before), (1, after)):
            if c is None:
                continue
            for key in c.rows():
                row = out.setdefault(key, Counter())
                for name, column, n in zip(COUNTS, KEYS, c.counts, strict=True):
                    row[name] += sign * n
                    row[column] += sign * n * c.record_key
    return {k: v for k, v in out.items() if any(v.values())}


def _upsert(deltas: dict[tuple, Counter[str]]) -> None:
    if not deltas:
        return
    q = connection.ops.quote_name
    table = q(FunnelRollup._meta.db_table)
    columns = [str(getattr(FunnelRollup._meta.get_field(k), "column", k)) for k in KEY]
    names = ", ".join(q(c) for c in [*columns, *COUNTS, *KEYS])
    marks = ", ".join(["%s"] * (len(columns) + len(COUNTS) + len(KEYS)))
    added = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in (*COUNTS, *KEYS))
    # Only quoted column names from the model are joined in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        f" ON CONFLICT ({', '.join(q(c) for c in columns)}) DO UPDATE SET {added}"
    )
    rows = [[*key, *(delta[k] for k in (*COUNTS, *KEYS))] for key, delta in sorted(deltas.items())]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rollup_change(before: Contribution | None, after: Contribution | None) -> None:
    """Apply one offer's change; call it inside the transaction that makes the change."""
    rollup_changes([(before, after)])


def rollup_changes(changes: Iterable[tuple[Contribution | None, Contribution | None]]) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("The rollup changes in the same transaction as the offer.")
    changes = list(changes)
    _upsert(_deltas(changes))
    _keep_open_deadlines(changes, timezone.now())


def _open_deadline(c: Contribution) -> OpenDeadline:
    counts = dict(zip(COUNTS, c.counts, strict=True))
    municipality, offence, band, sex, partner = c.dimensions
    assert c.referral_id is not None and c.due_at is not None
    return OpenDeadline(
        referral_id=c.referral_id,
        programme_id=c.programme_id,
        due_at=c.due_at,
        day=c.day,
        municipality=municipality,
        offence=offence,
        age_band=band,
        sex=sex,
        partner=partner,
        contacted=bool(counts["timed"]),
        first_conversation=bool(counts["first_conversation"]),
        further_sessions=bool(counts["further_sessions"]),
        record_key=c.record_key,
    )


def _is_open(c: Contribution | None, now: dt.datetime) -> bool:
    return c is not None and c.due_at is not None and c.due_at >= now


def _keep_open_deadlines(
    changes: list[tuple[Contribution | None, Contribution | None]], now: dt.datetime
) -> None:
    """A referral before its deadline gets its row written as it is now; any other change to
    a referral deletes its row, if the night has not yet (a row left by a change made around
    the services, say a deadline moved, goes with the next change made through them)."""
    latest: dict[int, OpenDeadline | None] = {}
    for before, after in changes:
        if _is_open(after, now):
            assert after is not None and after.referral_id is not None
            latest[after.referral_id] = _open_deadline(after)
        else:
            for c in (before, after):
                if c is not None and c.referral_id is not None:
                    latest[c.referral_id] = None
    gone = [pk for pk, row in latest.items() if row is None]
    if gone:
        OpenDeadline.objects.filter(referral_id__in=gone).delete()
    _write_open_deadlines([row for row in latest.values() if row is not None])


def _write_open_deadlines(rows: list[OpenDeadline]) -> None:
    if rows:
        OpenDeadline.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["referral"],
            update_fields=[f.name for f in OpenDeadline._meta.concrete_fields if not f.primary_key],
        )


def open_deadlines_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the rows of referrals past their deadline (never read again); the count."""
    deleted, _ = OpenDeadline.objects.filter(due_at__lt=now or timezone.now()).delete()
    return deleted


def contribution_now(offer_id: int) -> Contribution | None:
    """The offer's contribution as stored now (read again inside the caller's transaction)."""
    offer = Offer.objects.get(pk=offer_id)
    referral = Referral.objects.filter(offer_id=offer_id).first()
    return contribution_of(offer, referral)


@transaction.atomic
def rollup_rebuild(*, chunk: int = 20_000) -> int:
    """Count everything again from the raw rows (after a bulk load or an edit made around the
    services). Offers are never deleted by erasure (only their person), so nothing is lost."""
    FunnelRollup.objects.all().delete()
    OpenDeadline.objects.all().delete()
    now = timezone.now()
    fields = [
        "id", "programme_id", "created_at", "answer", "prevention_conversation",
        "home_municipality_id", "offence_id", "birth_year", "sex", "relative_of_id",
        "record_key",
    ]  # fmt: skip
    referral_fields = [
        "id", "offer_id", "partner_id", "created_at", "due_at", "contact_made_at",
        "first_conversation_at", "further_sessions_at",
    ]  # fmt: skip
    done, last = 0, 0
    while True:
        offers = list(
            Offer.objects.filter(pk__gt=last, relative_of__isnull=True)
            .order_by("pk")
            .only(*fields)[:chunk]
        )
        if not offers:
            return done
        referrals = {
            r.offer_id: r
            for r in Referral.objects.filter(
                offer_id__gte=offers[0].pk, offer_id__lte=offers[-1].pk
            ).only(*referral_fields)
        }
        counted = [contribution_of(o, referrals.get(o.pk)) for o in offers]
        _upsert(_deltas((None, c) for c in counted))
        _write_open_deadlines([_open_deadline(c) for c in counted if c and _is_open(c, now)])
        done, last = done + len(offers), offers[-1].pk
