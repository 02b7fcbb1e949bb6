"""Load test: gunicorn (3 sync workers) over a throwaway PostgreSQL with the benchmark data, driven
by a small asyncio HTTP client on loopback.

    .venv/bin/python benchmarks/load_test.py --rows 20000 --duration 10    # a quick run
    .venv/bin/python benchmarks/load_test.py                               # 1,000,000 referrals
    .venv/bin/python benchmarks/load_test.py --alone                       # and each path alone
    PG_PORT=55445 .venv/bin/python benchmarks/load_test.py --keep          # keep the server

The database is the one ``referral_pages.py`` generates (same generator and fingerprint, so a
kept server is reused by both), with the figures' rollup counted from it once. Clients are
logged in without the log-in pages (TOTP): each gets its own sessions, made through the session
store as the verify step leaves them (user, backend, password hash and the verified device), and
its own API token. The mix, in equal shares:

    inbox      GET  /henvisninger/indbakke/          a counsellor of Rusmiddelcenter Viborg
    overview   GET  /henvisninger/                   an officer of Midt- og Vestjyllands Politi
    api list   GET  /api/v1/referrals/               100 rows, the centre's token
    write      POST /api/v1/referrals/<id>/steps/    an outcome step on an open referral

Printed per phase: requests/s, p50/p95/p99 latency, errors, the server's CPU per request (the
gunicorn workers' user + system time from /proc, divided by the requests they answered),
PostgreSQL's CPU per request (its backends, the same way), and the workers' resident memory.
Every phase is bounded by --duration and --max-requests; the client never leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import _common

HERE = Path(__file__).resolve().parent
PATHS = ("inbox", "overview", "api list", "write")
PUBLIC = "public"  # anonymous: one programme's published figures (--public)
FIGURES = "figures"  # the police figures page, its filters in turn (--figures)
KINDS = (*PATHS, PUBLIC, FIGURES)
FIGURES_TARGET_MS = 50.0  # p95 of one page, with about one client per core
DATA_VERSION = 2  # referral_pages.DATA_VERSION: the same data
TOKEN_PREFIX = "load-test-"
GOALS_MS = {"inbox": 8.0, "overview": 8.0, "api list": 8.0, "write": 5.0}
CLOCK_TICK = os.sysconf("SC_CLK_TCK")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="referrals to generate")
    p.add_argument("--clients", default="10,50", help="client counts of the mixed phases")
    p.add_argument("--duration", type=float, default=30.0, help="seconds per phase")
    p.add_argument("--max-requests", type=int, default=20_000, help="requests per phase at most")
    p.add_argument("--alone", action="store_true", help="also each path alone at 10 clients")
    p.add_argument("--only-alone", action="store_true", help="only the paths alone")
    p.add_argument(
        "--public",
        action="store_true",
        help="also anonymous clients on the public figures page, at each --clients count",
    )
    p.add_argument(
        "--figures",
        action="store_true",
        help="also the police figures page, filters in turn, at 2 clients and at 10",
    )
    p.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    p.add_argument("--port", type=int, default=8765, help="gunicorn's loopback port")
    p.add_argument("--database-url", help="a benchmark PostgreSQL (default: pg_throwaway.sh)")
    p.add_argument("--keep", action="store_true", help="leave the throwaway PostgreSQL running")
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument(
        "--app-root",
        type=Path,
        default=_common.ROOT,
        help="serve the code of another checkout (e.g. `git archive` of main) on the same data",
    )
    return p.parse_args(argv)


# Processes ------------------------------------------------------------------------------------


def pg_start() -> str:
    out = subprocess.run(
        [str(HERE / "pg_throwaway.sh"), "start"], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def pg_stop() -> None:
    subprocess.run([str(HERE / "pg_throwaway.sh"), "stop"], check=True)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int], reaped_by: int | None = None) -> float:
    """User + system time of the processes; with ``reaped_by``, also that of its children
    which have ended (PostgreSQL backends end when Django closes an old connection)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended between listing and reading: counted below once reaped
        total += int(fields[11]) + int(fields[12])  # utime, stime
    if reaped_by is not None:
        fields = Path(f"/proc/{reaped_by}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / CLOCK_TICK


def rss_mb(pid: int) -> float:
    """0 for a worker that is gone (gunicorn replaced it after a timeout: the phase's errors
    say so)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def postmaster_pid(url: str) -> int | None:
    """The throwaway server's postmaster (its backends are its children), if it is ours."""
    port = url.rsplit(":", 1)[1].split("/")[0]
    pidfile = Path(tempfile.gettempdir()) / f"sporskifte-bench-pg-{port}" / "data/postmaster.pid"
    return int(pidfile.read_text().split()[0]) if pidfile.exists() else None


def gunicorn_start(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(_common.ROOT / ".venv/bin/gunicorn"),
        "--pythonpath",
        f"{args.app_root / 'src'},{HERE}",
        "sporskifte.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--no-control-socket",  # gunicorn 27's fixed socket path: two servers would collide
        # The application (and its URLconf, sporskifte/wsgi.py) imported once in the master:
        # a worker imports nothing on its first request, as the README's deployment says.
        "--preload",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=args.app_root, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        try:
            status, _ = asyncio.run(http(args.port, "GET", "/static/nothing", {}, b""))
            if status == 404 and len(children_of(server.pid)) == args.workers:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def gunicorn_stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)  # its own session: the master and its workers
    server.wait(timeout=30)


# Data and clients -------------------------------------------------------------------------------


def server_env(static_root: Path, url: str) -> dict[str, str]:
    """The production profile, HTTP on loopback (no TLS proxy here, so no HTTPS redirect)."""
    env = dict(os.environ)
    env.update(
        SPORSKIFTE_ENV="production",
        DJANGO_SETTINGS_MODULE="_load_settings",
        SPORSKIFTE_LOAD_STATIC_ROOT=str(static_root),
        DATABASE_URL=url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env={**env, "PYTHONPATH": str(HERE)},
        cwd=_common.ROOT,
        check=True,
    )


@dataclass
class Client:
    counsellor_cookie: str
    officer_cookie: str
    token: str
    public: str = ""  # the public figures page's address (no cookie, no token)
    figures: tuple[str, ...] = ()  # the police figures page with filters (officer's cookie)


def make_clients(n: int) -> list[Client]:
    """n clients, each with a counsellor's and an officer's verified session and a token."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sporskifte.accounts import middleware
    from sporskifte.accounts.models import ApiToken, Role, User
    from sporskifte.audit.models import AuditEvent
    from sporskifte.testing.factories import centre, district, member

    counsellor = member("bench_counsellor", centre("Viborg"), Role.COUNSELLOR)
    officer = member("bench_officer", district("midt-vestjylland"), Role.OFFICER)
    Session.objects.all().delete()
    old = ApiToken.objects.filter(name__startswith=TOKEN_PREFIX)
    service_users = list(old.values_list("service_user_id", flat=True))
    AuditEvent.objects.filter(actor_id__in=[counsellor.pk, officer.pk, *service_users]).delete()
    old.delete()
    User.objects.filter(pk__in=service_users).delete()

    def session_for(user: User) -> str:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="load-test", defaults={"confirmed": True}
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store[middleware.SAVED_AT] = middleware.now()
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def token(i: int) -> str:
        out = io.StringIO()
        call_command(
            "create_api_token",
            organisation="rusmiddelcenter-viborg",
            role="counsellor",
            name=f"{TOKEN_PREFIX}{i}",
            stdout=out,
        )
        return out.getvalue().strip().splitlines()[-1]

    return [Client(session_for(counsellor), session_for(officer), token(i)) for i in range(n)]


def open_referrals(limit: int = 5000) -> list[int]:
    """Referrals of the centre a step can be recorded on (open, consent not withdrawn)."""
    from sporskifte.referrals.models import Referral
    from sporskifte.testing.factories import centre

    return list(
        Referral.objects.filter(
            partner=centre("Viborg"),
            status=Referral.Status.IN_PROGRESS,
            withdrawn_at__isnull=True,
        )
        .order_by("-id")
        .values_list("id", flat=True)[:limit]
    )


def ensure_rollup() -> None:
    """The figures' rollup, counted from the generated rows once (the generator writes around
    the services that keep it). Every run needs it: the public page reads it, and a write
    keeps it, so a write into a near-empty rollup would be cheaper than one in production.
    A marker, not the rows, says it was built: the writes of a run before it make rows too."""
    from django.db import connection

    from sporskifte.referrals.rollup import rollup_rebuild

    if _common.marker_get("rollup") == "built":
        return
    start = time.perf_counter()
    print("Counting the figures' rollup from the generated rows …", flush=True)
    offers = rollup_rebuild()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE referrals_funnelrollup")  # the planner sees the new rows
        c.execute("VACUUM ANALYZE referrals_opendeadline")
    _common.marker_set("rollup", "built")
    print(f"Rollup counted from {offers:,} offers in {time.perf_counter() - start:.0f} s.")


def public_page() -> str:
    """The public figures of the programme with the most offers, this year: what a newspaper
    links to. The first request computes it; every later one is served from memory."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from sporskifte.insights.selectors import public_programmes

    programme = public_programmes().annotate(n=Count("offers")).order_by("-n").first()
    assert programme is not None, "the benchmark data has no active programme"
    year = timezone.localdate().year
    return reverse("insights:public", args=[programme.pk]) + f"?period=year&year={year}"


