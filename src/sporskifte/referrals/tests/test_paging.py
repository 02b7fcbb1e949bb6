"""Keyset paging of the inbox, the overview and the case page (referrals/paging.py), followed the
way a user does: by the pager's "Next page" and "Previous page" links."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sporskifte.accounts.access import partner_of
from sporskifte.audit.models import AuditEvent
from sporskifte.referrals import views
from sporskifte.referrals.models import Offer, Referral
from sporskifte.referrals.paging import Keyset
from sporskifte.referrals.selectors import inbox_bucket
from sporskifte.referrals.tests.conftest import accept
from sporskifte.testing.factories import OfferFactory, ProgrammeFactory
from sporskifte.testing.jobs import run_queued_jobs

pytestmark = pytest.mark.django_db

SIZE = 2  # pages of two rows, so a handful of rows makes many pages
LINK = {rel: re.compile(rf'<a [^>]*rel="{rel}" href="([^"]*)"') for rel in ("next", "prev")}
# Hours added to a bucket's base time, row by row in id order: ties, and not in id order.
DUE_OFFSETS = [2, 0, 2, 1, 0, 2, 1, 0, 2]


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    for ordering in (views.NEWEST_FIRST, views.CASE_ORDER, views.DUE_FIRST):
        monkeypatch.setattr(ordering, "size", SIZE)


@pytest.fixture
def viborg(personas, world) -> list[Referral]:
    """Nine referrals to Rusmiddelcenter Viborg (counsellor_a), nine offers in the district."""
    for _ in range(8):
        accept(OfferFactory(programme=world.programme_a, case=world.case_a), personas.officer_a)
    partner = partner_of(personas.counsellor_a)
    return list(Referral.objects.filter(partner_id=partner).order_by("id"))


def _put_all_in(bucket: str, referrals: list[Referral]) -> None:
    """Every referral into ``bucket``, due_at with ties and out of id order, to the microsecond."""
    now = timezone.now().replace(microsecond=123457)
    base = {
        "overdue": now - dt.timedelta(days=2),
        "due_soon": now + dt.timedelta(days=1),
        "new": now + dt.timedelta(days=3),
        "in_progress": now - dt.timedelta(days=2),
        "closed": now - dt.timedelta(days=30),
    }[bucket]
    for i, (r, hours) in enumerate(zip(referrals, DUE_OFFSETS, strict=True)):
        fields = {"due_at": base + dt.timedelta(hours=hours), "contact_made_at": None}
        if bucket == "in_progress":
            fields.update(status=Referral.Status.IN_PROGRESS, contact_made_at=now)
        elif bucket == "closed":
            fields["status"] = Referral.Status.WITHDRAWN if i % 3 == 0 else Referral.Status.CLOSED
        else:
            fields["status"] = Referral.Status.NEW
        Referral.objects.filter(pk=r.pk).update(**fields)


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response


def _link(path: str, response, rel: str) -> str | None:
    """The pager's link as a URL: most lists link by query string alone, the case page by its
    own path (it is also shown at the import URL)."""
    found = LINK[rel].search(response.content.decode())
    if not found:
        return None
    href = html.unescape(found.group(1))
    return href if href.startswith("/") else path + href


def _follow(client, path: str, response, rel: str):
    url = _link(path, response, rel)
    return _get(client, url) if url else None


def _pk(row) -> int:
    """A page's row: a ``values()`` dict (inbox, overview) or a model (a case's suspects)."""
    return row["id"] if isinstance(row, dict) else row.pk


def _walk(client, path: str, query: str) -> tuple[list[list[int]], list[list[int]], list[int]]:
    """Forward from the first page to the last, then backward to the first: the ids of each
    page in both directions, and the page numbers shown on the way back."""
    forward, backward, numbers = [], [], []
    response = _get(client, path + query)
    while response is not None:
        forward.append([_pk(row) for row in response.context["pager"].rows])
        assert response.context["pager"].number == len(forward)
        last, response = response, _follow(client, path, response, "next")
    response = last
    while response is not None:
        backward.append([_pk(row) for row in response.context["pager"].rows])
        numbers.append(response.context["pager"].number)
        response = _follow(client, path, response, "prev")
    return forward, backward[::-1], numbers[::-1]


def _assert_every_row_once_in_order(client, path, query, expected: list[int]) -> None:
    forward, backward, numbers = _walk(client, path, query)
    assert [pk for page in forward for pk in page] == expected
    assert all(len(page) == SIZE for page in forward[:-1])
    assert backward == forward  # the same pages on the way back, each row once
    assert numbers == list(range(1, len(forward) + 1))


@pytest.mark.parametrize("bucket", ["overdue", "due_soon", "new", "in_progress", "closed"])
def test_inbox_walked_forward_then_back_shows_every_row_once_in_order(
    bucket, personas, viborg, as_user
):
    _put_all_in(bucket, viborg)
    rows = [r for r in Referral.objects.filter(pk__in=[r.pk for r in viborg])]
    assert {inbox_bucket(r) for r in rows} == {bucket}
    if bucket == "closed":
        expected = sorted((r.pk for r in rows), reverse=True)
    else:
        assert len({r.due_at for r in rows}) < len(rows)  # ties on due_at
        expected = [r.pk for r in sorted(rows, key=lambda r: (r.due_at, r.pk))]
        assert expected != sorted(expected)  # and not simply in id order
    client = as_user(personas.counsellor_a)
    _assert_every_row_once_in_order(client, reverse("referrals:inbox"), f"?vis={bucket}", expected)


def test_overview_walked_forward_then_back_shows_every_row_once_newest_first(
    personas, viborg, as_user
):
    expected = list(
        Offer.objects.filter(police_district=viborg[0].police_district)
        .order_by("-id")
        .values_list("pk", flat=True)
    )
    assert len(expected) > 3 * SIZE
    client = as_user(personas.officer_a)
    _assert_every_row_once_in_order(client, reverse("referrals:overview"), "", expected)


def test_case_walked_forward_then_back_shows_every_suspect_once_in_order(
    personas, world, viborg, as_user
):
    expected = list(world.case_a.offers.order_by("id").values_list("pk", flat=True))
    assert len(expected) > 3 * SIZE
    client = as_user(personas.officer_a)
    path = reverse("referrals:case_detail", args=[world.case_a.pk])
    _assert_every_row_once_in_order(client, path, "", expected)


def test_case_pager_after_a_failed_import_links_to_the_case(personas, world, viborg, as_user):
    # The refused file is answered at the upload's own URL, not at the case's.
    client = as_user(personas.officer_a)
    upload = SimpleUploadedFile("mistaenkte.csv", b"navn;cpr\nkun en kolonne for lidt\n")
    queued = client.post(reverse("referrals:case_import", args=[world.case_a.pk]), {"file": upload})
    run_queued_jobs()
    response = client.get(queued["Location"])
    assert response.status_code == 400
    href = _link("", response, "next")
    assert href and href.startswith(reverse("referrals:case_detail", args=[world.case_a.pk]) + "?")
    _get(client, href)


def test_overview_filters_survive_paging(personas, world, viborg, as_user):
    other = ProgrammeFactory(name="Andet spor")  # same district: the filter must exclude it
    for _ in range(3):
        accept(OfferFactory(programme=other), personas.officer_a)
    Offer.objects.filter(pk=world.offer_viborg.pk).update(answer=Offer.Answer.NO)
    expected = list(
        Offer.objects.filter(programme=world.programme_a, answer=Offer.Answer.YES)
        .order_by("-id")
        .values_list("pk", flat=True)
    )
    client = as_user(personas.officer_a)
    path = reverse("referrals:overview")
    query = f"?svar=yes&program={world.programme_a.pk}"
    _assert_every_row_once_in_order(client, path, query, expected)
    page_2 = _follow(client, path, _get(client, path + query), "next")
    assert page_2.context["filters"] == {
        "svar": "yes",
        "program": str(world.programme_a.pk),
        "q": "",
    }


def test_journal_number_search_survives_paging(personas, world, viborg, as_user):
    hits = [o.pk for o in Offer.objects.filter(programme=world.programme_a).order_by("id")][::2]
    Offer.objects.filter(pk__in=hits).update(journal_number="4100-99999-00001-25")
    client = as_user(personas.officer_a)
    path = reverse("referrals:overview")
    _assert_every_row_once_in_order(
        client, path, "?q=4100-99999-00001-25", sorted(hits, reverse=True)
    )


@pytest.mark.parametrize(
    "cursor",
    [
        "efter=abc",
        "efter=",
        "efter=1.2.3",
        "efter=-5",
        "efter=%EF%BC%91%EF%BC%92",  # full-width digits, which int() would accept
        "efter=1_000",
        "efter=99999999999999999999999999",  # past bigint
        "efter=999999999999999999.1",  # a due time past year 9999
        "foer=x.y",
        "foer=0.0",  # before every row: nothing there
        "efter=1&foer=1",
        "efter=1",  # -id: no row has an id below 1
        "side=200",  # a bookmark of the old offset pager
        "side=abc",
    ],
)
@pytest.mark.parametrize("bucket", ["overdue", "closed"])
def test_malformed_or_stale_cursor_gives_the_first_page(cursor, bucket, personas, viborg, as_user):
    _put_all_in(bucket, viborg)
    client = as_user(personas.counsellor_a)
    path = reverse("referrals:inbox") + f"?vis={bucket}"
    first = _get(client, path).context["pager"]
    response = _get(client, f"{path}&{cursor}")
    pager = response.context["pager"]
    assert pager.number == 1
    assert [_pk(r) for r in pager.rows] == [_pk(r) for r in first.rows]
    assert not pager.has_previous


@pytest.mark.parametrize("cursor", ["efter=abc", "foer=1.2", "efter=99999999999999999999999999"])
def test_malformed_cursor_on_overview_and_case_gives_the_first_page(
    cursor, personas, world, viborg, as_user
):
    client = as_user(personas.officer_a)
    for path in (
        reverse("referrals:overview"),
        reverse("referrals:case_detail", args=[world.case_a.pk]),
    ):
        response = _get(client, f"{path}?{cursor}")
        assert response.context["pager"].number == 1


@pytest.mark.parametrize(
    ("persona", "url", "query"),
    [
        ("counsellor_a", "referrals:inbox", "?vis=overdue"),
        ("counsellor_a", "referrals:inbox", "?vis=closed"),
        ("officer_a", "referrals:overview", "?svar=yes"),
        ("officer_a", "case", ""),
    ],
)
def test_page_reached_by_cursor_uses_as_many_queries_as_the_first(
    persona, url, query, personas, world, viborg, as_user
):
    _put_all_in("closed" if "closed" in query else "overdue", viborg)
    client = as_user(getattr(personas, persona))
    path = (
        reverse("referrals:case_detail", args=[world.case_a.pk]) if url == "case" else reverse(url)
    )
    _get(client, path + query)  # warms the session

    def counted(url: str):
        # The captured queries are read from the connection's log, which the next request
        # may clear: count them at once.
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, url)
        return response, len(queries)

    first, on_first = counted(path + query)
    second, on_second = counted(_link(path, first, "next"))
    third = _follow(client, path, second, "next")
    href = _link(path, third, "prev")
    assert href and "foer=" in href
    back, on_back = counted(href)
    assert [_pk(r) for r in back.context["pager"].rows] == [
        _pk(r) for r in second.context["pager"].rows
    ]
    assert on_second == on_first == on_back


def test_every_person_on_a_page_reached_by_cursor_is_logged(personas, viborg, as_user):
    _put_all_in("due_soon", viborg)
    client = as_user(personas.counsellor_a)
    path = reverse("referrals:inbox")
    second = _follow(client, path, _get(client, path + "?vis=due_soon"), "next")
    shown = second.context["pager"].rows
    looks = AuditEvent.objects.filter(
        actor=personas.counsellor_a, purpose=AuditEvent.Purpose.PARTNER_INBOX
    )
    latest = looks.order_by("-id").first()
    assert sorted(latest.items.values_list("object_id", "person_id")) == sorted(
        (r["id"], r["offer__person_id"]) for r in shown
    )
    assert latest.detail["criterion"]["vis"] == "due_soon"
    assert looks.count() == 2  # one row for the first page and one for the second


def test_a_key_is_the_row_values_to_the_microsecond(viborg):
    keyset = Keyset("due_at", "id")
    row = viborg[0]
    row.due_at = dt.datetime(2026, 11, 22, 9, 30, 1, 123457, tzinfo=dt.UTC)
    micros = (row.due_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    assert keyset.key(row) == f"{micros}.{row.pk}"
    assert keyset._decode(Referral, keyset.key(row)) == [row.due_at, row.pk]


def test_an_ordering_must_end_in_the_primary_key():
    with pytest.raises(ValueError, match="primary key"):
        Keyset("due_at")
