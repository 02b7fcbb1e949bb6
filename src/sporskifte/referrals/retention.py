"""Erasure at the end of retention: a real DELETE of everything that identifies a person.

An offer's retention runs from its last event (created, answered, referral closed or consent
withdrawn) plus the programme's ``retention_days``. Open referrals are never erased mid-work.
What survives is the residue evaluation counts, made so that it describes groups, not people
(docs/data-retention.md): the offer's programme and offence; its dates coarsened to the month;
the referral's milestones as whole days after that month's start; birth year, sex, municipality,
police unit and case only while at least ``K_ANONYMITY`` residue rows share them (otherwise they
are generalised, see ``residue_generalise``). A case whose suspects are all erased loses its
journal number and title. Each run also sweeps what was attached to already-erased offers.
Physical removal from the database files is ``compaction.py``'s follow-up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import DateTimeField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_many
from sporskifte.people.models import Person
from sporskifte.referrals.changes import note_offers, note_referrals
from sporskifte.referrals.models import (
    Case,
    Change,
    Consent,
    ContactAttempt,
    CounsellingNote,
    Offer,
    OutcomeStep,
    Programme,
    Referral,
)

OPEN = [Referral.Status.NEW, Referral.Status.IN_PROGRESS]
ERASED = Change.Kind.ERASED
# Every combination of quasi-identifiers in the residue is shared by at least this many offers:
# the threshold of the figures' small-count protection.
K_ANONYMITY = 5
# What someone who knows of an encounter (when, who, where) could match a residue row on.
QUASI_IDENTIFIERS = (
    "offence_date",
    "created_at",
    "birth_year",
    "sex",
    "home_municipality_id",
    "police_unit_id",
    "case_id",
)
# Generalisation steps for rows in too small a group, least useful detail first.
LADDER: tuple[dict[str, object], ...] = (
    {"police_unit_id": None, "case_id": None},
    {"birth_year": None},
    {"home_municipality_id": None},
    {"sex": ""},
    {"offence_date": "year", "created_at": "year"},
)
# Every quasi-identifier but the year suppressed: the last resort's groups.
SUPPRESSED = (None, "", None, None, None)
BATCH = 2000


def offers_due_for_erasure(*, now: dt.datetime | None = None) -> QuerySet[Offer]:
    now = now or timezone.now()
    last_event = Greatest(
        F("created_at"),
        Coalesce("answered_at", "created_at"),
        Coalesce("referral__closed_at", "created_at"),
        Coalesce("referral__withdrawn_at", "created_at"),
        output_field=DateTimeField(),
    )
    # One cut-off per programme: portable date arithmetic, and there are only a few programmes.
    expired = Q(pk__in=[])
    for programme_id, days in Programme.objects.values_list("pk", "retention_days"):
        expired |= Q(programme_id=programme_id, last_event__lte=now - dt.timedelta(days=days))
    return (
        Offer.objects.filter(erased_at__isnull=True, person__isnull=False)
        .exclude(Q(referral__status__in=OPEN) & Q(referral__withdrawn_at__isnull=True))
        .annotate(last_event=last_event)
        .filter(expired)
    )


@transaction.atomic
def personal_data_erase_expired(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    offers = list(offers_due_for_erasure(now=now).values_list("pk", "person_id"))
    attached_after = attached_to_erased_sweep()
    if not offers:
        if attached_after:
            residue_generalise()
        return 0
    offer_ids = [o for o, _ in offers]
    person_ids = {p for _, p in offers}
    # The feeds learn of the erasure: the partner of each referral, the district of each offer
    # (partners' feeds before districts', the order every writer takes their locks in).
    note_referrals(Referral.objects.filter(offer_id__in=offer_ids).only("pk", "partner_id"), ERASED)
    note_offers(Offer.objects.filter(pk__in=offer_ids).only("pk", "police_district_id"), ERASED)
    CounsellingNote.objects.filter(referral__offer_id__in=offer_ids).delete()
    _coarsen_dates(offer_ids)
    Offer.objects.filter(pk__in=offer_ids).update(person=None, journal_number="", erased_at=now)
    # A person registered again later keeps the newer offers; only people left with none go.
    still_used = set(
        Offer.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    )
    Person.objects.filter(pk__in=person_ids - still_used).delete()
    cases_erase_fully_erased()
    residue_generalise()
    audit_record_many(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=AuditEvent.ObjectType.OFFER,
        items=offers,
        purpose=AuditEvent.Purpose.RETENTION_ENDED,
    )
    return len(offers)


def attached_to_erased_sweep() -> int:
    """Delete what reached an erased offer after its erasure (older versions let a note or an
    attempt through): nothing personal may outlive the erasure that already happened."""
    erased = Offer.objects.filter(erased_at__isnull=False)
    notes, _ = CounsellingNote.objects.filter(referral__offer__in=erased).delete()
    late = Q(referral__offer__erased_at__isnull=False) & Q(
        created_at__gt=F("referral__offer__erased_at")
    )
    attempts, _ = ContactAttempt.objects.filter(late).delete()
    steps, _ = OutcomeStep.objects.filter(late).delete()
    return notes + attempts + steps


def cases_erase_fully_erased() -> int:
    """A case whose offers are all erased keeps no journal number or title (they name the
    investigation, and with it its suspects). The number is replaced by one that says nothing,
    unique per district as the constraint asks."""
    live = Offer.objects.filter(case=OuterRef("pk"), erased_at__isnull=True)
    cases = list(
        Case.objects.filter(offers__isnull=False)
        .exclude(journal_number__startswith="erased-")
        .exclude(Exists(live))
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in cases:
        Case.objects.filter(pk=pk).update(journal_number=f"erased-{pk}", title="")
    return len(cases)


def _month_start(value: dt.datetime) -> dt.datetime:
    local = timezone.localtime(value)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _shift(value: dt.datetime | None, origin: dt.datetime, base: dt.datetime) -> dt.datetime | None:
    """``value`` as whole days after ``base``, as it was after ``origin``: durations survive to
    the day, the time of day and the calendar date do not."""
    if value is None:
        return None
    return base + dt.timedelta(days=max((value - origin).days, 0))


def _coarsen_dates(offer_ids: list[int]) -> None:
    """Offer dates to the month; a referral's times to whole days after its month's start (so
    "days to first contact" still counts), and its attempts, steps and consents with it."""
    Offer.objects.filter(pk__in=offer_ids).update(
        offence_date=TruncMonth("offence_date"),
        created_at=TruncMonth("created_at"),
        offered_at=TruncMonth("offered_at"),
        answered_at=TruncMonth("answered_at"),
    )
    fields = (
        "due_at",
        "contact_made_at",
        "first_conversation_at",
        "further_sessions_at",
        "closed_at",
        "last_step_at",
        "withdrawn_at",
    )
    referrals = list(Referral.objects.filter(offer_id__in=offer_ids))
    origins: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for r in referrals:
        origin, base = r.created_at, _month_start(r.created_at)
        origins[r.pk] = (origin, base)
        for f in fields:
            setattr(r, f, _shift(getattr(r, f), origin, base))
        r.created_at = base
    _update_rows(Referral, ["created_at", *fields], referrals)
    history: list[Any] = [ContactAttempt, OutcomeStep]
    for model in history:
        rows = list(model.objects.filter(referral_id__in=origins))
        for row in rows:
            origin, base = origins[row.referral_id]
            row.at = _shift(row.at, origin, base)
            row.created_at = _shift(row.created_at, origin, base)
        _update_rows(model, ["at", "created_at"], rows)
    consents = list(Consent.objects.filter(offer_id__in=offer_ids).select_related("offer"))
    for c in consents:
        # The offer's own month is the base: consent is given when the offer is answered.
        origin = c.given_at
        base = _month_start(origin)
        c.given_at = base
        c.withdrawn_at = _shift(c.withdrawn_at, origin, base)
    _update_rows(Consent, ["given_at", "withdrawn_at"], consents)


def _update_rows(model: Any, fields: list[str], objs: list[Any]) -> None:
    """One plain UPDATE per row, sent as a batch: Django's bulk_update builds a CASE per field
    over the whole batch, which PostgreSQL plans in seconds per thousand rows."""
    if not objs:
        return
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    sets = ", ".join(f"{connection.ops.quote_name(c.column)} = %s" for c in columns)
    # Names from the model, quoted; values are parameters.
    sql = f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608
    params = [
        [c.get_db_prep_value(getattr(o, c.attname), connection) for c in columns] + [o.pk]
        for o in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _classes(rows: Iterable[tuple]) -> Counter:
    return Counter(row[1:] for row in rows)


def residue_rows() -> list[tuple]:
    """(pk, *quasi-identifiers) of every erased offer; dates as the calendar month/year."""
    return [
        (pk, *_normalised(values))
        for pk, *values in Offer.objects.filter(erased_at__isnull=False).values_list(
            "pk", *QUASI_IDENTIFIERS
        )
    ]


def _normalised(values: list) -> tuple:
    offence_date, created_at, *rest = values
    created = timezone.localtime(created_at).date() if created_at else None
    return (offence_date, created, *rest)


def residue_generalise(*, k: int = K_ANONYMITY) -> int:
    """Generalise the residue until every group of rows sharing all quasi-identifiers holds at
    least ``k`` rows (k-anonymity). Rows in a small group go one step up ``LADDER`` at a time,
    over the whole residue, so each night's erasures join the groups of earlier ones; only ever
    coarser, so a group that reached ``k`` stays there. Returns the rows generalised."""
    changed: set[int] = set()
    for step in LADDER:
        rows = residue_rows()
        sizes = _classes(rows)
        small = [row[0] for row in rows if sizes[row[1:]] < k]
        if not small:
            break
        changed.update(small)
        for start in range(0, len(small), BATCH):
            _apply(step, small[start : start + BATCH])
    changed.update(_merge_small_years(k))
    return len(changed)


def _merge_small_years(k: int) -> list[int]:
    """Last resort: rows left with nothing but their year in a group under ``k`` (a year's first
    erasures, a small programme) join the nearest year whose fully generalised group has ``k``.
    Totals stay; a year's count may move by fewer than ``k``. With no such year (a new
    installation) they wait for the next night's erasures."""
    rows = residue_rows()
    sizes = _classes(rows)
    full = {key[0].year for key, n in sizes.items() if n >= k and key[2:] == SUPPRESSED}
    small = [row for row in rows if sizes[row[1:]] < k]
    if not full or not small:
        return []
    by_year: dict[int, list[int]] = {}
    for pk, offence_date, *_rest in small:
        year = min(full, key=lambda y: (abs(y - offence_date.year), y))
        by_year.setdefault(year, []).append(pk)
    suppressed = {f: v for step in LADDER[:-1] for f, v in step.items()}
    for year, pks in by_year.items():
        for start in range(0, len(pks), BATCH):
            Offer.objects.filter(pk__in=pks[start : start + BATCH]).update(
                offence_date=dt.date(year, 1, 1),
                created_at=timezone.make_aware(dt.datetime(year, 1, 1)),
                **suppressed,
            )
    moved = [pk for pks in by_year.values() for pk in pks]
    return moved


def _apply(step: dict[str, object], pks: list[int]) -> None:
    plain = {f.removesuffix("_id") if f.endswith("_id") else f: v for f, v in step.items()}
    dates = {f for f, v in plain.items() if v == "year"}
    qs = Offer.objects.filter(pk__in=pks)
    if dates:
        offers = list(qs.only("pk", *dates))
        for offer in offers:
            for f in dates:
                value = getattr(offer, f)
                if isinstance(value, dt.datetime):
                    value = timezone.localtime(value).replace(
                        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
                    )
                else:
                    value = value.replace(month=1, day=1)
                setattr(offer, f, value)
        _update_rows(Offer, sorted(dates), offers)
        return
    qs.update(**plain)