# HTTP -------------------------------------------------------------------------------------------


async def http(port: int, method: str, path: str, headers: dict[str, str], body: bytes):
    """One request on a new connection (gunicorn's sync workers close after each answer)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data


def figures_pages() -> tuple[str, ...]:
    """What an officer asks of the figures in a sitting: everything, last year, one
    municipality, women aged 18-24, one offence (figures.py measures more, one at a time)."""
    from sporskifte.referrals.models import Offence
    from sporskifte.testing.factories import district, municipality

    offence = Offence.objects.filter(programme__police_district=district("midt-vestjylland"))
    year = time.localtime().tm_year - 1
    queries = (
        "",
        f"period=year&year={year}",
        f"municipality={municipality('Herning').pk}",
        "sex=F&age_band=18-24",
        f"offence={offence.order_by('pk').values_list('pk', flat=True).first()}",
    )
    return tuple(f"/tal/?{q}" for q in queries)


def request_for(kind: str, client: Client, referrals: list[int], rng: random.Random):
    if kind == PUBLIC:
        return "GET", client.public, {}, b"", 200
    if kind == FIGURES:
        return "GET", rng.choice(client.figures), {"Cookie": client.officer_cookie}, b"", 200
    if kind == "inbox":
        return "GET", "/henvisninger/indbakke/", {"Cookie": client.counsellor_cookie}, b"", 200
    if kind == "overview":
        return "GET", "/henvisninger/", {"Cookie": client.officer_cookie}, b"", 200
    auth = {"Authorization": f"Bearer {client.token}"}
    if kind == "api list":
        return "GET", "/api/v1/referrals/", auth, b"", 200
    body = json.dumps(
        {"step": "further_sessions", "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    ).encode()
    path = f"/api/v1/referrals/{rng.choice(referrals)}/steps/"
    return "POST", path, {**auth, "Content-Type": "application/json"}, body, 201


@dataclass
class Phase:
    label: str
    clients: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    first_error: str = ""
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


async def run_phase(
    phase: Phase, kinds: tuple[str, ...], clients: list[Client], args, referrals: list[int]
) -> None:
    budget = [args.max_requests]
    deadline = time.monotonic() + args.duration

    async def one_client(i: int) -> None:
        rng = random.Random(i)
        client = clients[i % len(clients)]
        n = i  # each client walks the mix from its own place: equal shares overall
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            kind = kinds[n % len(kinds)]
            n += 1
            method, path, headers, body, expected = request_for(kind, client, referrals, rng)
            start = time.perf_counter()
            try:
                status, data = await asyncio.wait_for(
                    http(args.port, method, path, headers, body), timeout=30
                )
            except (TimeoutError, OSError) as exc:
                status, data = 0, repr(exc).encode()
            phase.latencies[kind].append((time.perf_counter() - start) * 1000)
            if status != expected:
                phase.errors[kind] += 1
                phase.first_error = phase.first_error or f"{kind} {status}: {data[:300]!r}"

    start = time.perf_counter()
    await asyncio.gather(*(one_client(i) for i in range(phase.clients)))
    phase.seconds = time.perf_counter() - start


def measured(phase_fn, workers: list[int], pg: int | None) -> dict[str, float]:
    def database() -> float:
        return cpu_seconds(children_of(pg), reaped_by=pg) if pg else 0.0

    before = cpu_seconds(workers), database(), time.process_time()
    phase_fn()
    return {
        "server": cpu_seconds(workers) - before[0],
        "database": database() - before[1],
        "client": time.process_time() - before[2],
    }


def pct(values: list[float], p: float) -> float:
    return _common.percentile(values, p) if values else float("nan")


def report(phase: Phase, cpu: dict[str, float], workers: list[int]) -> dict:
    everything = [x for v in phase.latencies.values() for x in v]
    n = max(phase.requests, 1)
    row = {
        "phase": phase.label,
        "clients": phase.clients,
        "requests": phase.requests,
        "seconds": round(phase.seconds, 1),
        "req_s": round(phase.requests / phase.seconds, 1),
        "p50": round(pct(everything, 50), 1),
        "p95": round(pct(everything, 95), 1),
        "p99": round(pct(everything, 99), 1),
        "errors": sum(phase.errors.values()),
        "server_cpu_ms": round(cpu["server"] * 1000 / n, 2),
        "db_cpu_ms": round(cpu["database"] * 1000 / n, 2),
        "client_cpu_ms": round(cpu["client"] * 1000 / n, 2),
        "rss_mb": [round(rss_mb(pid)) for pid in workers],
        "per_path": {
            k: {"n": len(v), "p50": round(pct(v, 50), 1), "p99": round(pct(v, 99), 1)}
            for k, v in phase.latencies.items()
            if v
        },
    }
    print(
        f"{phase.label:14} {phase.clients:4d} {row['requests']:7d} {row['req_s']:7.1f} "
        f"{row['p50']:7.1f} {row['p95']:7.1f} {row['p99']:7.1f} {row['errors']:6d} "
        f"{row['server_cpu_ms']:8.2f} {row['db_cpu_ms']:7.2f} {row['client_cpu_ms']:7.2f}  "
        f"{'/'.join(str(x) for x in row['rss_mb'])}",
        flush=True,
    )
    if phase.first_error:
        print(f"    first error: {phase.first_error}")
    return row


HEADER = (
    f"{'phase':14} {'clnt':>4} {'reqs':>7} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
    f"{'errors':>6} {'cpu/req':>8} {'db/req':>7} {'gen/req':>7}  worker RSS MB"
)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started_pg = args.database_url is None
    url = args.database_url or pg_start()
    if not url.startswith("postgres"):
        raise SystemExit("The load test runs on PostgreSQL (--database-url postgres://…).")
    # The production profile in this process too: the same session cookie name and keys.
    os.environ["SPORSKIFTE_ENV"] = "production"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    # Production requires the site's address (links in e-mails); nothing is sent here.
    os.environ.setdefault("SPORSKIFTE_SITE_URL", "http://127.0.0.1")
    _common.setup_django(url)
    server = None
    try:
        fingerprint = f"referral_pages rows={args.rows} data={DATA_VERSION}"
        if _common.prepare_database(reuse=True, fingerprint=fingerprint):
            print(f"Reusing the generated data (made {_common.marker_get('generated_at')}).")
        else:
            from _referral_data import generate

            print(f"Generating {args.rows:,} referrals …")
            now = generate(args.rows)
            _common.marker_set("generated_at", f"{now:%Y-%m-%d %H:%M} UTC")
            _common.marker_set("fingerprint", fingerprint)
        ensure_rollup()
        counts = [int(c) for c in args.clients.split(",") if c]
        clients = make_clients(max([*counts, 10]))
        referrals = open_referrals()
        public, figures = public_page(), figures_pages()
        for client in clients:
            client.public, client.figures = public, figures
        from django.db import connections

        connections.close_all()
        static_root = Path(tempfile.gettempdir()) / "sporskifte-load-static"
        env = server_env(static_root, url)
        collect_static(env)
        server = gunicorn_start(args, env)
        workers = children_of(server.pid)
        pg = postmaster_pid(url)
        print(
            f"Code: {args.app_root}\n"
            f"Database: {_common.redacted(url)}, {args.rows:,} referrals; gunicorn "
            f"{args.workers} sync workers on 127.0.0.1:{args.port}; {args.duration:.0f} s or "
            f"{args.max_requests:,} requests per phase; {_common.load_average()}\n"
            "times in ms; cpu/req = gunicorn workers' CPU per request, db/req = PostgreSQL's, "
            "gen/req = this load generator's (same cores)\n"
        )
        warm = Phase("warm-up", 2 * args.workers)
        warm_kinds = (
            *PATHS,
            *((PUBLIC,) if args.public else ()),
            *((FIGURES,) if args.figures else ()),
        )
        asyncio.run(run_phase(warm, warm_kinds, clients, _short(args), referrals))
        print(HEADER)
        print("-" * len(HEADER))
        rows = []
        phases: list[tuple[str, tuple[str, ...], int]] = []
        if not args.only_alone:
            phases += [("mix", PATHS, c) for c in counts]
        if args.alone or args.only_alone:
            phases += [(kind, (kind,), 10) for kind in PATHS]
        if args.public:
            phases += [(PUBLIC, (PUBLIC,), c) for c in counts]
        if args.figures:
            phases += [(FIGURES, (FIGURES,), c) for c in (2, 10)]
        for label, kinds, n in phases:
            phase = Phase(label, n)
            cpu = measured(
                lambda p=phase, k=kinds: asyncio.run(run_phase(p, k, clients, args, referrals)),
                workers,
                pg,
            )
            rows.append(report(phase, cpu, workers))
        print(f"\n{_common.load_average()}")
        _goals(rows)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=1))
        return 0
    finally:
        if server is not None:
            gunicorn_stop(server)
        from django.db import connections

        connections.close_all()
        if started_pg and not args.keep:
            pg_stop()


def _short(args: argparse.Namespace) -> argparse.Namespace:
    """Warm-up: every worker compiles the templates and fills its caches before it is timed."""
    return argparse.Namespace(**{**vars(args), "duration": 20.0, "max_requests": 40 * args.workers})


def _goals(rows: list[dict]) -> None:
    """Issue 8's goals, checked against what was measured."""
    for row in rows:
        if row["phase"] in GOALS_MS:
            goal = GOALS_MS[row["phase"]]
            ok = row["server_cpu_ms"] <= goal
            print(
                f"{row['phase']:9} alone: {row['server_cpu_ms']:.2f} ms CPU per request "
                f"(goal ≤ {goal:.0f}): {'met' if ok else 'NOT met'}"
            )
        elif row["phase"] == "mix" and row["clients"] == 10:
            ok = row["req_s"] >= 150 and row["p99"] <= 200 and row["errors"] == 0
            print(
                f"mix at 10 clients: {row['req_s']:.0f} req/s, p99 {row['p99']:.0f} ms, "
                f"{row['errors']} errors (goal ≥ 150 req/s, p99 ≤ 200 ms, 0 errors): "
                f"{'met' if ok else 'NOT met'}"
            )
        elif row["phase"] == PUBLIC:
            ok = row["req_s"] >= 500 and row["errors"] == 0 and row["db_cpu_ms"] < 0.05
            print(
                f"public at {row['clients']} clients: {row['req_s']:.0f} req/s, "
                f"{row['db_cpu_ms']:.2f} ms database CPU per request, {row['errors']} errors "
                f"(goal ≥ 500 req/s without the database): {'met' if ok else 'NOT met'}"
            )
        elif row["phase"] == FIGURES:
            ok = row["p95"] <= FIGURES_TARGET_MS and row["errors"] == 0
            goal = "goal p95 ≤ 50 ms, with a client per core" if row["clients"] == 2 else "no goal"
            print(
                f"figures at {row['clients']} clients: p95 {row['p95']:.0f} ms, "
                f"{row['server_cpu_ms']:.1f} ms CPU + {row['db_cpu_ms']:.1f} ms database CPU "
                f"per page, {row['errors']} errors ({goal})"
                + (f": {'met' if ok else 'NOT met'}" if row["clients"] == 2 else "")
            )
        elif row["phase"] == "mix":
            print(
                f"mix at {row['clients']} clients: {row['errors']} errors (goal 0): "
                f"{'met' if row['errors'] == 0 else 'NOT met'}"
            )


if __name__ == "__main__":
    sys.exit(main())
