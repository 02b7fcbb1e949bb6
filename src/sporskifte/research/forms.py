from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sporskifte.accounts.models import Role, User
from sporskifte.core.forms import DateInput, OneLineCharField, form_field
from sporskifte.referrals.models import Programme
from sporskifte.research import catalogue
from sporskifte.research.models import ResearchProject


class ResearcherChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.membership.organisation.name})"


class ResearchProjectForm(forms.ModelForm):
    approved_fields = forms.MultipleChoiceField(
        label=_("Approved fields"),
        choices=catalogue.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only the fields chosen here are in the extract, besides the pseudonym. Names, "
            "identity numbers, birth dates, contact details and journal numbers never are."
        ),
    )
    researchers = ResearcherChoiceField(
        label=_("Researchers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ResearchProject
        fields = [
            "title",
            "purpose",
            "programmes",
            "period_from",
            "period_to",
            "approved_fields",
            "date_coarsening",
            "finer_detail_reason",
            "researchers",
            "starts_on",
            "ends_on",
        ]
        field_classes = {"title": OneLineCharField}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "finer_detail_reason": forms.Textarea(attrs={"rows": 3}),
            "programmes": forms.CheckboxSelectMultiple,
            "date_coarsening": forms.RadioSelect,
            "period_from": DateInput,
            "period_to": DateInput,
            "starts_on": DateInput,
            "ends_on": DateInput,
        }
        help_texts = {
            "period_from": _("Offers made on or after this date are included."),
            "period_to": _("Offers made on or before this date are included."),
            "ends_on": _("After this date the extract can no longer be downloaded."),
            "finer_detail_reason": _(
                "Required when the project asks for dates by day or week, the birth year or "
                "durations in days: extracts that fine can be matched row by row with other "
                "extracts of the same people."
            ),
        }

    def __init__(self, *args: Any, police_district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # Coarse by default: months and age bands (catalogue.FINER_FIELDS).
            self.initial.setdefault("approved_fields", catalogue.DEFAULT_FIELDS)
            self.initial.setdefault("date_coarsening", catalogue.DEFAULT_COARSENING)
        programmes = form_field(self, "programmes", forms.ModelMultipleChoiceField)
        programmes.queryset = Programme.objects.filter(police_district_id=police_district_id)
        form_field(self, "researchers", ResearcherChoiceField).queryset = (
            User.objects.filter(membership__role=Role.RESEARCHER, is_active=True)
            .select_related("membership__organisation")
            .order_by("first_name", "last_name", "username")
        )

    def _post_clean(self) -> None:
        # The service validates and saves; the model's own checks would run before it could.
        pass
