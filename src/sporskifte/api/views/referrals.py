"""Partner systems: the inbox of referrals routed to the token's organisation.

Every read goes through ``referrals_for_user`` / ``referral_for_partner`` and every write
through the referral services; the person is shown only while
``partner_may_see_contact_details`` holds, and each showing is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sporskifte.accounts.access import partner_of
from sporskifte.accounts.models import User
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record, audit_record_looks, criterion_of
from sporskifte.core.auth import acting_user
from sporskifte.referrals import services
from sporskifte.referrals.models import Referral
from sporskifte.referrals.selectors import (
    inbox_bucket_q,
    partner_may_see_contact_details,
    referral_for_partner,
    referrals_for_user,
)

from ..inputs import ReferralFilterSerializer
from ..schema import errors
from ..serializers import REFERRAL_ROW, ReferralSerializer, referral_rows, shows_person

TAGS = ["Partner systems"]
PURPOSE_LIST = AuditEvent.Purpose.API_PARTNER_INBOX
PURPOSE_DETAIL = AuditEvent.Purpose.API_REFERRAL


def partner_referrals(user: User) -> QuerySet[Referral]:
    """The scope of ``referral_for_partner`` as a list: the inbox. Police tokens see referrals
    through their offers (``police_status`` only), never here."""
    partner = partner_of(user)
    if partner is None:
        return Referral.objects.none()
    return referrals_for_user(user).filter(partner_id=partner)


def _looks(rows: Iterable[dict[str, Any]]) -> list[tuple[int, int | None]]:
    return [(r["id"], r["offer__person_id"]) for r in rows if shows_person(r)]


class ReferralCursor(CursorPagination):
    ordering = "-id"  # newest first; matches the (partner, -id) index


class ReferralList(generics.ListAPIView):
    serializer_class = ReferralSerializer
    pagination_class = ReferralCursor

    @extend_schema(
        tags=TAGS,
        summary="The partner's inbox",
        parameters=[ReferralFilterSerializer],
        responses={200: ReferralSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        user = acting_user(request)
        # A plain dict, not the QueryDict: DRF would read "?status=" as "no filter".
        filters = ReferralFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        now = timezone.now()
        queryset = partner_referrals(user)
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        if "bucket" in filters.validated_data:
            queryset = queryset.filter(inbox_bucket_q(filters.validated_data["bucket"], now))
        with transaction.atomic():
            page = self.paginate_queryset(queryset.values(*REFERRAL_ROW))
            assert page is not None
            data = referral_rows(page, now)
            audit_record_looks(
                actor=user,
                object_type=AuditEvent.ObjectType.REFERRAL,
                items=_looks(page),
                purpose=PURPOSE_LIST,
                legal_basis=services.CONSENT,
                criterion=criterion_of(request.query_params),
            )
        return self.get_paginated_response(data)


def _show(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    user = acting_user(request)
    with transaction.atomic():
        referral = referral_for_partner(user, pk)
        data = ReferralSerializer(referral, context={"now": timezone.now()}).data
        if partner_may_see_contact_details(referral):
            audit_record(
                actor=user,
                action=AuditEvent.Action.VIEW,
                object_type=AuditEvent.ObjectType.REFERRAL,
                object_id=referral.pk,
                person_id=referral.offer.person_id,
                purpose=PURPOSE_DETAIL,
                legal_basis=services.CONSENT,
            )
    return Response(data, status=code)


class ReferralDetail(APIView):
    @extend_schema(
        tags=TAGS, summary="One referral", responses={200: ReferralSerializer, **errors(404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        return _show(request, pk)


class ReferralWithdrawConsent(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Record that the person withdrew consent",
        description="Sharing stops at once: the answer already has `person` null.",
        request=None,
        responses={
            200: OpenApiResponse(ReferralSerializer, description="The referral, withdrawn."),
            **errors(400, 404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        referral = referral_for_partner(user, pk)
        services.consent_withdraw(actor=user, offer=referral.offer)
        return _show(request, pk)
