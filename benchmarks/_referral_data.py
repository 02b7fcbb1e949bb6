"""Generate people, offers and referrals fast: raw executemany (SQLite) or COPY (PostgreSQL).

Every municipality of the demo districts that has a "Rusmiddelcenter <name>" gets referrals, in
turn. A municipality's first rows go through every kind of row once (so even the 1,000-row
database the query counts are compared on has something in every inbox bucket); after that the
kinds follow a fixed cycle with realistic shares: most referrals closed, a few percent open.
Ids rise with time, as they do in the application.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

DISTRICTS = ("midt-vestjylland", "sydoestjylland", "koebenhavns-vestegn")
RETENTION_DAYS = 4 * 365  # longer than the 3 years generated: nothing is due for erasure
# Shares per 200 offers. Open referrals are a few times more than a steady intake would leave,
# to give the inbox buckets something to page through.
SHARES = {
    "closed": 128,
    "withdrawn": 8,
    "ip_contact": 14,  # in progress, contact made
    "ip_overdue": 2,  # in progress after an attempt that did not reach the person; overdue
    "new_overdue": 4,
    "new_fresh": 2,
    "new_due_soon": 2,
    "offer_no": 24,  # the rest: offers that did not become referrals
    "offer_not_asked": 10,
    "offer_thinking": 6,
}
COVER = tuple(SHARES)
CYCLE = tuple(
    kind for step in range(max(SHARES.values())) for kind, n in SHARES.items() if step < n
)
# Days before "now" a row of each kind was created.
AGE_DAYS = {
    "closed": (8, 1095),
    "withdrawn": (8, 1095),
    "ip_contact": (3, 120),
    "ip_overdue": (6, 60),
    "new_overdue": (6, 40),
    "new_fresh": (0.01, 2.9),  # due (created + 5 days) at least 2 days ahead: "new"
    "new_due_soon": (3.1, 4.9),  # due within 2 days: "due soon"
    "offer_no": (0, 1095),
    "offer_not_asked": (0, 1095),
    "offer_thinking": (0, 60),
}

ANSWERS = {"offer_no": "no", "offer_not_asked": "not_asked", "offer_thinking": "thinking"}


def kind_of(i: int, n_places: int) -> str:
    k = i // n_places  # the k-th row of its municipality
    return COVER[k] if k < len(COVER) else CYCLE[(k - len(COVER)) % len(CYCLE)]


FIRST = [
    "Anders",
    "Mette",
    "Jens",
    "Hanne",
    "Peter",
    "Lone",
    "Lars",
    "Susanne",
    "Morten",
    "Camilla",
    "Mads",
    "Sofie",
    "Emil",
    "Ida",
    "Frederik",
    "Laura",
    "Mikkel",
    "Julie",
    "Rasmus",
    "Freja",
    "Oliver",
    "Emma",
    "Noah",
    "Clara",
    "Ahmad",
    "Fatima",
]
LAST = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Karimi",
    "Yilmaz",
    "Holm",
]


@dataclass
class Place:
    municipality_id: int
    district_id: int
    centre_id: int
    unit_id: int | None


def places() -> list[Place]:
    from sporskifte.organisations.models import Organisation

    centres = (
        Organisation.objects.filter(
            kind=Organisation.Kind.SUBSTANCE_ABUSE_CENTRE,
            municipality__police_district__slug__in=DISTRICTS,
        )
        .select_related("municipality")
        .order_by("municipality__code")
    )
    return [
        Place(
            c.municipality_id,
            c.municipality.police_district_id,
            c.id,
            c.municipality.patrol_centre_id,
        )
        for c in centres
    ]


def programmes() -> dict[int, list[int]]:
    """Two programmes per district, made once; their ids by district."""
    from sporskifte.organisations.models import Organisation
    from sporskifte.referrals.models import ConsentText, Offence, Programme, Step

    out: dict[int, list[int]] = {}
    offences = list(Offence.objects.filter(country="DK")[:3])
    for district in Organisation.objects.filter(slug__in=DISTRICTS):
        for name, level in (("Rusmiddelsamtale", 1), ("Ung og rus", 2)):
            prog, created = Programme.objects.get_or_create(
                police_district=district,
                name=f"{name} ({district.name})",
                defaults={
                    "destination": Programme.Destination.HOME_CENTRE,
                    "feedback_level": level,
                    "contact_deadline_days": 5,
                    "outcome_steps": list(Step.values),
                    "retention_days": RETENTION_DAYS,
                },
            )
            if created:
                prog.offences.set(offences)
                ConsentText.objects.create(programme=prog, version=1, text="Samtykke (benchmark).")
            out.setdefault(district.id, []).append(prog.id)
    return out


# Columns the generator's rows do not carry (added to the models after it was written), with the
# value every generated row gets: they go last, so the rows stay in the order they are built in.
LATER_COLUMNS: dict[str, dict[str, object]] = {
    "people_person": {"register": "referrals"},
    "referrals_offer": {
        "detention_facility": "",
        "restrictions": "",
        "relative_of_id": None,
        "relation": "",
    },
    "referrals_referral": {"long_follow_up": False, "next_contact_on": None},
}


def _columns(model) -> list[str]:
    later = LATER_COLUMNS.get(model._meta.db_table, {})
    return [f.column for f in model._meta.concrete_fields if f.column not in later] + list(later)


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    later = tuple(LATER_COLUMNS.get(table, {}).values())
    if later:
        rows = [row + later for row in rows]
    if connection.vendor == "postgresql":
        cols = ", ".join(columns)
        with (
            connection.connection.cursor() as cur,
            cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp,
        ):
            for row in rows:
                cp.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        connection.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )


def generate(rows: int, *, seed: int = 20261122, chunk: int = 100_000, log=print) -> dt.datetime:
    """Insert ``rows`` referrals (plus offers that were not accepted, and their people)."""
    from sporskifte.people.models import Person
    from sporskifte.referrals.models import Offence, Offer, Referral

    started = time.perf_counter()
    rng = random.Random(seed)
    _USED_NUMBERS.clear()
    keys = random.Random(seed + 1)  # its own stream: the rest of the data stays as it was
    now = timezone.now().replace(tzinfo=None)  # naive UTC: what both backends store
    where = places()
    progs = programmes()
    offence_ids = list(Offence.objects.filter(country="DK").values_list("id", flat=True))
    plan, referrals_planned = [], 0
    while referrals_planned < rows:
        kind = kind_of(len(plan), len(where))
        referrals_planned += not kind.startswith("offer_")
        plan.append(kind)
    total_offers = len(plan)
    order = sorted(
        (now - dt.timedelta(days=rng.uniform(*AGE_DAYS[kind])), i) for i, kind in enumerate(plan)
    )
    log(f"  planned {total_offers:,} offers in {time.perf_counter() - started:.1f} s")
    tables = [(m._meta.db_table, _columns(m)) for m in (Person, Offer, Referral)]
    referral_id = 0
    if connection.vendor == "sqlite":
        # A throwaway database: durability during the load buys nothing.
        connection.connection.execute("PRAGMA synchronous = OFF")
        connection.connection.execute("PRAGMA cache_size = -1000000")
    insert_s = 0.0
    indexes = _drop_indexes([t for t, _ in tables])
    for start in range(0, total_offers, chunk):
        people, offers, referrals = [], [], []
        for pos in range(start, min(start + chunk, total_offers)):
            created, i = order[pos]
            oid = pos + 1
            kind = plan[i]
            place = where[i % len(where)]
            programme = progs[place.district_id][rng.random() < 0.5]
            people.append(_person(rng, oid, place, created))
            birth_year, sex = people[-1][4].year, people[-1][5]
            answer = ANSWERS.get(kind, "yes")
            asked = answer != "not_asked"
            offers.append(
                (
                    oid,
                    programme,
                    oid,
                    None,
                    place.district_id,
                    place.unit_id,
                    f"{3900 + place.district_id}-{84110 + i % 7}-{oid % 100000:05d}-{created:%y}",
                    offence_ids[i % len(offence_ids)],
                    (created - dt.timedelta(days=int(rng.random() * 30))).date(),
                    answer,
                    created if asked else None,
                    created if asked else None,
                    "not_asked",
                    None,
                    birth_year,
                    sex,
                    place.municipality_id,
                    created,
                    None,
                    keys.randrange(2**20),  # record_key (the figures' cell key)
                )
            )
            if answer == "yes":
                referral_id += 1
                referrals.append(
                    _referral(rng, referral_id, oid, programme, place, kind, created, now)
                )
        t = time.perf_counter()
        with transaction.atomic():
            for (table, columns), batch in zip(tables, (people, offers, referrals), strict=True):
                _insert(table, columns, batch)
        insert_s += time.perf_counter() - t
        log(
            f"  {min(start + chunk, total_offers):,} offers / {referral_id:,} referrals "
            f"({time.perf_counter() - started:.0f} s)"
        )
    t = time.perf_counter()
    _recreate_indexes(indexes)
    _after_load([Person, Offer, Referral])
    log(
        f"  generated in {time.perf_counter() - started:.1f} s "
        f"(inserting {insert_s:.1f} s, after-load {time.perf_counter() - t:.1f} s)"
    )
    return now


# One person per identity number in a district (people's unique constraint): the fictitious
# numbers (birth date and a 9000s serial) of a million people collide, so a taken one is drawn
# again, and after a few tries the person is registered without a number.
_USED_NUMBERS: set[tuple[int, str]] = set()


def _identity(rng: random.Random, district: int, birth: dt.date, female: bool) -> tuple[str, str]:
    from sporskifte.testing.factories import fictitious_cpr

    for _ in range(8):
        number = fictitious_cpr(birth, female, rng)
        if (district, number) not in _USED_NUMBERS:
            _USED_NUMBERS.add((district, number))
            return "cpr", number
    return "none", ""


def _person(rng: random.Random, pid: int, place: Place, created: dt.datetime) -> tuple:
    r = rng.random
    birth = (created - dt.timedelta(days=15 * 365 + int(r() * 45 * 365))).date()
    female = r() < 0.25
    return (
        pid,
        f"{FIRST[int(r() * len(FIRST))]} {LAST[int(r() * len(LAST))]}",
        *_identity(rng, place.district_id, birth, female),
        birth,
        "F" if female else "M",
        f"+45{26000000 + int(r() * 2999999)}",
        "",
        place.municipality_id,
        place.district_id,
        True,
        created,
    )


def _referral(rng, rid, oid, programme, place, kind, created, now) -> tuple:
    """One referral of the given kind; every event time is capped at ``now``."""
    r = rng.random
    day = dt.timedelta(days=1)
    at = created + dt.timedelta(minutes=5 + int(r() * 85))
    due = at + 5 * day
    contact = first = further = closed = withdrawn = last_at = None
    last_step, status = "", "new"
    if kind in ("closed", "withdrawn", "ip_contact") and r() < 0.9:
        contact = min(at + dt.timedelta(hours=2 + int(r() * 94)), now)
    if kind == "closed":
        status = "closed"
        if contact:
            first = min(contact + (1 + int(r() * 9)) * day, now)
            if r() < 0.5:
                further = min(first + (7 + int(r() * 23)) * day, now)
        last_step = "closed" if contact else "unreachable"
        closed = last_at = max(
            min(at + (10 + int(r() * 80)) * day, now), further or at, first or at
        )
    elif kind == "withdrawn":
        status, withdrawn = "withdrawn", min(at + (1 + int(r() * 19)) * day, now)
    elif kind == "ip_contact":
        status = "in_progress"
        if contact:
            last_step, first = "first_conversation", min(contact + day, now)
            last_at = first
    elif kind == "ip_overdue":
        status = "in_progress"  # after an attempt that did not reach the person
    return (
        rid,
        oid,
        programme,
        place.district_id,
        place.centre_id,
        status,
        at,
        due,
        contact,
        first,
        further,
        closed,
        last_step,
        last_at,
        withdrawn,
    )


def _drop_indexes(tables: list[str]) -> list[str]:
    """Secondary indexes are dropped for the load and built once afterwards: much faster than
    keeping a dozen B-trees up to date row by row. Constraint indexes (keys, unique) stay."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [tables],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({', '.join('%s' for _ in tables)})",
                tables,
            )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def _recreate_indexes(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _after_load(models: list) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        # What autovacuum does shortly after a bulk load in production; without it the planner
        # guesses and index-only scans cannot skip the heap.
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    else:
        connection.connection.execute("PRAGMA synchronous = NORMAL")
