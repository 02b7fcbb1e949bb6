"""The legal frame of the cooperation fora, as data (retsplejeloven § 115 and the guidance on
SSP, PSP and KSP cooperation; the fora's own descriptions of their target groups).

Which basis a forum's members may share under, and which fields its persons carry, is decided by
the forum's kind and looked up here; nothing else in the app branches on the kind.

Retsplejeloven § 115: the police may share information about purely private matters when
necessary for SSP (stk. 1 nr. 1), PSP (nr. 2) or KSP (nr. 3); the other authorities may share to
the same extent, but not with a view to investigating criminal cases, and no one is obliged to.
Info-hus builds on the SSP exchange. Ungesamråd, banderåd and the Al Capone lokalerheder have no
§ 115 basis of their own: consent, or another statutory basis that the member names.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sporskifte.organisations.models import Organisation

WARNING = _("Information from the § 115 cooperation must not be used for investigation.")


class ForumKind(models.TextChoices):
    SSP = "ssp", _("SSP (school, social services, police)")
    PSP = "psp", _("PSP (psychiatry, social services, police)")
    PSP_VISITATION = "psp_visitation", _("PSP visitation and coordination group (district)")
    KSP = "ksp", _("KSP (prison and probation service, social services, police)")
    UNGESAMRAAD = "ungesamraad", _("Ungesamråd (young people facing a custodial sentence)")
    INFOHUS = "infohus", _("Info-hus (radicalisation)")
    BANDERAAD = "banderaad", _("Gang council (banderåd)")
    LOKALERHED = "lokalerhed", _("Al Capone local unit (lokalerhed)")


class LegalBasis(models.TextChoices):
    SSP = "rpl-115-1-1", _("Administration of Justice Act § 115(1)(1): SSP")
    PSP = "rpl-115-1-2", _("Administration of Justice Act § 115(1)(2): PSP")
    KSP = "rpl-115-1-3", _("Administration of Justice Act § 115(1)(3): KSP")
    CONSENT = "consent", _("Consent of the person (or the custody holder)")
    OTHER = "other", _("Another statutory basis, named by the member")


SECTION_115 = frozenset({LegalBasis.SSP, LegalBasis.PSP, LegalBasis.KSP})


class Scope(models.TextChoices):
    MUNICIPALITY = "municipality", _("One municipality")
    DISTRICT = "district", _("A police district")


class Section(models.TextChoices):
    """The kind-specific part of a forum person."""

    NONE = "", _("None")
    PSP = "psp", _("PSP target-group signs")
    KSP = "ksp", _("Release from prison")
    UNGESAMRAAD = "ungesamraad", _("Criminal case of a young person")


# How long a forum keeps what it holds about a person after it last dealt with them (the rule is
# in ``retention.py``). Each forum has its own deadline, set when it is set up, starting from its
# kind's default below; the data controller confirms it and writes it into its records of
# processing. At least a month (a forum that meets monthly must be able to follow up), at most
# ten years (a slip of the keyboard must not keep data for ever).
RETENTION_MIN_DAYS, RETENTION_MAX_DAYS = 30, 3650
ONE_YEAR, TWO_YEARS = 365, 730


@dataclass(frozen=True)
class KindRule:
    scope: str
    bases: tuple[str, ...]  # the first is what the forum normally shares under
    section: str
    note: Promise  # shown on the forum's pages, so members know their frame
    receives_escalations: bool = False
    retention_days: int = TWO_YEARS  # the default deadline of a new forum of the kind


RULES: dict[str, KindRule] = {
    ForumKind.SSP: KindRule(
        Scope.MUNICIPALITY,
        (LegalBasis.SSP, LegalBasis.CONSENT),
        Section.NONE,
        _("Sharing under § 115(1)(1) when necessary for the crime prevention of SSP."),
        # Two years, as for a worry conversation (``concerns``), SSP's own tool for the same
        # children: a child's situation is followed over school years.
        retention_days=TWO_YEARS,
    ),
    ForumKind.PSP: KindRule(
        Scope.MUNICIPALITY,
        (LegalBasis.PSP, LegalBasis.CONSENT),
        Section.PSP,
        _("Sharing under § 115(1)(2) when necessary for the work with socially vulnerable people."),
        # Two years: psychiatric vulnerability comes and goes, and a relapse is met better with
        # what the group knew.
        retention_days=TWO_YEARS,
    ),
    ForumKind.PSP_VISITATION: KindRule(
        Scope.DISTRICT,
        (LegalBasis.PSP, LegalBasis.CONSENT),
        Section.PSP,
        _("Sharing under § 115(1)(2); takes the cases the local PSP groups cannot lift."),
        receives_escalations=True,
        retention_days=TWO_YEARS,  # as the local PSP groups it takes the cases of
    ),
    ForumKind.KSP: KindRule(
        Scope.MUNICIPALITY,
        (LegalBasis.KSP, LegalBasis.CONSENT),
        Section.KSP,
        _("Sharing under § 115(1)(3) about people released from prison or leaving placements."),
        # One year: the cooperation is about the release; a year after the forum last dealt
        # with someone, the transition it helps with is over.
        retention_days=ONE_YEAR,
    ),
    ForumKind.INFOHUS: KindRule(
        Scope.DISTRICT,
        (LegalBasis.SSP, LegalBasis.CONSENT),
        Section.NONE,
        _("Builds on the SSP exchange (§ 115(1)(1)); the police coordinate."),
        # Two years: a concern about radicalisation changes slowly, and exit work runs long.
        retention_days=TWO_YEARS,
    ),
    ForumKind.UNGESAMRAAD: KindRule(
        Scope.MUNICIPALITY,
        (LegalBasis.CONSENT, LegalBasis.OTHER),
        Section.UNGESAMRAAD,
        _("No § 115 basis: share with consent or under another statutory basis you name."),
        # One year: one criminal case, until the recommendation and the court's judgment
        # (an appeal included).
        retention_days=ONE_YEAR,
    ),
    ForumKind.BANDERAAD: KindRule(
        Scope.MUNICIPALITY,
        (LegalBasis.CONSENT, LegalBasis.OTHER),
        Section.NONE,
        _("No § 115 basis: share with consent or under another statutory basis you name."),
        # One year: no § 115 basis of their own (consent, or a basis the member names), so
        # the shortest deadline.
        retention_days=ONE_YEAR,
    ),
    ForumKind.LOKALERHED: KindRule(
        Scope.DISTRICT,
        (LegalBasis.CONSENT, LegalBasis.OTHER),
        Section.NONE,
        _("No § 115 basis: share with consent or under another statutory basis you name."),
        retention_days=ONE_YEAR,  # as the gang council
    ),
}

# Only public authorities take part in the exchange; voluntary organisations, private treatment
# places and researchers cannot receive what is shared in a forum.
AUTHORITY_KINDS = frozenset(
    {
        Organisation.Kind.POLICE_DISTRICT,
        Organisation.Kind.POLICE_UNIT,
        Organisation.Kind.MUNICIPALITY,
        Organisation.Kind.SUBSTANCE_ABUSE_CENTRE,
        Organisation.Kind.PSYCHIATRY,
        Organisation.Kind.PRISON_PROBATION,
        Organisation.Kind.STATE_AUTHORITY,
    }
)


class PspSign(models.TextChoices):
    """What the PSP target group is often marked by ([S3])."""

    CRIME = "crime", _("Involvement in crime")
    SUBSTANCES = "substances", _("Heavy use of alcohol or drugs")
    THREATS = "threats", _("Threatening, aggressive or violent behaviour")
    ADMISSIONS = "admissions", _("Several admissions to a psychiatric ward")
    HOUSING = "housing", _("Risk of losing the home because of behaviour or finances")
    CHILDREN = "children", _("Has children or family who need help")
    INSIGHT = "insight", _("Lacks insight into own illness and social situation")
    INVISIBLE = "invisible", _("“Invisible” and at risk of going under in their own home")


class YknException(models.TextChoices):
    """Why a case the police referred to Ungdomskriminalitetsnævnet still goes to Ungesamråd."""

    NONE = "", _("None of these")
    YOUTH_SANCTION = "youth_sanction", _("A youth sanction, or its extension, is in view")
    SERIOUS_NO_RECIDIVISM = "serious", _("Other serious crime without risk of reoffending")
    OVER_17_AND_A_HALF = (
        "over_17_5",
        _("Custodial sentence in view and the young person is over 17½"),
    )


# [S3]: Ungesamråd handles criminal cases of young people "between 14 and 18".
UNGESAMRAAD_MIN_AGE, UNGESAMRAAD_MAX_AGE = 14, 17


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ungesamraad_check(
    *,
    birth_date: dt.date | None,
    on: dt.date,
    charge: str,
    referred_to_ykn: bool,
    ykn_exception: str,
    custodial_in_view: bool,
) -> None:
    """[S2] §6.1: a case the police referred to Ungdomskriminalitetsnævnet is as a rule not
    treated in Ungesamråd, unless a youth sanction (or its extension) is in view, it is other
    serious crime without risk of reoffending, or a custodial sentence is in view and the young
    person is over 17½."""
    errors: dict[str, str] = {}
    if not charge.strip():
        errors["charge"] = gettext("Write what the young person is charged with.")
    if birth_date is None:
        errors["birth_date"] = gettext(
            "Ungesamråd needs the birth date to know the young person's age."
        )
    else:
        age = age_on(birth_date, on)
        if not UNGESAMRAAD_MIN_AGE <= age <= UNGESAMRAAD_MAX_AGE:
            errors["birth_date"] = gettext(
                "Ungesamråd handles young people from 14 until they turn 18; "
                "this person is %(age)d."
            ) % {"age": age}
    if ykn_exception and not referred_to_ykn:
        errors["ykn_exception"] = gettext(
            "An exception only applies to a case referred to Ungdomskriminalitetsnævnet."
        )
    elif referred_to_ykn and not ykn_exception:
        errors["ykn_exception"] = gettext(
            "A case the police referred to Ungdomskriminalitetsnævnet is as a rule not treated "
            "in Ungesamråd. Choose the exception that applies, or do not bring the case."
        )
    elif ykn_exception == YknException.OVER_17_AND_A_HALF:
        if not custodial_in_view:
            errors["custodial_in_view"] = gettext(
                "This exception needs a custodial sentence to be in view."
            )
        if birth_date is not None and on < add_months(birth_date, 17 * 12 + 6):
            errors["ykn_exception"] = gettext("The young person is not yet 17½.")
    if errors:
        raise ValidationError(errors)
