"""Reports and exports read from the replica when one is configured, except right after the
user's own write, inside a transaction, and for sessions and log-in state."""

import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from sporskifte.core.replica import (
    REPLICA,
    WROTE_COOKIE,
    ReadYourWritesMiddleware,
    ReplicaRouter,
    _wrote_recently,
    after_own_write,
    read_database,
    reads_from_replica,
    replica_reads,
)
from sporskifte.referrals.models import Offence
from sporskifte.testing.replica import replica_database

REPLICA_READ = dict(
    configured=True, allowed=True, wrote_recently=False, in_transaction=False, app_label="people"
)


def test_a_marked_read_goes_to_the_replica():
    assert read_database(**REPLICA_READ) == REPLICA


@pytest.mark.parametrize(
    "change",
    [
        {"configured": False},  # no DATABASE_REPLICA_URL: nothing changes
        {"allowed": False},  # not a report or an export
        {"wrote_recently": True},  # the user's own write must be seen
        {"in_transaction": True},  # a transaction reads what it writes
        {"app_label": "sessions"},
        {"app_label": "axes"},
        {"app_label": "otp_totp"},
        {"app_label": "django_cache"},
        {"app_label": "django_tasks_db"},
    ],
)
def test_every_other_read_goes_to_the_primary(change):
    assert read_database(**{**REPLICA_READ, **change}) == DEFAULT_DB_ALIAS


def test_writes_and_migrations_go_to_the_primary_only():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Offence) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "referrals") is True
    assert router.allow_migrate(REPLICA, "referrals") is False


def test_without_a_replica_the_router_is_not_installed(settings):
    assert REPLICA not in settings.DATABASES
    assert not getattr(settings, "DATABASE_ROUTERS", [])


@pytest.fixture
def replica(tmp_path, db):
    """The replica is a separate database holding one offence the primary lacks."""
    with replica_database(tmp_path) as replica:
        with replica.schema_editor() as editor:
            editor.create_model(Offence)  # a table without foreign keys to bring along
        Offence.objects.using(REPLICA).create(code="REPLICA-ONLY", name="Only there", country="DK")
        yield replica


def _seen() -> bool:
    return Offence.objects.filter(code="REPLICA-ONLY").exists()


def test_a_report_reads_from_the_replica_database(replica):
    assert not _seen()
    with replica_reads():
        assert _seen()


def test_reads_right_after_ones_own_write_go_to_the_primary(replica):
    with replica_reads(), after_own_write():
        assert not _seen()


def test_reads_inside_a_transaction_go_to_the_primary(replica):
    with replica_reads():
        with transaction.atomic():
            assert not _seen()
        assert _seen()


def test_the_view_decorator_reads_from_the_replica(replica):
    @reads_from_replica
    def view(request):
        return HttpResponse("yes" if _seen() else "no")

    assert view(RequestFactory().get("/")).content == b"yes"
    assert not _seen()  # only while the view runs


def _wrote_flag_seen_by_view(request, middleware_cls=ReadYourWritesMiddleware):
    seen = {}

    def view(request):
        seen["wrote"] = _wrote_recently.get()
        return HttpResponse()

    response = middleware_cls(view)(request)
    return seen["wrote"], response


def test_a_write_marks_the_browser_and_its_next_reads_go_to_the_primary(replica, settings):
    settings.READ_OWN_WRITES_SECONDS = 30
    factory = RequestFactory()
    wrote, response = _wrote_flag_seen_by_view(factory.post("/"))
    assert wrote is False
    cookie = response.cookies[WROTE_COOKIE]
    assert cookie["max-age"] == 30 and cookie["httponly"]

    after = factory.get("/")
    after.COOKIES[WROTE_COOKIE] = cookie.value
    assert _wrote_flag_seen_by_view(after)[0] is True

    long_after = factory.get("/")
    long_after.COOKIES[WROTE_COOKIE] = f"{time.time() - 31:.0f}"
    assert _wrote_flag_seen_by_view(long_after)[0] is False

    forged = factory.get("/")
    forged.COOKIES[WROTE_COOKIE] = "soon"
    wrote, response = _wrote_flag_seen_by_view(forged)
    assert wrote is False
    assert WROTE_COOKIE not in response.cookies  # a read sets nothing


def test_the_middleware_is_not_used_without_a_replica():
    from django.core.exceptions import MiddlewareNotUsed

    assert REPLICA not in connections
    with pytest.raises(MiddlewareNotUsed):
        ReadYourWritesMiddleware(lambda request: HttpResponse())
