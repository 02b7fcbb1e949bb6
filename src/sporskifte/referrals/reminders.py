"""Reminders to partners about referrals past their contact deadline.

The e-mail carries counts and a link, never a name: e-mail is not a safe channel for who was
referred, and the counsellor reads the details in Sporskifte after logging in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sporskifte.accounts.models import Membership, Role
from sporskifte.organisations.models import Organisation
from sporskifte.referrals.models import Referral


@dataclass
class Reminder:
    partner: Organisation
    overdue: int
    recipients: list[str]


def overdue_reminders_collect(*, now=None) -> list[Reminder]:
    now = now or timezone.now()
    overdue = Q(
        referrals_received__status__in=[Referral.Status.NEW, Referral.Status.IN_PROGRESS],
        referrals_received__contact_made_at__isnull=True,
        referrals_received__due_at__lt=now,
        referrals_received__long_follow_up=False,  # waits for its next contact, not overdue
    )
    partners = (
        Organisation.objects.filter(kind__in=Organisation.PARTNER_KINDS)
        .annotate(overdue=Count("referrals_received", filter=overdue))
        .filter(overdue__gt=0)
        .order_by("name")
    )
    staff: dict[int, list[str]] = {}
    for org_id, email in (
        Membership.objects.filter(
            organisation__in=partners, role=Role.COUNSELLOR, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    ):
        staff.setdefault(org_id, []).append(email)
    reminders = []
    for p in partners:
        recipients = [p.email] if p.email else staff.get(p.pk, [])
        reminders.append(Reminder(partner=p, overdue=p.overdue, recipients=sorted(recipients)))
    return reminders


def overdue_reminders_send(*, base_url: str, now=None) -> list[Reminder]:
    reminders = overdue_reminders_collect(now=now)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for r in reminders:
            if not r.recipients:
                continue
            subject = _("Sporskifte: %(n)d referrals past the contact deadline") % {"n": r.overdue}
            body = _(
                "%(partner)s has %(n)d referrals where the person has not yet been contacted "
                "within the deadline.\n\nLog in to see them: %(url)s\n"
            ) % {"partner": r.partner.name, "n": r.overdue, "url": base_url}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, r.recipients))
    send_mass_mail(messages, fail_silently=False)
    return reminders
