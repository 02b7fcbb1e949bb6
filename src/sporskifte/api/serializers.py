"""What the API returns. Partner and police views of a referral are separate serializers, so a
field can only reach the side that may see it: of a referral the police side carries where it
went and ``police_status``, and no serializer here reads attempts or counselling notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.referrals.models import (
    Case,
    Consent,
    ContactAttempt,
    Offence,
    Offer,
    OutcomeStep,
    Programme,
    Referral,
    Step,
)
from sporskifte.referrals.selectors import (
    INBOX_BUCKETS,
    POLICE_STATUS_LABELS,
    inbox_bucket,
    inbox_bucket_of,
    partner_may_see_contact_details,
    partner_may_see_contact_details_of,
    police_status,
    police_status_code,
)

BUCKETS = INBOX_BUCKETS


class Out(serializers.ModelSerializer):
    # Response only: every field is read-only, so the schema lists each as always present.

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


def referral_of(offer: Offer) -> Referral | None:
    try:
        return offer.referral
    except Referral.DoesNotExist:
        return None


class OrganisationRefSerializer(Out):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class ProgrammeRefSerializer(Out):
    class Meta:
        model = Programme
        fields = ["id", "name"]


class OffenceSerializer(Out):
    class Meta:
        model = Offence
        fields = ["code", "name", "law"]


class MunicipalityRefSerializer(Out):
    class Meta:
        model = Municipality
        fields = ["code", "name", "country"]


# Partner side --------------------------------------------------------------------------------


class PersonContactSerializer(Out):
    class Meta:
        model = Person
        fields = ["full_name", "phone", "email", "birth_date"]


@extend_schema_serializer(component_name="PersonContact")
class SharedContactSerializer(PersonContactSerializer):
    """The referral's person while ``partner_may_see_contact_details`` holds, else null.

    A declared field, built once per response: a serializer made per row in a method field
    rebuilt its fields (and translated their labels) for every row of a 100-row page.
    """

    def get_attribute(self, instance: Referral) -> Person | None:
        if not partner_may_see_contact_details(instance):
            return None
        return instance.offer.person


class MilestonesSerializer(Out):
    class Meta:
        model = Referral
        fields = [
            "contact_made_at",
            "first_conversation_at",
            "further_sessions_at",
            "closed_at",
            "last_step",
            "last_step_at",
            "withdrawn_at",
        ]


class ReferralSerializer(Out):
    """A referral as the receiving partner sees it; ``person`` is null once consent is gone."""

    programme = ProgrammeRefSerializer()
    bucket = serializers.SerializerMethodField()
    person = SharedContactSerializer(source="*", allow_null=True)
    milestones = MilestonesSerializer(source="*")

    class Meta:
        model = Referral
        fields = [
            "id",
            "status",
            "bucket",
            "programme",
            "created_at",
            "due_at",
            "person",
            "milestones",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=BUCKETS))
    def get_bucket(self, obj: Referral) -> str:
        return inbox_bucket(obj, self.context.get("now"))


def _moment(value: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    """DRF's DateTimeField output: ISO 8601 in the current time zone, UTC written as Z."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# What a list row shows and audits, read as plain ``values()`` rows (``referral_rows``).
REFERRAL_ROW = (
    "id",
    "status",
    "created_at",
    "due_at",
    "long_follow_up",
    "contact_made_at",
    "first_conversation_at",
    "further_sessions_at",
    "closed_at",
    "last_step",
    "last_step_at",
    "withdrawn_at",
    "programme_id",
    "programme__name",
    "offer__person_id",
    "offer__person__full_name",
    "offer__person__phone",
    "offer__person__email",
    "offer__person__birth_date",
)


def shows_person(row: dict[str, Any]) -> bool:
    """``partner_may_see_contact_details`` for a ``REFERRAL_ROW`` row."""
    return partner_may_see_contact_details_of(
        withdrawn_at=row["withdrawn_at"], person_id=row["offer__person_id"]
    )


