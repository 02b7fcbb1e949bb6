"""The report's figures as JSON: GET /api/v1/insights/funnel/ with the report page's filters.

Same scope and same ``Report`` as the page, so the API cannot show more than the page does:
council tokens get protected figures, police tokens protected figures beyond their programme's
feedback level (``insights.audiences``), tokens of other organisations a 404.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sporskifte.api.schema import errors
from sporskifte.core.auth import acting_user
from sporskifte.insights.exports import notes
from sporskifte.insights.report import Report
from sporskifte.insights.selectors import AGE_BANDS, insight_scope
from sporskifte.insights.suppression import WITHHELD
from sporskifte.insights.views import scoped_report


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "enum": ["<5", WITHHELD]},
        ],
        "description": (
            "A count; in protected figures a multiple of 5 (rounded) or '<5' (0-4), or "
            "an en dash (withheld: police figures beyond the feedback level for a case or a "
            "date range)."
        ),
    }
)
class CountField(serializers.Field):
    def to_representation(self, value: object) -> object:
        return value


class StepSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = CountField()
    rate_previous = serializers.IntegerField(
        allow_null=True, help_text="Percent of the step before, rounded half up."
    )
    rate_start = serializers.IntegerField(
        allow_null=True, help_text="Percent of the first step, rounded half up."
    )


class TrendRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    values = serializers.DictField(child=CountField())


class FunnelReportSerializer(serializers.Serializer):
    programmes = serializers.ListField(child=serializers.CharField())
    period_label = serializers.CharField()
    suppressed = serializers.BooleanField(
        help_text="True when some counts are protected (see notes)."
    )
    threshold = serializers.IntegerField()
    sentences = serializers.ListField(child=serializers.CharField())
    notes = serializers.SerializerMethodField()
    steps = StepSerializer(many=True)
    prevention = StepSerializer(many=True)
    timed = CountField()
    median_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    p90_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    within_percent = serializers.IntegerField(allow_null=True)
    trend_series = serializers.ListField(child=serializers.CharField())
    trend = TrendRowSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_notes(self, report: Report) -> list[str]:
        return notes(report)


def _param(name: str, kind: Any, description: str, enum: list | None = None) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, enum=enum)


PARAMETERS = [
    _param("programme", OpenApiTypes.INT, "One programme; all the token may see when left out."),
    _param("period", OpenApiTypes.STR, "Period kind.", ["year", "quarter", "month", "range"]),
    _param("year", OpenApiTypes.INT, "For period year, quarter and month."),
    _param("quarter", OpenApiTypes.INT, "1-4, with period=quarter."),
    _param("month", OpenApiTypes.INT, "1-12, with period=month."),
    _param("date_from", OpenApiTypes.DATE, "With period=range."),
    _param("date_to", OpenApiTypes.DATE, "With period=range; inclusive."),
    _param("police_district", OpenApiTypes.INT, "Organisation id of a police district."),
    _param("municipality", OpenApiTypes.INT, "Home municipality id."),
    _param("offence", OpenApiTypes.INT, "Offence id."),
    _param("age_band", OpenApiTypes.STR, "Age at the offer.", list(AGE_BANDS)),
    _param("sex", OpenApiTypes.STR, "F, M or U.", ["F", "M", "U"]),
    _param(
        "case",
        OpenApiTypes.INT,
        "Case id (police only; steps beyond the feedback level are then withheld).",
    ),
    _param("journal_number", OpenApiTypes.STR, "The case by its journal number, as case."),
]


class FunnelReport(APIView):
    @extend_schema(
        tags=["Figures"],
        summary="A programme's funnel, time to contact and monthly trend",
        description=(
            "Offers are counted by the date they were registered; each step counts those who "
            "reached at least that step. Percentages are whole numbers, rounded half up."
        ),
        parameters=PARAMETERS,
        responses={200: FunnelReportSerializer, **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        form, report = scoped_report(request, insight_scope(acting_user(request)))
        if report is None:
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        return Response(FunnelReportSerializer(report).data)


urlpatterns = [path("funnel/", FunnelReport.as_view(), name="insights-funnel")]
