"""The Waktu column of an SOP's Mutu Baku, as offices print it.

Pure functions, no database. :func:`parse_duration` turns the text as printed into a
:class:`Duration` (value, unit, original text, and the lower bound of a range);
:func:`total` adds up a list of them per unit. Forms read (any case, a trailing dot allowed):

* a number and a unit: ``10 Menit``, ``2hari``, ``1,5 Jam``, ``0.5 hari``, ``½ hari``,
  ``1½ hari``, ``1 1/2 hari``;
* the number also in words, in parentheses, as official letters write it: ``1 (satu) hari``,
  ``120 (seratus dua puluh) hari``, ``1½ (satu setengah) hari``; the words must agree with the
  digits (``2 (tiga) hari`` is refused);
* a range: ``1-2 hari``, ``1 – 2 hari``, ``1 s.d. 2 hari``, ``1 s/d 2 hari``, ``1 sampai 2 hari``
  (``value`` is the upper bound, ``low`` the lower one);
* compound units that convert exactly: ``1 jam 30 menit`` (90 minutes), ``1 minggu 2 hari``
  (7 working days): stored as the total in the smallest unit;
* clock time: ``2 x 24 jam``, ``2x24 jam``, ``3 × 24 jam``, ``36 jam kalender``.

Units (``Duration.unit``) and how the engine (``kinerja.cases.calendar``) counts them:

* ``minute`` (menit), ``hour`` (jam): working time, counted only inside the office's working
  hours on working days;
* ``working_day`` (hari, hari kerja: the default reading of "hari" in an SOP, docs/domain.md §11)
  and ``week`` (minggu, pekan: five working days): a working day's worth of working minutes each;
* ``calendar_day`` (hari kalender) and ``month`` (bulan: a calendar month, the same time on the
  same day of the next month, clamped to the month's end): counted on the calendar, then moved to
  the next working moment;
* ``clock_hour`` ("N x 24 jam", "jam kalender"): hours of the clock, day and night, weekends
  and holidays included; the due time is not moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MINUTE = "minute"
HOUR = "hour"
CLOCK_HOUR = "clock_hour"
WORKING_DAY = "working_day"
CALENDAR_DAY = "calendar_day"
WEEK = "week"
MONTH = "month"
#: Smallest first: a total prints them largest first.
UNITS = (MINUTE, HOUR, CLOCK_HOUR, WORKING_DAY, CALENDAR_DAY, WEEK, MONTH)
#: Units the engine counts on the calendar or the clock rather than in working minutes: a task's
#: standard in working minutes is the working time between its start and its due time.
CALENDAR_UNITS = frozenset({CLOCK_HOUR, CALENDAR_DAY, MONTH})

#: Values are stored with two decimals below this bound (Step.time_value).
MAX_VALUE = Decimal(1000000)

#: Minutes of work in a working day: 37.5 hours a week over five days (Perpres 21/2023).
WORKING_DAY_MINUTES = Decimal(450)

# Words as offices write them, lower case, without the number.
_WORDS = {
    "menit": MINUTE,
    "mnt": MINUTE,
    "jam": HOUR,
    "jam kalender": CLOCK_HOUR,
    "hari": WORKING_DAY,
    "hari kerja": WORKING_DAY,
    "hk": WORKING_DAY,
    "hari kalender": CALENDAR_DAY,
    "minggu": WEEK,
    "pekan": WEEK,
    "minggu kerja": WEEK,
    "bulan": MONTH,
}

# The word printed for each unit when a duration is written back.
UNIT_WORDS = {
    MINUTE: "Menit",
    HOUR: "Jam",
    CLOCK_HOUR: "Jam Kalender",
    WORKING_DAY: "Hari",
    CALENDAR_DAY: "Hari Kalender",
    WEEK: "Minggu",
    MONTH: "Bulan",
}

# Units written together ("1 jam 30 menit") convert exactly into the smaller one.
_EXACT = {
    (HOUR, MINUTE): Decimal(60),
    (WEEK, WORKING_DAY): Decimal(5),
}

_FRACTIONS = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}
_SLASH_FRACTIONS = {"1/2": Decimal("0.5"), "1/4": Decimal("0.25"), "3/4": Decimal("0.75")}

# A number as printed: digits with a decimal comma or point, a fraction (½, 1½, 1 1/2, 1/2).
_NUMBER = r"(?:\d+\s*[½¼¾]|\d+\s+[13]/[24]|[13]/[24]|[½¼¾]|\d+(?:[.,]\d+)?)"
# The number, then its words in parentheses.
_QUANTITY = rf"({_NUMBER})\s*(?:\(\s*([^()]*?)\s*\))?"
_RANGE = r"\s*(?:-|s\s*\.?\s*d\s*\.?|s\s*/\s*d|sampai(?:\s+dengan)?|hingga)\s*"
_UNIT_WORDS_RE = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
_SIMPLE = re.compile(rf"{_QUANTITY}(?:{_RANGE}{_QUANTITY})?\s*({_UNIT_WORDS_RE})")
_CLOCK = re.compile(rf"{_QUANTITY}(?:{_RANGE}{_QUANTITY})?\s*x\s*(\d+)\s*jam")
_PART = re.compile(rf"{_QUANTITY}\s*({_UNIT_WORDS_RE})(?![a-z])\s*")
_ANY_WORD = re.compile(rf"{_QUANTITY}(?:{_RANGE}{_QUANTITY})?\s*([a-z][a-z ]*)")


class DurationError(ValueError):
    """The text is not a time standard this parser can read."""


@dataclass(frozen=True)
class Duration:
    """A time standard: ``value`` of ``unit`` (the upper bound of a range), ``low`` the lower
    bound of a range ("1-2 hari") or None, ``text`` as printed."""

    value: Decimal
    unit: str
    text: str = ""
    low: Decimal | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")
        if self.low is not None and self.low > self.value:
            raise ValueError("the lower bound of a range is above its upper bound")

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.low != self.value

    @property
    def working_minutes(self) -> Decimal:
        """The duration (its upper bound) in minutes of work: a working day is 450 minutes, a
        week five days. Units counted on the calendar are estimated as if every calendar day
        were a working day (24 clock hours one day, a month 30 days); the engine counts them
        on the office's real calendar."""
        return self.value * _FACTOR[self.unit]

    @property
    def low_working_minutes(self) -> Decimal:
        """As :attr:`working_minutes`, for the lower bound of a range."""
        return (self.value if self.low is None else self.low) * _FACTOR[self.unit]

    @property
    def counts_working_days(self) -> bool:
        """True when the engine must count this duration on the working calendar."""
        return self.unit in (WORKING_DAY, WEEK)

    @property
    def counts_on_calendar(self) -> bool:
        """True when the engine counts it on the calendar or the clock (hari kalender, bulan,
        N x 24 jam), not in working minutes."""
        return self.unit in CALENDAR_UNITS

    def display(self) -> str:
        """``2 Jam``, ``1,5 Hari``, ``1–2 Hari``, ``2 x 24 Jam``: the canonical writing, which
        :func:`parse_duration` reads back to the same value and unit."""
        low = self.low if self.is_range else None
        if self.unit == CLOCK_HOUR:
            days, low_days = _whole_days(self.value), _whole_days(low)
            if days is not None and (low is None or low_days is not None):
                return f"{_span(low_days, days)} x 24 Jam"
        return f"{_span(low, self.value)} {UNIT_WORDS[self.unit]}"

    def __str__(self) -> str:
        return self.text or self.display()


