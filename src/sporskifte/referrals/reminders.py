"""Reminders to partners about referrals past their contact deadline, once a day.

The e-mail carries counts and a link, never a name: e-mail is not a safe channel for who was
referred, and the counsellor reads the details in Sporskifte after logging in.

- Each organisation gets each kind of reminder at most once a day (``ReminderSent``): a re-run
  of the job, or a second scheduler, sends nothing twice. The day's claims and the e-mail jobs
  are written in one transaction: a mail server that is down fails the e-mail job (kept, with
  its input, for the system administrator to run again), not the claim.
- A referral never contacted ``STALE_REFERRAL_DAYS`` after it was made leaves the partner's
  count and goes to the referring district's administrators as stale: a reminder that has not
  worked for a month will not work by being repeated every night.
- A partner with overdue referrals and nobody to remind (no notice address, no active
  counsellor with an e-mail address) is a failure: the referring districts' administrators are
  told, and the job says so (``Result.unreachable``; the command exits non-zero).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sporskifte.accounts.models import Membership, Role
from sporskifte.jobs.notices import notice_enqueue
from sporskifte.organisations.models import Organisation
from sporskifte.referrals.models import Referral, ReminderSent

OPEN = [Referral.Status.NEW, Referral.Status.IN_PROGRESS]


@dataclass
class Reminder:
    partner: Organisation
    overdue: int
    recipients: list[str]


@dataclass
class Result:
    sent: list[Reminder] = field(default_factory=list)
    stale: dict[int, int] = field(default_factory=dict)  # district id → stale referrals
    unreachable: list[Organisation] = field(default_factory=list)


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.STALE_REFERRAL_DAYS)


def overdue_reminders_collect(*, now: dt.datetime | None = None) -> list[Reminder]:
    now = now or timezone.now()
    overdue = Q(
        referrals_received__status__in=OPEN,
        referrals_received__contact_made_at__isnull=True,
        referrals_received__due_at__lt=now,
        referrals_received__created_at__gte=_stale_before(now),
        referrals_received__long_follow_up=False,  # waits for its next contact, not overdue
    )
    partners = (
        Organisation.objects.filter(kind__in=Organisation.PARTNER_KINDS)
        .annotate(overdue=Count("referrals_received", filter=overdue))
        .filter(overdue__gt=0)
        .order_by("name")
    )
    staff = _emails(partners, [Role.COUNSELLOR])
    return [
        Reminder(
            partner=p,
            overdue=p.overdue,
            recipients=sorted([p.email] if p.email else staff.get(p.pk, [])),
        )
        for p in partners
    ]


def _emails(organisations: QuerySet[Organisation], roles: list[str]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for org_id, email in (
        Membership.objects.filter(organisation__in=organisations, role__in=roles)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    ):
        out.setdefault(org_id, []).append(email)
    return out


def stale_referrals(*, now: dt.datetime | None = None) -> dict[int, list[int]]:
    """Referral ids by referring district: open, never contacted, made before the stale line."""
    now = now or timezone.now()
    out: dict[int, list[int]] = {}
    for district, pk in (
        Referral.objects.filter(
            status__in=OPEN, contact_made_at__isnull=True, created_at__lt=_stale_before(now)
        )
        .order_by("police_district_id", "pk")
        .values_list("police_district_id", "pk")
    ):
        out.setdefault(district, []).append(pk)
    return out


def _claim(organisation_id: int, kind: str, day: dt.date, count: int) -> bool:
    """Record the reminder before sending it; False when it was already sent today."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                organisation_id=organisation_id, kind=kind, day=day, count=count
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def overdue_reminders_send(
    *, base_url: str | None = None, now: dt.datetime | None = None
) -> Result:
    now = now or timezone.now()
    day = timezone.localdate(now)
    inbox = base_url or f"{settings.SITE_URL}{reverse('referrals:inbox')}?vis=overdue"
    result = Result()
    messages: list[tuple[str, str, str, list[str]]] = []  # key, subject, body, recipients
    admins_of: dict[int, list[str]] | None = None

    def district_admins(district_id: int) -> list[str]:
        nonlocal admins_of
        if admins_of is None:
            districts = Organisation.objects.filter(kind=Organisation.Kind.POLICE_DISTRICT)
            admins_of = _emails(districts, [Role.DISTRICT_ADMIN])
        return sorted(admins_of.get(district_id, []))

    with translation.override(settings.LANGUAGE_CODE):
        for r in overdue_reminders_collect(now=now):
            if not r.recipients:
                result.unreachable.append(r.partner)
                continue
            if not _claim(r.partner.pk, ReminderSent.Kind.OVERDUE, day, r.overdue):
                continue
            result.sent.append(r)
            subject = _("Sporskifte: %(n)d referrals past the contact deadline") % {"n": r.overdue}
            body = _(
                "%(partner)s has %(n)d referrals where the person has not yet been contacted "
                "within the deadline.\n\nLog in to see them: %(url)s\n"
            ) % {"partner": r.partner.name, "n": r.overdue, "url": inbox}
            key = f"reminder:{ReminderSent.Kind.OVERDUE}:{r.partner.pk}:{day}"
            messages.append((key, subject, body, r.recipients))
        for partner in result.unreachable:
            districts = set(
                Referral.objects.filter(partner=partner, status__in=OPEN).values_list(
                    "police_district_id", flat=True
                )
            )
            for district in sorted(districts):
                to = district_admins(district)
                if not to or not _claim(partner.pk, ReminderSent.Kind.NO_RECIPIENT, day, 1):
                    continue
                subject = _("Sporskifte: %(partner)s cannot be reminded") % {
                    "partner": partner.name
                }
                body = _(
                    "%(partner)s has referrals past the contact deadline, but no notice address "
                    "and no active counsellor with an e-mail address, so nobody there was "
                    "reminded. Give the partner a notice address or a counsellor.\n"
                ) % {"partner": partner.name}
                key = f"reminder:{ReminderSent.Kind.NO_RECIPIENT}:{partner.pk}:{day}"
                messages.append((key, subject, body, to))
        for district, ids in stale_referrals(now=now).items():
            to = district_admins(district)
            if not to or not _claim(district, ReminderSent.Kind.STALE, day, len(ids)):
                continue
            result.stale[district] = len(ids)
            subject = _("Sporskifte: %(n)d referrals never contacted") % {"n": len(ids)}
            body = _(
                "%(n)d referrals from your district have been open for more than %(days)d days "
                "without the partner reaching the person. They are no longer in the partners' "
                "daily reminders. Referral numbers:\n%(list)s\n"
            ) % {
                "n": len(ids),
                "days": settings.STALE_REFERRAL_DAYS,
                "list": ", ".join(f"#{pk}" for pk in ids),
            }
            key = f"reminder:{ReminderSent.Kind.STALE}:{district}:{day}"
            messages.append((key, subject, body, to))
    for key, subject, body, to in messages:
        notice_enqueue(key=key, subject=subject, body=body, recipients=to)
    return result
