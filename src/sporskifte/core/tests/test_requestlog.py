"""Every request has an id (the proxy's, when well formed, or one of ours), sent back, written on
each log line as JSON and on each audit row the request writes."""

import json
import logging

import pytest
from django.urls import reverse

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.requestlog import HEADER, JsonFormatter, request_id_from, request_id_var

PROXY_ID = "0f9c2a7e-5b1d-4c3e-9a8f-2d6b7c1e4a90"


def test_a_well_formed_proxy_id_is_kept():
    assert request_id_from(PROXY_ID) == PROXY_ID


@pytest.mark.parametrize(
    "header", [None, "", "short", "a" * 65, "id with spaces", "x\r\nSet-Cookie: a=b", "ø" * 10]
)
def test_anything_else_gets_an_id_of_our_own(header):
    made = request_id_from(header)
    assert made != header
    assert len(made) == 32 and made.isalnum()


@pytest.mark.django_db
def test_the_id_is_sent_back_and_a_bad_one_replaced(client):
    kept = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID=PROXY_ID)
    assert kept[HEADER] == PROXY_ID
    replaced = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID="bad id")
    assert replaced[HEADER] not in ("", "bad id")
    assert client.get(reverse("accounts:login"))[HEADER] != replaced[HEADER]


@pytest.mark.django_db
def test_the_audit_row_carries_the_request_id(personas, as_user):
    response = as_user(personas.officer_a).get(
        reverse("insights:export"), {"format": "csv"}, HTTP_X_REQUEST_ID=PROXY_ID
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, actor=personas.officer_a)
    assert event.request_id == PROXY_ID


@pytest.mark.django_db
def test_rows_written_outside_a_request_have_no_id(personas):
    event = audit_record(
        actor=None,
        action=AuditEvent.Action.ERASE,
        object_type=AuditEvent.ObjectType.AUDIT_LOG,
        purpose=AuditEvent.Purpose.AUDIT_RETENTION,
    )
    assert event.request_id == ""


@pytest.mark.django_db
def test_the_access_line_names_request_user_path_status_and_duration(personas, as_user, caplog):
    client = as_user(personas.officer_a)
    with caplog.at_level(logging.INFO, logger="sporskifte.request"):
        response = client.get(reverse("core:home"), HTTP_X_REQUEST_ID=PROXY_ID)
    (record,) = [r for r in caplog.records if r.name == "sporskifte.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == PROXY_ID
    assert line["user_id"] == personas.officer_a.pk
    assert line["path"] == reverse("core:home")
    assert line["status"] == response.status_code
    assert line["level"] == "INFO"
    assert line["logger"] == "sporskifte.request"
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")


def test_a_line_logged_during_a_request_names_its_id():
    record = logging.getLogger("sporskifte.test").makeRecord(
        "sporskifte.test", logging.WARNING, __file__, 1, "slow", (), None
    )
    token = request_id_var.set(PROXY_ID)
    try:
        assert json.loads(JsonFormatter().format(record))["request_id"] == PROXY_ID
    finally:
        request_id_var.reset(token)


def test_an_exception_is_one_json_line():
    logger = logging.getLogger("sporskifte.test")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "failed %s", ("here",), exc_info=True
        )
        record.exc_info = __import__("sys").exc_info()
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "failed here"
    assert "ValueError: boom" in line["exception"]
    assert "request_id" not in line


def test_djangos_request_object_is_not_logged_with_its_query_string(rf):
    record = logging.getLogger("django.request").makeRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/x/",),
        None,
        extra={"status_code": 404, "request": rf.get("/x/", {"navn": "Subjekt Testborger"})},
    )
    line = JsonFormatter().format(record)
    assert "Testborger" not in line
    assert json.loads(line)["status_code"] == 404
