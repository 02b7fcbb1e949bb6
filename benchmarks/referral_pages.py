"""Partner inbox and police overview with many referrals: server time and queries per page.

    .venv/bin/python benchmarks/referral_pages.py                      # 1,000,000 rows, SQLite
    .venv/bin/python benchmarks/referral_pages.py --rows 100000 --reuse
    .venv/bin/python benchmarks/referral_pages.py --database-url postgres://…/bench

Each page is fetched through Django's test client (middleware, session, audit rows and template
included) as a counsellor of Rusmiddelcenter Viborg and an officer of Midt- og Vestjyllands
Politi. Next to it, the same page built the naive way (all referrals bucketed in Python; Django's
Paginator with COUNT(*) + OFFSET) in the same run, and the ratio. The pages past the first are
reached as a user reaches them, by the pager's key (``?efter=``, referrals/paging.py); the deep
ones are also fetched the way they were before keyset paging (OFFSET without COUNT), in the same
run. The naive inbox is a strawman (it loads every referral of the centre); the "fair" columns
time what a competent developer writes first (the ORM's ``aggregate`` for the tab counts,
Django's ``Paginator``) in the same run. The number of queries per page is compared with a
1,000-row database built in a subprocess: it must not grow with the data.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import types
from pathlib import Path

import _common

TARGET_P95_MS = 100.0
DEEP_INBOX_PAGE = 200  # closed bucket, rows 9,950-9,999
DEEP_OVERVIEW_PAGE = 1000  # rows 49,950-49,999
DEEP_OPEN_PAGE = 50  # in progress (due first), rows 2,450-2,499
# The pages reached by key, as (list, page number).
KEYSET_PAGES = [
    ("inbox closed", 2),
    ("inbox closed", DEEP_INBOX_PAGE),
    ("inbox in_progress", DEEP_OPEN_PAGE),
    ("overview", 2),
    ("overview", DEEP_OVERVIEW_PAGE),
]
DATA_VERSION = 2  # bump when the generator changes, so --reuse does not keep stale data


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="referrals to generate")
    p.add_argument("--database-url", help="default: a temporary SQLite file")
    p.add_argument("--reuse", action="store_true", help="keep the generated database; reuse it")
    p.add_argument("--requests", type=int, default=200, help="timed requests per page")
    p.add_argument(
        "--naive-requests", type=int, default=3, help="timed naive requests per page (slow)"
    )
    p.add_argument(
        "--fair-requests", type=int, default=20, help="timed requests per page, paginator inbox"
    )
    p.add_argument("--no-small", action="store_true", help="skip the 1,000-row query comparison")
    p.add_argument("--explain", action="store_true", help="print the query plans of each page")
    p.add_argument("--only", default="", help="measure only pages whose label contains this")
    p.add_argument("--generate-only", action="store_true", help="make the database and stop")
    p.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


# Pages ----------------------------------------------------------------------------------------


def variants(ctx: dict) -> list[tuple[str, str, str, str]]:
    """(label, who, real url, naive url). ``side=N``: page N, reached by the key of the last
    row of page N - 1, as the pager's "Next page" link does."""
    inbox, overview = ctx["inbox"], ctx["overview"]
    naive_i, naive_o = "/bench-naive/inbox/", "/bench-naive/overview/"
    offset_i, offset_o = "/bench-offset/inbox/", "/bench-offset/overview/"
    out = []
    for bucket in ("overdue", "due_soon", "new", "in_progress", "closed"):
        q = f"?vis={bucket}"
        out.append((f"inbox {bucket}", "counsellor", inbox + q, naive_i + q))
    for bucket, side in [
        ("closed", 2),
        ("closed", DEEP_INBOX_PAGE),
        ("in_progress", DEEP_OPEN_PAGE),
    ]:
        q = f"?vis={bucket}&side={side}"
        key = f"?vis={bucket}&efter={ctx['keys'][(f'inbox {bucket}', side)]}&side={side}"
        out.append((f"inbox {bucket} side={side}", "counsellor", inbox + key, naive_i + q))
    q = f"?vis=closed&side={DEEP_INBOX_PAGE}"
    out.append(
        (f"inbox closed side={DEEP_INBOX_PAGE} OFFSET", "counsellor", offset_i + q, naive_i + q)
    )
    filters = [
        ("overview", "", ""),
        ("overview side=2", f"?efter={ctx['keys'][('overview', 2)]}&side=2", "?side=2"),
        (
            f"overview side={DEEP_OVERVIEW_PAGE}",
            f"?efter={ctx['keys'][('overview', DEEP_OVERVIEW_PAGE)]}&side={DEEP_OVERVIEW_PAGE}",
            f"?side={DEEP_OVERVIEW_PAGE}",
        ),
        (
            f"overview side={DEEP_OVERVIEW_PAGE} OFFSET",
            None,
            f"?side={DEEP_OVERVIEW_PAGE}",
        ),
        ("overview svar=yes", "?svar=yes", "?svar=yes"),
        ("overview svar=thinking", "?svar=thinking", "?svar=thinking"),
        ("overview program=…", f"?program={ctx['programme']}", f"?program={ctx['programme']}"),
        (
            "overview svar=no&program=…",
            f"?svar=no&program={ctx['programme']}",
            f"?svar=no&program={ctx['programme']}",
        ),
        ("overview q=<journal no.>", f"?q={ctx['journal']}", f"?q={ctx['journal']}"),
    ]
    out += [
        (label, "officer", overview + q if q is not None else offset_o + naive_q, naive_o + naive_q)
        for label, q, naive_q in filters
    ]
    return out


