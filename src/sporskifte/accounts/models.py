"""Users act for exactly one organisation, in one role.

A person who works for two organisations has two accounts, as with MitID Erhverv, where an
identity belongs to one organisation. That keeps "for which organisation did they look" an
unambiguous fact in every audit row.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sporskifte.core.choices import label


class Role(models.TextChoices):
    OFFICER = "officer", _("Police officer")
    INVESTIGATOR = "investigator", _("Investigator")
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    COUNSELLOR = "counsellor", _("Counsellor")
    RESEARCHER = "researcher", _("Researcher")
    COUNCIL_MEMBER = "council_member", _("Council member")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    # Konfliktråd / medling: the district's coordinator and its civilian mediators.
    MEDIATION_COORDINATOR = "mediation_coordinator", _("Mediation coordinator")
    MEDIATOR = "mediator", _("Mediator")
    # Socialsøg: police staff who run and review the weekly screening.
    SCREENING_OFFICER = "screening_officer", _("Screening officer")
    # The municipality's child services, who receive notifications (underretninger).
    CHILD_SERVICES = "child_services", _("Child-services caseworker")
    # The district's crime-prevention secretariat: councils, plans, outreach.
    PREVENTION_SECRETARIAT = "prevention_secretariat", _("Crime-prevention secretariat")
    # Victim support (Offerrådgivning): the volunteer advisers of a district's unit.
    VICTIM_ADVISER = "victim_adviser", _("Victim-support adviser")
    # Bandeexit: the coordinators (municipality, police, prison and probation) of an exit unit.
    EXIT_COORDINATOR = "exit_coordinator", _("Exit coordinator")
    # Sweden's prosecutor (åklagare): learns whether an offender took part in medling.
    PROSECUTOR = "prosecutor", _("Prosecutor")


POLICE_ROLES = frozenset({Role.OFFICER, Role.INVESTIGATOR, Role.DISTRICT_ADMIN})


class User(AbstractUser):
    # Service users stand behind API tokens; they never log in with a password.
    is_service = models.BooleanField(default=False)
    # Demo accounts are created by the demo command and may show their one-time code in DEMO mode.
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    if TYPE_CHECKING:
        # Set on the instance by others, declared for the type checker only:
        # accounts.access.membership_of caches the membership here, once looked up;
        _sporskifte_membership: Membership | None

        # accounts.authentication (as django-otp's OTPMiddleware) installs this on request.user
        # (True once the session has passed the second factor). A user loaded any other way does
        # not have it.
        def is_verified(self) -> bool: ...

    def acting_membership(self) -> Membership | None:
        """``accounts.access.membership_of(self)``, for the layer below accounts (the audit
        trail), which takes the acting user but does not import the apps above it."""
        from sporskifte.accounts.access import membership_of

        return membership_of(self)

    @property
    def membership_or_none(self) -> Membership | None:
        try:
            return self.membership
        except Membership.DoesNotExist:
            return None


class Membership(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The identity provider's persistent NameID, bound at the first SAML log-in; from then on
    # the account is found by it alone (never again by e-mail or user name).
    saml_name_id = models.CharField(max_length=255, null=True, blank=True, editable=False)
    saml_bound_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "saml_name_id"], name="membership_saml_name_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.role_label}"

    @property
    def role_label(self) -> str:
        """``get_role_display()`` at a fraction of its cost: the page header shows it on every
        page (``core.choices``)."""
        return label(Role, self.role)

    @property
    def is_police(self) -> bool:
        return self.role in POLICE_ROLES and self.organisation.is_police

    @property
    def is_partner_staff(self) -> bool:
        return self.role == Role.COUNSELLOR and self.organisation.is_partner


class ApiToken(models.Model):
    """A token for another system, tied to one organisation through a service user.

    Only a SHA-256 digest is stored; the key is shown once, when it is made.
    """

    PREFIX = "spk_"

    name = models.CharField(_("name"), max_length=100)
    service_user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="issued_tokens"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenRequest(models.Model):
    """A system administrator's request for a token acting for another organisation than
    their own. It waits for a second system administrator whose scope includes that
    organisation; only their approval makes the key (shown once, to the approver)."""

    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="api_token_requests"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="api_token_requests"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    token = models.OneToOneField(
        ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )

    class Meta:
        verbose_name = _("API token request")
        verbose_name_plural = _("API token requests")

    def __str__(self) -> str:
        return self.name

    @property
    def is_pending(self) -> bool:
        return self.approved_at is None
