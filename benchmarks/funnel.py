"""The funnel for one programme and one year over 1,000,000 referrals: time, queries, and the ratio
against computing the same by iterating ORM objects in Python, in the same run.

    .venv/bin/python benchmarks/funnel.py                        # 1,000,000 referrals, SQLite
    .venv/bin/python benchmarks/funnel.py --rows 100000 --reuse
    .venv/bin/python benchmarks/funnel.py --database-url postgres://bench@127.0.0.1:55434/bench

The data comes from the referral-pages generator (``_referral_data.generate``: people, offers,
referrals with their milestones), and this script adds the step history the milestones were
copied from (an OutcomeStep per step, a ContactAttempt per first contact) and answers to the
prevention-staff conversation. The programme is the one with the most offers; the year is the
last full calendar year. Both ways must give identical figures, or the run fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import _common

TARGET_S = 1.0
TARGET_RATIO = 20.0
FINGERPRINT = "funnel-v1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="referrals to generate")
    p.add_argument("--database-url", help="default: a temporary SQLite file")
    p.add_argument("--reuse", action="store_true", help="keep the generated database; reuse it")
    p.add_argument("--repeat", type=int, default=5, help="timed runs of the funnel")
    p.add_argument("--naive-repeat", type=int, default=2, help="timed runs of the naive way")
    return p.parse_args(argv)


def add_history() -> None:
    """The step history behind the milestones, and prevention answers, made in the database."""
    from django.db import connection, transaction

    none = "CAST(NULL AS bigint)"  # PostgreSQL types a bare NULL in a UNION as text
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO referrals_outcomestep"
            " (referral_id, step, at, recorded_by_id, created_at, reason)"
            f" SELECT id, 'first_conversation', first_conversation_at, {none},"
            " first_conversation_at, '' FROM referrals_referral"
            " WHERE first_conversation_at IS NOT NULL"
            f" UNION ALL SELECT id, 'further_sessions', further_sessions_at, {none},"
            " further_sessions_at, '' FROM referrals_referral"
            " WHERE further_sessions_at IS NOT NULL"
            f" UNION ALL SELECT id, last_step, closed_at, {none}, closed_at, ''"
            " FROM referrals_referral"
            " WHERE closed_at IS NOT NULL AND last_step IN ('closed', 'unreachable')"
        )
        c.execute(
            "INSERT INTO referrals_contactattempt (referral_id, at, method, reached,"
            f" recorded_by_id, created_at, reason) SELECT id, contact_made_at, 'phone', TRUE,"
            f" {none}, contact_made_at, '' FROM referrals_referral"
            " WHERE contact_made_at IS NOT NULL"
        )
        c.execute("UPDATE referrals_programme SET has_prevention_conversation = TRUE")
        c.execute(
            "UPDATE referrals_offer SET prevention_conversation = CASE WHEN id % 5 < 4"
            " THEN 'accepted' ELSE 'declined' END WHERE answer <> 'not_asked'"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            for table in ("referrals_outcomestep", "referrals_contactattempt", "referrals_offer"):
                c.execute(f"VACUUM ANALYZE {table}")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")


def naive(programme_id: int, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict:
    """The same figures by iterating ORM objects in Python."""
    from sporskifte.insights.selectors import nearest_rank
    from sporskifte.referrals.models import Offer, Referral

    counts = dict.fromkeys(
        ("offered", "yes", "referred", "contact", "first_conversation", "further_sessions"), 0
    )
    prevention = [0, 0]
    durations, due, within = [], 0, 0
    offers = Offer.objects.filter(
        programme_id=programme_id, created_at__gte=start, created_at__lt=end
    ).select_related("referral", "programme")
    for offer in offers:
        counts["offered"] += 1
        if offer.programme.has_prevention_conversation:
            prevention[0] += 1
            prevention[1] += offer.prevention_conversation == Offer.Prevention.ACCEPTED
        if offer.answer != Offer.Answer.YES:
            continue
        counts["yes"] += 1
        try:
            r = offer.referral
        except Referral.DoesNotExist:
            continue
        counts["referred"] += 1
        further = r.further_sessions_at is not None
        first = further or r.first_conversation_at is not None
        counts["contact"] += first or r.contact_made_at is not None
        counts["first_conversation"] += first
        counts["further_sessions"] += further
        if r.contact_made_at is not None:
            durations.append((r.contact_made_at - r.created_at).total_seconds())
            within += r.contact_made_at <= r.due_at
        if r.contact_made_at is not None or r.due_at < now:
            due += 1
    durations.sort()

    def pct(p: float) -> float | None:
        return durations[nearest_rank(p, len(durations))] if durations else None

    return {
        "counts": counts,
        "prevention": tuple(prevention),
        "timed": len(durations),
        "median": pct(0.5),
        "p90": pct(0.9),
        "due": due,
        "within": within,
    }


def as_comparable(f) -> dict:  # type: ignore[no-untyped-def]
    t = f.time_to_contact
    return {
        "counts": f.counts,
        "prevention": f.prevention,
        "timed": t.timed,
        "median": t.median.total_seconds() if t.median else None,
        "p90": t.p90.total_seconds() if t.p90 else None,
        "due": t.due,
        "within": t.within,
    }


def same(a: dict, b: dict) -> bool:
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, float) and isinstance(y, float):
            if abs(x - y) > 0.01:  # julianday arithmetic keeps milliseconds
                return False
        elif x != y:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = args.database_url or _common.default_sqlite_url("sporskifte-funnel", args.reuse)
    _common.setup_django(url)
    from _referral_data import generate
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sporskifte.insights.report import build_report
    from sporskifte.insights.selectors import Filters, InsightScope, Period
    from sporskifte.insights.selectors import funnel_raw as funnel  # the raw-row aggregate
    from sporskifte.referrals.models import Offer, OutcomeStep, Programme, Referral

    fingerprint = f"{FINGERPRINT}-{args.rows}"
    print(f"database: {_common.redacted(url)} ({_common.vendor()})")
    if _common.prepare_database(reuse=args.reuse, fingerprint=fingerprint):
        print("reusing the generated data")
    else:
        t = time.perf_counter()
        generate(args.rows, log=print)
        add_history()
        _common.marker_set("fingerprint", fingerprint)
        print(f"data ready in {time.perf_counter() - t:.0f} s")
    print(
        f"referrals {Referral.objects.count():,}, offers {Offer.objects.count():,}, "
        f"outcome steps {OutcomeStep.objects.count():,}"
    )
    top = (
        Offer.objects.values("programme_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "programme_id")
        .first()
    )
    programme = Programme.objects.get(pk=top["programme_id"])
    year = timezone.localdate().year - 1
    period = Period.between(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), "year")
    filters = Filters(period=period)
    ids, prevention = [programme.pk], [programme.pk]
    now = timezone.now()

    def fast():  # type: ignore[no-untyped-def]
        return funnel(ids, filters, prevention_ids=prevention, now=now)

    fast()  # warm the caches, as a page served a minute ago would
    runs, result = [], None
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = fast()
        runs.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as ctx:
        fast()
    scope = InsightScope("police", Programme.objects.filter(pk=programme.pk), False)
    t = time.perf_counter()
    build_report(scope, [programme], filters)  # from the rollup, if one was built
    whole_report = time.perf_counter() - t
    naive_runs, slow = [], None
    for _ in range(args.naive_repeat):
        t = time.perf_counter()
        slow = naive(programme.pk, period.start, period.end, now)
        naive_runs.append(time.perf_counter() - t)
    assert result is not None and slow is not None
    if not same(as_comparable(result), slow):
        print("MISMATCH", as_comparable(result), slow)
        return 1
    best, p50 = min(runs), statistics.median(runs)
    naive_p50 = statistics.median(naive_runs)
    ratio = naive_p50 / p50
    print(f"programme: {programme.name}, year {year}: {result.counts}")
    print(
        f"funnel (aggregate and percentiles): p50 {p50 * 1000:.0f} ms, best {best * 1000:.0f} ms, "
        f"max {max(runs) * 1000:.0f} ms over {len(runs)} runs; queries: {len(ctx)}"
    )
    print(f"whole report (funnel, monthly trend, sentences): {whole_report * 1000:.0f} ms")
    print(f"naive (iterating ORM objects): p50 {naive_p50 * 1000:.0f} ms over {len(naive_runs)}")
    print(f"ratio naive / funnel: {ratio:.0f}x (target >= {TARGET_RATIO:.0f}x)")
    ok = max(runs) <= TARGET_S and ratio >= TARGET_RATIO
    print("OK" if ok else "TARGET MISSED")
    if not args.reuse:
        _common.remove_sqlite_file(url)
    return 0 if ok else _common.TARGET_MISSED


if __name__ == "__main__":
    raise SystemExit(main())
