"""What the API accepts. Choices of programmes and cases are the acting user's scoped
querysets, so an id outside the token's organisation is as unknown as a missing one."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sporskifte.api.fields import OneLineCharField
from sporskifte.core.auth import acting_user
from sporskifte.people.models import Person
from sporskifte.referrals.models import (
    Case,
    Consent,
    ContactAttempt,
    Offence,
    Offer,
    Programme,
    Referral,
    Step,
)
from sporskifte.referrals.selectors import cases_for_user, programmes_for_user

from .serializers import BUCKETS

MAX_SUSPECTS = 1000
UNKNOWN_FIELD = _("Unknown field. The fields this request takes are listed in the API schema.")


class Input(serializers.Serializer):
    """Every request body of the API. A field it does not know is refused with 400 under that
    field's name, instead of being dropped: a misspelt ``prevention_conversaton`` must not be
    stored as an answer without it. Nested inputs (a suspect, the consent) are Inputs too."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            known = {name for name, f in self.fields.items() if not f.read_only}
            unknown = [key for key in data if key not in known]
            if unknown:
                raise serializers.ValidationError({str(key): [UNKNOWN_FIELD] for key in unknown})
        return super().to_internal_value(data)


class StringField(OneLineCharField):
    """Text that must arrive as a JSON string. A journal number or a phone number sent as a
    JSON number has lost its leading zeros and its dashes before we see it: refuse it."""

    default_error_messages = {"not_a_string": _("Send this as a JSON string, in quotes.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class OffenceCodeField(serializers.SlugRelatedField):
    """An offence by its code. A code with a NUL character is refused as unknown before the
    lookup: PostgreSQL cannot hold NUL in text and would answer the query with an error."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Offence.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Offence:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class ReferralFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Referral.Status.choices, required=False)
    bucket = serializers.ChoiceField(
        choices=BUCKETS,
        required=False,
        help_text=_(
            "The inbox bucket: new, due soon (under 2 days), overdue, in progress, closed."
        ),
    )


class _DayRange(serializers.Serializer):
    created_from = serializers.DateField(
        required=False, help_text=_("Registered on or after this day.")
    )
    created_to = serializers.DateField(
        required=False, help_text=_("Registered on or before this day.")
    )
    journal_number = StringField(
        max_length=40, required=False, help_text=_("Exactly this journal number.")
    )

    def apply(self, queryset: Any) -> Any:
        v = self.validated_data
        if "journal_number" in v:
            queryset = queryset.filter(journal_number=v["journal_number"].strip())
        if "created_from" in v:
            queryset = queryset.filter(created_at__date__gte=v["created_from"])
        if "created_to" in v:
            queryset = queryset.filter(created_at__date__lte=v["created_to"])
        return queryset


class CaseFilterSerializer(_DayRange):
    pass


class OfferFilterSerializer(_DayRange):
    case = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    answer = serializers.ChoiceField(choices=Offer.Answer.choices, required=False)
    referred = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Whether a yes was referred.")
    )

    def apply(self, queryset: Any) -> Any:
        queryset = super().apply(queryset)
        v = self.validated_data
        if "case" in v:
            queryset = queryset.filter(case_id=v["case"])
        if "answer" in v:
            queryset = queryset.filter(answer=v["answer"])
        if v.get("referred") is not None:
            queryset = queryset.filter(referral__isnull=not v["referred"])
        return queryset


class ContactAttemptInputSerializer(Input):
    at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=ContactAttempt.Method.choices)
    reached = serializers.BooleanField()


class StepInputSerializer(Input):
    step = serializers.ChoiceField(
        choices=Step.choices, help_text=_("One of the steps the programme uses.")
    )
    at = serializers.DateTimeField()


class StepCorrectionInputSerializer(StepInputSerializer):
    reason = OneLineCharField(max_length=500, help_text=_("Why the step is corrected."))


class ContactAttemptCorrectionInputSerializer(ContactAttemptInputSerializer):
    reason = OneLineCharField(max_length=500, help_text=_("Why the attempt is corrected."))


class PersonInputSerializer(Input):
    full_name = OneLineCharField(max_length=200)
    id_kind = serializers.ChoiceField(choices=Person.IdKind.choices, default=Person.IdKind.NONE)
    id_number = StringField(max_length=20, allow_blank=True, default="")
    birth_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Derived from the identity number when one is given."),
    )
    phone = StringField(max_length=30, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, allow_blank=True, default="")
    home_municipality = StringField(
        max_length=4,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Municipality code in the police district's country, e.g. 0791 (Viborg)."),
    )


class SuspectInputSerializer(PersonInputSerializer):
    offence_date = serializers.DateField()


class _PoliceInput(Input):
    # Scopes ``programme`` (and ``case``) to the acting user, as the web forms do.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # schema generation: the fields only need their model
            return
        user = acting_user(request)
        # The ignores: the stubs declare RelatedField.queryset as "QuerySet | Manager | None" on
        # the class, and mypy then takes Manager for a descriptor and rejects any assignment.
        programme = self.fields["programme"]
        assert isinstance(programme, serializers.RelatedField)
        programme.queryset = programmes_for_user(user).filter(is_active=True)  # type: ignore[arg-type]
        if "case" in self.fields:
            case = self.fields["case"]
            assert isinstance(case, serializers.RelatedField)
            case.queryset = cases_for_user(user)  # type: ignore[arg-type]


class CaseInputSerializer(_PoliceInput):
    journal_number = StringField(max_length=40)
    title = OneLineCharField(max_length=200, allow_blank=True, default="")
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    offence = OffenceCodeField()
    # max_length gives the message; the validator (never reached first) gives the schema maxItems.
    suspects: serializers.ListSerializer[dict[str, Any]] = serializers.ListSerializer(
        child=SuspectInputSerializer(),
        max_length=MAX_SUSPECTS,
        validators=[MaxLengthValidator(MAX_SUSPECTS)],
    )


class OfferInputSerializer(_PoliceInput):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    offence = OffenceCodeField()
    offence_date = serializers.DateField()
    journal_number = StringField(
        max_length=40,
        allow_blank=True,
        default="",
        help_text=_("Required unless the offer belongs to a case; then the case's is used."),
    )
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), required=False, allow_null=True, default=None
    )
    person = PersonInputSerializer()

    def validate(self, attrs: dict) -> dict:
        # The same checks as the web form (referrals.forms.OfferForm).
        programme, case = attrs["programme"], attrs.get("case")
        errors = {}
        if case is not None and case.programme_id != programme.pk:
            errors["case"] = _("The case belongs to another programme.")
        if not attrs["journal_number"] and case is None:
            errors["journal_number"] = _("The journal number is required without a case.")
        if not programme.offences.filter(pk=attrs["offence"].pk).exists():
            errors["offence"] = _("The programme is not for this offence.")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ConsentInputSerializer(Input):
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    text_version = serializers.IntegerField(
        min_value=1, max_value=1_000_000, help_text=_("The consent text version agreed to.")
    )
    given_at = serializers.DateTimeField()


ANSWERS = [(a.value, a.label) for a in Offer.Answer if a != Offer.Answer.NOT_ASKED]


class AnswerInputSerializer(Input):
    answer = serializers.ChoiceField(choices=ANSWERS)
    prevention_conversation = serializers.ChoiceField(
        choices=Offer.Prevention.choices, required=False
    )
    consent = ConsentInputSerializer(
        required=False, help_text=_("Required with the answer yes: the consent record.")
    )
    offered_at = serializers.DateTimeField(
        required=False,
        help_text=_(
            "When the offer was made (the encounter); not in the future, not before the day of "
            "the offence. Defaults to the answer's time."
        ),
    )
    answered_at = serializers.DateTimeField(
        required=False,
        help_text=_(
            "When the person answered; not in the future, not before the offer. Defaults to now. "
            "A yes's referral starts then, so steps can be recorded from that moment."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["answer"] == Offer.Answer.YES and not attrs.get("consent"):
            raise serializers.ValidationError(
                {"consent": _("A yes needs the consent record: method, text version and time.")}
            )
        return attrs
