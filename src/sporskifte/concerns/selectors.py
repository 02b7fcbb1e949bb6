"""Reads of worry cases, always scoped to the acting user.

The rule: the police (officer, investigator, district administrator) of the district that owns a
case see it, its custody holders, conversations and letters. Everyone else (another district,
partners, researchers, council members, system administrators) sees nothing, and a case outside
the scope answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet

from sporskifte.accounts.access import police_district_of
from sporskifte.concerns.models import ConcernCase, Conversation, CustodyHolder, Letter
from sporskifte.core.access import get_or_404

if TYPE_CHECKING:
    from sporskifte.accounts.models import User


def concern_cases_for_user(user: User) -> QuerySet[ConcernCase]:
    district = police_district_of(user)
    if district is None:
        return ConcernCase.objects.none()
    return ConcernCase.objects.filter(police_district_id=district).select_related("person")


def concern_case_for_user(user: User, pk: object) -> ConcernCase:
    return get_or_404(concern_cases_for_user(user), pk)


def case_list_for_user(user: User) -> QuerySet[ConcernCase]:
    """The district's list page: counts and the next open follow-up in the same query."""
    open_follow_up = Q(conversations__follow_up_on__isnull=False) & ~Q(
        conversations__status=Conversation.Status.COMPLETED
    )
    return (
        concern_cases_for_user(user)
        .select_related("person__home_municipality")
        .annotate(
            conversation_count=Count("conversations", distinct=True),
            letter_count=Count("letters", distinct=True),
            last_conversation_on=Max("conversations__held_on"),
            next_follow_up_on=Min("conversations__follow_up_on", filter=open_follow_up),
        )
        .order_by("-created_at", "-id")
    )


def custody_holders_for_user(user: User) -> QuerySet[CustodyHolder]:
    district = police_district_of(user)
    if district is None:
        return CustodyHolder.objects.none()
    return CustodyHolder.objects.filter(case__police_district_id=district)


def conversations_for_user(user: User) -> QuerySet[Conversation]:
    district = police_district_of(user)
    if district is None:
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(case__police_district_id=district)
        .select_related("case__person", "recorded_by")
        .prefetch_related(
            Prefetch("custody_holders", queryset=CustodyHolder.objects.order_by("id"))
        )
    )


def conversation_for_user(user: User, pk: object) -> Conversation:
    return get_or_404(conversations_for_user(user), pk)


def letters_for_user(user: User) -> QuerySet[Letter]:
    """Without the PDF bytes: lists and pages never load them."""
    district = police_district_of(user)
    if district is None:
        return Letter.objects.none()
    return (
        Letter.objects.filter(case__police_district_id=district)
        .defer("pdf")
        .select_related("case__person", "created_by")
        .prefetch_related(Prefetch("recipients", queryset=CustodyHolder.objects.order_by("id")))
    )


def letter_for_user(user: User, pk: object) -> Letter:
    return get_or_404(letters_for_user(user), pk)


def letter_pdf_for_user(user: User, pk: object) -> Letter:
    """The letter with its PDF, for the download only."""
    district = police_district_of(user)
    qs = (
        Letter.objects.filter(case__police_district_id=district).select_related("case")
        if district is not None
        else Letter.objects.none()
    )
    return get_or_404(qs, pk)
