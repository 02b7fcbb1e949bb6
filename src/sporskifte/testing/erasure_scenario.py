"""A database filled with marked personal data, then erased as the nightly jobs erase it, for the
raw-bytes test (tests/test_erasure_raw_bytes.py): that test searches the database's own files for
the markers, which needs a real database outside the test runner's, so this runs in its own
process against the ``DATABASE_URL`` it is given:

    manage.py shell -c "from sporskifte.testing.erasure_scenario import fill; fill()"
    manage.py shell -c "from sporskifte.testing.erasure_scenario import erase; erase()"

``fill`` prints the markers, one a line. Every marker is ASCII and short enough to be stored as
it is (PostgreSQL compresses only values over about 2 kB), so finding none in the files means
the bytes are gone, not that they were encoded.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import cast

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sporskifte.accounts.models import Role
from sporskifte.core.compaction import erased_data_compact
from sporskifte.fora import services as fora_services
from sporskifte.fora.frame import ForumKind, LegalBasis
from sporskifte.fora.retention import forum_persons_erase_expired
from sporskifte.organisations.models import Organisation
from sporskifte.referrals import services
from sporskifte.referrals.models import Consent, Offer, Programme, Step
from sporskifte.referrals.retention import personal_data_erase_expired
from sporskifte.referrals.selectors import consent_text_current
from sporskifte.testing.factories import (
    OfferFactory,
    PersonFactory,
    ProgrammeFactory,
    fictitious_cpr,
    member,
    municipality,
)
from sporskifte.testing.personas import make_personas

PEOPLE = 8
# Far enough ahead that every retention (two years by default) has ended.
LATER = dt.timedelta(days=3 * 365)


def _marker(kind: str, i: int) -> str:
    return f"Qx{kind}Marker{i:03d}"


def fill() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if os.environ.get("SCENARIO_SECURE_DELETE_OFF"):
        _secure_delete_off()
    personas = make_personas()
    programme = cast(Programme, ProgrammeFactory(name="Skift spor"))
    markers = []
    for i in range(PEOPLE):
        name, note = _marker("Name", i), _marker("Note", i)
        cpr = fictitious_cpr(dt.date(1990, 1, 1) + dt.timedelta(days=37 * i), i % 2 == 0)
        phone = f"+4529{i:06d}"
        person = PersonFactory(
            full_name=f"{name} Jensen",
            id_number=cpr,
            phone=phone,
            home_municipality=municipality("Viborg"),
        )
        offer = cast(
            Offer,
            OfferFactory(programme=programme, person=person, journal_number=_marker("Jr", i)),
        )
        services.offer_answer(
            actor=personas.officer_a,
            offer=offer,
            answer=Offer.Answer.YES,
            consent_method=Consent.Method.SIGNED,
            consent_text=consent_text_current(programme),
            consent_given_at=timezone.now(),
        )
        referral = offer.referral
        services.counselling_note_add(actor=personas.counsellor_a, referral=referral, text=note)
        services.referral_record_step(
            actor=personas.counsellor_a, referral=referral, step=Step.CLOSED, at=timezone.now()
        )
        markers += [name, note, cpr, phone, _marker("Jr", i)]
    kommune = Organisation.objects.get(slug="kommune-dk-0791")
    school = member("school", kommune, Role.COUNSELLOR)
    forum = fora_services.forum_create(
        actor=personas.admin_a,
        name="SSP Viborg",
        kind=ForumKind.SSP,
        municipality=municipality("Viborg"),
        organisations=[Organisation.objects.get(slug="midt-vestjylland"), kommune],
    )
    fora_services.forum_member_add(
        actor=personas.admin_a, forum=forum, user=school, is_coordinator=True
    )
    for i in range(3):
        name, info = _marker("Forum", i), _marker("Shared", i)
        fora_services.forum_person_share(
            actor=school,
            forum=forum,
            full_name=f"{name} Hansen",
            birth_date=dt.date(2011, 5, 4),
            legal_basis=LegalBasis.SSP,
            reason="Bekymring",
            information=info,
        )
        markers += [name, info]
    _flush()
    print("\n".join(markers))


def erase() -> None:
    if os.environ.get("SCENARIO_SECURE_DELETE_OFF"):
        _secure_delete_off()
    later = timezone.now() + LATER
    personal_data_erase_expired(now=later)
    forum_persons_erase_expired(now=later)
    if not os.environ.get("SCENARIO_SKIP_FOLLOW_UP"):
        erased_data_compact()
    _flush()


def _secure_delete_off() -> None:
    """As an upstream SQLite build without our connection set-up: the negative control."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.execute("PRAGMA secure_delete = OFF")


def _flush() -> None:
    """Write everything to the database files, so the search sees what the server holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    connection.close()
