from django import forms, template
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
    return field.as_widget(attrs=attrs)


@register.simple_tag
def choice_input(choice: object, kind: str) -> str:
    """A radio or checkbox with the design system's class; the label is styled as the control."""
    choice.data["attrs"] = {**choice.data.get("attrs", {}), "class": f"form-{kind}"}  # type: ignore[attr-defined]
    return choice.tag()  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def nav_item(context: template.Context, url_name: str, label: str) -> str:
    """A main-menu entry, marked as the current section when the page lies under it."""
    url = reverse(url_name)
    path = context["request"].path
    current = path == url or (url.count("/") > 2 and path.startswith(url))
    return format_html(
        '<li{}><a class="nav-link" href="{}"{}><span>{}</span></a></li>',
        mark_safe(' class="active"') if current else "",
        url,
        mark_safe(' aria-current="page"') if current else "",
        label,
    )
