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


class ContactAttemptInputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=ContactAttempt.Method.choices)
    reached = serializers.BooleanField()


class StepInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=Step.choices, help_text=_("One of the steps the programme uses.")
    )
    at = serializers.DateTimeField()


class PersonInputSerializer(serializers.Serializer):
    full_name = OneLineCharField(max_length=200)
    id_kind = serializers.ChoiceField(choices=Person.IdKind.choices, default=Person.IdKind.NONE)
    id_number = OneLineCharField(max_length=20, allow_blank=True, default="")
    birth_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Derived from the identity number when one is given."),
    )
    phone = OneLineCharField(max_length=30, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, allow_blank=True, default="")
    home_municipality = OneLineCharField(
        max_length=4,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Municipality code in the police district's country, e.g. 0791 (Viborg)."),
    )


class SuspectInputSerializer(PersonInputSerializer):
    offence_date = serializers.DateField()


class _PoliceInput(serializers.Serializer):
    # Scopes ``programme`` (and ``case``) to the acting user, as the web forms do.

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
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
    journal_number = OneLineCharField(max_length=40)
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
    journal_number = OneLineCharField(
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


class ConsentInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    text_version = serializers.IntegerField(
        min_value=1, max_value=1_000_000, help_text=_("The consent text version agreed to.")
    )
    given_at = serializers.DateTimeField()


ANSWERS = [(a.value, a.label) for a in Offer.Answer if a != Offer.Answer.NOT_ASKED]


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=ANSWERS)
    prevention_conversation = serializers.ChoiceField(
        choices=Offer.Prevention.choices, required=False
    )
    consent = ConsentInputSerializer(
        required=False, help_text=_("Required with the answer yes: the consent record.")
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["answer"] == Offer.Answer.YES and not attrs.get("consent"):
            raise serializers.ValidationError(
                {"consent": _("A yes needs the consent record: method, text version and time.")}
            )
        return attrs
