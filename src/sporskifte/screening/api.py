"""Incident records from the police's own systems: POST /api/v1/screening/incidents/.

A batch of up to 10,000 incidents, all or nothing, with the index and field of every error.
Idempotent by journal number and version: a batch sent again (a retry after a lost answer)
writes nothing and answers the same counts as "already held". The token must act for a police
district in the screening officer role (or its administrator).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sporskifte.api.schema import errors
from sporskifte.core.auth import acting_user
from sporskifte.organisations.models import Organisation
from sporskifte.screening.access import screening_district_of
from sporskifte.screening.imports import incidents_import
from sporskifte.screening.models import PersonRole

MAX_BATCH = 10_000


class PersonIn(serializers.Serializer):
    id_number = serializers.CharField(help_text="CPR (10 digits) or personnummer (12 digits).")
    name = serializers.CharField(required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=PersonRole.choices)


class IncidentIn(serializers.Serializer):
    journal_number = serializers.CharField(max_length=32)
    version = serializers.IntegerField(min_value=1, default=1)
    incident_code = serializers.CharField(max_length=16)
    offence_code = serializers.CharField(max_length=16, required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField()
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    municipality_code = serializers.CharField(max_length=4, help_text="e.g. 0791 (Viborg)")
    persons = PersonIn(many=True)


class BatchIn(serializers.Serializer):
    incidents = serializers.ListField(child=serializers.DictField(), max_length=MAX_BATCH)


class BatchOut(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Already held (same journal number, version).")


class IncidentBatch(APIView):
    @extend_schema(
        operation_id="screening_incidents_create",
        summary="Load a batch of incident records (all or nothing, idempotent)",
        request=BatchIn,
        responses={201: BatchOut, **errors(400, 404)},
        examples=[
            OpenApiExample(
                "One incident",
                request_only=True,
                value={
                    "incidents": [
                        {
                            "journal_number": "4100-84120-00017-26",
                            "version": 1,
                            "incident_code": "SPIRIT",
                            "occurred_at": "2026-11-28T23:10:00+01:00",
                            "address": "Eksempelvej 1, 8800 Viborg",
                            "municipality_code": "0791",
                            "persons": [{"id_number": "0101809001", "role": "suspect"}],
                        }
                    ]
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        district_id = screening_district_of(user)
        if district_id is None:
            raise NotFound
        batch = BatchIn(data=request.data)
        batch.is_valid(raise_exception=True)
        records = []
        for index, raw in enumerate(batch.validated_data["incidents"]):
            item = IncidentIn(data=raw)
            if not item.is_valid():
                raise ValidationError({"incidents": {str(index): item.errors}})
            data: dict[str, Any] = dict(item.validated_data)
            data["occurred_at"] = data["occurred_at"].isoformat()
            records.append((index, data))
        result = incidents_import(
            district=Organisation.objects.get(pk=district_id), records=records, actor=user
        )
        if not result.ok:
            return Response(
                {
                    "incidents": [
                        {"index": e.row, "field": e.column, "message": e.message}
                        for e in result.errors
                    ],
                    "detail": _("Nothing was imported."),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {"created": result.created, "skipped": result.skipped}, status=status.HTTP_201_CREATED
        )


urlpatterns = [path("incidents/", IncidentBatch.as_view(), name="screening-incidents")]
