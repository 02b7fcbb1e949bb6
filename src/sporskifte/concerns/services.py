"""Writes for worry cases. Each write checks that the actor is police of the owning district,
records its audit row (with the young person's id) in the same transaction, and moves the case's
last event forward so retention runs from the latest thing that happened."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sporskifte.accounts.access import membership_of, police_district_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.concerns.letters import LetterContent, content_to_json
from sporskifte.concerns.models import (
    ConcernCase,
    ConcernCategory,
    Conversation,
    CustodyHolder,
    Letter,
)
from sporskifte.concerns.tasks import render_letter
from sporskifte.core.errors import NotAllowed
from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

# Crime prevention is a task of the police (politiloven § 2, nr. 1); no consent is involved.
LEGAL_BASIS = "politiloven § 2, nr. 1"
ADULT_AGE = 18
POSTAL_CODE = re.compile(r"^(\d{4}|\d{3} ?\d{2})$")  # Danish 4 digits, Swedish 5


def _require_district(actor: User, case: ConcernCase | None = None) -> int:
    district = police_district_of(actor)
    if district is None or (case is not None and case.police_district_id != district):
        raise NotAllowed
    return district


def _audit(
    actor: User, action: str, object_type: str, obj: Any, case: ConcernCase, purpose: str
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        person_id=case.person_id,
        purpose=purpose,
        legal_basis=LEGAL_BASIS,
    )


def _touch(case: ConcernCase, *dates: dt.date | None) -> None:
    """Retention runs from the latest event, including planned dates still ahead."""
    latest = max(d for d in (case.last_event_on, timezone.localdate(), *dates) if d)
    if latest != case.last_event_on:
        case.last_event_on = latest
        ConcernCase.objects.filter(pk=case.pk).update(last_event_on=latest)


def _require_under_18(person: Person, on: dt.date, field: str = "birth_date") -> None:
    """Worry conversations and letters are for young people under 18 on the day in question."""
    if person.birth_date is None:
        raise ValidationError(
            {
                field: _(
                    "Give the identity number or the birth date: a worry case is only for "
                    "young people under 18, so the age must be checked."
                )
            }
        )
    if on < person.birth_date:
        raise ValidationError({field: _("The date is before the young person was born.")})
    age = person.age_on(on)
    if age is not None and age >= ADULT_AGE:
        raise ValidationError(
            {
                field: _(
                    "The young person was %(age)d years old on %(date)s. Worry conversations "
                    "and worry letters are only for young people under 18."
                )
                % {"age": age, "date": formats.date_format(on, "SHORT_DATE_FORMAT")}
            }
        )


# Cases ---------------------------------------------------------------------------------------


@transaction.atomic
def concern_case_create(
    *, actor: User, person: Person, concern_date: dt.date, summary: str
) -> ConcernCase:
    """Open a case; ``person`` is an unsaved Person from ``person_build``."""
    district = _require_district(actor)
    if person.pk is not None or person.police_district_id != district:
        raise NotAllowed
    if concern_date > timezone.localdate():
        raise ValidationError({"concern_date": _("The date is in the future.")})
    field = "id_number" if person.id_number else "birth_date"
    _require_under_18(person, concern_date, field=field)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("Describe what gave rise to the concern.")})
    person.register = Person.Register.CONCERNS  # never matched with the referral register
    person.save()
    case = ConcernCase.objects.create(
        police_district_id=district,
        person=person,
        concern_date=concern_date,
        summary=summary,
        created_by=actor,
        last_event_on=timezone.localdate(),
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        AuditEvent.ObjectType.CONCERN_CASE,
        case,
        case,
        AuditEvent.Purpose.WORRY_CASE_OPENED,
    )
    return case


# Custody holders ------------------------------------------------------------------------------


def _clean_holder(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: " ".join(str(v).split()) for k, v in fields.items()}
    errors = {}
    if not cleaned.get("full_name"):
        errors["full_name"] = _("The name is required.")
    if cleaned.get("relation") not in CustodyHolder.Relation.values:
        errors["relation"] = _("Choose the relation to the young person.")
    if cleaned.get("postal_code") and not POSTAL_CODE.match(cleaned["postal_code"]):
        errors["postal_code"] = _("A postal code has four digits (Danish) or five (Swedish).")
    address_parts = [cleaned.get(k) for k in ("address", "postal_code", "city")]
    if any(address_parts) and not all(address_parts):
        errors["address"] = _("Give the whole address (street, postal code and town), or none.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def custody_holder_add(*, actor: User, case: ConcernCase, **fields: Any) -> CustodyHolder:
    _require_district(actor, case)
    holder = CustodyHolder.objects.create(case=case, **_clean_holder(fields))
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        AuditEvent.ObjectType.CUSTODY_HOLDER,
        holder,
        case,
        AuditEvent.Purpose.CUSTODY_HOLDER_ADDED,
    )
    _touch(case)
    return holder


# Conversations --------------------------------------------------------------------------------

CONVERSATION_FIELDS = (
    "held_on",
    "place",
    "status",
    "young_person_present",
    "police_participants",
    "other_participants",
    "categories",
    "concern",
    "agreements",
    "follow_up_on",
    "follow_up_by",
)


def _validate_conversation(conv: Conversation, holders: list[CustodyHolder]) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if conv.status not in Conversation.Status.values:
        errors["status"] = _("Choose the status of the conversation.")
    if conv.status in Conversation.HAS_TAKEN_PLACE and conv.held_on > today:
        errors["held_on"] = _("A conversation that has taken place cannot be dated in the future.")
    if conv.status in Conversation.HAS_TAKEN_PLACE and not (conv.young_person_present or holders):
        errors["custody_holders"] = _(
            "A worry conversation that took place needs the young person or at least one "
            "custody holder among those who took part."
        )
    if any(h.case_id != conv.case_id for h in holders):
        errors["custody_holders"] = _("Choose custody holders of this case.")
    if not conv.categories or set(conv.categories) - set(ConcernCategory.values):
        errors["categories"] = _("Choose at least one kind of concern.")
    if not conv.concern.strip():
        errors["concern"] = _("Describe the concern.")
    if not conv.place.strip():
        errors["place"] = _("Give the place of the conversation.")
    if not conv.police_participants.strip():
        errors["police_participants"] = _("Name the police officers who took part.")
    if conv.follow_up_on and not conv.follow_up_by.strip():
        errors["follow_up_by"] = _("Name who is responsible for the follow-up.")
    if conv.follow_up_by.strip() and not conv.follow_up_on:
        errors["follow_up_on"] = _("Give the date of the follow-up.")
    if conv.follow_up_on and conv.follow_up_on < conv.held_on:
        errors["follow_up_on"] = _("The follow-up cannot be before the conversation.")
    if errors:
        raise ValidationError(errors)
    _require_under_18(conv.case.person, conv.held_on, field="held_on")


@transaction.atomic
def conversation_record(
    *, actor: User, case: ConcernCase, custody_holders: list[CustodyHolder], **fields: Any
) -> Conversation:
    _require_district(actor, case)
    unknown = set(fields) - set(CONVERSATION_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    conv = Conversation(case=case, recorded_by=actor, **fields)
    _validate_conversation(conv, custody_holders)
    conv.save()
    conv.custody_holders.set(custody_holders)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        AuditEvent.ObjectType.CONCERN_CONVERSATION,
        conv,
        case,
        AuditEvent.Purpose.WORRY_CONVERSATION_RECORDED,
    )
    _touch(case, conv.held_on, conv.follow_up_on)
    return conv


@transaction.atomic
def conversation_update(
    *,
    actor: User,
    conversation: Conversation,
    custody_holders: list[CustodyHolder],
    **fields: Any,
) -> Conversation:
    case = conversation.case
    _require_district(actor, case)
    for name, value in fields.items():
        if name not in CONVERSATION_FIELDS:
            raise TypeError(name)
        setattr(conversation, name, value)
    _validate_conversation(conversation, custody_holders)
    conversation.save()
    conversation.custody_holders.set(custody_holders)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        AuditEvent.ObjectType.CONCERN_CONVERSATION,
        conversation,
        case,
        AuditEvent.Purpose.WORRY_CONVERSATION_CHANGED,
    )
    _touch(case, conversation.held_on, conversation.follow_up_on)
    return conversation


# Letters --------------------------------------------------------------------------------------


def _letter_content(
    *, actor: User, case: ConcernCase, recipients: list[CustodyHolder], fields: dict[str, Any]
) -> LetterContent:
    errors: dict[str, str] = {}
    if not recipients:
        errors["recipients"] = _("Choose who the letter is to.")
    elif any(r.case_id != case.pk for r in recipients):
        errors["recipients"] = _("Choose custody holders of this case.")
    elif not all(r.has_address for r in recipients):
        errors["recipients"] = _(
            "A recipient has no address. Add the address to the custody holder first."
        )
    elif len({r.address_key for r in recipients}) > 1:
        errors["recipients"] = _(
            "The recipients live at different addresses. Write one letter to each address."
        )
    for name, message in (
        ("observation", _("Describe what the police observed.")),
        ("contact_name", _("Give the name of the contact person.")),
        ("contact_phone", _("Give a phone number the parents can call.")),
    ):
        if not str(fields.get(name, "")).strip():
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    _require_under_18(case.person, timezone.localdate(), field="recipients")
    membership = membership_of(actor)
    assert membership is not None
    unit = membership.organisation
    district = (
        unit
        if unit.pk == case.police_district_id
        else Organisation.objects.get(pk=case.police_district_id)
    )
    first = recipients[0]
    return LetterContent(
        child_name=case.person.full_name,
        child_birth_date=case.person.birth_date,  # type: ignore[arg-type]
        recipients=[r.full_name for r in recipients],
        address=first.address,
        postal_code=first.postal_code,
        city=first.city,
        observation=fields["observation"].strip(),
        contact_name=fields["contact_name"].strip(),
        contact_phone=fields["contact_phone"].strip(),
        contact_email=(fields.get("contact_email") or "").strip(),
        offer_conversation=bool(fields.get("offer_conversation")),
        officer_name=actor.get_full_name() or actor.username,
        officer_title=membership.title,
        unit_name=unit.name,
        district_name=district.name,
        reference=f"{'Orosärende' if district.country == 'SE' else 'Bekymringssag'} {case.pk}",
        date=timezone.localdate(),
        country=district.country,
    )


def letter_generate(
    *, actor: User, case: ConcernCase, recipients: list[CustodyHolder], **fields: Any
) -> Letter:
    """Store the letter with the case and queue the rendering of its PDF (issue 14: a PDF is
    rendered by a job, so the layout holds neither the request nor the database's write lock)."""
    _require_district(actor, case)
    content = _letter_content(actor=actor, case=case, recipients=recipients, fields=fields)
    return _letter_store(actor=actor, case=case, recipients=recipients, content=content)


@transaction.atomic
def _letter_store(
    *,
    actor: User,
    case: ConcernCase,
    recipients: list[CustodyHolder],
    content: LetterContent,
) -> Letter:
    letter = Letter.objects.create(
        case=case,
        observation=content.observation,
        contact_name=content.contact_name,
        contact_phone=content.contact_phone,
        contact_email=content.contact_email,
        offer_conversation=content.offer_conversation,
        pdf=b"",
        pdf_size=0,
        pdf_sha256="",
        content=content_to_json(content),
        created_by=actor,
    )
    letter.recipients.set(recipients)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        AuditEvent.ObjectType.CONCERN_LETTER,
        letter,
        case,
        AuditEvent.Purpose.WORRY_LETTER_GENERATED,
    )
    _touch(case)
    render_letter.enqueue(letter_id=letter.pk)
    return letter


@transaction.atomic
def letter_download(*, actor: User, letter: Letter) -> bytes:
    """The stored PDF; every download is an export of the child's data and is logged."""
    _require_district(actor, letter.case)
    _audit(
        actor,
        AuditEvent.Action.EXPORT,
        AuditEvent.ObjectType.CONCERN_LETTER,
        letter,
        letter.case,
        AuditEvent.Purpose.WORRY_LETTER_DOWNLOADED,
    )
    return bytes(letter.pdf)
