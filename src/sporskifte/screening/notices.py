"""E-mail side effects of screening, called through ``transaction.on_commit`` from services.

The notice names no child and no incident: only that a notification is waiting, and where.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from sporskifte.organisations.models import Organisation


def notification_waiting(municipality_id: int) -> None:
    orgs = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality_id=municipality_id, is_active=True
    ).exclude(email="")
    for org in orgs:
        with translation.override("sv" if org.country == "SE" else "da"):
            send_mail(
                _("A new notification is waiting in Sporskifte"),
                _(
                    "A new notification about a child is waiting for your municipality in "
                    "Sporskifte. Log in to read it: %(url)s"
                )
                % {"url": f"{settings.SITE_URL}/socialsoeg/modtaget/"},
                None,
                [org.email],
            )
