"""Where a request's CPU goes: each path of the load test, in one process, under cProfile.

    .venv/bin/python benchmarks/profile_paths.py --database-url postgres://bench@127.0.0.1:55451/bench
    .venv/bin/python benchmarks/profile_paths.py --database-url … --only inbox --top 40

Uses the database ``load_test.py`` left (``--keep``) and its clients (a verified counsellor and
officer session, a token), the production profile (DEBUG off, cached template loader), and
Django's test client, so the middleware, session, audit rows and template are all in the time.
Prints this process's CPU milliseconds per request (PostgreSQL's work is in its own processes,
as under gunicorn), the queries one request makes, and the functions that cost the most.

Besides the load test's paths, ``page`` is the accessibility statement seen by the logged-in
counsellor: a page with no work of its own, so its cost is what every page pays before and
around its view (session, user, second factor, membership, menu, middleware, base template).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

import _common

PAGE = "page"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", required=True)
    p.add_argument("--requests", type=int, default=100, help="timed requests per path")
    p.add_argument("--only", default="", help="paths whose name contains this")
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="time the requests this many times; print the fastest and the median round "
        "(other programs on the cores inflate a round's CPU time, never deflate it)",
    )
    p.add_argument("--top", type=int, default=25, help="functions shown (0: none)")
    p.add_argument("--sort", default="tottime", help="pstats sort key")
    p.add_argument("--queries", action="store_true", help="also print one request's statements")
    p.add_argument(
        "--cpu",
        action="store_true",
        help="profile this process's CPU time instead of wall time (a wall-time profile puts "
        "the time spent waiting for PostgreSQL in psycopg's wait(), which the CPU goal does "
        "not count)",
    )
    args = p.parse_args()
    os.environ["SPORSKIFTE_ENV"] = "production"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("SPORSKIFTE_SITE_URL", "http://127.0.0.1")
    # One token makes every API request here: a few rounds of writes pass 1,000 a minute.
    os.environ.setdefault("SPORSKIFTE_API_RATE", "100000/minute")
    # The static files load_test.py collected (the manifest {% static %} reads in production).
    os.environ.setdefault(
        "SPORSKIFTE_LOAD_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "sporskifte-load-static")
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    _common.setup_django(args.database_url, settings="_load_settings")

    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext
    from load_test import PATHS, PUBLIC, make_clients, open_referrals, public_page, request_for

    client = make_clients(1)[0]
    client.public = public_page()
    referrals = open_referrals()
    rng = random.Random(1)
    http = TestClient(enforce_csrf_checks=True)
    for kind in (*PATHS, PUBLIC, PAGE):
        if args.only not in kind:
            continue

        def one(kind: str = kind) -> None:
            if kind == PAGE:
                method, path, headers, body, status = (
                    "GET",
                    "/tilgaengelighed/",
                    {"Cookie": client.counsellor_cookie},
                    b"",
                    200,
                )
            else:
                method, path, headers, body, status = request_for(kind, client, referrals, rng)
            # Only the cookies the load test sends: a session cookie a page set must not ride
            # along on the API's token requests, which gunicorn sees without one.
            http.cookies.clear()
            extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
            if "HTTP_CONTENT_TYPE" in extra:
                extra["content_type"] = extra.pop("HTTP_CONTENT_TYPE")
            if method == "GET":
                response = http.get(path, **extra)
            else:
                response = http.post(path, body, **extra)
            assert response.status_code == status, (kind, response.status_code)

        for _ in range(10):  # warm: templates compiled, connection open
            one()
        with CaptureQueriesContext(connection) as captured:
            one()
        queries = len(captured)
        if args.queries:
            for q in captured.captured_queries:
                print(f"    {q['sql'][:160]}")
        rounds = []
        for _ in range(max(args.rounds, 1)):
            start = time.process_time()
            for _ in range(args.requests):
                one()
            rounds.append((time.process_time() - start) * 1000 / args.requests)
        rounds.sort()
        plain = rounds[len(rounds) // 2]
        profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            one()
        profiler.disable()
        # Function calls per request: what the code does, unmoved by other programs' load.
        calls = pstats.Stats(profiler).total_calls / args.requests  # type: ignore[attr-defined]
        spread = f"; median of {len(rounds)} rounds, fastest {rounds[0]:.1f}"
        print(
            f"\n=== {kind}: {plain:.1f} ms CPU per request (without the profiler"
            + (spread if len(rounds) > 1 else "")
            + f"), {calls:,.0f} function calls, {queries} queries per request"
        )
        if args.top:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
