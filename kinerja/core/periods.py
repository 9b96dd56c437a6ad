"""Reporting periods: a year, a semester or a quarter (``2024``, ``2024-S1``, ``2025-Q3``).

Used by cases ("Pengumpulan Data Kinerja TW III 2025"), collection rounds and reports alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from kinerja.core.formats import ROMAN_MONTHS

Kind = Literal["year", "semester", "quarter"]
_PATTERN = re.compile(r"^\s*(\d{4})(?:\s*-\s*([SsQq])\s*([1-4]))?\s*$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: Kind = "year"
    number: int = 0  # 1-2 for a semester, 1-4 for a quarter, 0 for a year

    def __post_init__(self) -> None:
        limits = {"year": (0, 0), "semester": (1, 2), "quarter": (1, 4)}
        low, high = limits[self.kind]
        if not low <= self.number <= high or not 1900 <= self.year <= 2200:
            raise PeriodError(f"invalid period {self.year} {self.kind} {self.number}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2024`` -> year, ``2024-S1`` -> first semester, ``2025-Q3`` -> third quarter."""
        match = _PATTERN.match(str(text))
        if not match:
            raise PeriodError(f"'{text}' is not a period: write 2024, 2024-S1 or 2024-Q3")
        year, letter, number = match.groups()
        if not letter:
            return cls(int(year))
        kind: Kind = "semester" if letter.upper() == "S" else "quarter"
        if kind == "semester" and int(number) > 2:
            raise PeriodError(f"'{text}': a year has two semesters")
        return cls(int(year), kind, int(number))

    @property
    def code(self) -> str:
        return {
            "year": f"{self.year}",
            "semester": f"{self.year}-S{self.number}",
            "quarter": f"{self.year}-Q{self.number}",
        }[self.kind]

    def __str__(self) -> str:
        return self.code

    def label(self) -> str:
        """Indonesian label: ``Tahun 2024``, ``Semester I 2024``, ``Triwulan III 2025``."""
        if self.kind == "year":
            return f"Tahun {self.year}"
        name = "Semester" if self.kind == "semester" else "Triwulan"
        return f"{name} {ROMAN_MONTHS[self.number - 1]} {self.year}"

    @property
    def quarters(self) -> tuple[int, ...]:
        """The quarters (1-4) this period covers."""
        if self.kind == "quarter":
            return (self.number,)
        if self.kind == "semester":
            return (1, 2) if self.number == 1 else (3, 4)
        return (1, 2, 3, 4)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.quarters[0] - 1) * 3 + 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = self.quarters[-1] * 3
        if last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, last_month + 1, 1) - dt.timedelta(days=1)
