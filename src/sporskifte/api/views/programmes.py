"""The programmes a police token works with: their current consent text and outcome steps."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from sporskifte.core.auth import acting_user
from sporskifte.referrals.models import ConsentText
from sporskifte.referrals.selectors import programmes_for_user

from ..schema import errors
from ..serializers import ProgrammeSerializer


class ProgrammeCursor(CursorPagination):
    ordering = ("name", "id")


class ProgrammeList(generics.ListAPIView):
    serializer_class = ProgrammeSerializer
    pagination_class = ProgrammeCursor

    def get_queryset(self):  # type: ignore[no-untyped-def]
        # The current version is the highest, as in services.consent_text_current.
        current = ConsentText.objects.filter(programme=OuterRef("pk")).order_by("-version")
        return (
            programmes_for_user(acting_user(self.request))
            .select_related("fixed_partner")
            .prefetch_related("offences")
            .annotate(
                current_consent_version=Subquery(current.values("version")[:1]),
                current_consent_text=Subquery(current.values("text")[:1]),
            )
        )

    @extend_schema(
        tags=["Police systems"],
        summary="The district's programmes",
        responses={200: ProgrammeSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)
