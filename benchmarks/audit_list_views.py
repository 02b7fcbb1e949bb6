"""The audit cost of one list view: one row per view (with its items) against one row per person.

    .venv/bin/python benchmarks/audit_list_views.py                    # 50 people per page, SQLite
    .venv/bin/python benchmarks/audit_list_views.py --database-url postgres://…/bench_audit

A partner's inbox page shows 50 people and an API page 100. For each of ``--views`` views:

1. ``audit_record_looks`` as the views call it now: one event naming the search criterion, one
   item row per person (object id, person id), the responsible organisation; one transaction.
2. The naive way, in the same run: one full audit row per person shown, as the views wrote
   before (one bulk INSERT), in one transaction.

It prints rows and bytes written per view (tables and their indexes: ``pg_total_relation_size``
on PostgreSQL, the file's used pages after a checkpoint on SQLite), the time per view, and checks
that a person's looks are found either way (the data-subject extract's query).
"""

from __future__ import annotations

import argparse
import sys

import _common


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--views", type=int, default=300, help="list views per method")
    p.add_argument("--page", type=int, default=50, help="people shown per view")
    p.add_argument("--database-url", help="default: a temporary SQLite file")
    return p.parse_args(argv)


def audit_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "WHERE c.relkind = 'r' AND c.relname LIKE 'audit\\_%%'"
            )
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA freelist_count")  # pages freed by the other method's delete
        pages -= cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return int(pages * cursor.fetchone()[0])


def audit_rows() -> int:
    from sporskifte.audit.models import AuditEvent, AuditEventItem

    return (
        AuditEvent.objects.count()
        + AuditEventItem.objects.count()
        + AuditEvent.responsible.through.objects.count()
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = args.database_url or _common.default_sqlite_url("sporskifte-bench-audit", reuse=False)
    _common.setup_django(url)
    try:
        return run(args, url)
    finally:
        if not args.database_url:
            _common.remove_sqlite_file(url)


def run(args: argparse.Namespace, url: str) -> int:
    from django.db import transaction

    from sporskifte.audit.models import AuditEvent
    from sporskifte.audit.services import audit_record_looks
    from sporskifte.auditlog.selectors import about_people
    from sporskifte.testing.personas import make_personas

    print(f"Database: {_common.redacted(url)} ({_common.vendor()}); {_common.load_average()}")
    _common.prepare_database(reuse=False, fingerprint="audit_list_views")
    actor = make_personas().counsellor_a
    pages = [
        [
            (view * args.page + i + 1, 10_000_000 + (view * args.page + i) % 5000)
            for i in range(args.page)
        ]
        for view in range(args.views + 3)
    ]

    def one_row_per_view(items: list[tuple[int, int]]) -> None:
        with transaction.atomic():
            audit_record_looks(
                actor=actor,
                object_type=AuditEvent.ObjectType.REFERRAL,
                items=items,
                purpose=AuditEvent.Purpose.PARTNER_INBOX,
                criterion={"bucket": "new", "page": "1"},
            )

    def one_row_per_person(items: list[tuple[int, int]]) -> None:
        """What the views wrote before: a full audit row per person, in one bulk INSERT."""
        with transaction.atomic():
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    actor=actor,
                    actor_label=actor.get_full_name() or actor.username,
                    organisation=actor.membership.organisation,
                    action=AuditEvent.Action.VIEW,
                    object_type=AuditEvent.ObjectType.REFERRAL,
                    object_id=str(obj_id),
                    person_id=person_id,
                    purpose=AuditEvent.Purpose.PARTNER_INBOX,
                )
                for obj_id, person_id in items
            )

    results = {}
    for label, write in (
        ("one row per view", one_row_per_view),
        ("one row per person", one_row_per_person),
    ):
        AuditEvent.objects.all().delete()
        before_rows, before_bytes = audit_rows(), audit_bytes()
        queue = iter(pages)
        timing = _common.timed(lambda w=write, q=queue: w(next(q)), args.views)
        views = args.views + 3  # the warm-up views write too
        events = AuditEvent.objects.count() / views
        rows = (audit_rows() - before_rows) / views
        size = (audit_bytes() - before_bytes) / views
        person = pages[0][0][1]
        found = AuditEvent.objects.filter(about_people([person])).count()
        results[label] = (rows, size, timing)
        print(
            f"{label:>20}: {events:5.1f} audit events, {rows:6.1f} rows in all, "
            f"{size / 1024:6.1f} KiB per view; "
            f"p50 {timing['p50']:.2f} ms, p95 {timing['p95']:.2f} ms; "
            f"person {person}'s looks found: {found}"
        )
    new, old = results["one row per view"], results["one row per person"]
    print(
        f"Ratio (per person / per view): rows {old[0] / new[0]:.1f}x, "
        f"bytes {old[1] / max(new[1], 1):.1f}x, time {old[2]['p50'] / new[2]['p50']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
