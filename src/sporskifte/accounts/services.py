"""Writes about accounts: log-in records, second-factor enrolment, resetting and unlocking.

Each writes its audit row in the same transaction as the change it records.
"""

from __future__ import annotations

from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record


@transaction.atomic
def totp_device_pending(*, actor: User) -> TOTPDevice:
    """The unconfirmed device being set up, made once so the QR code stays the same on reload."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="Sporskifte", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, actor: User, device: TOTPDevice) -> None:
    if device.user_id != actor.pk:
        raise ValueError("The device belongs to another user.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Any other half-finished set-up is now stale and would only be a second secret to leak.
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.TOTP_DEVICE,
        object_id=device.pk,
        purpose=AuditEvent.Purpose.SECOND_FACTOR_SET_UP,
    )


@transaction.atomic
def user_login_record(*, actor: User, second_factor: bool) -> AuditEvent:
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.LOGIN,
        object_type=AuditEvent.ObjectType.USER,
        object_id=actor.pk,
        purpose=AuditEvent.Purpose.LOGIN_TWO_FACTOR if second_factor else AuditEvent.Purpose.LOGIN,
    )


@transaction.atomic
def user_unlock(*, username: str, actor: User | None = None, by_second_factor: bool = False) -> int:
    """Lift the lock-out after failed log-ins, from every address. Returns how many attempt
    records were removed. ``by_second_factor``: the user did it themselves with their code."""
    user = User.objects.get(username=username)
    removed = axes_reset(username=username)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.USER,
        object_id=user.pk,
        purpose=AuditEvent.Purpose.UNLOCKED,
        detail={
            "username": username,
            "attempt_records_removed": removed,
            "by_second_factor": by_second_factor,
        },
    )
    return removed


def _sessions_end(user: User) -> int:
    """Delete every live session of the user (database-backed sessions, the project's engine)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()  # also clears a cached_db cache
            ended += 1
    return ended


@transaction.atomic
def user_second_factor_reset(*, actor: User, user: User) -> int:
    """Delete all of the user's TOTP devices and end their sessions, for a lost phone.

    At the next log-in the password step leads to setting up a new device. Returns how many
    devices were deleted. An administrator may not do this to themselves: the page is the way
    back in for others, and an administrator without a factor would be locked out of it.
    """
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot reset your own second factor."))
    _count, per_model = TOTPDevice.objects.filter(user=user).delete()
    removed = per_model.get(TOTPDevice._meta.label, 0)
    sessions = _sessions_end(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.USER,
        object_id=user.pk,
        purpose=AuditEvent.Purpose.SECOND_FACTOR_RESET,
        detail={
            "username": user.username,
            "devices_removed": removed,
            "sessions_ended": sessions,
        },
    )
    return removed
