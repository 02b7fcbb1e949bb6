"""Who sent a request with a session: the user, their membership and their second factor in one
query.

Django's ``AuthenticationMiddleware`` reads the user, django-otp's ``OTPMiddleware`` then reads
the device the session was verified with, and every page then asks ``membership_of`` (the menu,
the language, the view): three queries before any view work, on every request. Here one query
reads the user with the membership and its organisation, and asks in the same statement whether
the session's device still exists, belongs to the user and is confirmed. Everything is read
anew on every request, so a deactivated user, a revoked membership, a changed role or a
removed second factor counts from the very next request; nothing is kept between requests.

Anything out of the ordinary (no session, a backend that does not load users the
``ModelBackend`` way, a session hash that does not match the current secret) is left to
Django's own ``auth.get_user``, which then decides exactly as it always did.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import is_verified
from django_otp.models import Device

from sporskifte.accounts.models import Membership, User
from sporskifte.core.joined import Part, relate
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def _device_of(persistent_id: object) -> tuple[type[Device], int] | None:
    """The device model and primary key a session's ``otp_device_id`` names (django-otp's
    ``Device.from_persistent_id`` format, "app_label.model/pk"), or None if it names none."""
    if not isinstance(persistent_id, str):
        return None
    try:
        label, pk = persistent_id.rsplit("/", 1)
        app_label, model_name = label.split(".")  # django-otp's legacy ids: log in again
        model = apps.get_model(app_label, model_name)
        return (model, int(pk)) if issubclass(model, Device) else None
    except (ValueError, LookupError):
        return None


def _verified_by(user: User, persistent_id: str | None, ok: bool, request: HttpRequest) -> None:
    """django-otp's ``otp_device`` and ``is_verified()`` on the user. The device itself is read
    only if something asks for more than whether there is one (nothing in a page view does)."""
    user.is_verified = functools.partial(is_verified, user)  # type: ignore[method-assign]
    if persistent_id and ok:
        user.otp_device = SimpleLazyObject(  # type: ignore[attr-defined]
            functools.partial(Device.from_persistent_id, persistent_id)
        )
        return
    user.otp_device = None  # type: ignore[attr-defined]
    if persistent_id:  # removed, unconfirmed or another user's: as django-otp does
        del request.session[DEVICE_ID_SESSION_KEY]


def session_user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
        session_hash = session[HASH_SESSION_KEY]
    except (KeyError, ValidationError):
        return _as_django_does(request)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return _as_django_does(request)
    backend = auth.load_backend(backend_path)
    if not isinstance(backend, ModelBackend) or type(backend).get_user is not ModelBackend.get_user:
        return _as_django_does(request)
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    found = user_with_membership(user_id, _device_of(persistent_id))
    if (
        found is None
        or not backend.user_can_authenticate(found[0])
        or not constant_time_compare(session_hash, found[0].get_session_auth_hash())
    ):
        # Gone, inactive, or a hash of another secret (SECRET_KEY_FALLBACKS): Django decides,
        # cycling the session key or flushing the session as it always does.
        return _as_django_does(request)
    user, device_ok = found
    user._sporskifte_membership = user.membership_or_none
    _verified_by(user, persistent_id, device_ok, request)
    return user


_USER, _MEMBERSHIP, _ORGANISATION = Part(User, "u"), Part(Membership, "m"), Part(Organisation, "o")


class UserSql(NamedTuple):
    columns: str  # the user's, membership's and organisation's
    table: str  # the user's table, as ``u``
    joins: str  # from the user to its membership and organisation
    pk: str  # the user's primary key column, to join or filter on


def user_sql(connection: BaseDatabaseWrapper) -> UserSql:
    """The pieces of a statement that reads a user with its membership and organisation; the
    session's read and the API token's share them, and ``user_built`` makes the user back."""
    return UserSql(
        columns=", ".join(p.columns(connection) for p in (_USER, _MEMBERSHIP, _ORGANISATION)),
        table=_USER.table(connection),
        joins=(
            f"LEFT JOIN {_MEMBERSHIP.table(connection)}"
            f" ON {_MEMBERSHIP.column(connection, 'user')} = {_USER.column(connection, 'id')}"
            f" LEFT JOIN {_ORGANISATION.table(connection)}"
            f" ON {_ORGANISATION.column(connection, 'id')}"
            f" = {_MEMBERSHIP.column(connection, 'organisation')}"
        ),
        pk=_USER.column(connection, "id"),
    )


def user_built(row: Sequence[Any], start: int, connection: BaseDatabaseWrapper) -> User:
    """The user read by ``user_sql``'s columns from ``start``, with its membership and
    organisation cached as ``select_related`` caches them."""
    user = _USER.build(row, start, connection)
    assert isinstance(user, User)
    start += _USER.width
    membership = _MEMBERSHIP.build(row, start, connection)
    if membership is not None:
        organisation = _ORGANISATION.build(row, start + _MEMBERSHIP.width, connection)
        relate(membership, "organisation", organisation)
    relate(user, "membership", membership)
    return user


@functools.cache
def _user_sql(alias: str, device_label: str | None) -> str:
    """The statement, written once per database and device model ("otp_totp.TOTPDevice")."""
    connection = connections[alias]
    u = user_sql(connection)
    ok = "0"
    if device_label is not None:
        d = Part(apps.get_model(device_label), "d")
        ok = (
            f"CASE WHEN EXISTS (SELECT 1 FROM {d.table(connection)}"  # noqa: S608
            f" WHERE {d.column(connection, 'pk')} = %s AND {d.column(connection, 'user')} ="
            f" {u.pk} AND {d.column(connection, 'confirmed')} = %s) THEN 1 ELSE 0 END"
        )
    return f"SELECT {u.columns}, {ok} FROM {u.table} {u.joins} WHERE {u.pk} = %s"  # noqa: S608


def user_with_membership(
    user_id: int, device: tuple[type[Device], int] | None
) -> tuple[User, bool] | None:
    """The user with its membership and organisation (as ``select_related`` leaves them), and
    whether ``device`` exists, is the user's and is confirmed, in one statement written from
    the models (``core.joined``): 1.5-2.1 ms of CPU through the ORM, 0.24 ms so."""
    connection = connections[router.db_for_read(User)]
    params: list[Any] = [user_id] if device is None else [device[1], True, user_id]
    sql = _user_sql(connection.alias, device[0]._meta.label if device else None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return user_built(row, 0, connection), bool(row[-1])


def _as_django_does(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    user = auth.get_user(request)
    if isinstance(user, User):
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = Device.from_persistent_id(persistent_id) if persistent_id else None
        ok = bool(device and device.user_id == user.pk and device.confirmed)
        _verified_by(user, persistent_id, ok, request)
    else:
        user.is_verified = lambda: False  # type: ignore[attr-defined]
        user.otp_device = None  # type: ignore[attr-defined]
    return user


def _cached_user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthentication):
    """In place of Django's ``AuthenticationMiddleware`` and django-otp's ``OTPMiddleware``:
    ``request.user`` with ``is_verified()`` and ``otp_device`` as they set them."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # its checks, and request.user for the type

        def read() -> AbstractBaseUser | AnonymousUser:
            user = _cached_user(request)
            # From now on the request holds the user itself: every attribute read through the
            # wrapper is two more calls, a few hundred per page. Only while the wrapper is still
            # what the request holds: a user set since (log-in, log-out, an API token's service
            # user) is never put back by a late read of the wrapper.
            if request.__dict__.get("user") is lazy:
                request.user = user  # type: ignore[assignment]
            return user

        lazy = SimpleLazyObject(read)
        request.user = lazy  # type: ignore[assignment]

        async def auser() -> AbstractBaseUser | AnonymousUser:
            return await sync_to_async(_cached_user)(request)

        request.auser = auser  # type: ignore[assignment]
