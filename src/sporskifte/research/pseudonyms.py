"""Pseudonyms for research extracts.

``HMAC-SHA256(settings.PSEUDONYM_KEY, "<project id>:<project salt>:<kind>:<id>")``, cut to 20 hex
digits (80 bits). The key stays on the server, so a researcher cannot recompute a pseudonym from
an id, and the project id and salt in the input make the same person's pseudonyms unrelated
between projects.

Which identity: while the person exists, the person's id ("P-…"), so all of one person's offers
in the project share a pseudonym. When retention has erased the person, ``Offer.person_id`` is
null and nothing links the offer to anyone any more; the offer's id is used instead ("O-…").
That pseudonym is stable too, but an erased person's offers no longer share one, and a person's
pseudonym changes from "P-…" to "O-…" between a download before and one after the erasure.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

LENGTH = 20


def pseudonym(*, project_id: int, salt: str, person_id: int | None, offer_id: int) -> str:
    kind, ident = ("P", person_id) if person_id is not None else ("O", offer_id)
    message = f"{project_id}:{salt}:{kind}:{ident}".encode()
    digest = hmac.new(settings.PSEUDONYM_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"{kind}-{digest[:LENGTH]}"
