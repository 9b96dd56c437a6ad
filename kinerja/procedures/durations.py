"""The Waktu column of an SOP's Mutu Baku: "10 Menit", "2 Jam", "4 Hari", "1 Minggu".

Pure functions, no database. :func:`parse_duration` turns the text as printed into a
:class:`Duration` (value, unit, original text); :func:`total` adds up a list of them per unit.

Units (``Duration.unit``):

* ``minute`` (menit), ``hour`` (jam);
* ``working_day`` (hari, hari kerja: the default reading of "hari" in an SOP, docs/domain.md §11);
* ``calendar_day`` (hari kalender);
* ``week`` (minggu, pekan: five working days).

Whether a day is a working day is a property of the unit: the engine counts ``working_day`` and
``week`` on the working calendar and ``minute``/``hour``/``calendar_day`` on the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MINUTE = "minute"
HOUR = "hour"
WORKING_DAY = "working_day"
CALENDAR_DAY = "calendar_day"
WEEK = "week"
UNITS = (MINUTE, HOUR, WORKING_DAY, CALENDAR_DAY, WEEK)

#: Minutes of work in a working day: 37.5 hours a week over five days (Perpres 21/2023).
WORKING_DAY_MINUTES = Decimal(450)

# Words as offices write them, lower case, without the number.
_WORDS = {
    "menit": MINUTE,
    "mnt": MINUTE,
    "jam": HOUR,
    "hari": WORKING_DAY,
    "hari kerja": WORKING_DAY,
    "hk": WORKING_DAY,
    "hari kalender": CALENDAR_DAY,
    "minggu": WEEK,
    "pekan": WEEK,
    "minggu kerja": WEEK,
}

# The word printed for each unit when a duration is written back.
UNIT_WORDS = {
    MINUTE: "Menit",
    HOUR: "Jam",
    WORKING_DAY: "Hari",
    CALENDAR_DAY: "Hari Kalender",
    WEEK: "Minggu",
}

_PATTERN = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-z][a-z ]*?)\s*\.?\s*$", re.IGNORECASE)


class DurationError(ValueError):
    """The text is not a time standard this parser can read."""


@dataclass(frozen=True)
class Duration:
    value: Decimal
    unit: str
    text: str = ""

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")

    @property
    def working_minutes(self) -> Decimal:
        """The duration in minutes of work (a working day is 450 minutes, a week five days)."""
        factor = {
            MINUTE: Decimal(1),
            HOUR: Decimal(60),
            WORKING_DAY: WORKING_DAY_MINUTES,
            CALENDAR_DAY: WORKING_DAY_MINUTES,
            WEEK: 5 * WORKING_DAY_MINUTES,
        }[self.unit]
        return self.value * factor

    @property
    def counts_working_days(self) -> bool:
        """True when the engine must count this duration on the working calendar."""
        return self.unit in (WORKING_DAY, WEEK)

    def display(self) -> str:
        """``2 Jam``, ``1,5 Hari``: the canonical Indonesian writing."""
        return f"{format_value(self.value)} {UNIT_WORDS[self.unit]}"

    def __str__(self) -> str:
        return self.text or self.display()


def format_value(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def parse_duration(text: str) -> Duration:
    """Read a Waktu cell: ``"10 Menit"``, ``"2hari"``, ``"1,5 Jam"``, ``"3 hari kalender"``.

    Raises :class:`DurationError` with an Indonesian (translated) message for anything else.
    """
    if not isinstance(text, str) or not text.strip():
        raise DurationError(_("The time standard is empty; write e.g. “2 Jam” or “4 Hari”."))
    match = _PATTERN.match(text)
    if not match:
        raise DurationError(
            _("“%(text)s” is not a time standard; write a number and a unit, e.g. “2 Jam”.")
            % {"text": text.strip()}
        )
    number, word = match.groups()
    unit = _WORDS.get(" ".join(word.lower().split()))
    if unit is None:
        raise DurationError(
            _("“%(text)s”: unknown unit “%(word)s”; use Menit, Jam, Hari, Hari Kalender or Minggu.")
            % {"text": text.strip(), "word": word}
        )
    try:
        value = Decimal(number.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise DurationError(_("“%(text)s”: unreadable number.") % {"text": text}) from None
    if value <= 0:
        raise DurationError(_("“%(text)s”: the time must be more than zero.") % {"text": text})
    return Duration(value=value, unit=unit, text=text.strip())


@dataclass(frozen=True)
class Total:
    """A sum of time standards, kept per unit, as SOPs print their total time."""

    by_unit: dict[str, Decimal]

    @property
    def working_minutes(self) -> Decimal:
        return sum(
            (Duration(value, unit).working_minutes for unit, value in self.by_unit.items()),
            Decimal(0),
        )

    def display(self) -> str:
        """``7 Hari 8 Jam 35 Menit``: largest unit first, units that are zero left out; whole
        hours of minutes are carried into the hours (days are not: a working day is not 24 hours
        and its length depends on the office)."""
        values = dict(self.by_unit)
        minutes = values.get(MINUTE, Decimal(0))
        if minutes >= 60:
            values[HOUR] = values.get(HOUR, Decimal(0)) + minutes // 60
            values[MINUTE] = minutes % 60
        parts = [
            Duration(values[unit], unit).display() for unit in reversed(UNITS) if values.get(unit)
        ]
        return " ".join(parts) or "0 Menit"

    def __str__(self) -> str:
        return self.display()


def total(durations: list[Duration]) -> Total:
    by_unit: dict[str, Decimal] = {}
    for duration in durations:
        by_unit[duration.unit] = by_unit.get(duration.unit, Decimal(0)) + duration.value
    return Total(by_unit=by_unit)
