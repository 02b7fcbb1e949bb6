"""Fixtures shared by every app's tests. Personas live in sporskifte.testing.personas."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is the production hasher; hashing ten personas per test with it costs a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The menu asks anew on every page, as a test that seats a user and looks expects;
    # accounts/tests/test_menu_answers.py tests the minute's memory itself.
    settings.MENU_ANSWER_SECONDS = 0


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data once per session; each test's transaction rolls back on top of it."""
    from sporskifte.referrals.reference_data import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture(autouse=True)
def _english_source_strings(settings):
    """Tests assert on the English source strings. Danish, the site's default, is checked by
    core/tests/test_translations.py and by the tests that ask for it (Accept-Language: da)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def personas(db):
    from sporskifte.testing.personas import make_personas

    return make_personas()


@pytest.fixture
def as_user():
    """``as_user(user)`` returns a test client logged in with both factors."""
    from sporskifte.testing.personas import verified_client

    return verified_client
