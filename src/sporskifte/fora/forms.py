"""Forms for the fora. The rules live in the services; these forms collect input and offer only
the choices the forum allows (its legal bases, its member organisations, its persons)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sporskifte.accounts.models import User
from sporskifte.core.forms import OneLineCharField, form_field
from sporskifte.core.versioning import version_field
from sporskifte.fora import selectors
from sporskifte.fora.frame import (
    AUTHORITY_KINDS,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    RULES,
    ForumKind,
    LegalBasis,
    PspSign,
    Scope,
    Section,
    YknException,
)
from sporskifte.fora.models import AgendaItem, Forum, ForumConsent, ForumMember, ForumPerson
from sporskifte.fora.services import SECTION_FIELDS
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.referrals.forms import DateInput, DateTimeInput

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class ForumForm(forms.Form):
    name = OneLineCharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ForumKind.choices, widget=forms.RadioSelect)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_(
            "For SSP, PSP, KSP, Ungesamråd and gang councils. Leave empty for fora that "
            "cover the police district."
        ),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Member organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only public authorities take part in the exchange."),
    )
    # The rule is retention.py's; the defaults are frame.RULES' (tests hold the text to both).
    retention_days = forms.IntegerField(
        label=_("Erase information about a person after (days)"),
        min_value=RETENTION_MIN_DAYS,
        max_value=RETENTION_MAX_DAYS,
        required=False,
        help_text=_(
            "Everything the forum holds about a person (name, what was shared, consents, their "
            "agenda items and minutes, the actions about them) is deleted this many days after "
            "the forum last dealt with them: brought to the forum, shared about, put on a "
            "meeting's agenda, or an action about them agreed or closed. Never while an action "
            "about them is open. The counts per quarter are kept, without names. Leave empty "
            "for the default of the kind: 730 days for SSP, PSP, the visitation group and "
            "Info-hus; 365 days for KSP, Ungesamråd, gang councils and Al Capone local units. "
            "A shorter period deletes older records at the next nightly run."
        ),
    )

    def __init__(self, *args: Any, district: Organisation, forum: Forum | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.forum = forum
        municipality = form_field(self, "municipality", forms.ModelChoiceField)
        municipality.queryset = district.municipalities.order_by("name")
        form_field(self, "organisations", forms.ModelMultipleChoiceField).queryset = (
            Organisation.objects.filter(kind__in=AUTHORITY_KINDS, is_active=True)
            .filter(
                Q(pk=district.pk)
                | Q(parent=district)
                | Q(municipality__police_district=district)
                | Q(municipality__isnull=True, parent__isnull=True)
                & ~Q(kind__in=Organisation.POLICE_KINDS)
            )
            .order_by("kind", "name")
        )
        if forum is not None:
            del self.fields["kind"], self.fields["municipality"]

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        kind = d.get("kind")
        if kind and RULES[kind].scope == Scope.DISTRICT:
            d["municipality"] = None
        kind = kind or (self.forum.kind if self.forum else None)
        # Left empty: the kind's default (on a forum being changed too, to go back to it).
        if kind and d.get("retention_days") is None and not self.has_error("retention_days"):
            d["retention_days"] = RULES[kind].retention_days
        return d


class _UserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} · {obj.membership.organisation}"


class MemberForm(forms.Form):
    user = _UserField(label=_("User"), queryset=User.objects.none())
    is_coordinator = forms.BooleanField(
        label=_("Coordinator (plans meetings, keeps the minutes)"), required=False
    )

    def __init__(self, *args: Any, forum: Forum, **kw: Any):
        super().__init__(*args, **kw)
        orgs = list(forum.organisations.values_list("pk", flat=True))
        form_field(self, "user", _UserField).queryset = (
            User.objects.filter(
                Q(membership__organisation__in=orgs) | Q(membership__organisation__parent__in=orgs),
                membership__role__in=selectors.FORUM_ROLES,
                is_active=True,
                is_service=False,
            )
            .exclude(pk__in=selectors.members_of(forum).values("user_id"))
            .select_related("membership__organisation")
            .order_by("last_name", "first_name")
        )


def _basis_field(forum: Forum) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Legal basis"),
        choices=[(b, LegalBasis(b).label) for b in forum.rule.bases],
        initial=forum.default_basis,
        widget=forms.RadioSelect,
    )


class BasisMixin(forms.Form):
    """The legal basis of what is shared, with the consent record when consent is the basis."""

    other_basis = OneLineCharField(
        label=_("Statutory basis"),
        required=False,
        max_length=200,
        help_text=_("Only for 'another statutory basis': name the provision."),
    )
    consent_text = forms.CharField(
        label=_("What the person agreed to"), required=False, widget=TEXTAREA
    )
    consent_method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=[("", "-"), *ForumConsent.Method.choices],
        required=False,
    )
    consent_given_by = OneLineCharField(
        label=_("Given by"),
        required=False,
        max_length=200,
        help_text=_("The person, or the custody holder of a child."),
    )
    consent_given_at = forms.DateTimeField(
        label=_("Given at"), required=False, widget=DateTimeInput
    )

    def new_consent(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if d.get("legal_basis") != LegalBasis.CONSENT or d.get("consent"):
            return None
        return {
            "text": d.get("consent_text", ""),
            "method": d.get("consent_method", ""),
            "given_by": d.get("consent_given_by", ""),
            "given_at": d.get("consent_given_at"),
        }


def add_section_fields(form: forms.Form, forum: Forum) -> None:
    section = forum.rule.section
    if section == Section.PSP:
        form.fields["psp_signs"] = forms.MultipleChoiceField(
            label=_("Target-group signs"),
            choices=PspSign.choices,
            widget=forms.CheckboxSelectMultiple,
        )
    elif section == Section.KSP:
        form.fields["release_date"] = forms.DateField(label=_("Release date"), widget=DateInput)
        form.fields["institution"] = OneLineCharField(label=_("Institution"), max_length=200)
    elif section == Section.UNGESAMRAAD:
        form.fields["charge"] = forms.CharField(label=_("Charge"), widget=TEXTAREA)
        form.fields["custodial_in_view"] = forms.BooleanField(
            label=_("A custodial sentence is in view"), required=False
        )
        form.fields["referred_to_ykn"] = forms.BooleanField(
            label=_("The police referred the case to Ungdomskriminalitetsnævnet"), required=False
        )
        form.fields["ykn_exception"] = forms.ChoiceField(
            label=_("If referred: why Ungesamråd still treats the case"),
            choices=YknException.choices,
            required=False,
            widget=forms.RadioSelect,
        )
        form.fields["recommendation"] = forms.CharField(
            label=_("Recommendation to the court"), required=False, widget=TEXTAREA
        )


def section_details(form: forms.Form, forum: Forum) -> dict[str, Any]:
    return {f: form.cleaned_data.get(f) for f in SECTION_FIELDS[forum.rule.section]}


class PersonShareForm(BasisMixin):
    full_name = OneLineCharField(label=_("Full name"), max_length=200)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput)
    reason = OneLineCharField(
        label=_("Why it is necessary to share this in the forum"), max_length=500
    )
    information = forms.CharField(label=_("What you share"), widget=TEXTAREA)

    field_order = ["full_name", "birth_date", "legal_basis", "other_basis"]

    def __init__(self, *args: Any, forum: Forum, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["legal_basis"] = _basis_field(forum)
        add_section_fields(self, forum)
        self.order_fields(self.field_order)


class ShareForm(BasisMixin):
    consent = forms.ModelChoiceField(
        label=_("Consent in force"), queryset=ForumConsent.objects.none(), required=False
    )
    reason = OneLineCharField(
        label=_("Why it is necessary to share this in the forum"), max_length=500
    )
    information = forms.CharField(label=_("What you share"), widget=TEXTAREA)

    field_order = ["legal_basis", "other_basis", "consent"]

    def __init__(self, *args: Any, person: ForumPerson, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["legal_basis"] = _basis_field(person.forum)
        consent = form_field(self, "consent", forms.ModelChoiceField)
        consent.queryset = selectors.consents_in_force(person)
        self.order_fields(self.field_order)


class DetailsForm(forms.Form):
    reason = OneLineCharField(label=_("Why the change is shared"), max_length=500)

    def __init__(self, *args: Any, person: ForumPerson, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["legal_basis"] = _basis_field(person.forum)
        self.fields["consent"] = forms.ModelChoiceField(
            label=_("Consent in force"),
            queryset=selectors.consents_in_force(person),
            required=False,
        )
        add_section_fields(self, person.forum)
        if not self.is_bound:
            for name in SECTION_FIELDS[person.forum.rule.section]:
                self.initial[name] = getattr(person, name)


class ConsentForm(forms.Form):
    text = forms.CharField(label=_("What the person agreed to"), widget=TEXTAREA)
    method = forms.ChoiceField(label=_("How"), choices=ForumConsent.Method.choices)
    given_by = OneLineCharField(label=_("Given by"), max_length=200)
    given_at = forms.DateTimeField(label=_("Given at"), widget=DateTimeInput)


class EscalateForm(forms.Form):
    to_forum = forms.ModelChoiceField(label=_("Visitation group"), queryset=Forum.objects.none())
    reason = forms.CharField(label=_("Why the local group cannot lift the case"), widget=TEXTAREA)

    def __init__(self, *args: Any, targets: QuerySet[Forum], **kw: Any):
        super().__init__(*args, **kw)
        to_forum = form_field(self, "to_forum", forms.ModelChoiceField)
        to_forum.queryset = targets
        if targets.count() == 1:
            to_forum.initial = targets.first()


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DateTimeInput)
    place = OneLineCharField(label=_("Place"), max_length=200)
    notice = forms.CharField(
        label=_("Notice"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Shown to the members in Sporskifte; the e-mailed notice names no one."),
    )


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Item"),
        choices=AgendaItem.Kind.choices,
        initial=AgendaItem.Kind.PERSON,
        widget=forms.RadioSelect,
    )
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=ForumPerson.objects.none(), required=False
    )
    title = OneLineCharField(label=_("Theme"), required=False, max_length=200)
    reason = OneLineCharField(label=_("Why on the agenda"), required=False, max_length=500)

    def __init__(self, *args: Any, forum: Forum, **kw: Any):
        # Its own ids: the meeting page also holds the action form, with a field of the same name.
        kw.setdefault("auto_id", "agenda_%s")
        super().__init__(*args, **kw)
        form_field(self, "person", forms.ModelChoiceField).queryset = forum.persons.all()


class _MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ForumMember) -> str:
        return f"{obj.user.get_full_name() or obj.user.username} · {obj.organisation}"


class AttendanceForm(forms.Form):
    present = _MembersField(
        label=_("Present"),
        queryset=ForumMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, forum: Forum, **kw: Any):
        super().__init__(*args, **kw)
        form_field(self, "present", _MembersField).queryset = selectors.members_of(forum)


class MinutesForm(forms.Form):
    version = version_field()
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=TEXTAREA,
        help_text=_(
            "Write about a person under their own item below: it is deleted with the person's "
            "records. Do not name anyone on the agenda here (not by first name, not by birth "
            "date): the general minutes are kept when a person is erased."
        ),
    )

    def __init__(self, *args: Any, agenda: list[AgendaItem], **kw: Any):
        super().__init__(*args, **kw)
        for item in agenda:
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=str(item), required=False, widget=TEXTAREA, initial=item.notes
            )

    def item_notes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("notes_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("notes_")
        }


class ActionForm(forms.Form):
    description = OneLineCharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    person = forms.ModelChoiceField(
        label=_("About"), queryset=ForumPerson.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Any, **kw: Any):
        kw.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kw)
        owner = form_field(self, "owner", forms.ModelChoiceField)
        owner.queryset = meeting.forum.organisations.order_by("name")
        form_field(self, "person", forms.ModelChoiceField).queryset = meeting.forum.persons.all()