_FACTOR = {
    MINUTE: Decimal(1),
    HOUR: Decimal(60),
    CLOCK_HOUR: WORKING_DAY_MINUTES / 24,
    WORKING_DAY: WORKING_DAY_MINUTES,
    CALENDAR_DAY: WORKING_DAY_MINUTES,
    WEEK: 5 * WORKING_DAY_MINUTES,
    MONTH: 30 * WORKING_DAY_MINUTES,
}


def _whole_days(hours: Decimal | None) -> Decimal | None:
    """``hours`` / 24 when it has at most two decimals (so "N x 24 Jam" reads back exactly)."""
    if hours is None:
        return None
    days = hours / 24
    exact = days.quantize(Decimal("0.01"))
    return exact if exact * 24 == hours else None


def _span(low: Decimal | None, high: Decimal) -> str:
    if low is None:
        return format_value(high)
    return f"{format_value(low)}–{format_value(high)}"


def format_value(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- numbers in words ("seratus dua puluh", "satu setengah") -------------------------------------

_DIGIT_WORDS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_WORD_DIGITS = {v: k for k, v in _DIGIT_WORDS.items()}
_SE_WORDS = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000}
_MULTIPLIERS = {"puluh": 10, "ratus": 100}
_HALVES = {"setengah": Decimal("0.5"), "seperdua": Decimal("0.5"), "seperempat": Decimal("0.25")}


