"""Writes for the fora: setting a forum up, sharing about a person, consent. Each function is
atomic and writes its audit row in the same transaction. Meetings and actions are in
``meetings.py``, escalation, export and the calendar in ``exchange.py``, erasure at the end of
the forum's retention in ``retention.py``.

Forum records are forum-local (see ``models.py``): audit rows carry ``person_id=None`` and the
forum person in ``object_type``/``object_id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from sporskifte.accounts.access import membership_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks
from sporskifte.core.errors import NotAllowed
from sporskifte.fora import selectors
from sporskifte.fora.frame import (
    AUTHORITY_KINDS,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    RULES,
    LegalBasis,
    PspSign,
    Scope,
    Section,
    YknException,
    ungesamraad_check,
)
from sporskifte.fora.models import Forum, ForumConsent, ForumMember, ForumPerson, Share
from sporskifte.organisations.models import Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import User
    from sporskifte.organisations.models import Municipality

SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    Section.NONE: (),
    Section.PSP: ("psp_signs",),
    Section.KSP: ("release_date", "institution"),
    Section.UNGESAMRAAD: (
        "charge",
        "custodial_in_view",
        "referred_to_ykn",
        "ykn_exception",
        "recommendation",
    ),
}


def require_member(actor: User, forum: Forum) -> ForumMember:
    member = selectors.member_of(actor, forum)
    if member is None:
        raise NotAllowed
    return member


def require_coordinator(actor: User, forum: Forum) -> ForumMember:
    member = require_member(actor, forum)
    if not member.is_coordinator:
        raise NotAllowed
    return member


def forum_person_looks_record(
    *, actor: User, forum: Forum, persons: Sequence[ForumPerson], purpose: str
) -> None:
    """One VIEW row for the forum persons shown on a page (all of one forum), naming each."""
    audit_record_looks(
        actor=actor,
        object_type=AuditEvent.ObjectType.FORUM_PERSON,
        items=((p.pk, None) for p in persons),
        purpose=purpose,
        legal_basis=forum.default_basis,
        criterion={"forum": forum.pk},
    )


# Setting a forum up ---------------------------------------------------------------------------


def _check_organisations(
    *, district: Organisation, municipality: Municipality | None, organisations: Iterable[Any]
) -> None:
    for org in organisations:
        if org.kind not in AUTHORITY_KINDS:
            raise ValidationError(
                {
                    "organisations": _(
                        "%(org)s is not a public authority and cannot take part in the "
                        "exchange of a forum."
                    )
                    % {"org": org}
                }
            )
        if org.is_police and org.police_district_id != district.pk:
            raise ValidationError(
                {"organisations": _("%(org)s is another police district.") % {"org": org}}
            )
        if org.municipality_id is not None and (
            (municipality is not None and org.municipality_id != municipality.pk)
            or (municipality is None and org.municipality.police_district_id != district.pk)
        ):
            raise ValidationError(
                {"organisations": _("%(org)s is outside the forum's area.") % {"org": org}}
            )


def _scope(actor: User, kind: str, municipality: Municipality | None) -> Organisation:
    district_id = selectors.admin_district_of(actor)
    if district_id is None:
        raise NotAllowed
    if kind not in RULES:
        raise ValidationError({"kind": _("Choose a kind of forum.")})
    if RULES[kind].scope == Scope.MUNICIPALITY:
        if municipality is None:
            raise ValidationError({"municipality": _("This kind of forum is per municipality.")})
        if municipality.police_district_id != district_id:
            raise ValidationError(
                {"municipality": _("The municipality is outside your police district.")}
            )
    elif municipality is not None:
        raise ValidationError(
            {"municipality": _("This kind of forum covers the whole police district.")}
        )
    return Organisation.objects.get(pk=district_id)


def _check_retention(days: int) -> None:
    if not RETENTION_MIN_DAYS <= days <= RETENTION_MAX_DAYS:
        raise ValidationError(
            {
                "retention_days": _("Choose between %(min)d and %(max)d days.")
                % {"min": RETENTION_MIN_DAYS, "max": RETENTION_MAX_DAYS}
            }
        )


@transaction.atomic
def forum_create(
    *,
    actor: User,
    name: str,
    kind: str,
    municipality: Municipality | None,
    organisations: Sequence[Organisation],
    retention_days: int | None = None,
    is_test_data: bool = False,
) -> Forum:
    """``retention_days`` is the forum's deletion deadline (``retention.py``); by default its
    kind's (``frame.RULES``)."""
    district = _scope(actor, kind, municipality)
    _check_organisations(district=district, municipality=municipality, organisations=organisations)
    if retention_days is None:
        retention_days = RULES[kind].retention_days
    _check_retention(retention_days)
    forum = Forum.objects.create(
        name=name.strip(),
        kind=kind,
        police_district=district,
        municipality=municipality,
        retention_days=retention_days,
        created_by=actor,
        is_test_data=is_test_data,
    )
    forum.organisations.set(organisations)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.FORUM,
        object_id=forum.pk,
        purpose=AuditEvent.Purpose.FORUM_CREATED,
        detail={"retention_days": retention_days},
    )
    return forum


