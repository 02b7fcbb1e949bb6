from functools import lru_cache

import phonenumbers
from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_INPUT_CLASS = {
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
    forms.CheckboxInput: "form-checkbox",
}


@register.filter
def widget_kind(field: BoundField) -> str:
    """How the field template draws a widget: a group of checkboxes, a group of radios, one
    checkbox (input before its label, as the design system draws it) or a plain input."""
    widget = field.field.widget
    # CheckboxSelectMultiple subclasses RadioSelect, so it must be asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxInput):
        return "single-checkbox"
    return "input"


@register.filter
def is_optional(field: BoundField) -> bool:
    """Marked "(optional)": not required, and not required by another answer either (a form
    sets ``required_when`` on a field its clean() demands in some cases, e.g. how consent was
    given when the answer is yes)."""
    return not field.field.required and not getattr(field.field, "required_when", False)


@register.filter
def with_design_system(field: BoundField) -> str:
    """Render the widget with the design system's class and the ARIA links to hint and error."""
    widget = field.field.widget
    css = next((c for t, c in _INPUT_CLASS.items() if isinstance(widget, t)), "form-input")
    attrs: dict[str, str | bool] = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_hint")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    only = _only_choice(field)
    if only is not None:
        # Rendered as if the form held that value; the form itself is untouched.
        widget_attrs = field.build_widget_attrs({**attrs, "id": field.auto_id})
        return widget.render(field.html_name, only, widget_attrs, field.form.renderer)
    return field.as_widget(attrs=attrs)


def _only_choice(field: BoundField) -> str | None:
    """The one real option of a required select on a fresh form, to be chosen for the user
    (the officer of a district with one programme should not have to pick it)."""
    widget = field.field.widget
    if (
        not isinstance(widget, forms.Select)
        or isinstance(widget, forms.SelectMultiple)
        or not field.field.required
        or field.form.is_bound
        or field.value() not in (None, "")
    ):
        return None
    values = [str(value) for value, _label in widget.choices if value not in ("", None)]
    return values[0] if len(values) == 1 else None


@register.simple_tag
def choice_input(choice: object, kind: str) -> str:
    """A radio or checkbox with the design system's class; the label is styled as the control."""
    choice.data["attrs"] = {**choice.data.get("attrs", {}), "class": f"form-{kind}"}  # type: ignore[attr-defined]
    return choice.tag()  # type: ignore[attr-defined]


@lru_cache(maxsize=512)
def _menu_url(url_name: str, prefix: str, urlconf: str | None) -> str:
    """A menu entry's address: the same for every request of a worker (no arguments), so it is
    reversed once instead of twice per entry on every page. The prefix and URLconf are in the
    key, so a mounted script prefix or a test's own URLconf never gets another's address."""
    return reverse(url_name, urlconf=urlconf)


def _fixed(url_name: str) -> str:
    return _menu_url(url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@register.simple_tag
def fixed_url(url_name: str) -> str:
    """``{% url %}`` for an address without arguments, reversed once per worker: the base
    template's eleven links (logo, log-out, language, footer) cost a reverse each on every page
    otherwise."""
    return _fixed(url_name)


@register.filter
def phone(number: str | None) -> str:
    """A stored phone number (E.164, "+4520304050") grouped as people read it: "+45 20 30 40
    50", "+46 70 123 45 67". Anything that does not parse is shown as stored."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
