"""Reading accounts for the system administrator's user page. Default deny.

Only a system administrator manages accounts here; for anyone else the pages answer 404. A
system administrator administers their own police district, not the whole system: the district
and its units, the municipalities in it and their centres, and the partners its programmes
refer to (``organisations_administered_by``, the one place that decides it). Everything outside
answers like something missing. Service users (behind API tokens) never log in, so they are not
listed and cannot be acted on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from axes.helpers import get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.access import membership_of
from sporskifte.accounts.lockout import LONGEST, Burst, failure_bursts, lock_step
from sporskifte.accounts.models import ApiToken, ApiTokenRequest, Role, User
from sporskifte.organisations.models import Organisation


def may_manage_users(user: User) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.SYSTEM_ADMIN


def organisations_administered_by(user: User) -> QuerySet[Organisation]:
    """The organisations whose accounts and tokens a system administrator manages; none for
    anyone else.

    For a police administrator: their district, its units, the municipalities in the district
    and the organisations of those municipalities (their centres), and the partners the
    district's programmes send referrals to. An administrator of any other organisation
    manages that organisation and the ones under it. A partner that serves two districts is
    administered by both; nothing in another district or country is.
    """
    membership = membership_of(user)
    if membership is None or membership.role != Role.SYSTEM_ADMIN:
        return Organisation.objects.none()
    own = membership.organisation
    district = own.police_district_id
    if district is None:
        return Organisation.objects.filter(Q(pk=own.pk) | Q(parent_id=own.pk))
    # The partners through the reverse relation of ``referrals.Programme.fixed_partner``:
    # accounts sits below referrals and does not import its models.
    partners = Organisation.objects.filter(fixed_programmes__police_district_id=district).values(
        "pk"
    )
    return Organisation.objects.filter(
        Q(pk=district)
        | Q(parent_id=district)
        | Q(municipality__police_district_id=district)
        | Q(pk__in=partners)
    )


def users_for_admin(user: User) -> QuerySet[User]:
    """The accounts a system administrator may act on; none for anyone else."""
    if not may_manage_users(user):
        return User.objects.none()
    return User.objects.filter(
        is_service=False,
        membership__organisation__in=organisations_administered_by(user).values("pk"),
    )


def api_tokens_for_admin(user: User) -> QuerySet[ApiToken]:
    """The active tokens for organisations in the administrator's scope, newest first, with
    organisation, role and issuer joined in: one query however many. None for anyone else."""
    if not may_manage_users(user):
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(
            revoked_at__isnull=True,
            service_user__membership__organisation__in=organisations_administered_by(user).values(
                "pk"
            ),
        )
        .select_related("service_user__membership__organisation", "created_by")
        .order_by("-created_at", "-pk")
    )


def api_token_requests_for_admin(user: User) -> QuerySet[ApiTokenRequest]:
    """Token requests for organisations in the administrator's scope, pending first: the
    target organisation's administrators see who asked to act for it, and who approved."""
    if not may_manage_users(user):
        return ApiTokenRequest.objects.none()
    return (
        ApiTokenRequest.objects.filter(
            organisation__in=organisations_administered_by(user).values("pk")
        )
        .select_related("organisation", "requested_by", "approved_by")
        .order_by(F("approved_at").asc(nulls_first=True), "-requested_at", "-pk")
    )


def users_search(user: User, query: str = "") -> QuerySet[User]:
    """Every word of the query must match the user name, a name or the organisation's name.

    Each user carries ``has_second_factor`` (a confirmed TOTP device); membership and
    organisation are joined in, so listing them costs one query however many there are.
    """
    users = users_for_admin(user)
    for word in query.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(membership__organisation__name__icontains=word)
        )
    return (
        users.select_related("membership__organisation")
        .annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("first_name", "last_name", "username")
    )


def locked_out_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these user names django-axes now refuses from at least one address, in two
    queries. The same rule as axes' database handler with lock-out by user name and address:
    the pair's failures reach the limit within the pair's current lock step."""
    names = list(usernames)
    if not names:
        return set()
    now = timezone.now()
    locks = Counter(
        AccessFailureLog.objects.filter(
            username__in=names, locked_out=True, attempt_time__gte=now - LONGEST
        ).values_list("username", "ip_address")
    )
    limit = get_failure_limit(None, None)  # an int setting needs neither request nor credentials
    return {
        a.username
        for a in AccessAttempt.objects.filter(username__in=names, failures_since_start__gte=limit)
        if a.attempt_time > now - lock_step(locks[(a.username, a.ip_address)])
    }


def failure_bursts_for_admin(user: User) -> list[Burst]:
    """Log-in failure bursts the administrator should look at: those on accounts in their
    scope, and on user names no account has (someone guessing). Another district's accounts
    are theirs to watch, and their user names are not shown here."""
    bursts = failure_bursts()
    outside = set(
        User.objects.filter(username__in={b.username for b in bursts})
        .exclude(pk__in=users_for_admin(user).values("pk"))
        .values_list("username", flat=True)
    )
    return [b for b in bursts if b.username not in outside]


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