@transaction.atomic
def forum_update(
    *,
    actor: User,
    forum: Forum,
    name: str,
    organisations: Sequence[Organisation],
    retention_days: int | None = None,
) -> Forum:
    """``retention_days=None`` leaves the deadline as it is. A shorter deadline erases older
    records at the next run of ``erase_expired_forum_records``."""
    if selectors.admin_district_of(actor) != forum.police_district_id:
        raise NotAllowed
    _check_organisations(
        district=forum.police_district, municipality=forum.municipality, organisations=organisations
    )
    kept = {o.pk for o in organisations}
    stranded = selectors.members_of(forum).exclude(organisation_id__in=kept)
    if stranded.exists():
        raise ValidationError(
            {
                "organisations": _(
                    "Remove the members of an organisation before removing the organisation."
                )
            }
        )
    detail: dict[str, Any] = {}
    if retention_days is not None and retention_days != forum.retention_days:
        _check_retention(retention_days)
        # A deletion deadline is documented per processing activity: its changes are kept too.
        detail["retention_days"] = [forum.retention_days, retention_days]
        forum.retention_days = retention_days
    forum.name = name.strip()
    forum.save(update_fields=["name", "retention_days"])
    forum.organisations.set(organisations)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.FORUM,
        object_id=forum.pk,
        purpose=AuditEvent.Purpose.FORUM_CHANGED,
        detail=detail,
    )
    return forum


@transaction.atomic
def forum_member_add(
    *, actor: User, forum: Forum, user: User, is_coordinator: bool = False
) -> ForumMember:
    if not selectors.may_manage_members(actor, forum):
        raise NotAllowed
    m = membership_of(user)
    if m is None or m.role not in selectors.FORUM_ROLES:
        raise ValidationError(
            {
                "user": _(
                    "Users in this role cannot take part in a forum: what a forum receives "
                    "may not be used for investigation."
                )
            }
        )
    member_orgs = set(forum.organisations.values_list("pk", flat=True))
    speaks_for = [pk for pk in selectors.speaks_for(m) if pk in member_orgs]
    if not speaks_for:
        raise ValidationError(
            {"user": _("%(user)s does not belong to a member organisation.") % {"user": user}}
        )
    if selectors.members_of(forum).filter(user=user).exists():
        raise ValidationError({"user": _("%(user)s is already a member.") % {"user": user}})
    member = ForumMember.objects.create(
        forum=forum,
        user=user,
        organisation_id=speaks_for[0],
        is_coordinator=is_coordinator,
        added_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.FORUM_MEMBER,
        object_id=member.pk,
        purpose=AuditEvent.Purpose.FORUM_MEMBER_ADDED,
        detail={"forum": forum.pk, "user": user.pk, "coordinator": is_coordinator},
    )
    return member


