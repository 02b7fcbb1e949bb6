"""E-mails of the outreach app, queued in the transaction that decided them (``jobs``): a
rolled-back change sends nothing, a committed one is never lost.

E-mails to the public carry only what the sender gave us and the police's answer; the notice to
the prevention unit says only that a request is waiting, never who sent it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sporskifte.jobs.notices import notice_enqueue


def _send(email: str, subject: str, lines: list[str]) -> None:
    notice_enqueue(subject=subject, body="\n\n".join(lines), recipients=[email])


def send_confirmation_link(*, email: str, url: str, language: str) -> None:
    with translation.override(language):
        _send(
            email,
            _("Confirm your request for a police visit"),
            [
                _("Thank you for asking for a visit from the police."),
                _("Confirm the request by opening this link within 48 hours:"),
                url,
                _("If you did not ask for a visit, ignore this e-mail; nothing more happens."),
            ],
        )


def send_new_request_notice(*, email: str, link: str) -> None:
    with translation.override("da"):
        _send(
            email,
            _("A new request for a police visit is waiting"),
            [_("Read it in Sporskifte: %(link)s") % {"link": link}],
        )


def send_time_proposal(*, email: str, when: dt.datetime, note: str, language: str) -> None:
    local = timezone.localtime(when)
    with translation.override(language):
        lines = [
            _("The police propose to visit you on %(date)s at %(time)s.")
            % {"date": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"},
        ]
        if note:
            lines.append(note)
        lines.append(_("Answer this e-mail if the time does not suit you."))
        _send(email, _("A time for the police visit"), lines)


def send_declined(*, email: str, reason: str, language: str) -> None:
    with translation.override(language):
        _send(
            email,
            _("Your request for a police visit"),
            [_("The police cannot make the visit you asked for."), reason],
        )


def send_school_link(*, email: str, url: str, language: str) -> None:
    with translation.override(language):
        _send(
            email,
            _("Your link to report to the police"),
            [
                _("Open this link to tell the police what you saw. It works once, for 24 hours:"),
                url,
            ],
        )


def send_school_concern_notice(*, email: str, link: str) -> None:
    with translation.override("da"):
        _send(
            email,
            _("A school has reported a concern"),
            [_("Read it in Sporskifte: %(link)s") % {"link": link}],
        )
