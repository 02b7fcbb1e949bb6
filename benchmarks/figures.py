"""Every figures page and API answer at 1,000,000 referrals, whatever the filters: read from the
rollup (``referrals.rollup``, ``insights.rollup``) against the competent naive way, the ORM's
conditional ``aggregate`` and ``annotate`` over the raw rows with the same filters (the
previous implementation, kept as ``funnel_raw``/``trend_raw``), in the same run.

    .venv/bin/python benchmarks/figures.py                        # 1,000,000 referrals, SQLite
    .venv/bin/python benchmarks/figures.py --rows 100000 --reuse
    .venv/bin/python benchmarks/figures.py --reuse --database-url postgres://bench@127.0.0.1:55442/bench

The data is funnel.py's (the referral-pages generator plus the step history); the rollup is
then built once from the raw rows (``rollup_rebuild``, timed). Each case is a real request
through the test client: the page ``/tal/`` of a police officer of Midt- og Vestjylland (two
programmes, about 470,000 offers) or of a counsellor (partner scope), and the API
``/api/v1/insights/funnel/`` with a token. The naive way is the same request with the report
built from the raw rows. Both must show identical figures, or the run fails.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from unittest import mock

import _common

TARGET_MS = 50.0
FINGERPRINT = "figures-v1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="referrals to generate")
    p.add_argument("--database-url", help="default: a temporary SQLite file")
    p.add_argument("--reuse", action="store_true", help="keep the generated database; reuse it")
    p.add_argument("--repeat", type=int, default=15, help="timed requests per case (rollup)")
    p.add_argument("--naive-repeat", type=int, default=3, help="timed requests per case (naive)")
    return p.parse_args(argv)


@contextlib.contextmanager
def naive_way():
    """The report built from the raw rows: the ORM's conditional aggregate and GROUP BY."""
    from sporskifte.insights import report, rollup, selectors

    def raw_funnel(ids, filters, **kw):  # type: ignore[no-untyped-def]
        f = selectors.funnel_raw(ids, filters, **kw)  # the raw rows' keys include "due"
        # The referrals before their deadline, from the raw rows with their offers.
        fresh = rollup.not_yet_due_raw(ids, filters, kw.get("now") or selectors.timezone.now())
        ttc = f.time_to_contact
        whole = selectors.whole_days
        return selectors.dataclasses.replace(
            f,
            not_yet_due=fresh,
            time_to_contact=selectors.dataclasses.replace(
                ttc, median=whole(ttc.median), p90=whole(ttc.p90)
            ),
        )

    def raw_trend(ids, filters, *, keys=False):  # type: ignore[no-untyped-def]
        # The raw way always sums the keys; a report that asks for none does not show them.
        months = selectors.trend_raw(ids, filters)
        if not keys:
            for month in months.values():
                del month[selectors.KEY + "offered"]
        return months

    with (
        mock.patch.object(report, "funnel", raw_funnel),
        mock.patch.object(report, "trend", raw_trend),
    ):
        yield


def add_cases() -> None:
    """Group cases, as a raid or a buyers' list brings them (a hundred charged in one case in
    the seeds): every 20th offer of a district joins a case of ten offers of its programme
    and offence. The police ask for one by its journal number. Added to reused data once."""
    from sporskifte.referrals.models import Case, Offer

    if _common.marker_get("cases") == "v1":
        return
    t = time.perf_counter()
    grouped: dict[tuple[int, int, int], list[int]] = {}
    rows = Offer.objects.filter(case__isnull=True).values_list(
        "pk", "police_district_id", "programme_id", "offence_id"
    )
    for pk, district_id, programme_id, offence_id in rows.order_by("pk").iterator(10_000):
        if pk % 20 == 0:
            grouped.setdefault((district_id, programme_id, offence_id), []).append(pk)
    made = 0
    for (district_id, programme_id, offence_id), pks in grouped.items():
        for first in range(0, len(pks), 10):
            made += 1
            case = Case.objects.create(
                police_district_id=district_id,
                programme_id=programme_id,
                offence_id=offence_id,
                journal_number=f"{3900 + district_id}-77{made:03d}-{first:05d}-25"[:40],
            )
            Offer.objects.filter(pk__in=pks[first : first + 10]).update(case=case)
    _common.marker_set("cases", "v1")
    print(f"{made:,} cases of ten offers added in {time.perf_counter() - t:.0f} s")


def cases(year: int) -> list[tuple[str, str, str]]:
    """(label, who, query)."""
    from sporskifte.referrals.models import Case, Offence, Programme
    from sporskifte.testing.factories import district, municipality

    mv = district("midt-vestjylland")
    programme = Programme.objects.filter(police_district=mv).order_by("pk").first()
    herning = municipality("Herning").pk
    # The form offers the offences of the officer's own programmes only.
    offence = Offence.objects.filter(programme__police_district=mv).order_by("pk").first()
    assert programme is not None and offence is not None
    case = Case.objects.filter(police_district=mv).order_by("pk").last()
    assert case is not None
    return [
        ("all programmes, all time", "officer", ""),
        ("one programme, one year", "officer", f"programme={programme.pk}&period=year&year={year}"),
        ("all time, one municipality", "officer", f"municipality={herning}"),
        ("all time, women aged 18-24", "officer", "sex=F&age_band=18-24"),
        ("all time, one offence", "officer", f"offence={offence.pk}"),
        (
            "15 Mar - 20 Oct, municipality and offence",
            "officer",
            f"period=range&date_from={year}-03-15&date_to={year + 1}-10-20"
            f"&municipality={herning}&offence={offence.pk}",
        ),
        ("one month, men", "officer", f"period=month&year={year}&month=6&sex=M"),
        ("quarter, 40+", "officer", f"period=quarter&year={year}&quarter=2&age_band=40%2B"),
        ("one case, by its journal number", "officer", f"journal_number={case.journal_number}"),
        ("partner (Rusmiddelcenter Viborg), all time", "counsellor", ""),
        ("partner, one year, 25-29", "counsellor", f"period=year&year={year}&age_band=25-29"),
    ]


