"""Police systems propose cases through the API: POST /api/v1/mediation/proposals/.

The token acts for a police district (or a unit under it) exactly as its users do: the case goes
to that district's konfliktråd, proposed by the police. An unknown offence code, a bad identity
number or any other bad input answers 400 with the field's message and creates nothing. The
answer says only that the proposal was received: what happens next is the konfliktråd's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sporskifte.accounts.access import police_district_of
from sporskifte.api.schema import errors
from sporskifte.audit.models import AuditEvent
from sporskifte.core.auth import acting_user
from sporskifte.mediation import services
from sporskifte.mediation.models import Party
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals.models import Offence

TAGS = ["Mediation"]


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Party.Role.choices)
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    id_number = serializers.CharField(
        required=False, allow_blank=True, max_length=13, help_text="CPR or personnummer."
    )
    birth_date = serializers.DateField(required=False, allow_null=True)
    organisation_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="For a shop, a school, …"
    )


class ProposalInputSerializer(serializers.Serializer):
    journal_number = serializers.CharField(max_length=40)
    offence_code = serializers.CharField(
        max_length=20, help_text="A code of the offence reference data, e.g. STRL244."
    )
    offence_date = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    municipality_code = serializers.CharField(required=False, allow_blank=True, max_length=4)
    neighbour_dispute = serializers.BooleanField(required=False, default=False)
    parties = PartyInputSerializer(many=True, required=False)


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    received_at = serializers.DateTimeField()


EXAMPLE = OpenApiExample(
    "A proposal from a police case",
    request_only=True,
    value={
        "journal_number": "4100-12345-00001-26",
        "offence_code": "STRL244",
        "offence_date": "2026-05-02",
        "summary": "Slag mod ansigtet efter fodboldkamp.",
        "parties": [
            {"role": "offender", "full_name": "Anders Testsen", "id_number": "010190-9991"},
            {"role": "victim", "organisation_name": "Kiosken på Torvet"},
        ],
    },
)


def _parties(district: Organisation, items: list[dict[str, Any]]) -> list[services.PartyInput]:
    kind = Person.IdKind.PERSONNUMMER if district.country == "SE" else Person.IdKind.CPR
    out, problems = [], {}
    for i, item in enumerate(items, start=1):
        org = item.get("organisation_name", "")
        if org and not item.get("full_name"):
            out.append(services.PartyInput(role=item["role"], organisation_name=org))
            continue
        try:
            number = item.get("id_number", "")
            person = person_build(
                police_district_id=district.pk,
                full_name=item.get("full_name", ""),
                id_kind=kind if number else Person.IdKind.NONE,
                id_number=number,
                birth_date=item.get("birth_date"),
            )
        except DjangoValidationError as exc:
            problems[str(i)] = exc.message_dict
            continue
        out.append(services.PartyInput(role=item["role"], person=person))
    if problems:
        raise ValidationError({"parties": problems})
    return out


class ProposalCreate(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Propose a case for konfliktråd / medling",
        description=(
            "For police tokens. The case goes to the token's district's konfliktråd. An unknown "
            "offence code or any bad input answers 400 and creates nothing."
        ),
        request=ProposalInputSerializer,
        examples=[EXAMPLE],
        responses={201: ProposalSerializer, **errors(400, 401, 404)},
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        district_id = police_district_of(user)
        if district_id is None:
            raise NotFound
        district = Organisation.objects.get(pk=district_id)
        data = ProposalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        offence = Offence.objects.filter(code=v["offence_code"], country=district.country).first()
        if offence is None:
            raise ValidationError(
                {
                    "offence_code": [
                        _("Unknown offence code: %(code)s.") % {"code": v["offence_code"]}
                    ]
                }
            )
        area = None
        if v.get("municipality_code"):
            area = Municipality.objects.filter(
                country=district.country, code=v["municipality_code"].zfill(4)
            ).first()
            if area is None:
                raise ValidationError({"municipality_code": [_("Unknown municipality code.")]})
        parties = _parties(district, v.get("parties", []))
        try:
            with transaction.atomic():
                case = services.proposal_create(
                    actor=user,
                    district=district,
                    offence=offence,
                    offence_date=v["offence_date"],
                    journal_number=v["journal_number"],
                    summary=v.get("summary", ""),
                    area=area,
                    neighbour_dispute=v["neighbour_dispute"],
                    parties=parties,
                    purpose=AuditEvent.Purpose.API_MEDIATION_PROPOSAL,
                )
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from exc
        body = {"id": case.pk, "reference": case.reference, "received_at": case.proposed_at}
        return Response(ProposalSerializer(body).data, status=status.HTTP_201_CREATED)


urlpatterns = [path("proposals/", ProposalCreate.as_view(), name="mediation-proposal-create")]
