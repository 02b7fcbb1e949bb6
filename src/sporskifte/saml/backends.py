"""The backend a SAML session is recorded with. It authenticates nothing itself: the ACS view
finds the account from a verified assertion (sporskifte.saml.services) and logs it in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from sporskifte.accounts.models import User


class SamlBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        return None
