"""What erasure and its physical follow-up cost with many referrals (issue 15).

    benchmarks/pg_throwaway.sh start        # prints the URL
    .venv/bin/python benchmarks/erasure_compaction.py --database-url postgres://…/bench
    .venv/bin/python benchmarks/erasure_compaction.py --rows 200000   # SQLite, temporary file

The referral-pages generator makes the data (``_referral_data.generate``: 1,250,000 people and
offers per 1,000,000 referrals, created over three years) with the step history of the funnel
benchmark. The programmes' retention is then set to two years, so about a third of the offers are
due, as on the first night after retention is switched on for old data (the worst night; later
nights erase a day's worth). Timed, in one run:

1. ``personal_data_erase_expired``: the erasure itself (delete people, coarsen and generalise the
   residue to k-anonymity).
2. ``compact_erased_data``: the follow-up that rewrites the erased apps' tables (PostgreSQL:
   ``VACUUM FULL`` table by table; the longest table is the longest a reader waits for its lock).
3. The naive follow-up: ``VACUUM FULL`` of the whole database, and the ratio.

Sizes before and after come from ``pg_total_relation_size``. On SQLite the follow-up is a WAL
checkpoint and there is nothing to compare.
"""

from __future__ import annotations

import argparse
import time

import _common

FINGERPRINT = "erasure-v1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="referrals to generate")
    p.add_argument("--database-url", help="default: a temporary SQLite file")
    return p.parse_args(argv)


def _size(tables: list[str]) -> int:
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as c:
        c.execute(
            "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(%s::text[]) t", [tables]
        )
        return int(c.fetchone()[0] or 0)


def main() -> None:
    args = parse_args()
    url = args.database_url or _common.default_sqlite_url("sporskifte-erasure", False)
    _common.setup_django(url)
    import datetime as dt

    from _referral_data import generate
    from django.db import connection
    from django.utils import timezone
    from funnel import add_history

    from sporskifte.core.compaction import erased_data_compact, erased_tables
    from sporskifte.referrals.models import Offer, Programme
    from sporskifte.referrals.retention import offers_due_for_erasure, personal_data_erase_expired

    print(f"database: {_common.redacted(url)} ({_common.vendor()})")
    _common.prepare_database(reuse=False, fingerprint=FINGERPRINT)
    t = time.perf_counter()
    generate(args.rows, log=print)
    add_history()
    _common.marker_set("fingerprint", f"{FINGERPRINT}-{args.rows}")
    print(f"data ready in {time.perf_counter() - t:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")
    Programme.objects.update(retention_days=2 * 365)
    due = offers_due_for_erasure().count()
    print(f"offers {Offer.objects.count():,}, due for erasure {due:,}")

    t = time.perf_counter()
    erased = personal_data_erase_expired(now=timezone.now())
    erase_s = time.perf_counter() - t
    print(f"erasure: {erased:,} offers in {erase_s:.1f} s")

    tables = erased_tables()
    before = _size(tables)
    per_table: list[tuple[float, str]] = []
    t = time.perf_counter()
    if connection.vendor == "postgresql":
        for table in tables:
            t1 = time.perf_counter()
            erased_data_compact(tables=[table])
            per_table.append((time.perf_counter() - t1, table))
    else:
        erased_data_compact()
    follow_up_s = time.perf_counter() - t
    after = _size(tables)
    print(f"follow-up (compact_erased_data): {follow_up_s:.1f} s")
    if per_table:
        longest = sorted(per_table, reverse=True)[:3]
        print("  longest locks: " + ", ".join(f"{name} {s:.1f} s" for s, name in longest))
        print(
            f"  erased apps' tables: {before / 2**20:,.0f} MB before, {after / 2**20:,.0f} MB after"
        )
        t = time.perf_counter()
        with connection.cursor() as c:
            c.execute("VACUUM FULL")
        naive_s = time.perf_counter() - t
        print(f"naive follow-up (VACUUM FULL of the whole database): {naive_s:.1f} s")
        print(f"ratio naive / targeted: {naive_s / follow_up_s:.1f}")
    print(f"load average: {_common.load_average()} · {dt.datetime.now():%Y-%m-%d %H:%M}")
    _common.remove_sqlite_file(url)


if __name__ == "__main__":
    main()
