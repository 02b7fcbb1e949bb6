"""Request examples for the OpenAPI document. The people are fictitious; their CPR numbers use
the 9000s serials of test numbers (valid syntax, no modulus 11)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

SUSPECT = {
    "full_name": "Test Testesen",
    "id_kind": "cpr",
    "id_number": "010190-9999",
    "phone": "21234000",
    "home_municipality": "0791",
    "offence_date": "2026-01-15",
}

CASE = OpenApiExample(
    "A case with two suspects",
    request_only=True,
    value={
        "journal_number": "4100-80001-00001-26",
        "title": "Seized sales phone",
        "programme": 1,
        "offence": "ESL-KOEB",
        "suspects": [
            SUSPECT,
            SUSPECT | {"full_name": "Test Prøvesen", "id_number": "020285-9998", "phone": ""},
        ],
    },
)

OFFER = OpenApiExample(
    "One person",
    request_only=True,
    value={
        "programme": 1,
        "offence": "ESL-KOEB",
        "offence_date": "2026-01-15",
        "journal_number": "4100-80002-00001-26",
        "person": {k: v for k, v in SUSPECT.items() if k != "offence_date"},
    },
)

ANSWER_YES = OpenApiExample(
    "Yes with consent",
    request_only=True,
    value={
        "answer": "yes",
        "prevention_conversation": "accepted",
        "consent": {"method": "signed", "text_version": 1, "given_at": "2026-01-15T14:30:00+01:00"},
    },
)

ANSWER_NO = OpenApiExample("No", request_only=True, value={"answer": "no"})

ATTEMPT = OpenApiExample(
    "Reached by phone",
    request_only=True,
    value={"at": "2026-01-16T10:00:00+01:00", "method": "phone", "reached": True},
)

STEP = OpenApiExample(
    "First conversation held",
    request_only=True,
    value={"step": "first_conversation", "at": "2026-01-20T13:00:00+01:00"},
)
