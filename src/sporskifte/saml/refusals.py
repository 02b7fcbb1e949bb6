"""Why a SAML log-in was refused: a stable key for the audit row and the message log, and the
sentence the person reads (the page never says more than they need to try again correctly)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    WRONG_AUDIENCE = "wrong_audience", _("The assertion was meant for another service.")
    EXPIRED = "expired", _("The assertion has expired or is not valid yet.")
    REPLAYED = "replayed", _("The assertion has already been used.")
    UNSOLICITED = "unsolicited", _("The response answers no log-in started here.")
    UNSIGNED = "unsigned", _("The assertion is not signed by the identity provider.")
    LOW_ASSURANCE = (
        "low_assurance",
        _("The log-in was made at a lower level of assurance than NSIS Substantial."),
    )
    WRONG_CVR = (
        "wrong_cvr",
        _("The identity provider states another organisation (CVR) than your account's."),
    )
    UNKNOWN_PERSON = (
        "unknown_person",
        _(
            "No account in Sporskifte is bound to this identity. An administrator of your "
            "organisation creates accounts."
        ),
    )
    UNKNOWN_IDP = "unknown_idp", _("The identity provider is not configured for Sporskifte.")
    IDP_REFUSED = "idp_refused", _("The identity provider did not log you in.")
    INVALID = "invalid", _("The response from the identity provider could not be read.")


class SamlRefused(Exception):
    def __init__(self, reason: Reason, **detail: object) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail
