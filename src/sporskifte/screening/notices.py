"""E-mail side effects of screening, queued (``jobs``) in the transaction of the service that
sends the notification: a rolled-back send mails nothing, a committed one is never lost.

The notice names no child and no incident: only that a notification is waiting, and where.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sporskifte.jobs.notices import notice_enqueue
from sporskifte.organisations.models import Organisation


def notification_waiting(municipality_id: int) -> None:
    orgs = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality_id=municipality_id, is_active=True
    ).exclude(email="")
    for org in orgs:
        with translation.override("sv" if org.country == "SE" else "da"):
            notice_enqueue(
                subject=_("A new notification is waiting in Sporskifte"),
                body=_(
                    "A new notification about a child is waiting for your municipality in "
                    "Sporskifte. Log in to read it: %(url)s"
                )
                % {"url": f"{settings.SITE_URL}/socialsoeg/modtaget/"},
                recipients=[org.email],
            )


def acknowledgements_overdue(
    district_id: int, count: int, recipients: list[str], day: object
) -> None:
    country = Organisation.objects.filter(pk=district_id).values_list("country", flat=True).first()
    with translation.override("sv" if country == "SE" else "da"):
        notice_enqueue(
            subject=_("Sporskifte: %(n)d notifications not acknowledged in time") % {"n": count},
            body=_(
                "%(n)d notifications from your police district are past the municipality's "
                "deadline for acknowledging receipt. See them in Sporskifte: %(url)s"
            )
            % {"n": count, "url": f"{settings.SITE_URL}/socialsoeg/underretninger/"},
            recipients=recipients,
            key=f"screening:overdue:{district_id}:{day}",
        )
