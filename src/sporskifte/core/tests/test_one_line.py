"""One-line text refuses control characters in every form and in the API's inputs."""

import importlib
import pkgutil

import pytest
from django import forms
from rest_framework import serializers

import sporskifte
from sporskifte.core.validators import has_control_characters, validate_one_line


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _import_all(module_name: str) -> None:
    for info in pkgutil.walk_packages(sporskifte.__path__, "sporskifte."):
        if info.name.endswith(f".{module_name}"):
            importlib.import_module(info.name)


def _single_line_fields_without_the_validator():
    _import_all("forms")
    for form in _subclasses(forms.BaseForm):
        if not form.__module__.startswith("sporskifte."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if (
                isinstance(field, forms.CharField)
                # Django's e-mail validator already refuses line breaks.
                and not isinstance(field, forms.EmailField)
                and not isinstance(field.widget, forms.Textarea | forms.PasswordInput)
                and validate_one_line not in field.validators
            ):
                yield f"{form.__module__}.{form.__qualname__}.{name}"


def test_every_single_line_form_field_refuses_control_characters():
    assert list(_single_line_fields_without_the_validator()) == []


@pytest.mark.parametrize(
    "text", ["Forum\nNord", "Sted\r", "a\tb", "nul\x00", "\u202eevil", "line\u2028sep"]
)
def test_control_characters_are_found(text):
    assert has_control_characters(text)


@pytest.mark.parametrize("text", ["Ærø Kommune", "Åsa Öberg", "Straße 12, 2. th.", "‌joiner"])
def test_ordinary_names_pass(text):
    assert not has_control_characters(text)


@pytest.mark.django_db
def test_a_forum_name_with_a_line_break_is_refused_with_a_message(personas):
    from sporskifte.fora.forms import ForumForm
    from sporskifte.testing.factories import district

    form = ForumForm(
        {"name": "SSP Viborg\nBcc: x@example.org"}, district=district("midt-vestjylland")
    )

    assert not form.is_valid()
    assert "one line" in str(form.errors["name"])


def test_a_meeting_place_with_a_line_break_is_refused():
    from sporskifte.fora.forms import MeetingForm

    form = MeetingForm({"starts_at": "2026-12-01T10:00", "place": "Rådhuset\r\nlokale 2"})

    assert not form.is_valid()
    assert list(form.errors) == ["place"]


def test_the_api_refuses_control_characters_in_one_line_inputs():
    from sporskifte.api import inputs

    offenders = [
        f"{serializer.__name__}.{name}"
        for serializer in _subclasses(serializers.Serializer)
        if serializer.__module__ == inputs.__name__
        for name, field in serializer().fields.items()
        if isinstance(field, serializers.CharField)
        and not isinstance(field, serializers.EmailField)
        and validate_one_line not in field.validators
    ]

    assert offenders == []
