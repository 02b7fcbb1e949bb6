"""What a partner recorded on a referral: contact attempts and outcome steps, read back,
recorded (with an ``Idempotency-Key``) and corrected.

A correction is a new record naming the one it replaces (``corrects``); the original stays in
the list with ``corrected_by`` set, so the history shows what was first recorded and who
changed it, and the audit trail has a row for each. Only the partner the referral was routed
to reaches these (``referral_for_partner``); the police never do.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sporskifte.accounts.models import User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.core.access import get_or_404
from sporskifte.core.auth import acting_user
from sporskifte.referrals import services
from sporskifte.referrals.models import ContactAttempt, OutcomeStep, Referral
from sporskifte.referrals.selectors import referral_for_partner

from .. import examples
from ..idempotency import PARAMETER as IDEMPOTENCY_KEY
from ..idempotency import idempotent
from ..inputs import (
    ContactAttemptCorrectionInputSerializer,
    ContactAttemptInputSerializer,
    StepCorrectionInputSerializer,
    StepInputSerializer,
)
from ..schema import errors
from ..serializers import ContactAttemptSerializer, OutcomeStepSerializer

TAGS = ["Partner systems"]
CORRECTION = (
    "The original stays in the history with `corrected_by` set; the referral's milestones are "
    "worked out again from the records that stand. A corrected record cannot be corrected "
    "again: correct its correction."
)


def _records(referral: Referral, model: type[Any]) -> list[Any]:
    return list(
        model.objects.filter(referral=referral).select_related("correction").order_by("at", "id")
    )


def _look(user: User, referral: Referral, purpose: str) -> None:
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type=AuditEvent.ObjectType.REFERRAL,
        object_id=referral.pk,
        person_id=referral.offer.person_id,
        purpose=purpose,
        legal_basis=services.CONSENT,
    )


def _show_attempt(request: Request, attempt_id: int, code: int, pk: int) -> Response:
    referral = referral_for_partner(acting_user(request), pk)
    attempt = get_or_404(ContactAttempt.objects.filter(referral=referral), attempt_id)
    return Response(ContactAttemptSerializer(attempt).data, status=code)


def _show_step(request: Request, step_id: int, code: int, pk: int) -> Response:
    referral = referral_for_partner(acting_user(request), pk)
    step = get_or_404(OutcomeStep.objects.filter(referral=referral), step_id)
    return Response(OutcomeStepSerializer(step).data, status=code)


class ReferralContactAttempts(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The contact attempts recorded, oldest first, corrections included",
        responses={200: ContactAttemptSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        with transaction.atomic():
            referral = referral_for_partner(user, pk)
            data = ContactAttemptSerializer(_records(referral, ContactAttempt), many=True).data
            _look(user, referral, AuditEvent.Purpose.API_CONTACT_ATTEMPTS)
        return Response(data)

    @extend_schema(
        tags=TAGS,
        summary="Record a contact attempt",
        request=ContactAttemptInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        examples=[examples.ATTEMPT],
        responses={201: ContactAttemptSerializer, **errors(400, 404, 409, 422)},
    )
    @idempotent(show=_show_attempt)
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        referral = referral_for_partner(user, pk, joined=False)
        data = ContactAttemptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = services.referral_record_attempt(
            actor=user, referral=referral, **data.validated_data
        )
        return Response(ContactAttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


class ContactAttemptCorrect(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Correct a wrongly recorded contact attempt",
        description=CORRECTION,
        request=ContactAttemptCorrectionInputSerializer,
        responses={201: ContactAttemptSerializer, **errors(400, 404)},
    )
    def post(self, request: Request, pk: int, attempt_id: int) -> Response:
        user = acting_user(request)
        referral = referral_for_partner(user, pk)
        original = get_or_404(
            ContactAttempt.objects.filter(referral=referral).select_related("correction"),
            attempt_id,
        )
        data = ContactAttemptCorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = services.contact_attempt_correct(
            actor=user, referral=referral, original=original, **data.validated_data
        )
        return Response(ContactAttemptSerializer(correction).data, status=status.HTTP_201_CREATED)


class ReferralSteps(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The outcome steps recorded, oldest first, corrections included",
        responses={200: OutcomeStepSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        with transaction.atomic():
            referral = referral_for_partner(user, pk)
            data = OutcomeStepSerializer(_records(referral, OutcomeStep), many=True).data
            _look(user, referral, AuditEvent.Purpose.API_OUTCOME_STEPS)
        return Response(data)

    @extend_schema(
        tags=TAGS,
        summary="Record an outcome step",
        description=(
            "`at` may be any time from the referral (the person's yes) until now, so a "
            "counsellor present at the interview records the first conversation held there."
        ),
        request=StepInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        examples=[examples.STEP],
        responses={201: OutcomeStepSerializer, **errors(400, 404, 409, 422)},
    )
    @idempotent(show=_show_step)
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        referral = referral_for_partner(user, pk, joined=False)
        data = StepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = services.referral_record_step(actor=user, referral=referral, **data.validated_data)
        return Response(OutcomeStepSerializer(step).data, status=status.HTTP_201_CREATED)


class OutcomeStepCorrect(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Correct a wrongly recorded outcome step",
        description=CORRECTION,
        request=StepCorrectionInputSerializer,
        responses={201: OutcomeStepSerializer, **errors(400, 404)},
    )
    def post(self, request: Request, pk: int, step_id: int) -> Response:
        user = acting_user(request)
        referral = referral_for_partner(user, pk)
        original = get_or_404(
            OutcomeStep.objects.filter(referral=referral).select_related("correction"), step_id
        )
        data = StepCorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = services.outcome_step_correct(
            actor=user, referral=referral, original=original, **data.validated_data
        )
        return Response(OutcomeStepSerializer(correction).data, status=status.HTTP_201_CREATED)
