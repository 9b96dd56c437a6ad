"""The 18-digit civil-servant number (NIP, Perka BKN 22/2007 and 43/2007; docs/domain.md §9.3).

``yyyymmdd yyyymm g nnn``: date of birth, year and month of first appointment (TMT CPNS),
gender (1 male, 2 female), sequence. A PPPK's number (NI PPPK) also has 18 digits, but digits
9-14 are not always a year and month, so that check is skipped for PPPK.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

PNS = "pns"
PPPK = "pppk"


class NipError(ValueError):
    """The text is not a valid NIP; the message says why, in the active language."""


@dataclass(frozen=True)
class Nip:
    digits: str
    birth_date: dt.date
    gender: int
    appointment: tuple[int, int] | None  # (year, month); None for PPPK

    def __str__(self) -> str:
        return format_nip(self.digits)


def format_nip(digits: str) -> str:
    """``19681117 199703 1 003``: the grouping used on every signature block."""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def parse_nip(text: str, employee_type: str = PNS) -> Nip:
    """Validate ``text`` (spaces allowed) and return its parts, or raise :class:`NipError`."""
    digits = "".join(str(text).split())
    if not digits.isdigit() or not digits.isascii():
        raise NipError(_("NIP may contain only digits and spaces."))
    if len(digits) != 18:
        raise NipError(_("NIP must have 18 digits, not %(count)d.") % {"count": len(digits)})
    try:
        birth = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise NipError(
            _("Digits 1-8 of the NIP (%(part)s) are not a valid date of birth.")
            % {"part": digits[:8]}
        ) from None
    if birth.year < 1900:
        raise NipError(
            _("The year of birth in the NIP (%(year)d) is too early.") % {"year": birth.year}
        )
    gender = int(digits[14])
    if gender not in (1, 2):
        raise NipError(
            _("Digit 15 of the NIP (gender) must be 1 or 2, not %(digit)d.") % {"digit": gender}
        )
    appointment = None
    if employee_type != PPPK:
        year, month = int(digits[8:12]), int(digits[12:14])
        if not 1 <= month <= 12:
            raise NipError(
                _(
                    "Digits 9-14 of the NIP (%(part)s) are not a valid year and month of appointment."
                )
                % {"part": digits[8:14]}
            )
        if (year, month) <= (birth.year, birth.month):
            raise NipError(
                _("The appointment date in the NIP (%(part)s) is not after the date of birth.")
                % {"part": digits[8:14]}
            )
        appointment = (year, month)
    return Nip(digits=digits, birth_date=birth, gender=gender, appointment=appointment)