class _Words:
    """Reads Indonesian number words, up to the thousands, with halves, quarters and "koma"."""

    def __init__(self) -> None:
        self.thousands = 0
        self.group = 0
        self.pending: int | None = None  # a digit word waiting for belas/puluh/ratus/ribu
        self.fraction = Decimal(0)

    def add(self, word: str) -> None:
        if word in _DIGIT_WORDS:
            if self.pending is not None:
                raise ValueError(word)
            self.pending = _DIGIT_WORDS[word]
        elif word in _SE_WORDS:
            if word == "seribu":
                self.thousands += 1
            else:
                self.group += _SE_WORDS[word]
        elif word in ("belas", "puluh", "ratus"):
            if not self.pending:
                raise ValueError(word)
            self.group += (
                self.pending + 10 if word == "belas" else self.pending * _MULTIPLIERS[word]
            )
            self.pending = None
        elif word == "ribu":
            self.thousands += self.group + self.take()
            self.group = 0
        elif word in _HALVES:
            self.fraction += _HALVES[word]
        elif word == "perempat":
            self.fraction += Decimal(self.take()) / 4
        else:
            raise ValueError(word)

    def take(self) -> int:
        if self.pending is None:
            raise ValueError("")
        pending, self.pending = self.pending, None
        return pending

    def value(self) -> Decimal:
        return Decimal(self.thousands * 1000 + self.group + (self.pending or 0)) + self.fraction


def words_value(words: str) -> Decimal:
    """``"seratus dua puluh"`` → 120, ``"satu setengah"`` → 1.5, ``"satu koma lima"`` → 1.5.

    Raises ``ValueError`` for anything that is not a number in words.
    """
    tokens = words.lower().replace("-", " ").split()
    if not tokens:
        raise ValueError(words)
    decimals = ""
    if "koma" in tokens:
        at = tokens.index("koma")
        tokens, after = tokens[:at], tokens[at + 1 :]
        if not after or any(t not in _DIGIT_WORDS for t in after) or not tokens:
            raise ValueError(words)
        decimals = "".join(str(_DIGIT_WORDS[t]) for t in after)
    reader = _Words()
    for token in tokens:
        reader.add(token)
    value = reader.value()
    if decimals:
        if reader.fraction:
            raise ValueError(words)
        value += Decimal(f"0.{decimals}")
    return value


def number_words(value: Decimal) -> str:
    """The Indonesian words of ``value`` (0 to 9999, with a half or a quarter or decimals):
    ``120`` → ``"seratus dua puluh"``, ``1.5`` → ``"satu setengah"``."""
    whole = int(value)
    rest = value - whole
    fraction = {Decimal("0.5"): "setengah", Decimal("0.25"): "seperempat"}.get(rest)
    if rest == Decimal("0.75"):
        fraction = "tiga perempat"
    head = _whole_words(whole) if whole or fraction is None else ""
    if fraction is not None:
        return f"{head} {fraction}".strip()
    if rest:
        digits = format(rest.normalize(), "f").split(".")[1]
        return f"{head} koma " + " ".join(_WORD_DIGITS[int(d)] for d in digits)
    return head


def _whole_words(number: int) -> str:
    if number >= 10000:
        raise ValueError(number)
    if number < 10:
        return _WORD_DIGITS[number]
    for size, word, se in ((1000, "ribu", "seribu"), (100, "ratus", "seratus")):
        if number >= size:
            lead, rest = divmod(number, size)
            head = se if lead == 1 else f"{_WORD_DIGITS[lead]} {word}"
            return f"{head} {_whole_words(rest)}" if rest else head
    if number == 10:
        return "sepuluh"
    if number == 11:
        return "sebelas"
    if number < 20:
        return f"{_WORD_DIGITS[number - 10]} belas"
    tens, rest = divmod(number, 10)
    head = f"{_WORD_DIGITS[tens]} puluh"
    return f"{head} {_WORD_DIGITS[rest]}" if rest else head


# --- the parser -----------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Lower case, one space between words, no trailing dot, dashes and × as ASCII."""
    cleaned = " ".join(text.lower().split()).rstrip(". ").strip()
    for dash in ("–", "—", "‒", "−"):
        cleaned = cleaned.replace(dash, "-")
    return cleaned.replace("×", "x")