def referral_rows(referrals: Iterable[dict[str, Any]], now: dt.datetime) -> list[dict[str, Any]]:
    """The list's rows (``values(*REFERRAL_ROW)``) as ``ReferralSerializer`` writes them, in
    plain Python.

    Profiled (benchmarks/profile_paths.py), DRF's field machinery was a third of a 100-row
    page's CPU: per value a field lookup, ``get_attribute`` and a time zone conversion; then
    the three model instances per row were the largest part left. The rules are the
    serializer's own (``partner_may_see_contact_details``, ``inbox_bucket``);
    ``test_list_rows_equal_the_serializer`` compares the two on every kind of referral.
    """
    zone = timezone.get_current_timezone()
    rows = []
    for r in referrals:
        birth_date = r["offer__person__birth_date"]
        rows.append(
            {
                "id": r["id"],
                "status": r["status"],
                "bucket": inbox_bucket_of(
                    status=r["status"],
                    long_follow_up=r["long_follow_up"],
                    contact_made_at=r["contact_made_at"],
                    due_at=r["due_at"],
                    now=now,
                ),
                "programme": {"id": r["programme_id"], "name": r["programme__name"]},
                "created_at": _moment(r["created_at"], zone),
                "due_at": _moment(r["due_at"], zone),
                "person": {
                    "full_name": r["offer__person__full_name"],
                    "phone": r["offer__person__phone"],
                    "email": r["offer__person__email"],
                    "birth_date": birth_date.isoformat() if birth_date else None,
                }
                if shows_person(r)
                else None,
                "milestones": {
                    "contact_made_at": _moment(r["contact_made_at"], zone),
                    "first_conversation_at": _moment(r["first_conversation_at"], zone),
                    "further_sessions_at": _moment(r["further_sessions_at"], zone),
                    "closed_at": _moment(r["closed_at"], zone),
                    "last_step": r["last_step"],
                    "last_step_at": _moment(r["last_step_at"], zone),
                    "withdrawn_at": _moment(r["withdrawn_at"], zone),
                },
            }
        )
    return rows


class _Corrected(Out):
    corrected_by = serializers.SerializerMethodField(
        help_text=_("The id of the record that corrects this one; null while it stands.")
    )
    recorded_at = serializers.DateTimeField(source="created_at")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_corrected_by(self, obj: ContactAttempt | OutcomeStep) -> int | None:
        correction = getattr(obj, "correction", None)
        return correction.pk if correction is not None else None


CORRECTION_FIELDS = ["corrects", "reason", "corrected_by", "recorded_at"]


class ContactAttemptSerializer(_Corrected):
    class Meta:
        model = ContactAttempt
        fields = ["id", "at", "method", "reached", *CORRECTION_FIELDS]


class OutcomeStepSerializer(_Corrected):
    class Meta:
        model = OutcomeStep
        fields = ["id", "step", "at", *CORRECTION_FIELDS]


# Police side ---------------------------------------------------------------------------------


class PersonSerializer(Out):
    home_municipality = MunicipalityRefSerializer(allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "id_kind",
            "id_number",
            "birth_date",
            "sex",
            "phone",
            "email",
            "home_municipality",
        ]


class PersonBriefSerializer(Out):
    class Meta:
        model = Person
        fields = ["id", "full_name", "birth_date"]


class PoliceReferralSerializer(Out):
    """Where the referral went; what happened since is only the offer's ``police_status``."""

    partner = OrganisationRefSerializer()
    referred_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Referral
        fields = ["partner", "referred_at"]


class ConsentSerializer(Out):
    text_version = serializers.IntegerField(source="text.version")

    class Meta:
        model = Consent
        fields = ["text_version", "method", "given_at", "withdrawn_at"]