def clients() -> dict:
    from django.contrib.sessions.models import Session
    from django.test import Client

    from sporskifte.accounts.models import Role
    from sporskifte.accounts.tokens import api_token_issue
    from sporskifte.testing.factories import centre, district, member
    from sporskifte.testing.personas import verified_client

    Session.objects.all().delete()
    officer = member("bench_fig_officer", district("midt-vestjylland"), Role.OFFICER)
    counsellor = member("bench_fig_counsellor", centre("Viborg"), Role.COUNSELLOR)
    stamp = f"{time.time():.0f}"
    _, officer_key = api_token_issue(
        actor=None, organisation=district("midt-vestjylland"), role=Role.OFFICER,
        name=f"figures benchmark officer {stamp}",
    )  # fmt: skip
    _, counsellor_key = api_token_issue(
        actor=None, organisation=centre("Viborg"), role=Role.COUNSELLOR,
        name=f"figures benchmark counsellor {stamp}",
    )  # fmt: skip
    return {
        "officer": (verified_client(officer, Client()), officer_key),
        "counsellor": (verified_client(counsellor, Client()), counsellor_key),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("SPORSKIFTE_API_RATE", "100000/minute")
    url = args.database_url or _common.default_sqlite_url("sporskifte-figures", args.reuse)
    _common.setup_django(url)
    from _referral_data import generate
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from funnel import add_history

    from sporskifte.referrals.models import FunnelRollup, Offer, Referral
    from sporskifte.referrals.rollup import rollup_rebuild

    fingerprint = f"{FINGERPRINT}-{args.rows}"
    print(f"database: {_common.redacted(url)} ({_common.vendor()})")
    if _common.prepare_database(reuse=args.reuse, fingerprint=fingerprint):
        add_cases()
        # As the weekly job would after a migration that added an index, or once the offers
        # have cases: SQLite's statistics measured before either choose the wrong index (a
        # case's figures 350 ms against 16). PostgreSQL: nothing to do.
        call_command("refresh_planner_statistics", verbosity=0)
        print("reusing the generated data")
    else:
        t = time.perf_counter()
        generate(args.rows, log=print)
        add_history()
        add_cases()
        print(f"data ready in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        rollup_rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE referrals_funnelrollup")
                c.execute("VACUUM ANALYZE referrals_opendeadline")
        else:
            with connection.cursor() as c:
                c.execute("ANALYZE")
        print(f"rollup built from the raw rows in {time.perf_counter() - t:.0f} s")
        _common.marker_set("fingerprint", fingerprint)
    print(
        f"referrals {Referral.objects.count():,}, offers {Offer.objects.count():,}, "
        f"rollup rows {FunnelRollup.objects.count():,}; {_common.load_average()}"
    )
    who = clients()
    year = timezone.localdate().year - 1
    failed = missed = False
    print(
        f"\n{'case':<44} {'':>4} {'rollup p50/p95 (CPU)':>22} {'q':>3} "
        f"{'naive p50 (CPU)':>16} {'ratio':>6}"
    )
    for label, persona, query in cases(year):
        client, key = who[persona]
        for kind, path in (("page", "/tal/"), ("API", "/api/v1/insights/funnel/")):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if kind == "API" else {}

            def get(path=path, headers=headers, client=client, query=query):  # type: ignore[no-untyped-def]
                response = client.get(f"{path}?{query}", **headers)
                if response.status_code != 200:
                    body = response.content[:500]
                    raise SystemExit(f"{path}?{query} answered {response.status_code}: {body!r}")
                return response

            fast = _common.timed(get, args.repeat, warmup=2)
            queries: list[str] = []

            def counted(execute, sql, *rest, queries=queries):  # type: ignore[no-untyped-def]
                queries.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(counted):
                answer = get()
            with naive_way():
                slow = _common.timed(get, args.naive_repeat, warmup=1)
                naive_answer = get()
            if answer.content != naive_answer.content and kind == "API":
                print(f"MISMATCH {label} ({kind})")
                failed = True
            ok = fast["p95"] <= TARGET_MS
            missed |= not ok
            print(
                f"{label:<44} {kind:>4} {fast['p50']:>5.1f}/{fast['p95']:>5.1f} ms "
                f"({fast['cpu50']:>4.1f}) {len(queries):>3} {slow['p50']:>7.0f} ms "
                f"({slow['cpu50']:>4.0f}) {slow['p50'] / fast['p50']:>5.0f}x{'' if ok else '  !'}"
            )
    print(f"\ntarget: p95 <= {TARGET_MS:.0f} ms for every case; {_common.load_average()}")
    print("MISMATCH" if failed else "TARGET MISSED" if missed else "OK")
    if not args.reuse:
        _common.remove_sqlite_file(url)
    return 1 if failed else _common.TARGET_MISSED if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
