"""What the SAML log-in keeps: every message exchanged with an identity provider (180 days, as
NemLog-in asks of a service provider; read by the system administrator only) and the "device"
that marks a session as having passed the identity provider's multi-factor log-in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class SamlMessage(models.Model):
    class Kind(models.TextChoices):
        AUTHN_REQUEST = "authn_request", _("Authentication request")
        RESPONSE = "response", _("Authentication response")
        LOGOUT_REQUEST = "logout_request", _("Logout request")
        LOGOUT_RESPONSE = "logout_response", _("Logout response")

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # The refusal's key (sporskifte.saml.refusals.Reason), empty when accepted or sent.
    reason = models.CharField(max_length=40, blank=True)
    idp_entity_id = models.CharField(max_length=500, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    in_response_to = models.CharField(max_length=200, blank=True, db_index=True)
    # An accepted assertion's ID: unique, so the same assertion is never accepted twice.
    assertion_id = models.CharField(max_length=200, null=True, blank=True, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The message as exchanged (base64 XML or a redirect URL's query); an encrypted assertion
    # stays encrypted here.
    raw = models.TextField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SAML message")
        verbose_name_plural = _("SAML messages")


class SamlDevice(Device):
    """django-otp's record that this user's session passed a second factor. A session logged in
    through an identity provider at NSIS Substantial is verified with this device; it has no
    code of its own, so it can never verify anything at the code step."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",  # no reverse manager: nothing reads devices from the user
        help_text="The user that this device belongs to.",
    )

    def verify_token(self, token: object) -> bool:
        return False

    class Meta:
        verbose_name = _("identity-provider log-in")
        verbose_name_plural = _("identity-provider log-ins")
