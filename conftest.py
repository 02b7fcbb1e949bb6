"""Fixtures shared by every app's tests. Personas live in sporskifte.testing.personas."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def personas(db):
    from sporskifte.testing.personas import make_personas

    return make_personas()


@pytest.fixture
def as_user():
    """``as_user(user)`` returns a test client logged in with both factors."""
    from sporskifte.testing.personas import verified_client

    return verified_client
