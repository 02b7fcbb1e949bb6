"""The programmes a token works with: a police district's own, or the ones a partner receives
from, with their rules (outcome steps, contact deadline, feedback level) and consent text."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from sporskifte.accounts.access import police_district_of
from sporskifte.core.auth import acting_user
from sporskifte.referrals.models import ConsentText, Programme
from sporskifte.referrals.selectors import programmes_for_user, programmes_served_by

from ..schema import errors
from ..serializers import ProgrammeSerializer


class ProgrammeCursor(CursorPagination):
    ordering = ("name", "id")


class ProgrammeList(generics.ListAPIView):
    serializer_class = ProgrammeSerializer
    pagination_class = ProgrammeCursor

    def _scope(self) -> QuerySet[Programme]:
        user = acting_user(self.request)
        if police_district_of(user) is not None:
            return programmes_for_user(user)
        return programmes_served_by(user)

    def get_queryset(self) -> QuerySet[Programme]:
        # The current version is the highest, as in selectors.consent_text_current.
        current = ConsentText.objects.filter(programme=OuterRef("pk")).order_by("-version")
        return (
            self._scope()
            .select_related("fixed_partner")
            .prefetch_related("offences")
            .annotate(
                current_consent_version=Subquery(current.values("version")[:1]),
                current_consent_text=Subquery(current.values("text")[:1]),
            )
        )

    @extend_schema(
        tags=["Police systems", "Partner systems"],
        summary="The programmes and their rules",
        description=(
            "For a police token the district's programmes; for a partner's token the programmes "
            "it receives referrals from: the steps it records (`outcome_steps`), its contact "
            "deadline in days and the most the police learn back (`feedback_level`)."
        ),
        responses={200: ProgrammeSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)
