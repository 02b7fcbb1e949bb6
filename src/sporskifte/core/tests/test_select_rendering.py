"""The form renderer writes selects in Python; the markup must be Django's template's."""

from __future__ import annotations

from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from sporskifte.core.forms import DesignSystemFormRenderer

CHOICES = [
    ("", "All"),
    (1, 'Herning & "Ikast" <b>'),
    (2, gettext_lazy("All time")),
    ("Region", [("a", "Å-by"), ("b", mark_safe("<i>safe</i>"))]),
    (None, "none"),
]


class Everything(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    typed = forms.TypedChoiceField(choices=CHOICES, coerce=str, required=False)
    attrs = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"class": 'x "y"', "disabled": True, "hidden": False}),
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"one": "1", "many": ["a", "b", "2"], "typed": "", "attrs": "b"}, {"one": "<nope>"}],
)
@pytest.mark.parametrize("language", ["da", "en"])
def test_a_select_is_written_as_djangos_templates_write_it(data, language):
    with override(language):
        ours = Everything(data or None)
        djangos = Everything(data or None, renderer=DjangoTemplates())
        assert isinstance(ours.renderer, DesignSystemFormRenderer)
        for name in ours.fields:
            with mock.patch.object(DesignSystemFormRenderer, "get_template") as templates:
                fast = ours[name].as_widget(attrs={"aria-describedby": "x_hint"})
            templates.assert_not_called()  # written in Python, no template read
            by_template = djangos[name].as_widget(attrs={"aria-describedby": "x_hint"})
            assert "<option" in fast
            assert fast == by_template


def test_an_option_with_a_template_of_its_own_is_rendered_by_it():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Marked(choices=[("a", "A")])
    html = widget.render("x", "a", renderer=DesignSystemFormRenderer())
    assert html == widget.render("x", "a", renderer=DjangoTemplates())
    assert "<option" not in html
