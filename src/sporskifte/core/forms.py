"""Forms render with Det Fælles Designsystem's markup: label, hint, error message, input."""

from django.forms.renderers import DjangoTemplates


class DesignSystemFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
