"""No model of the councils app can hold a citizen: every relation and every text field is
listed here with the decision about it, so adding one fails this test until someone decides."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from sporskifte.councils import plans, services
from sporskifte.councils.models import CouncilMember, Plan

# Models any councils relation may point at: no person, no referral, no forum person.
ALLOWED_TARGETS = {
    "accounts.user",  # members with an account, and who entered what
    "organisations.organisation",
    "organisations.municipality",
}
# Text fields by model: None = never shown publicly; "published" = shown only in a published,
# frozen plan version (the kredsråd's discussion and the publication are its review);
# "official" = shown publicly only for public officials.
TEXT_FIELDS = {
    "council": {"name": "published"},
    "councilmember": {"name": "official", "title": "official"},
    "councilmeeting": {"place": None, "minutes": None},
    "agendaitem": {"title": None},
    "councilaction": {"description": None},
    "plan": {
        "title": "published",
        "foreword": "published",
        "place_and_date": "published",
        "internal_note": None,
    },
    "plansection": {"number": "published", "title": "published", "body": "published"},
    "focusarea": {"title": "published", "description": "published", "internal_note": None},
    "activity": {"description": None},
    "indicator": {"definition": None, "source": None},
    "indicatorstatus": {"comment": None},
    "yearendinput": {"text": None},
    "areathresholds": {"source": None},
    "preventionarea": {"name": None},
}
CHOICE_OR_CODE = (models.CharField,)


def _models():
    return list(apps.get_app_config("councils").get_models())


def test_no_relation_leaves_the_allowed_models():
    for model in _models():
        for field in model._meta.get_fields():
            if not field.is_relation or (field.auto_created and not field.concrete):
                continue
            target = field.related_model._meta.label_lower
            assert target.startswith("councils.") or target in ALLOWED_TARGETS, (
                f"{model.__name__}.{field.name} -> {target}"
            )


def test_every_free_text_field_has_a_decision():
    for model in _models():
        name = model._meta.model_name
        texts = {
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        }
        assert texts == set(TEXT_FIELDS.get(name, {})), name


def test_the_user_relation_is_only_a_seat_or_who_entered_something():
    for model in _models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.label_lower == "accounts.user":
                assert field.name in {"user", "approved_by", "entered_by", "given_by"}


@pytest.mark.django_db
def test_public_pages_name_only_public_officials(world, personas):
    admin = personas.admin_a
    plan = plans.plan_create(actor=admin, council=world.kredsraad, year=2023, title="Plan 2023")
    services.member_add(
        actor=admin,
        council=world.kredsraad,
        name="Beboerrepræsentant Kim Privatsen",
        role=CouncilMember.Role.MEMBER,
        standing=CouncilMember.Standing.COMMUNITY,
        term_start=world.meetings[0].starts_at.date(),
    )
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.PUBLISHED, internal_note="INTERNT")
    html = Client().get("/samarbejdsplan/midt-vestjylland/").content.decode()
    assert "Politidirektør Helle Kyndesen" in html
    assert "Kim Privatsen" not in html and "INTERNT" not in html
    for m in CouncilMember.objects.filter(standing=CouncilMember.Standing.COMMUNITY):
        assert m.name not in html