def _number(digits: str) -> Decimal:
    """The value of a number as printed (``1,5``, ``1½``, ``1 1/2``, ``½``)."""
    digits = digits.strip()
    for mark, value in _FRACTIONS.items():
        if digits.endswith(mark):
            head = digits[: -len(mark)].strip()
            return (Decimal(head) if head else Decimal(0)) + value
    head, _space, last = digits.rpartition(" ")
    if last in _SLASH_FRACTIONS:
        return (Decimal(head) if head else Decimal(0)) + _SLASH_FRACTIONS[last]
    if digits in _SLASH_FRACTIONS:
        return _SLASH_FRACTIONS[digits]
    return Decimal(digits.replace(",", "."))


def _quantity(text: str, digits: str, words: str | None) -> Decimal:
    """A number and its words in parentheses, checked against each other."""
    try:
        value = _number(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise DurationError(_("“%(text)s”: unreadable number.") % {"text": text}) from None
    if words is None:
        return value
    try:
        spelled = words_value(words)
    except ValueError:
        raise DurationError(
            _("“%(text)s”: “%(words)s” is not a number written in words.")
            % {"text": text, "words": words}
        ) from None
    if spelled != value:
        raise DurationError(
            _(
                "“%(text)s”: the number %(digits)s and the words “%(words)s” (%(spelled)s) "
                "do not agree."
            )
            % {
                "text": text,
                "digits": format_value(value),
                "words": words,
                "spelled": format_value(spelled),
            }
        )
    return value


def _bounds(text: str, groups: tuple[str | None, ...]) -> tuple[Decimal, Decimal | None]:
    """(upper, lower or None) from the groups of a number or a range of two numbers."""
    first = _quantity(text, groups[0] or "", groups[1])
    if groups[2] is None:
        return first, None
    second = _quantity(text, groups[2], groups[3])
    if first > second:
        raise DurationError(
            _("“%(text)s”: the range goes from %(low)s down to %(high)s; write the smaller first.")
            % {"text": text, "low": format_value(first), "high": format_value(second)}
        )
    return second, (first if first != second else None)


#: What an SOP prints in the Waktu column of a step with no time standard: a dash.
NO_TIME_TEXTS = frozenset({"-", "–", "—", "--"})


def is_no_time(text: str) -> bool:
    """True for a Waktu cell that says "no time standard" (a dash), which is kept as printed."""
    return text.strip() in NO_TIME_TEXTS


def parse_duration(text: str) -> Duration:
    """Read a Waktu cell (see the module's docstring for every form read).

    Raises :class:`DurationError` with an Indonesian (translated) message naming the text for
    anything else.
    """
    if not isinstance(text, str) or not text.strip():
        raise DurationError(_("The time standard is empty; write e.g. “2 Jam” or “4 Hari”."))
    shown = text.strip()
    cleaned = _normalise(text)
    value, low, unit = _read(shown, cleaned)
    if value <= 0 or (low is not None and low <= 0):
        raise DurationError(_("“%(text)s”: the time must be more than zero.") % {"text": shown})
    if value >= MAX_VALUE or any(v != v.quantize(Decimal("0.01")) for v in (value, low) if v):
        raise DurationError(
            _(
                "“%(text)s”: write a time below %(max)s with at most two decimals, or use a "
                "larger unit."
            )
            % {"text": shown, "max": format_value(MAX_VALUE)}
        )
    if unit == MONTH and (value != int(value) or (low is not None and low != int(low))):
        raise DurationError(
            _(
                "“%(text)s”: months are counted on the calendar in whole months; write the days "
                "instead, e.g. “15 Hari Kalender”."
            )
            % {"text": shown}
        )
    return Duration(value=value, unit=unit, text=shown, low=low)


def _read(shown: str, cleaned: str) -> tuple[Decimal, Decimal | None, str]:
    """(upper, lower, unit) of the normalised text, or a :class:`DurationError`."""
    clock = _CLOCK.fullmatch(cleaned)
    if clock:
        if clock.group(5) != "24":
            raise DurationError(
                _("“%(text)s”: only “N x 24 jam” (clock hours) is read; write e.g. “2 x 24 Jam”.")
                % {"text": shown}
            )
        value, low = _bounds(shown, clock.groups()[:4])
        return value * 24, (low * 24 if low is not None else None), CLOCK_HOUR
    simple = _SIMPLE.fullmatch(cleaned)
    if simple:
        value, low = _bounds(shown, simple.groups()[:4])
        return value, low, _WORDS[simple.group(5)]
    compound = _compound(shown, cleaned)
    if compound is not None:
        return compound[0], None, compound[1]
    unknown = _ANY_WORD.fullmatch(cleaned)
    if unknown:
        raise DurationError(
            _(
                "“%(text)s”: unknown unit “%(word)s”; use Menit, Jam, Hari, Hari Kalender, "
                "Minggu, Bulan or “N x 24 Jam”."
            )
            % {"text": shown, "word": unknown.group(5).strip()}
        )
    raise DurationError(
        _("“%(text)s” is not a time standard; write a number and a unit, e.g. “2 Jam”.")
        % {"text": shown}
    )


def _compound(shown: str, cleaned: str) -> tuple[Decimal, str] | None:
    """``1 jam 30 menit`` → (90, minute); None when the text is not a list of number-unit parts."""
    parts: list[tuple[Decimal, str]] = []
    position = 0
    while position < len(cleaned):
        match = _PART.match(cleaned, position)
        if not match or match.end() == position:
            return None
        parts.append((_quantity(shown, match.group(1), match.group(2)), _WORDS[match.group(3)]))
        position = match.end()
    if len(parts) < 2:
        return None
    value, unit = parts[0]
    for next_value, next_unit in parts[1:]:
        factor = _EXACT.get((unit, next_unit))
        if factor is None:
            raise DurationError(
                _(
                    "“%(text)s”: %(first)s and %(second)s cannot be added exactly; write one "
                    "unit, or hours and minutes (“1 Jam 30 Menit”)."
                )
                % {"text": shown, "first": UNIT_WORDS[unit], "second": UNIT_WORDS[next_unit]}
            )
        value, unit = value * factor + next_value, next_unit
    return value, unit


@dataclass(frozen=True)
class Total:
    """A sum of time standards, kept per unit, as SOPs print their total time. Ranges add up
    both bounds: ``by_unit`` holds the upper bounds (what the engine uses for due times) and
    ``low_by_unit`` the lower ones."""

    by_unit: dict[str, Decimal]
    low_by_unit: dict[str, Decimal] | None = None

    @property
    def working_minutes(self) -> Decimal:
        return sum(
            (Duration(value, unit).working_minutes for unit, value in self.by_unit.items()),
            Decimal(0),
        )

    @property
    def low_working_minutes(self) -> Decimal:
        return sum(
            (Duration(value, unit).working_minutes for unit, value in self._low().items()),
            Decimal(0),
        )

    def _low(self) -> dict[str, Decimal]:
        return self.by_unit if self.low_by_unit is None else self.low_by_unit

    def display(self) -> str:
        """``7 Hari 8 Jam 35 Menit``: largest unit first, units that are zero left out; whole
        hours of minutes are carried into the hours (days are not: a working day is not 24 hours
        and its length depends on the office). With ranges, both sums: ``1–2 Hari`` for one
        unit, ``1 Hari 30 Menit – 2 Hari 30 Menit`` for several."""
        high = _display_sum(self.by_unit)
        if self.low_by_unit is None:
            return high
        if len(self.by_unit) == 1 and MINUTE not in self.by_unit:
            ((unit, value),) = self.by_unit.items()
            return Duration(value, unit, low=self.low_by_unit[unit]).display()
        return f"{_display_sum(self.low_by_unit)} – {high}"

    def __str__(self) -> str:
        return self.display()


def _display_sum(by_unit: dict[str, Decimal]) -> str:
    values = dict(by_unit)
    minutes = values.get(MINUTE, Decimal(0))
    if minutes >= 60:
        values[HOUR] = values.get(HOUR, Decimal(0)) + minutes // 60
        values[MINUTE] = minutes % 60
    parts = [Duration(values[unit], unit).display() for unit in reversed(UNITS) if values.get(unit)]
    return " ".join(parts) or "0 Menit"


def total(durations: list[Duration]) -> Total:
    by_unit: dict[str, Decimal] = {}
    low_by_unit: dict[str, Decimal] = {}
    for duration in durations:
        unit = duration.unit
        by_unit[unit] = by_unit.get(unit, Decimal(0)) + duration.value
        low = duration.low if duration.low is not None else duration.value
        low_by_unit[unit] = low_by_unit.get(unit, Decimal(0)) + low
    ranged = low_by_unit != by_unit
    return Total(by_unit=by_unit, low_by_unit=low_by_unit if ranged else None)
