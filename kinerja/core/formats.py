"""Indonesian dates and numbers, as every page and document prints them (docs/domain.md §12)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

#: Indonesia's three time zones as offices write them (Agency.time_zone_abbreviation).
TIME_ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def format_date_id(value: dt.date | None, locale: str = "id") -> str:
    """``15 Januari 2024``; empty text for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_date(value, format="long", locale=locale)


def format_datetime_id(value: dt.datetime | None, locale: str = "id") -> str:
    """``15 Januari 2024 09.30`` in the datetime's own time zone."""
    if value is None:
        return ""
    return f"{format_date_id(value, locale)} {_babel_datetime(value, 'HH.mm', locale=locale)}"


def format_number_id(
    value: float | Decimal | int | None, decimals: int = 2, locale: str = "id"
) -> str:
    """``1.234,56``: dot for thousands, comma for decimals, a fixed number of decimals."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _babel_decimal(value, format=pattern, locale=locale)


def roman_month(month: int) -> str:
    """The month as the Roman numeral used in letter numbers (7 -> ``VII``)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not between 1 and 12")
    return ROMAN_MONTHS[month - 1]


def zone_abbreviation(zone: str) -> str:
    """``WIB``, ``WITA``, ``WIT`` for Indonesia's zones; the zone's name for any other."""
    return TIME_ZONE_ABBREVIATIONS.get(zone, zone)


def format_datetime_zone(value: dt.datetime | None, zone: str) -> str:
    """``2025-03-03 08:15 WITA``: a moment on the clock of ``zone`` with the zone's abbreviation,
    as the command line prints it (empty text for no moment)."""
    if value is None:
        return ""
    local = value.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M} {zone_abbreviation(zone)}"


def isoformat_zone(value: dt.datetime | None, zone: str) -> str | None:
    """``2025-03-03T08:15:00+08:00``: ISO 8601 on the clock of ``zone``, with its offset."""
    if value is None:
        return None
    return value.astimezone(zoneinfo.ZoneInfo(zone)).isoformat()