@transaction.atomic
def forum_member_remove(*, actor: User, member: ForumMember) -> None:
    if not selectors.may_manage_members(actor, member.forum):
        raise NotAllowed
    member.left_at = timezone.now()
    member.save(update_fields=["left_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONFIGURE,
        object_type=AuditEvent.ObjectType.FORUM_MEMBER,
        object_id=member.pk,
        purpose=AuditEvent.Purpose.FORUM_MEMBER_LEFT,
        detail={"forum": member.forum_id, "user": member.user_id},
    )


# Persons and what is shared about them --------------------------------------------------------


def _clean_details(
    forum: Forum, details: dict[str, Any], birth_date: dt.date | None, on: dt.date
) -> dict:
    section = forum.rule.section
    allowed = SECTION_FIELDS[section]
    unknown = set(details) - set(allowed)
    if unknown:
        raise TypeError(f"not fields of a {forum.kind} person: {sorted(unknown)}")
    if section == Section.PSP:
        signs = list(dict.fromkeys(details.get("psp_signs") or []))
        if not signs or set(signs) - set(PspSign.values):
            raise ValidationError({"psp_signs": _("Choose the signs that fit, at least one.")})
        return {"psp_signs": signs}
    if section == Section.KSP:
        errors = {}
        if not details.get("release_date"):
            errors["release_date"] = _("Give the release date.")
        if not (details.get("institution") or "").strip():
            errors["institution"] = _("Give the institution the person is released from.")
        if errors:
            raise ValidationError(errors)
        return {"release_date": details["release_date"], "institution": details["institution"]}
    if section == Section.UNGESAMRAAD:
        d: dict[str, Any] = {f: details.get(f) for f in allowed}
        d["charge"] = (d["charge"] or "").strip()
        d["recommendation"] = (d["recommendation"] or "").strip()
        d["custodial_in_view"] = bool(d["custodial_in_view"])
        d["referred_to_ykn"] = bool(d["referred_to_ykn"])
        d["ykn_exception"] = d["ykn_exception"] or YknException.NONE
        ungesamraad_check(
            birth_date=birth_date,
            on=on,
            charge=d["charge"],
            referred_to_ykn=d["referred_to_ykn"],
            ykn_exception=d["ykn_exception"],
            custodial_in_view=d["custodial_in_view"],
        )
        return d
    return {}


def _basis(forum: Forum, legal_basis: str, other_basis: str) -> None:
    if legal_basis not in forum.rule.bases:
        raise ValidationError(
            {"legal_basis": _("This forum cannot share under that basis. Choose one of its own.")}
        )
    if legal_basis == LegalBasis.OTHER and not other_basis.strip():
        raise ValidationError({"other_basis": _("Name the statutory basis you share under.")})


def _consent_new(
    *, actor: User, person: ForumPerson, text: str, method: str, given_by: str, given_at: Any
) -> ForumConsent:
    errors = {}
    if not (text or "").strip():
        errors["consent_text"] = _("Write what the person agreed to.")
    if method not in ForumConsent.Method.values:
        errors["consent_method"] = _("Choose how the consent was given.")
    if not (given_by or "").strip():
        errors["consent_given_by"] = _("Write who gave the consent.")
    if given_at is None or given_at > timezone.now():
        errors["consent_given_at"] = _("Give when the consent was given (not in the future).")
    if errors:
        raise ValidationError(errors)
    consent = ForumConsent.objects.create(
        person=person,
        text=text.strip(),
        method=method,
        given_by=given_by.strip(),
        given_at=given_at,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type=AuditEvent.ObjectType.FORUM_CONSENT,
        object_id=consent.pk,
        purpose=AuditEvent.Purpose.FORUM_CONSENT_RECORDED,
        legal_basis=LegalBasis.CONSENT,
        detail={"forum_person": person.pk},
    )
    return consent


def _share(
    *,
    actor: User,
    member: ForumMember,
    person: ForumPerson,
    legal_basis: str,
    reason: str,
    information: str,
    other_basis: str = "",
    consent: ForumConsent | None = None,
    new_consent: dict[str, Any] | None = None,
) -> Share:
    _basis(person.forum, legal_basis, other_basis)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Write why it is necessary to share this in the forum.")
    if not information.strip():
        errors["information"] = _("Write what you share.")
    if errors:
        raise ValidationError(errors)
    if legal_basis == LegalBasis.CONSENT:
        if new_consent:
            consent = _consent_new(actor=actor, person=person, **new_consent)
        if consent is None or consent.person_id != person.pk or consent.withdrawn_at:
            raise ValidationError(
                {"consent": _("Sharing on consent needs a consent in force for this person.")}
            )
    else:
        consent = None
    share = Share.objects.create(
        person=person,
        legal_basis=legal_basis,
        other_basis=other_basis.strip() if legal_basis == LegalBasis.OTHER else "",
        consent=consent,
        brought_by=actor,
        brought_by_label=(actor.get_full_name() or actor.username)[:200],
        organisation=member.organisation,
        reason=reason.strip(),
        information=information.strip(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DISCLOSE,
        object_type=AuditEvent.ObjectType.FORUM_PERSON,
        object_id=person.pk,
        # The member's reason stays with the share (erased with it); free text in the audit
        # trail could name the person long after the forum's records of them are gone.
        purpose=AuditEvent.Purpose.SHARED_IN_FORUM,
        legal_basis=legal_basis,
        detail={"forum": person.forum_id, "share": share.pk},
    )
    return share


@transaction.atomic
def forum_person_share(
    *,
    actor: User,
    forum: Forum,
    full_name: str,
    birth_date: dt.date | None,
    legal_basis: str,
    reason: str,
    information: str,
    other_basis: str = "",
    new_consent: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    is_test_data: bool = False,
) -> ForumPerson:
    """A member brings a person to the forum: an explicit act, with its basis and reason."""
    member = require_member(actor, forum)
    if not full_name.strip():
        raise ValidationError({"full_name": _("Write the person's name.")})
    fields = _clean_details(forum, details or {}, birth_date, timezone.localdate())
    person = ForumPerson.objects.create(
        forum=forum,
        full_name=full_name.strip(),
        birth_date=birth_date,
        created_by=actor,
        is_test_data=is_test_data,
        **fields,
    )
    _share(
        actor=actor,
        member=member,
        person=person,
        legal_basis=legal_basis,
        reason=reason,
        information=information,
        other_basis=other_basis,
        new_consent=new_consent,
    )
    return person


@transaction.atomic
def share_add(
    *,
    actor: User,
    person: ForumPerson,
    legal_basis: str,
    reason: str,
    information: str,
    other_basis: str = "",
    consent: ForumConsent | None = None,
    new_consent: dict[str, Any] | None = None,
) -> Share:
    member = require_member(actor, person.forum)
    return _share(
        actor=actor,
        member=member,
        person=person,
        legal_basis=legal_basis,
        reason=reason,
        information=information,
        other_basis=other_basis,
        consent=consent,
        new_consent=new_consent,
    )


def _describe(person: ForumPerson, fields: dict[str, Any]) -> str:
    labels = []
    for name, value in fields.items():
        field = ForumPerson._meta.get_field(name)
        assert isinstance(field, Field)  # a column of the person (SECTION_FIELDS), not a relation
        label = field.verbose_name
        if name == "psp_signs":
            value = ", ".join(str(PspSign(v).label) for v in value)
        elif name == "ykn_exception":
            value = YknException(value).label
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        labels.append(f"{str(label).capitalize()}: {value or '-'}")
    return "\n".join(labels)


@transaction.atomic
def forum_person_update(
    *,
    actor: User,
    person: ForumPerson,
    legal_basis: str,
    reason: str,
    details: dict[str, Any],
    other_basis: str = "",
    consent: ForumConsent | None = None,
) -> ForumPerson:
    """Changing the kind-specific facts is sharing too: it leaves a share saying what changed."""
    member = require_member(actor, person.forum)
    current = {f: getattr(person, f) for f in SECTION_FIELDS[person.forum.rule.section]}
    # The age rules of Ungesamråd apply on the day the case was brought.
    brought = timezone.localdate(person.created_at)
    fields = _clean_details(person.forum, {**current, **details}, person.birth_date, brought)
    changed = {k: v for k, v in fields.items() if current.get(k) != v}
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    for name, value in changed.items():
        setattr(person, name, value)
    person.save(update_fields=list(changed))
    _share(
        actor=actor,
        member=member,
        person=person,
        legal_basis=legal_basis,
        reason=reason,
        information=_describe(person, changed),
        other_basis=other_basis,
        consent=consent,
    )
    return person


@transaction.atomic
def consent_record(
    *, actor: User, person: ForumPerson, text: str, method: str, given_by: str, given_at: Any
) -> ForumConsent:
    require_member(actor, person.forum)
    return _consent_new(
        actor=actor, person=person, text=text, method=method, given_by=given_by, given_at=given_at
    )


@transaction.atomic
def consent_withdraw(*, actor: User, consent: ForumConsent) -> ForumConsent:
    """Withdrawal stops sharing on this consent at once; what was shared before stays recorded."""
    require_member(actor, consent.person.forum)
    if consent.withdrawn_at:
        raise ValidationError(_("The consent is already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.WITHDRAW,
        object_type=AuditEvent.ObjectType.FORUM_CONSENT,
        object_id=consent.pk,
        purpose=AuditEvent.Purpose.CONSENT_WITHDRAWN,
        legal_basis=LegalBasis.CONSENT,
        detail={"forum_person": consent.person_id},
    )
    return consent
