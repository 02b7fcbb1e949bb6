"""Police systems: cases with many suspects, offers, answers and withdrawals.

Reads go through ``case_for_user`` / ``offers_for_user`` / ``offer_for_user``; of a referral the
police see where it went and ``police_status``, nothing more (see ``OfferSummarySerializer``).
Writes are the referral services, which refuse anything outside the actor's district.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks, criterion_of
from sporskifte.core.auth import acting_user
from sporskifte.referrals import services
from sporskifte.referrals.models import Consent
from sporskifte.referrals.selectors import (
    case_for_user,
    cases_for_user,
    offer_for_user,
    offers_for_user,
)

from .. import examples
from .. import services as api_services
from ..idempotency import PARAMETER as IDEMPOTENCY_KEY
from ..idempotency import idempotent
from ..inputs import (
    AnswerInputSerializer,
    CaseFilterSerializer,
    CaseInputSerializer,
    OfferFilterSerializer,
    OfferInputSerializer,
)
from ..schema import errors
from ..serializers import (
    CaseSerializer,
    CaseSummarySerializer,
    OfferListSerializer,
    OfferSerializer,
)

TAGS = ["Police systems"]
LATEST_CONSENT_FIRST = Prefetch(
    "consents", queryset=Consent.objects.select_related("text").order_by("-given_at", "-id")
)
# The service names the consent fields after its arguments; the API after the request body.
CONSENT_ERRORS = {
    "consent_method": "method",
    "consent_text": "text_version",
    "consent_given_at": "given_at",
}


def _show_case(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    user = acting_user(request)
    with transaction.atomic():
        case = case_for_user(user, pk)
        offers = list(offers_for_user(user).filter(case=case).order_by("id"))
        data = CaseSerializer(case, context={"offers": offers}).data
        audit_record_looks(
            actor=user,
            object_type=AuditEvent.ObjectType.OFFER,
            items=[(o.pk, o.person_id) for o in offers],
            purpose=AuditEvent.Purpose.API_CASE,
            criterion={"case": case.journal_number},
        )
    return Response(data, status=code)


def _show_offer(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    user = acting_user(request)
    with transaction.atomic():
        offer = offer_for_user(user, pk)
        prefetch_related_objects([offer], LATEST_CONSENT_FIRST)
        data = OfferSerializer(offer).data
        if offer.person_id is not None:
            audit_record(
                actor=user,
                action=AuditEvent.Action.VIEW,
                object_type=AuditEvent.ObjectType.OFFER,
                object_id=offer.pk,
                person_id=offer.person_id,
                purpose=AuditEvent.Purpose.API_OFFER,
            )
    return Response(data, status=code)


class NewestFirst(CursorPagination):
    ordering = "-id"


class CaseList(generics.GenericAPIView):
    pagination_class = NewestFirst
    serializer_class = CaseSummarySerializer  # for OPTIONS; each method names its own

    @extend_schema(
        tags=TAGS,
        summary="The district's cases; find one by its journal number",
        description=(
            "Newest first. `journal_number` finds a case exactly, e.g. after a `POST` whose "
            "answer was lost; the dates are the day the case was registered (both included)."
        ),
        parameters=[CaseFilterSerializer],
        responses={200: CaseSummarySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = CaseFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        cases = filters.apply(cases_for_user(acting_user(request)))
        page = self.paginate_queryset(cases)
        assert page is not None
        return self.get_paginated_response(CaseSummarySerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Register a case with its suspects",
        description=(
            "All or nothing: if the case or any suspect is invalid, nothing is created and the "
            "400 answer lists the problems under `suspects`, keyed by the suspect's number in the "
            "list counted from 1 (the CSV upload names the same suspect by its line in the file, "
            "the header being line 1: suspect 1 is line 2). Send an `Idempotency-Key` so that a "
            'retry after a lost answer gets the case instead of "journal number exists".'
        ),
        request=CaseInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        examples=[examples.CASE],
        responses={201: CaseSerializer, **errors(400, 404, 409, 422)},
    )
    @idempotent(show=lambda request, pk, code: _show_case(request, pk, code))
    def post(self, request: Request) -> Response:
        data = CaseInputSerializer(data=request.data, context={"request": request})
        if not data.is_valid():
            raise ValidationError(api_services.suspects_numbered_from_one(data.errors))
        case = api_services.case_create_with_suspects(
            actor=acting_user(request), **data.validated_data
        )
        return _show_case(request, case.pk, status.HTTP_201_CREATED)


class CaseDetail(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A case with its offers",
        responses={200: CaseSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _show_case(request, pk)


class OfferList(generics.GenericAPIView):
    pagination_class = NewestFirst
    serializer_class = OfferListSerializer  # for OPTIONS; each method names its own

    @extend_schema(
        tags=TAGS,
        summary="The district's offers, searchable",
        description=(
            "Newest first, by journal number, case, answer, whether referred and the day the "
            "offer was registered. Each person shown is recorded in the audit trail."
        ),
        parameters=[OfferFilterSerializer],
        responses={200: OfferListSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        filters = OfferFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        offers = filters.apply(offers_for_user(user))
        with transaction.atomic():
            page = self.paginate_queryset(offers)
            assert page is not None
            data = OfferListSerializer(page, many=True).data
            audit_record_looks(
                actor=user,
                object_type=AuditEvent.ObjectType.OFFER,
                items=[(o.pk, o.person_id) for o in page],
                purpose=AuditEvent.Purpose.API_OFFER_LIST,
                criterion=criterion_of(request.query_params),
            )
        return self.get_paginated_response(data)

    @extend_schema(
        tags=TAGS,
        summary="Register one person's offer",
        description=(
            "A person already registered in the district with the same identity number is that "
            "person: the contact details and home municipality sent replace the old ones (which "
            "are kept as history). A programme that refers to the home municipality's centre "
            "needs `person.home_municipality`."
        ),
        request=OfferInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        examples=[examples.OFFER],
        responses={201: OfferSerializer, **errors(400, 404, 409, 422)},
    )
    @idempotent(show=lambda request, pk, code: _show_offer(request, pk, code))
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        data = OfferInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        programme = v["programme"]
        municipalities = api_services.municipalities_by_code(
            programme, [v["person"]["home_municipality"]]
        )
        person, person_errors = api_services.person_from_input(
            programme=programme, data=v["person"], municipalities=municipalities
        )
        if person is None:
            raise ValidationError({"person": person_errors})
        try:
            offer = services.offer_register(
                actor=user,
                programme=programme,
                person=person,
                offence=v["offence"],
                offence_date=v["offence_date"],
                journal_number=v["journal_number"],
                case=v["case"],
            )
        except DjangoValidationError as exc:
            messages: dict[str, Any] = dict(api_services.messages_of(exc))
            if "home_municipality" in messages:
                messages["person"] = {"home_municipality": messages.pop("home_municipality")}
            raise ValidationError(messages) from exc
        return _show_offer(request, offer.pk, status.HTTP_201_CREATED)


class OfferDetail(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One offer, with what the police may know of its referral",
        responses={200: OfferSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _show_offer(request, pk)


class OfferAnswer(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Record the person's answer",
        description=(
            "A yes needs the consent record and creates the referral to the partner the "
            "programme routes to."
        ),
        request=AnswerInputSerializer,
        examples=[examples.ANSWER_YES, examples.ANSWER_NO],
        responses={200: OfferSerializer, **errors(400, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        offer = offer_for_user(user, pk)
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        consent = v.get("consent") if v["answer"] == "yes" else None
        text = None
        if consent:
            text = offer.programme.consent_texts.filter(version=consent["text_version"]).first()
            if text is None:
                raise ValidationError(
                    {"consent": {"text_version": [_("The programme has no such version.")]}}
                )
        try:
            services.offer_answer(
                actor=user,
                offer=offer,
                answer=v["answer"],
                prevention_conversation=v.get("prevention_conversation"),
                consent_method=consent["method"] if consent else None,
                consent_text=text,
                consent_given_at=consent["given_at"] if consent else None,
                offered_at=v.get("offered_at"),
                answered_at=v.get("answered_at"),
            )
        except DjangoValidationError as exc:
            raise ValidationError(_rename_consent_errors(api_services.messages_of(exc))) from exc
        return _show_offer(request, pk)


def _rename_consent_errors(messages: dict[str, list[str]]) -> dict:
    out: dict = {k: v for k, v in messages.items() if k not in CONSENT_ERRORS}
    consent = {CONSENT_ERRORS[k]: v for k, v in messages.items() if k in CONSENT_ERRORS}
    if consent:
        out["consent"] = consent
    return out


class OfferWithdrawConsent(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Record that the person withdrew consent",
        description="Sharing stops at once: the partner loses the contact details.",
        request=None,
        responses={
            200: OpenApiResponse(OfferSerializer, description="The offer after withdrawal."),
            **errors(400, 404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        offer = offer_for_user(user, pk)
        services.consent_withdraw(actor=user, offer=offer)
        return _show_offer(request, pk)
