"""Identity numbers and phone numbers, validated by well-kept libraries.

- Danish CPR: python-stdnum checks length, digits and a real, past birth date, and applies the
  century rule of the 7th digit. It does not check modulus 11, which is right: numbers without
  it have been issued since 2007.
- Swedish personnummer: the ``personnummer`` package checks Luhn and accepts coordination
  numbers (day + 60), which python-stdnum rejects.
- Phone numbers: Google's libphonenumber rules through ``phonenumbers``, stored as E.164.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from personnummer import personnummer
from stdnum import dk
from stdnum.exceptions import ValidationError as StdnumError


@dataclass(frozen=True)
class IdentityNumber:
    kind: str  # "cpr" | "personnummer"
    number: str  # normalised: digits only for CPR, YYYYMMDDNNNN for personnummer
    birth_date: dt.date
    sex: str  # "F" | "M"

    @property
    def display(self) -> str:
        if self.kind == "cpr":
            return f"{self.number[:6]}-{self.number[6:]}"
        return f"{self.number[:8]}-{self.number[8:]}"


def parse_cpr(value: str) -> IdentityNumber:
    try:
        number = dk.cpr.validate(value)
        birth = dk.cpr.get_birth_date(number)
    except StdnumError as exc:
        raise ValidationError(
            _("Not a valid CPR number: use DDMMYY-NNNN with a real birth date."), code="cpr"
        ) from exc
    return IdentityNumber("cpr", number, birth, "F" if int(number[-1]) % 2 == 0 else "M")


def parse_personnummer(value: str) -> IdentityNumber:
    try:
        pnr = personnummer.Personnummer(value.strip())
    except (personnummer.PersonnummerException, ValueError, TypeError) as exc:
        raise ValidationError(
            _("Not a valid Swedish personal identity number (YYMMDD-NNNN, Luhn check)."),
            code="personnummer",
        ) from exc
    day = int(pnr.day)
    if pnr.is_coordination_number():
        day -= 60
    birth = dt.date(int(pnr.full_year), int(pnr.month), day)
    number = pnr.format(long_format=True)
    return IdentityNumber("personnummer", number, birth, "F" if pnr.is_female() else "M")


def parse_identity(kind: str, value: str) -> IdentityNumber:
    if kind == "cpr":
        return parse_cpr(value)
    if kind == "personnummer":
        return parse_personnummer(value)
    raise ValidationError(_("Unknown kind of identity number."), code="id_kind")


def normalise_phone(value: str, country: str = "DK") -> str:
    """Return the number in E.164, or raise a ValidationError with a message for the user."""
    try:
        parsed = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Not a phone number."), code="phone") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("The phone number is not valid for %(country)s.") % {"country": country},
            code="phone",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    if not e164:
        return ""
    parsed = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
