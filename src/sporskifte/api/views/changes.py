"""The change feeds (referrals/changes.py says why numbers and not timestamps).

``GET /api/v1/referrals/changes/?after=<next>`` for a partner, ``GET /api/v1/offers/changes/``
for a police district: the changes after the given position, oldest first, each with the
object as the token may see it now (null when it is no longer there to see), and ``next`` to
send as ``after`` the next time. Every person shown is recorded in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sporskifte.accounts.access import partner_of, police_district_of
from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record_looks
from sporskifte.core.auth import acting_user
from sporskifte.referrals import services
from sporskifte.referrals.models import Change
from sporskifte.referrals.selectors import offers_for_user, partner_may_see_contact_details

from ..schema import errors
from ..serializers import OfferListSerializer, ReferralSerializer
from .referrals import partner_referrals

PAGE = 100
HOW = (
    f"Oldest first, at most {PAGE} a page. Start without `after` (from the beginning) and keep "
    "the `next` of each answer for the next request; while `more` is true, ask again at once. "
    "`next` is a position in this organisation's feed: store it as it is. Kinds: `created`, "
    "`updated`, `withdrawn` (consent), `erased` (personal data gone at the end of retention)."
)


class FeedQuery(serializers.Serializer):
    after = serializers.RegexField(
        r"^[0-9]{1,18}$",
        required=False,
        help_text=_("The `next` of the previous answer; leave out to start from the beginning."),
    )


class ReferralChangeSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Change.Kind.choices)
    referral_id = serializers.IntegerField()
    referral = ReferralSerializer(allow_null=True)


class OfferChangeSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Change.Kind.choices)
    offer_id = serializers.IntegerField()
    offer = OfferListSerializer(allow_null=True)


class ReferralFeedSerializer(serializers.Serializer):
    changes = ReferralChangeSerializer(many=True)
    next = serializers.CharField()
    more = serializers.BooleanField()


class OfferFeedSerializer(serializers.Serializer):
    changes = OfferChangeSerializer(many=True)
    next = serializers.CharField()
    more = serializers.BooleanField()


def _page(
    request: Request, organisation_id: int | None, object_type: str
) -> tuple[list, str, bool]:
    query = FeedQuery(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    after = int(query.validated_data.get("after", "0"))
    if organisation_id is None:
        return [], str(after), False
    rows = list(
        Change.objects.filter(
            organisation_id=organisation_id, object_type=object_type, seq__gt=after
        ).order_by("seq")[: PAGE + 1]
    )
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return rows, str(rows[-1].seq if rows else after), more


class ReferralChanges(APIView):
    @extend_schema(
        tags=["Partner systems"],
        summary="What changed in the partner's referrals",
        description=HOW,
        parameters=[FeedQuery],
        responses={200: ReferralFeedSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        with transaction.atomic():
            rows, next_, more = _page(request, partner_of(user), "referral")
            found = partner_referrals(user).in_bulk([r.object_id for r in rows])
            changes: list[dict[str, Any]] = [
                {
                    "seq": r.seq,
                    "kind": r.kind,
                    "referral_id": r.object_id,
                    "referral": found.get(r.object_id),
                }
                for r in rows
            ]
            data = ReferralFeedSerializer(
                {"changes": changes, "next": next_, "more": more},
                context={"now": timezone.now()},
            ).data
            shown = {r.pk: r for r in found.values() if partner_may_see_contact_details(r)}
            audit_record_looks(
                actor=user,
                object_type=AuditEvent.ObjectType.REFERRAL,
                items=[(r.pk, r.offer.person_id) for r in shown.values()],
                purpose=AuditEvent.Purpose.API_REFERRAL_CHANGES,
                legal_basis=services.CONSENT,
            )
        return Response(data)


class OfferChanges(APIView):
    @extend_schema(
        tags=["Police systems"],
        summary="What changed in the district's offers",
        description=HOW + " A referral's work shows here only when its `police_status` changes.",
        parameters=[FeedQuery],
        responses={200: OfferFeedSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        with transaction.atomic():
            rows, next_, more = _page(request, police_district_of(user), "offer")
            found = offers_for_user(user).in_bulk([r.object_id for r in rows])
            changes = [
                {
                    "seq": r.seq,
                    "kind": r.kind,
                    "offer_id": r.object_id,
                    "offer": found.get(r.object_id),
                }
                for r in rows
            ]
            data = OfferFeedSerializer({"changes": changes, "next": next_, "more": more}).data
            audit_record_looks(
                actor=user,
                object_type=AuditEvent.ObjectType.OFFER,
                items=[(o.pk, o.person_id) for o in found.values()],
                purpose=AuditEvent.Purpose.API_OFFER_CHANGES,
            )
        return Response(data)
