"""Letter-number patterns (docs/domain.md §9.1, §12.9): pure functions, no database.

A pattern is a template with tokens, e.g. ``{kode}/{urut:03d}/{unit}/{tahun}`` or
``{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}``. :func:`format_number` fills it in;
:func:`parse_number` reads a printed number back, accepting spaces around ``/``.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kinerja.core.formats import ROMAN_MONTHS, roman_month

TOKENS = ("kode", "urut", "unit", "bulan_romawi", "bulan", "tahun")
DEFAULT_PATTERN = "{kode}/{urut:03d}/{unit}/{tahun}"

_TOKEN_REGEX = {
    "kode": r"(?P<kode>\d{3}(?:\.\d+)*)",
    "urut": r"(?P<urut>\d+)",
    "unit": r"(?P<unit>[^/\s](?:[^/]*[^/\s])?)",
    "bulan_romawi": r"(?P<bulan_romawi>"
    + "|".join(sorted(ROMAN_MONTHS, key=len, reverse=True))
    + ")",
    "bulan": r"(?P<bulan>\d{1,2})",
    "tahun": r"(?P<tahun>\d{4})",
}
CLASSIFICATION_RE = re.compile(r"^\d{3}(\.\d+)*$")
# The only format spec a pattern may give: the width of a number, zero-padded or not ({urut:03d}).
# Anything else (alignment, huge widths, nested fields) could make one letter number a string of
# any size.
NUMBER_TOKENS = ("urut", "bulan", "tahun")
_WIDTH_SPEC = re.compile(r"^0?[1-9]?d?$")


class PatternError(ValueError):
    """The pattern itself is wrong (unknown token, token twice, no sequence)."""


class NumberParseError(ValueError):
    """A printed number does not match the pattern."""


@dataclass(frozen=True)
class LetterParts:
    kode: str
    urut: int
    unit: str = ""
    year: int | None = None
    month: int | None = None


def _fields(pattern: str) -> list[tuple[str, str | None, str | None]]:
    """(literal, token name, format spec) pieces of the pattern; checks the tokens."""
    pieces = []
    seen: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise PatternError(_("the braces do not close: %(error)s") % {"error": exc}) from None
    for literal, name, spec, conversion in parsed:
        if name is not None:
            if name not in TOKENS:
                raise PatternError(
                    _("unknown token {%(name)s}; known: %(known)s")
                    % {"name": name, "known": ", ".join(TOKENS)}
                )
            if conversion:
                raise PatternError(
                    _("token {%(name)s} takes no conversion (!%(conversion)s)")
                    % {"name": name, "conversion": conversion}
                )
            if spec and not (name in NUMBER_TOKENS and _WIDTH_SPEC.match(spec)):
                raise PatternError(
                    _("token {%(name)s} takes at most a width of 1 to 9 digits, like {urut:03d}")
                    % {"name": name}
                )
            if name in seen:
                raise PatternError(_("token {%(name)s} appears twice") % {"name": name})
            seen.add(name)
        pieces.append((literal, name, spec))
    if "urut" not in seen:
        raise PatternError(_("a pattern needs the sequence token {urut}"))
    if "bulan" in seen and "bulan_romawi" in seen:
        raise PatternError(_("use either {bulan} or {bulan_romawi}"))
    return pieces


def validate_pattern(pattern: str) -> None:
    _fields(pattern)


def pattern_tokens(pattern: str) -> set[str]:
    return {name for _literal, name, _spec in _fields(pattern) if name}


def format_number(pattern: str, parts: LetterParts) -> str:
    """Fill in ``pattern``: ``format_number("{kode}/{urut:03d}/{unit}/{tahun}", ...)``."""
    tokens = pattern_tokens(pattern)
    if "kode" in tokens and not CLASSIFICATION_RE.match(parts.kode):
        raise ValueError(f"classification code {parts.kode!r} is not like 000.8.3.3 or 067")
    if parts.urut < 1:
        raise ValueError("the sequence starts at 1")
    if ({"bulan", "bulan_romawi"} & tokens) and parts.month is None:
        raise ValueError("the pattern needs a month")
    if "tahun" in tokens and parts.year is None:
        raise ValueError("the pattern needs a year")
    if "unit" in tokens and (
        not parts.unit or "/" in parts.unit or parts.unit != parts.unit.strip()
    ):
        raise ValueError(f"unit code {parts.unit!r} must be non-empty, trimmed and without '/'")
    values = {
        "kode": parts.kode,
        "urut": parts.urut,
        "unit": parts.unit,
        "tahun": parts.year,
        "bulan": parts.month,
        "bulan_romawi": roman_month(parts.month) if parts.month else "",
    }
    return pattern.format(**values)


def _regex(pattern: str) -> re.Pattern[str]:
    out = []
    for literal, name, _spec in _fields(pattern):
        for index, chunk in enumerate(literal.split("/")):
            if index:
                out.append(r"\s*/\s*")
            out.append(re.escape(chunk))
        if name:
            out.append(_TOKEN_REGEX[name])
    return re.compile(r"^\s*" + "".join(out) + r"\s*$")


def parse_number(pattern: str, text: str) -> LetterParts:
    """Read a printed number back into its parts; spaces around ``/`` are accepted."""
    match = _regex(pattern).match(text)
    if not match:
        raise NumberParseError(f"{text!r} does not match the pattern {pattern!r}")
    groups = match.groupdict()
    month = None
    if groups.get("bulan_romawi"):
        month = ROMAN_MONTHS.index(groups["bulan_romawi"]) + 1
    elif groups.get("bulan"):
        month = int(groups["bulan"])
        if not 1 <= month <= 12:
            raise NumberParseError(f"month {month} is not between 1 and 12")
    return LetterParts(
        kode=groups.get("kode") or "",
        urut=int(groups["urut"]),
        unit=groups.get("unit") or "",
        year=int(groups["tahun"]) if groups.get("tahun") else None,
        month=month,
    )
