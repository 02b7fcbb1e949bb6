"""``request.user`` after the first read: the user itself, unless something set another since."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from sporskifte.accounts.authentication import AuthenticationMiddleware

pytestmark = pytest.mark.django_db


def _request():
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


def test_after_the_first_read_the_request_holds_the_user_itself():
    request = _request()
    assert isinstance(request.__dict__["user"], SimpleLazyObject)
    assert not request.user.is_authenticated
    assert isinstance(request.__dict__["user"], AnonymousUser)


def test_a_user_set_before_the_wrapper_is_read_is_not_put_back(personas):
    request = _request()
    wrapper = request.user  # kept by someone, e.g. a context processor
    request.user = personas.officer_a  # as DRF sets an API token's service user
    assert not wrapper.is_authenticated  # the late read answers for the session…
    assert request.user == personas.officer_a  # …and leaves the request's user alone
