"""Forms render with Det Fælles Designsystem's markup: label, hint, error message, input."""

import datetime as dt
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.html import escape

from sporskifte.core.validators import validate_one_line

_F = TypeVar("_F", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """``form.fields[name]`` as the kind of field it is, to set what only that kind has (a
    queryset, a minimum). The stubs type ``fields`` as plain ``Field``."""
    field = form.fields[name]
    assert isinstance(field, kind), f"{name} is a {type(field).__name__}, not a {kind.__name__}"
    return field


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: under the field it names when the form has
    that field, otherwise at the top (the error summary)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class OneLineCharField(forms.CharField):
    """Text on one line (a name, a place, a number): control characters are refused."""

    default_validators = [validate_one_line]


# Django's select and its options, written in Python by ``DesignSystemFormRenderer``.
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` in a template: escaped unless already safe HTML."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: False leaves the attribute out, True writes its name alone."""
    return "".join(
        ""
        if value is False
        else f" {_text(name)}"
        if value is True
        else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
    )


def _select(widget: dict[str, Any]) -> str | None:
    """Django's ``select.html`` and ``select_option.html``, character for character; None when
    an option has a template of its own. (``format_html`` per option cost twice as much.)"""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            # The option's template file ends in a newline, which its include keeps.
            out.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class DesignSystemFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        # Django's select includes two templates per option: on the figures page (ten selects,
        # 57 options) the form cost 8.0 ms of CPU in the renderer, with the same markup
        # written here 4.8 ms.
        if template_name == _SELECT:
            html = _select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


class DateInput(forms.DateInput):
    """An HTML date input, which only understands ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return super().format_value(value)
