"""The konfliktråd coordinator's work queue and the yearly figures with 100,000 cases in one
district, against the naive way, measured in the same run.

    .venv/bin/python benchmarks/mediation.py                       # 100,000 cases, temporary SQLite
    .venv/bin/python benchmarks/mediation.py --database-url postgres://…/bench_mediation
    .venv/bin/python benchmarks/mediation.py --cases 20000 --requests 30 --naive-cases 500

1. Generates ``--cases`` cases for Sydøstjylland over four years (a quarter in the current
   year) with bulk INSERTs: 2 % open in every open state (the queue's buckets), the rest closed;
   meetings for 60 %, agreements with two terms for 35 % (some falling due, some overdue), and
   each case's name-free figures row, as the services keep it.
2. The queue page (``/maegling/koe/``) as the coordinator, through the full Django stack:
   p50/p95 wall time and the queries per request, at the full size and after 1,000 more open
   cases (the count must not change).
3. ``selectors.queue_for_user`` against the naive queue: every open case of the district as
   ORM objects, bucketed in Python, with its offence, area, meetings and terms fetched per case.
4. ``figures.district_figures`` for the current year against the naive figures: every case of
   the year with its meetings, agreement and terms fetched per case and counted in Python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time

import _common


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--requests", type=int, default=50, help="timed queue pages")
    p.add_argument("--database-url", help="default: a temporary SQLite file")
    p.add_argument(
        "--naive-cases",
        type=int,
        default=2000,
        help="naive figures over this many of the year's cases, scaled to all of them",
    )
    return p.parse_args(argv)


OPEN = [
    "proposed", "suitable", "contacting", "awaiting_consent", "ready", "assigned",
    "meeting_booked", "meeting_held", "agreement",
]  # fmt: skip
CLOSED = ["completed", "completed", "withdrawn", "ended", "unsuitable"]


def generate(n: int, district, offence, mediator) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import F
    from django.utils import timezone

    from sporskifte.mediation.models import (
        Agreement,
        CaseFigures,
        MediationCase,
        Meeting,
        Term,
    )

    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    areas = list(district.municipalities.all())
    batch = 5000
    for start in range(0, n, batch):
        cases = []
        for i in range(start, min(n, start + batch)):
            days = rng.randrange(0, 90) if i % 4 == 0 else rng.randrange(90, 4 * 365)
            proposed = now - dt.timedelta(days=days)
            state = OPEN[i % len(OPEN)] if i % 50 == 0 else rng.choice(CLOSED)
            cases.append(
                MediationCase(
                    district=district,
                    country="DK",
                    area=rng.choice(areas),
                    journal_number=f"3700-{i:08d}",
                    offence=offence,
                    offence_date=proposed.date() - dt.timedelta(days=10),
                    source="police",
                    category=rng.choice(["violence", "burglary", "vandalism", "threats"]),
                    state=state,
                    state_changed_at=proposed + dt.timedelta(days=rng.randrange(0, 20)),
                    mediator=mediator if state not in ("proposed", "suitable") else None,
                    closed_at=now - dt.timedelta(days=max(0, days - 30))
                    if state in CLOSED
                    else None,
                )
            )
        cases = MediationCase.objects.bulk_create(cases)
        # proposed_at is auto_now_add: set it afterwards, ten days before the state changed.
        MediationCase.objects.filter(pk__in=[c.pk for c in cases]).update(
            proposed_at=F("state_changed_at") - dt.timedelta(days=10)
        )
        meetings, agreements, figures = [], [], []
        for c in cases:
            days = rng.randrange(0, 4 * 365)
            held = c.state in ("meeting_held", "agreement", "completed") and rng.random() < 0.9
            booked = c.state == "meeting_booked"
            when = now - dt.timedelta(days=days % 60) if held else now + dt.timedelta(days=days % 7)
            if held or booked:
                meetings.append(
                    Meeting(
                        case=c,
                        kind="mediation",
                        place="Rådhuset",
                        starts_at=when,
                        status="held" if held else "booked",
                    )
                )
            made = c.state == "agreement" or (
                c.state == "completed" and held and rng.random() < 0.6
            )
            if made:
                agreements.append(
                    Agreement(case=c, text="Undskyldning og betaling.", made_on=today)
                )
            figures.append(
                CaseFigures(
                    case=c,
                    district=district,
                    year=(c.state_changed_at - dt.timedelta(days=10)).year,
                    source="police",
                    category=c.category,
                    age_band=rng.choice(["12-14", "15-17", "18-24", "25+"]),
                    suitable=c.state != "unsuitable",
                    both_consented=held,
                    meeting_held=held,
                    agreement_made=made,
                    agreement_kept=(rng.random() < 0.8)
                    if made and c.state == "completed"
                    else None,
                    days_to_meeting=rng.randrange(5, 120) if held else None,
                    end_reason={"withdrawn": "victim_withdrew", "ended": "mediator_ended"}.get(
                        c.state, ""
                    ),
                )
            )
        Meeting.objects.bulk_create(meetings)
        agreements = Agreement.objects.bulk_create(agreements)
        terms = []
        for a in agreements:
            for k, offset in (
                ("apology", -rng.randrange(1, 30)),
                ("payment", rng.randrange(0, 30)),
            ):
                status = "open" if a.case.state == "agreement" else "kept"
                terms.append(
                    Term(
                        agreement=a,
                        kind=k,
                        description="x",
                        due_on=today + dt.timedelta(days=offset),
                        status=status,
                        amount=500 if k == "payment" else None,
                    )
                )
        Term.objects.bulk_create(terms)
        CaseFigures.objects.bulk_create(figures)
        print(f"  {min(n, start + batch):>7} cases", end="\r", flush=True)
    print()


def naive_queue(district_id: int) -> list:
    from sporskifte.mediation.models import CLOSED_STATES, MediationCase

    out = []
    for case in MediationCase.objects.filter(district_id=district_id).exclude(
        state__in=CLOSED_STATES
    ):
        row = [case.state, case.offence.name, case.area.name if case.area else ""]
        row.append([m.starts_at for m in case.meetings.all() if m.status == "booked"])
        agreement = getattr(case, "agreement", None) if case.state == "agreement" else None
        if agreement is not None:
            row.append([t.due_on for t in agreement.terms.all() if t.status == "open"])
        out.append(row)
    return out


def naive_figures(district_id: int, year: int, limit: int) -> dict:
    from sporskifte.mediation.models import Agreement, MediationCase

    counts: dict = {"proposals": 0, "suitable": 0, "meetings": 0, "agreements": 0, "kept": 0}
    days = []
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    cases = MediationCase.objects.filter(
        district_id=district_id,
        proposed_at__gte=start,
        proposed_at__lt=start.replace(year=year + 1),
    )
    for case in cases.order_by("pk")[:limit]:
        counts["proposals"] += 1
        counts["suitable"] += case.state != "unsuitable"
        held = [m for m in case.meetings.all() if m.status == "held"]
        if held:
            counts["meetings"] += 1
            days.append((held[0].starts_at - case.proposed_at).days)
        try:
            agreement = case.agreement
        except Agreement.DoesNotExist:
            continue
        counts["agreements"] += 1
        counts["kept"] += all(t.status == "kept" for t in agreement.terms.all())
    counts["median"] = statistics.median(days) if days else None
    return counts


def main() -> None:
    args = parse_args()
    url = args.database_url or _common.default_sqlite_url("bench_mediation", False)
    _common.setup_django(url)
    from django.db import connection
    from django.utils import timezone

    from sporskifte.accounts.models import Role
    from sporskifte.mediation import selectors
    from sporskifte.mediation.figures import district_figures
    from sporskifte.organisations.models import Organisation
    from sporskifte.referrals.models import Offence
    from sporskifte.testing.factories import member
    from sporskifte.testing.personas import mediation_service, verified_client

    _common.prepare_database(reuse=False, fingerprint=f"mediation-{args.cases}")
    district = Organisation.objects.get(slug="sydoestjylland")
    offence, _ = Offence.objects.get_or_create(
        code="STRL244", defaults={"country": "DK", "name": "Vold"}
    )
    coordinator = member(
        "bench_koordinator", mediation_service(district), Role.MEDIATION_COORDINATOR
    )
    mediator = member("bench_maegler", mediation_service(district), Role.MEDIATOR)
    print(f"Generating {args.cases:,} cases on {_common.vendor()} ({_common.redacted(url)})")
    t0 = time.perf_counter()
    generate(args.cases, district, offence, mediator)
    print(f"  generated in {time.perf_counter() - t0:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = verified_client(coordinator)

    def page() -> None:
        assert client.get("/maegling/koe/").status_code == 200

    def queries() -> int:
        count = [0]

        def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            page()
        return count[0]

    # The lower of two: a session refreshed on a minute boundary costs a write of its own.
    q_full = min(queries(), queries())
    queue = _common.timed(page, args.requests)
    print(f"Queue page: p50 {queue['p50']:.1f} ms, p95 {queue['p95']:.1f} ms, {q_full} queries")
    ours = _common.timed(lambda: selectors.queue_for_user(coordinator), args.requests)
    naive_q: list[int] = []

    def run_naive() -> None:
        count = [0]

        def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            naive_queue(district.pk)
        naive_q.append(count[0])

    naive = _common.timed(run_naive, 3, warmup=0)
    print(
        f"Queue selector: p50 {ours['p50']:.1f} ms against naive p50 {naive['p50']:.0f} ms "
        f"({naive_q[-1]} queries): {naive['p50'] / ours['p50']:.0f}x"
    )
    year = timezone.localdate().year
    figs = _common.timed(lambda: district_figures(district.pk, year), 10, warmup=1)
    from sporskifte.mediation.models import CaseFigures

    in_year = CaseFigures.objects.filter(district=district, year=year).count()
    sample = min(in_year, args.naive_cases)
    naive_f = _common.timed(lambda: naive_figures(district.pk, year, sample), 1, warmup=0)
    scaled = naive_f["p50"] * in_year / max(1, sample)
    print(
        f"Figures {year} ({in_year:,} cases): p50 {figs['p50']:.0f} ms, max {figs['max']:.0f} ms "
        f"against naive {naive_f['p50']:.0f} ms for {sample:,} cases, scaled to {in_year:,}: "
        f"{scaled:.0f} ms ({scaled / figs['p50']:.0f}x)"
    )
    generate(1000, district, offence, mediator)  # more open cases: the queries must not grow
    q_more = min(queries(), queries())
    print(f"Queue queries after 1,000 more cases: {q_more} (was {q_full})")
    print(_common.load_average())
    if not args.database_url:
        _common.remove_sqlite_file(url)
    if q_more != q_full:
        sys.exit("The queue's query count grew with the number of cases.")


if __name__ == "__main__":
    main()