def install_naive_views() -> None:
    """The same pages built the naive way, mounted next to the real URLs for this run only."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.core.paginator import Paginator
    from django.db import transaction
    from django.db.models import Count
    from django.shortcuts import render
    from django.urls import clear_url_caches, include, path
    from django.utils import timezone

    from sporskifte.audit.services import audit_record_looks
    from sporskifte.audit.vocabulary import Purpose
    from sporskifte.referrals import selectors, services
    from sporskifte.referrals.models import Offer
    from sporskifte.referrals.paging import PAGE, Page
    from sporskifte.referrals.views import (
        BUCKETS,
        DUE_FIRST,
        INBOX_ROW,
        NEWEST_FIRST,
        OVERVIEW_ROW,
        _add_police_status_to_rows,
        _tab_count,
    )

    # Every way reads the real pages' plain rows (views.INBOX_ROW, OVERVIEW_ROW) and renders
    # the real template: what differs is how the rows are found, counted and paged.
    def tabs_of(counts):
        return [(k, label, counts[k], _tab_count(k, counts[k])) for k, label in BUCKETS.items()]

    def bucket_of(row, now):
        return selectors.inbox_bucket_of(
            status=row["status"],
            long_follow_up=row["long_follow_up"],
            contact_made_at=row["contact_made_at"],
            due_at=row["due_at"],
            now=now,
        )

    def pager(rows, number, has_next, keyset):
        """The template's pager for a page found by offset (the links carry keys, as the real
        pager's do, so the template costs the same)."""
        return Page(
            rows=rows,
            number=number,
            has_previous=number > 1,
            has_next=has_next,
            previous_key=keyset.key(rows[0]) if rows and number > 2 else None,
            next_key=keyset.key(rows[-1]) if rows and has_next else None,
        )

    def old_offset_slice(qs, request):
        """The pager before keyset paging: ``?side=N``, OFFSET without COUNT(*)."""
        try:
            page = max(0, int(request.GET.get("side", "1")) - 1)
        except ValueError:
            page = 0
        rows = list(qs[page * PAGE : (page + 1) * PAGE + 1])
        return rows[:PAGE], page + 1, len(rows) > PAGE

    @login_required
    def naive_inbox(request):
        now = timezone.now()
        bucket = request.GET.get("vis", "overdue")
        page = max(1, int(request.GET.get("side", "1")))
        by_bucket: dict[str, list] = {key: [] for key in BUCKETS}
        for r in selectors.referrals_for_user(request.user).values(*INBOX_ROW):
            by_bucket[bucket_of(r, now)].append(r)
        chosen = by_bucket[bucket]
        if bucket == "closed":
            chosen.sort(key=lambda r: -r["id"])
        else:
            chosen.sort(key=lambda r: (r["due_at"], r["id"]))
        rows = chosen[(page - 1) * PAGE : page * PAGE]
        with transaction.atomic():
            audit_record_looks(
                actor=request.user,
                object_type="referral",
                items=((r["id"], r["offer__person_id"]) for r in rows),
                purpose=Purpose.PARTNER_INBOX,
                legal_basis=services.CONSENT,
            )
        tabs = tabs_of({k: len(rows) for k, rows in by_bucket.items()})
        keyset = NEWEST_FIRST if bucket == "closed" else DUE_FIRST
        context = {
            "referrals": rows,
            "bucket": bucket,
            "tabs": tabs,
            "pager": pager(rows, page, len(chosen) > page * PAGE, keyset),
            "now": now,
        }
        return render(request, "referrals/inbox.html", context)

    def aggregate_inbox(request, read):
        """The inbox with the ORM's aggregate for the tab counts; ``read(ordered)`` gives
        (rows, page number, has next) in the transaction of the audit rows."""
        now = timezone.now()
        filters = {key: selectors.inbox_bucket_q(key, now) for key in selectors.INBOX_BUCKETS}
        bucket = request.GET.get("vis", "overdue")
        if bucket not in filters:
            bucket = "overdue"
        referrals = selectors.referrals_for_user(request.user)
        counts = referrals.aggregate(**{k: Count("id", filter=q) for k, q in filters.items()})
        ordered = (
            referrals.filter(filters[bucket])
            .values(*INBOX_ROW)
            .order_by("-id" if bucket == "closed" else "due_at", "id")
        )
        with transaction.atomic():
            rows, page, has_next = read(ordered)
            audit_record_looks(
                actor=request.user,
                object_type="referral",
                items=((r["id"], r["offer__person_id"]) for r in rows),
                purpose=Purpose.PARTNER_INBOX,
                legal_basis=services.CONSENT,
            )
        keyset = NEWEST_FIRST if bucket == "closed" else DUE_FIRST
        context = {
            "referrals": rows,
            "bucket": bucket,
            "tabs": tabs_of(counts),
            "pager": pager(rows, page, has_next, keyset),
            "now": now,
        }
        return render(request, "referrals/inbox.html", context)

    @login_required
    def offset_inbox(request):
        """The real inbox as it was before keyset paging (views.inbox with ``_slice``)."""
        return aggregate_inbox(request, lambda ordered: old_offset_slice(ordered, request))

    @login_required
    def paginator_inbox(request):
        """What a competent developer writes first: the ORM's aggregate for the tab counts and
        Django's Paginator (COUNT(*) of the bucket, then OFFSET) for the page."""

        def read(ordered):
            page = Paginator(ordered, PAGE).get_page(request.GET.get("side"))
            return list(page.object_list), page.number, page.has_next()

        return aggregate_inbox(request, read)

    def overview_filtered(request, *, substring: bool):
        offers = selectors.offers_for_user(request.user).values(*OVERVIEW_ROW).order_by("-id")
        answer = request.GET.get("svar", "")
        if answer in Offer.Answer.values:
            offers = offers.filter(answer=answer)
        programme = request.GET.get("program", "")
        if programme.isdigit():
            offers = offers.filter(programme_id=int(programme))
        query = request.GET.get("q", "").strip()
        if query and substring:
            offers = offers.filter(journal_number__icontains=query)
        elif query:
            offers = offers.filter(journal_number=query)
        return offers, {"svar": answer, "program": programme, "q": query}

    def overview_render(request, read, filters):
        """``read()`` gives (rows, pager); it runs in the transaction of the audit rows, as in
        the real view."""
        with transaction.atomic():
            rows, page = read()
            audit_record_looks(
                actor=request.user,
                object_type="offer",
                items=((o["id"], o["person_id"]) for o in rows),
                purpose=Purpose.POLICE_OVERVIEW,
            )
        _add_police_status_to_rows(rows)
        context = {
            "offers": rows,
            "pager": page,
            "answers": Offer.Answer.choices,
            "programmes": selectors.programmes_for_user(request.user),
            "filters": filters,
        }
        return render(request, "referrals/overview.html", context)

    @login_required
    def naive_overview(request):
        offers, filters = overview_filtered(request, substring=True)

        def read():
            page = Paginator(offers, PAGE).get_page(request.GET.get("side"))
            rows = list(page.object_list)
            return rows, pager(rows, page.number, page.has_next(), NEWEST_FIRST)

        return overview_render(request, read, filters)

    @login_required
    def offset_overview(request):
        """The real overview as it was before keyset paging (``_slice``: OFFSET, no COUNT)."""
        offers, filters = overview_filtered(request, substring=False)

        def read():
            rows, number, has_next = old_offset_slice(offers, request)
            return rows, pager(rows, number, has_next, NEWEST_FIRST)

        return overview_render(request, read, filters)

    module = types.ModuleType("sporskifte_bench_urls")
    module.urlpatterns = [
        path("bench-naive/inbox/", naive_inbox),
        path("bench-naive/overview/", naive_overview),
        path("bench-offset/inbox/", offset_inbox),
        path("bench-paginator/inbox/", paginator_inbox),
        path("bench-offset/overview/", offset_overview),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def personas() -> dict:
    """Logged-in clients; the audit rows and sessions of earlier runs are removed first."""
    from django.contrib.sessions.models import Session
    from django.test import Client

    from sporskifte.accounts.models import Role
    from sporskifte.audit.models import AuditEvent
    from sporskifte.testing.factories import centre, district, member
    from sporskifte.testing.personas import verified_client

    counsellor = member("bench_counsellor", centre("Viborg"), Role.COUNSELLOR)
    officer = member("bench_officer", district("midt-vestjylland"), Role.OFFICER)
    AuditEvent.objects.filter(actor__in=[counsellor, officer]).delete()
    Session.objects.all().delete()
    return {
        "counsellor": verified_client(counsellor, Client()),
        "officer": verified_client(officer, Client()),
    }


def context() -> dict:
    from django.urls import reverse
    from django.utils import timezone

    from sporskifte.referrals.models import Offer, Programme, Referral
    from sporskifte.referrals.paging import PAGE
    from sporskifte.referrals.selectors import inbox_bucket_q
    from sporskifte.referrals.views import DUE_FIRST, NEWEST_FIRST
    from sporskifte.testing.factories import centre, district

    mv = district("midt-vestjylland")
    ids = Offer.objects.filter(police_district=mv).order_by("id").values_list("id", flat=True)
    middle = ids[ids.count() // 2]
    now = timezone.now()
    viborg = Referral.objects.filter(partner=centre("Viborg"))
    lists = {  # label prefix: (rows, ordering)
        "inbox closed": (viborg.filter(inbox_bucket_q("closed", now)), NEWEST_FIRST),
        "inbox in_progress": (viborg.filter(inbox_bucket_q("in_progress", now)), DUE_FIRST),
        "overview": (Offer.objects.filter(police_district=mv), NEWEST_FIRST),
    }
    keys, short = {}, set()
    for name, side in KEYSET_PAGES:
        # The key the pager's "Next page" link of page side - 1 carries: that of its last row.
        # (A small database has fewer rows: the last but one, so the page is not empty.)
        rows, keyset = lists[name]
        ordered = rows.order_by(*keyset.fields)
        n = ordered.count()
        if n <= (side - 1) * PAGE:
            short.add(f"{name} side={side}")
        keys[(name, side)] = keyset.key(ordered[min((side - 1) * PAGE, n - 1) - 1])
    return {
        "inbox": reverse("referrals:inbox"),
        "overview": reverse("referrals:overview"),
        "programme": Programme.objects.filter(police_district=mv).order_by("id").first().pk,
        "journal": Offer.objects.get(pk=middle).journal_number,
        "keys": keys,
        "short": short,  # labels of the pages that this database has too few rows for
    }


# Measuring ------------------------------------------------------------------------------------


def fetch(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def count_queries(client, url: str) -> tuple[int, int]:
    """Queries of one request, and the audit rows it wrote (= people shown)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sporskifte.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return len(captured), AuditEvent.objects.count() - before


def explain(client, url: str) -> None:
    """The plan of each SELECT on the referral tables, with the parameters bound as Django
    binds them (SQLite cannot use a partial index whose condition needs a bound value)."""
    from django.db import connection

    seen: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        fetch(client, url)
    sqlite = connection.vendor == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, COSTS OFF) "
    for sql, params in seen:
        if sql.startswith("SELECT") and "referrals_" in sql:
            print(f"    -- {sql[:150]}…")
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql, params)
                for row in cursor.fetchall():
                    print("      ", row[-1] if sqlite else row[0])


def data_summary(ctx: dict) -> str:
    from django.db.models import Count
    from django.utils import timezone

    from sporskifte.people.models import Person
    from sporskifte.referrals.models import Offer, Referral
    from sporskifte.referrals.selectors import INBOX_BUCKETS, inbox_bucket_q
    from sporskifte.testing.factories import centre, district

    now = timezone.now()
    viborg = Referral.objects.filter(partner=centre("Viborg"))
    buckets = viborg.aggregate(
        **{k: Count("id", filter=inbox_bucket_q(k, now)) for k in INBOX_BUCKETS}
    )
    mv = Offer.objects.filter(police_district=district("midt-vestjylland")).count()
    return (
        f"people {Person.objects.count():,}  offers {Offer.objects.count():,}  "
        f"referrals {Referral.objects.count():,}\n"
        f"Rusmiddelcenter Viborg: {viborg.count():,} referrals; buckets {buckets}\n"
        f"Midt- og Vestjyllands Politi: {mv:,} offers"
    )


def queries_of_small_database(args, big_url: str) -> dict[str, list[int]]:
    """Build a 1,000-row database in a subprocess and return its queries per page."""
    small = _small_url(big_url)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--rows", "1000", "--database-url", small, "--queries-only"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except subprocess.CalledProcessError as exc:
        print(exc.stdout, exc.stderr, file=sys.stderr)
        raise
    finally:
        _drop_small(big_url, small)
    line = next(x for x in out.splitlines() if x.startswith("QUERIES_JSON "))
    return json.loads(line.removeprefix("QUERIES_JSON "))


def _small_url(big_url: str) -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return _common.default_sqlite_url("sporskifte-bench-q1000", reuse=False)
    name = connection.settings_dict["NAME"] + "_q1000"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    return big_url.rsplit("/", 1)[0] + "/" + name


def _drop_small(big_url: str, small: str) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        path = _common.sqlite_path(small)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{small.rsplit("/", 1)[1]}"')


def check_keyset_pages(
    users: dict, pages: list[tuple[str, str, str, str]], short: set[str]
) -> list[str]:
    """The pages reached by key must list the same rows as the same page reached by OFFSET
    (the naive view, which pages by ``?side=N``): the keys point at the same depth."""
    import re

    body = re.compile(r"<tbody>.*?</tbody>", re.S)
    wrong = []
    for label, who, real, naive in pages:
        if "efter=" in real and label not in short:
            rows = [body.search(fetch(users[who], u).content.decode())[0] for u in (real, naive)]
            if rows[0] != rows[1]:
                wrong.append(label)
    return wrong


def ratio(naive: float, real: float) -> str:
    r = naive / real
    return f"{r:5.1f}" if r < 10 else f"{r:5.0f}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = args.database_url or _common.default_sqlite_url(
        f"sporskifte-bench-pages-{args.rows}", reuse=args.reuse
    )
    _common.setup_django(url)
    try:
        return run(args, url)
    finally:
        if not args.reuse and args.database_url is None:
            _common.remove_sqlite_file(url)


def run(args: argparse.Namespace, url: str) -> int:
    log = (lambda *a: print(*a, file=sys.stderr)) if args.queries_only else print
    fingerprint = f"referral_pages rows={args.rows} data={DATA_VERSION}"
    if not args.queries_only:
        print(f"Database: {_common.redacted(url)} ({_common.vendor()})")
    reused = _common.prepare_database(reuse=args.reuse, fingerprint=fingerprint)
    if reused:
        log(f"Reusing the generated data (made {_common.marker_get('generated_at')}).")
    else:
        from _referral_data import generate

        log(f"Generating {args.rows:,} referrals …")
        now = generate(args.rows, log=log)
        _common.marker_set("generated_at", f"{now:%Y-%m-%d %H:%M} UTC")
        _common.marker_set("fingerprint", fingerprint)
    if args.generate_only:
        print(data_summary(context()))
        return 0
    users = personas()
    install_naive_views()
    ctx = context()
    pages = [p for p in variants(ctx) if args.only in p[0]]

    if args.queries_only:
        counts = {}
        for label, who, real, _naive in pages:
            fetch(users[who], real)
            counts[label] = list(count_queries(users[who], real))
        print("QUERIES_JSON " + json.dumps(counts))
        return 0

    print(data_summary(ctx))
    small = {} if args.no_small else queries_of_small_database(args, url)
    print(
        f"\n{args.requests} requests per page (naive: {args.naive_requests}); times in ms; "
        f"target p95 ≤ {TARGET_P95_MS:.0f} ms; {_common.load_average()}\n"
        "cpu = median CPU time of this process; queries/@1k = queries per page here and in "
        "a 1,000-row database; shown = people on the page; x = naive / real;\n"
        "fair = the competent naive way (inbox: the ORM's aggregate for the tabs, Django's "
        "Paginator with COUNT(*) + OFFSET; overview: the naive column again); f = fair / real\n"
    )
    header = (
        f"{'page':30} {'p50':>6} {'p95':>6} {'max':>6} {'cpu':>5}  {'queries':>7} {'@1k':>4} "
        f"{'shown':>5}  {'naive p50':>9} {'naive p95':>9}  {'x p50':>5} {'x p95':>5}  "
        f"{'fair p50':>8} {'fair p95':>8} {'cpu':>5}  {'f p50':>5} {'f p95':>5}"
    )
    print(header)
    print("-" * len(header))
    wrong = check_keyset_pages(users, pages, ctx["short"])
    if wrong:
        raise SystemExit(f"Not the rows of the same page reached by OFFSET: {', '.join(wrong)}")
    misses, unequal = [], []
    started = time.perf_counter()
    for label, who, real, naive in pages:
        client = users[who]
        queries, shown = count_queries(client, real)
        real_ms = _common.timed(lambda c=client, u=real: fetch(c, u), args.requests)
        naive_ms = _common.timed(
            lambda c=client, u=naive: fetch(c, u), args.naive_requests, warmup=0
        )
        fair_ms = naive_ms  # the naive overview is already Django's Paginator
        if naive.startswith("/bench-naive/inbox/"):
            fair = naive.replace("/bench-naive/", "/bench-paginator/")
            fair_ms = _common.timed(lambda c=client, u=fair: fetch(c, u), args.fair_requests)
        at_small = small.get(label, [None, None])
        mark = ""
        if at_small[0] is not None and at_small[0] != queries:
            mark = "*"
            unequal.append((label, queries, at_small))
        if real_ms["p95"] > TARGET_P95_MS and not label.endswith("OFFSET"):
            misses.append(label)  # the OFFSET rows are the way it was: for comparison only
        print(
            f"{label:30} {real_ms['p50']:6.1f} {real_ms['p95']:6.1f} {real_ms['max']:6.0f} "
            f"{real_ms['cpu50']:5.1f}  {queries:7d} "
            f"{at_small[0] if at_small[0] is not None else '-':>4}{mark:1}"
            f"{shown:5d}  {naive_ms['p50']:9.1f} {naive_ms['p95']:9.1f}  "
            f"{ratio(naive_ms['p50'], real_ms['p50'])} {ratio(naive_ms['p95'], real_ms['p95'])}  "
            f"{fair_ms['p50']:8.1f} {fair_ms['p95']:8.1f} {fair_ms['cpu50']:5.1f}  "
            f"{ratio(fair_ms['p50'], real_ms['p50'])} {ratio(fair_ms['p95'], real_ms['p95'])}",
            flush=True,
        )
        if args.explain:
            explain(client, real)
    print(f"\nMeasured in {time.perf_counter() - started:.0f} s; {_common.load_average()}.")
    for label, queries, (q_small, shown_small) in unequal:
        print(
            f"* {label}: {queries} queries here, {q_small} at 1,000 rows "
            f"(which showed {shown_small} people: an empty page writes no audit rows)."
        )
    print(
        "p95 target met on every page." if not misses else f"p95 over target: {', '.join(misses)}"
    )
    return _common.TARGET_MISSED if misses else 0


if __name__ == "__main__":
    sys.exit(main())