class OfferSummarySerializer(Out):
    person = PersonBriefSerializer(allow_null=True)
    referral = serializers.SerializerMethodField()
    police_status = serializers.SerializerMethodField()
    police_status_label = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "person",
            "answer",
            "prevention_conversation",
            "referral",
            "police_status",
            "police_status_label",
        ]

    @extend_schema_field(PoliceReferralSerializer(allow_null=True))
    def get_referral(self, obj: Offer) -> dict | None:
        referral = referral_of(obj)
        return PoliceReferralSerializer(referral).data if referral else None

    @extend_schema_field(
        serializers.ChoiceField(
            choices=list(POLICE_STATUS_LABELS),
            allow_null=True,
            help_text=_(
                "All the police learn of a referral, capped by the programme's feedback level; "
                "null until the offer is accepted. A code; police_status_label has the words."
            ),
        )
    )
    def get_police_status(self, obj: Offer) -> str | None:
        referral = referral_of(obj)
        return police_status_code(referral) if referral else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_police_status_label(self, obj: Offer) -> str | None:
        referral = referral_of(obj)
        return police_status(referral) if referral else None


class OfferListSerializer(OfferSummarySerializer):
    class Meta:
        model = Offer
        fields = [
            "id",
            "case",
            "journal_number",
            "programme",
            "offence_date",
            "person",
            "answer",
            "prevention_conversation",
            "referral",
            "police_status",
            "police_status_label",
            "created_at",
        ]


class OfferSerializer(OfferSummarySerializer):
    person = PersonSerializer(allow_null=True)  # type: ignore[assignment]
    programme = ProgrammeRefSerializer()
    offence = OffenceSerializer()
    consent = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "case",
            "journal_number",
            "programme",
            "offence",
            "offence_date",
            "person",
            "answer",
            "prevention_conversation",
            "offered_at",
            "answered_at",
            "consent",
            "referral",
            "police_status",
            "police_status_label",
            "created_at",
        ]

    @extend_schema_field(ConsentSerializer(allow_null=True))
    def get_consent(self, obj: Offer) -> dict | None:
        """The latest consent record (the prefetch orders newest first)."""
        consents = list(obj.consents.all())
        return ConsentSerializer(consents[0]).data if consents else None


class CaseSummarySerializer(Out):
    programme = ProgrammeRefSerializer()
    offence = OffenceSerializer()

    class Meta:
        model = Case
        fields = ["id", "journal_number", "title", "programme", "offence", "created_at"]


class CaseSerializer(Out):
    programme = ProgrammeRefSerializer()
    offence = OffenceSerializer()
    offers = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "journal_number", "title", "programme", "offence", "created_at", "offers"]

    @extend_schema_field(OfferSummarySerializer(many=True))
    def get_offers(self, obj: Case) -> list:
        # The view passes the offers it read through ``offers_for_user``.
        # With many=True the constructor makes a ListSerializer, whose data is a list; the stubs
        # cannot tell (typeddjango/djangorestframework-stubs#260).
        return OfferSummarySerializer(self.context["offers"], many=True).data  # type: ignore[return-value]


# Programmes ----------------------------------------------------------------------------------


class OutcomeStepChoiceSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Step.choices)
    # A field named like Field.label: the serializer's metaclass takes declared fields off the
    # class, which the stubs cannot see.
    label = serializers.CharField()  # type: ignore[assignment]


class ConsentTextSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    text = serializers.CharField()


class ProgrammeSerializer(Out):
    fixed_partner = OrganisationRefSerializer(allow_null=True)
    offences = OffenceSerializer(many=True)
    outcome_steps = serializers.SerializerMethodField()
    consent_text = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "destination",
            "fixed_partner",
            "feedback_level",
            "contact_deadline_days",
            "has_prevention_conversation",
            "retention_days",
            "is_active",
            "offences",
            "outcome_steps",
            "consent_text",
        ]

    @extend_schema_field(OutcomeStepChoiceSerializer(many=True))
    def get_outcome_steps(self, obj: Programme) -> list[dict]:
        return [{"step": value, "label": label} for value, label in obj.step_choices()]

    @extend_schema_field(ConsentTextSerializer(allow_null=True))
    def get_consent_text(self, obj: Programme) -> dict | None:
        """The current version, which new consents are given to (annotated by the view)."""
        if obj.current_consent_version is None:  # type: ignore[attr-defined]
            return None
        return {
            "version": obj.current_consent_version,  # type: ignore[attr-defined]
            "text": obj.current_consent_text,  # type: ignore[attr-defined]
        }
