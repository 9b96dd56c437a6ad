"""Pure functions for *capaian kinerja* (docs/domain.md §5, §6, §12): no database, no Django models.

Everything a page, a report, the API or the command line shows about an achievement comes from
here, so they all agree. Numbers are :class:`~decimal.Decimal`; results are rounded to two decimals
(half up) only at the end. A missing actual is "not reported", never zero.

Formula ids (stored next to every computed value, docs/domain.md §5.2 and §12.1):

* ``P``   positive polarity, ``R / T × 100``
* ``N1``  negative polarity, ``(2T − R) / T × 100`` (default for negative), floor 0
* ``N2``  negative polarity, ``T / R × 100``
* ``N4``  zero target: 100 when the actual is on the right side of the target, else 0
* ``RP`` / ``RN``  range target, positive (``P`` against the nearer bound) / negative (``N1``)
* ``L``   lookup table for qualitative or milestone indicators (docs/domain.md §5.4)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from kinerja.core.formats import format_number_id

POSITIVE = "positive"
NEGATIVE = "negative"
Polarity = Literal["positive", "negative"]

P, N1, N2, N4, RANGE_POSITIVE, RANGE_NEGATIVE, LOOKUP = "P", "N1", "N2", "N4", "RP", "RN", "L"
FORMULAS = (P, N1, N2, N4, RANGE_POSITIVE, RANGE_NEGATIVE, LOOKUP)

CUMULATIVE, LAST, AVERAGE = "kumulatif", "posisi_akhir", "rata_rata"
AGGREGATIONS = (CUMULATIVE, LAST, AVERAGE)

COMPUTED, NOT_REPORTED, NOT_COMPUTABLE = "computed", "not_reported", "not_computable"

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


class FormulaError(ValueError):
    pass


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def num(value: Decimal | int | None, decimals: int | None = None) -> str:
    """Indonesian number: ``4,88``, ``1.234,5``; by default as many decimals as the value has."""
    if value is None:
        return "–"
    value = to_decimal(value)
    if decimals is None:
        exponent = value.normalize().as_tuple().exponent
        decimals = min(max(-exponent, 0), 6) if isinstance(exponent, int) else 0
    return format_number_id(value, decimals)


@dataclass(frozen=True)
class Result:
    """One achievement figure: its status, value (two decimals), formula id and explanation."""

    status: str
    value: Decimal | None = None
    formula: str = ""
    explanation: str = ""
    reason: str = ""

    @property
    def computed(self) -> bool:
        return self.status == COMPUTED

    def as_dict(self) -> dict[str, str | None]:
        return {
            "status": self.status,
            "value": None if self.value is None else str(self.value),
            "formula": self.formula,
            "explanation": self.explanation,
            "reason": self.reason,
        }


def not_reported(formula: str = "") -> Result:
    return Result(NOT_REPORTED, None, formula, "Realisasi belum dilaporkan.", "not reported")


def not_computable(formula: str, reason: str) -> Result:
    return Result(NOT_COMPUTABLE, None, formula, f"Capaian tidak dapat dihitung: {reason}", reason)


def _done(formula: str, raw: Decimal, expression: str) -> Result:
    value = round2(raw)
    return Result(COMPUTED, value, formula, f"{expression} = {num(value, 2)}")


def default_formula(polarity: str) -> str:
    return N1 if polarity == NEGATIVE else P


def achievement(
    target: Decimal | int | str | None,
    actual: Decimal | int | str | None,
    polarity: str = POSITIVE,
    formula: str | None = None,
    *,
    upper: Decimal | int | str | None = None,
) -> Result:
    """The achievement (%) of ``actual`` against ``target`` (a range when ``upper`` is given).

    ``formula`` is N1, N2 or N4 for a negative indicator (N1 by default) and P for a positive one.
    A zero target always uses N4, since the other formulas divide by the target (docs/domain.md §5.2).
    """
    formula = _checked_formula(polarity, formula)
    if actual is None:
        return not_reported(formula)
    if target is None:
        return not_computable(formula, "target belum ditetapkan")
    r, t = to_decimal(actual), to_decimal(target)
    if upper is not None:
        return range_achievement(t, to_decimal(upper), r, polarity)
    if t == 0 or formula == N4:
        return _zero_target(t, r, polarity)
    if t < 0:
        return not_computable(formula, "target negatif")
    if polarity == POSITIVE:
        return _done(P, r / t * HUNDRED, f"{num(r)} / {num(t)} × 100")
    if formula == N2:
        return _n2(t, r)
    return _n1(t, r)


def _checked_formula(polarity: str, formula: str | None) -> str:
    """The formula to apply: the polarity's default when none is given, N1 for a negative
    indicator given P; unknown polarities and formulas, and N1 or N2 for a positive indicator,
    are refused."""
    if polarity not in (POSITIVE, NEGATIVE):
        raise FormulaError(f"unknown polarity {polarity!r}")
    formula = formula or default_formula(polarity)
    if formula not in (P, N1, N2, N4):
        raise FormulaError(f"unknown formula {formula!r}")
    if polarity == POSITIVE and formula in (N1, N2):
        raise FormulaError(f"{formula} is a formula for negative polarity")
    if polarity == NEGATIVE and formula == P:
        return N1
    return formula


def _n2(t: Decimal, r: Decimal) -> Result:
    """N2, ``T / R × 100``: undefined for a zero actual."""
    if r == 0:
        return not_computable(N2, "rumus N2 (T / R) tidak terdefinisi bila realisasi 0")
    return _done(N2, t / r * HUNDRED, f"{num(t)} / {num(r)} × 100")


def _n1(t: Decimal, r: Decimal) -> Result:
    """N1, ``(2T − R) / T × 100``, floored at 0 (the explanation shows the value before the floor)."""
    raw = (2 * t - r) / t * HUNDRED
    expression = f"(2 × {num(t)} − {num(r)}) / {num(t)} × 100"
    if raw < 0:
        result = _done(N1, Decimal(0), expression)
        return Result(
            COMPUTED,
            result.value,
            N1,
            f"{expression} = {num(round2(raw), 2)}, dibatasi paling rendah 0",
        )
    return _done(N1, raw, expression)


def _zero_target(t: Decimal, r: Decimal, polarity: str) -> Result:
    met = r <= t if polarity == NEGATIVE else r >= t
    sign = "≤" if polarity == NEGATIVE else "≥"
    value = HUNDRED if met else Decimal(0)
    verdict = "terpenuhi" if met else "tidak terpenuhi"
    return Result(
        COMPUTED,
        round2(value),
        N4,
        f"realisasi {num(r)} {sign} target {num(t)} {verdict}, maka capaian = {num(value, 2)}",
    )


def range_achievement(lower: Decimal, upper: Decimal, actual: Decimal, polarity: str) -> Result:
    """A range target (docs/domain.md §5.3): inside gives 100; outside, the nearer bound is the target."""
    lower, upper, r = to_decimal(lower), to_decimal(upper), to_decimal(actual)
    formula = RANGE_NEGATIVE if polarity == NEGATIVE else RANGE_POSITIVE
    if lower > upper:
        return not_computable(formula, "batas bawah rentang lebih besar dari batas atas")
    if lower <= r <= upper:
        return Result(
            COMPUTED,
            round2(HUNDRED),
            formula,
            f"realisasi {num(r)} di dalam rentang {num(lower)}–{num(upper)}, maka capaian = 100,00",
        )
    bound = lower if r < lower else upper
    if bound == 0:
        inner = _zero_target(bound, r, polarity)
        return Result(inner.status, inner.value, formula, inner.explanation)
    if polarity == POSITIVE:
        raw = r / bound * HUNDRED
        expression = f"{num(r)} / {num(bound)} × 100"
    else:
        raw = max((2 * bound - r) / bound * HUNDRED, Decimal(0))
        expression = f"(2 × {num(bound)} − {num(r)}) / {num(bound)} × 100"
    side = "di bawah batas bawah" if r < lower else "di atas batas atas"
    return _done(formula, raw, f"realisasi {side} {num(bound)}: {expression}")


@dataclass(frozen=True)
class LookupTable:
    """Qualitative or milestone scores (docs/domain.md §5.4).

    ``mode`` "ratio": compare the scores of actual and target (grade "BB" against "A").
    ``mode`` "direct": the actual's score is the achievement (binary tercapai/tidak = 100/0, or
    milestones such as draft 50, pembahasan 75, ditetapkan 100).
    """

    entries: Mapping[str, Decimal]
    mode: Literal["ratio", "direct"] = "direct"

    def score(self, label: str) -> Decimal | None:
        key = " ".join(str(label).lower().split())
        for name, value in self.entries.items():
            if " ".join(name.lower().split()) == key:
                return to_decimal(value)
        return None


def lookup_achievement(table: LookupTable, target: str | None, actual: str | None) -> Result:
    if actual is None or not str(actual).strip():
        return not_reported(LOOKUP)
    score = table.score(actual)
    if score is None:
        return not_computable(LOOKUP, f"'{actual}' tidak ada dalam tabel konversi")
    if table.mode == "direct":
        return _done(LOOKUP, score, f"nilai '{actual}' dalam tabel konversi")
    target_score = table.score(target or "")
    if target_score is None or target_score == 0:
        return not_computable(LOOKUP, f"target '{target}' tidak ada dalam tabel konversi")
    return _done(
        LOOKUP,
        score / target_score * HUNDRED,
        f"nilai '{actual}' {num(score)} / nilai '{target}' {num(target_score)} × 100",
    )


# --- aggregation over quarters (docs/domain.md §5.6) ----------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    """The value of an indicator over some quarters and which of them were reported."""

    value: Decimal | None
    kind: str
    reported: tuple[int, ...] = ()
    missing: tuple[int, ...] = ()
    explanation: str = ""

    @property
    def status(self) -> str:
        return COMPUTED if self.value is not None else NOT_REPORTED


def aggregate(
    values: Mapping[int, Decimal | int | str | None], quarters: Iterable[int], kind: str
) -> Aggregate:
    """Combine the quarterly ``values`` over ``quarters`` by the indicator's aggregation type.

    Kumulatif sums, posisi akhir takes the latest reported quarter, rata-rata averages the
    reported quarters. Quarters with no value are "not reported": they are left out and listed
    in ``missing``, never counted as zero. With no quarter reported the value is None.
    """
    if kind not in AGGREGATIONS:
        raise FormulaError(f"unknown aggregation {kind!r}")
    quarters = tuple(sorted(set(quarters)))
    reported = tuple(q for q in quarters if values.get(q) is not None)
    missing = tuple(q for q in quarters if values.get(q) is None)
    if not reported:
        return Aggregate(None, kind, (), missing, "Belum ada triwulan yang dilaporkan.")
    numbers = [to_decimal(values[q]) for q in reported]  # type: ignore[arg-type]
    terms = " + ".join(num(n) for n in numbers)
    if kind == CUMULATIVE:
        value = sum(numbers, Decimal(0))
        text = f"kumulatif: {terms} = {num(value)}"
    elif kind == LAST:
        value = numbers[-1]
        text = f"posisi akhir: nilai Triwulan {_roman(reported[-1])} = {num(value)}"
    else:
        value = sum(numbers, Decimal(0)) / len(numbers)
        text = f"rata-rata: ({terms}) / {len(numbers)} = {num(round2(value), 2)}"
    if missing:
        text += "; belum dilaporkan: " + ", ".join(f"Triwulan {_roman(q)}" for q in missing)
    return Aggregate(value, kind, reported, missing, text)


def to_date(
    values: Mapping[int, Decimal | int | str | None], last_quarter: int, kind: str
) -> Aggregate:
    """The actual "s.d. triwulan": quarters 1..``last_quarter`` combined by ``kind``."""
    return aggregate(values, range(1, last_quarter + 1), kind)


def semester(values: Mapping[int, Decimal | int | str | None], number: int, kind: str) -> Aggregate:
    """Semester I is Triwulan I+II, semester II is Triwulan III+IV, same type rules (docs/domain.md §5.6)."""
    return aggregate(values, (1, 2) if number == 1 else (3, 4), kind)


def _roman(quarter: int) -> str:
    return ("I", "II", "III", "IV")[quarter - 1]


def component_value(
    numerator: Decimal | int | str | None,
    denominator: Decimal | int | str | None,
    multiplier: Decimal | int | str = 1,
) -> Decimal | None:
    """An indicator defined from components, e.g. cases / population × 1.000."""
    if numerator is None or denominator is None:
        return None
    d = to_decimal(denominator)
    if d == 0:
        return None
    return to_decimal(numerator) / d * to_decimal(multiplier)


# --- categories (docs/domain.md §6) ---------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A category: ``lower`` is an exclusive lower bound (x > lower); None is the bottom band."""

    code: str
    label: str
    lower: Decimal | None


@dataclass(frozen=True)
class Scale:
    name: str
    bands: tuple[Band, ...] = field(default_factory=tuple)

    def category(self, value: Decimal | int | str | None) -> Band | None:
        return category(value, self.bands)


PERMENDAGRI_86_2017 = Scale(
    "Permendagri 86/2017",
    (
        Band("ST", "Sangat Tinggi", Decimal(90)),
        Band("T", "Tinggi", Decimal(75)),
        Band("S", "Sedang", Decimal(65)),
        Band("R", "Rendah", Decimal(50)),
        Band("SR", "Sangat Rendah", None),
    ),
)


def category(value: Decimal | int | str | None, bands: Sequence[Band]) -> Band | None:
    """The band of ``value``: half-open, ``lower < x`` (the highest band is open above)."""
    if value is None:
        return None
    x = to_decimal(value)
    ordered = sorted(
        bands, key=lambda b: (b.lower is None, -(b.lower if b.lower is not None else 0))
    )
    for band in ordered:
        if band.lower is None or x > band.lower:
            return band
    return None


def average(
    values: Iterable[Decimal | None], cap: Decimal | int | None = None
) -> tuple[Decimal | None, str]:
    """The simple average of computed achievements (docs/domain.md §5.5), optionally capping each at ``cap``.

    Returns the rounded average and its explanation; values that are None are left out.
    """
    numbers = [to_decimal(v) for v in values if v is not None]
    if not numbers:
        return None, "Tidak ada capaian yang dapat dirata-ratakan."
    capped = [min(n, to_decimal(cap)) for n in numbers] if cap is not None else numbers
    mean = round2(sum(capped, Decimal(0)) / len(capped))
    terms = " + ".join(num(n, 2) for n in capped)
    text = f"({terms}) / {len(capped)} = {num(mean, 2)}"
    if cap is not None:
        text += f" (setiap capaian dibatasi paling tinggi {num(to_decimal(cap))})"
    return mean, text


def efficiency(achievement_value: Decimal | None, absorption: Decimal | None) -> Result:
    """Efficiency: achievement against budget absorption (both in %), × 100."""
    if achievement_value is None or absorption is None:
        return not_reported("E")
    if absorption == 0:
        return not_computable("E", "serapan anggaran 0")
    return _done(
        "E",
        to_decimal(achievement_value) / to_decimal(absorption) * HUNDRED,
        f"{num(achievement_value, 2)} / {num(absorption, 2)} × 100",
    )


# --- the fast path for batches (no explanation text) ----------------------------------------


def achievement_value(
    target: Decimal | None,
    actual: Decimal | None,
    polarity: str,
    formula: str | None = None,
    upper: Decimal | None = None,
) -> tuple[str, Decimal | None, str]:
    """(status, value, formula id) exactly as :func:`achievement` gives them, without building
    the explanation; for computing a whole province or the nation at once."""
    formula = formula or default_formula(polarity)
    if polarity == NEGATIVE and formula == P:
        formula = N1
    if actual is None:
        return NOT_REPORTED, None, formula
    if target is None:
        return NOT_COMPUTABLE, None, formula
    if upper is not None:
        return _range_value(target, upper, actual, polarity)
    if target == 0 or formula == N4:
        met = actual <= target if polarity == NEGATIVE else actual >= target
        return COMPUTED, round2(HUNDRED if met else Decimal(0)), N4
    if target < 0:
        return NOT_COMPUTABLE, None, formula
    if polarity == POSITIVE:
        return COMPUTED, round2(actual / target * HUNDRED), P
    return _negative_value(target, actual, formula)


def _range_value(
    lower: Decimal, upper: Decimal, actual: Decimal, polarity: str
) -> tuple[str, Decimal | None, str]:
    """:func:`achievement_value` of a range target, as :func:`range_achievement` gives it."""
    formula = RANGE_NEGATIVE if polarity == NEGATIVE else RANGE_POSITIVE
    if lower > upper:
        return NOT_COMPUTABLE, None, formula
    if lower <= actual <= upper:
        return COMPUTED, round2(HUNDRED), formula
    bound = lower if actual < lower else upper
    if bound == 0:
        met = actual <= bound if polarity == NEGATIVE else actual >= bound
        return COMPUTED, round2(HUNDRED if met else Decimal(0)), formula
    if polarity == POSITIVE:
        return COMPUTED, round2(actual / bound * HUNDRED), formula
    return COMPUTED, round2(max((2 * bound - actual) / bound * HUNDRED, Decimal(0))), formula


def _negative_value(
    target: Decimal, actual: Decimal, formula: str
) -> tuple[str, Decimal | None, str]:
    """:func:`achievement_value` of a negative indicator's positive target by N2 or N1."""
    if formula == N2:
        if actual == 0:
            return NOT_COMPUTABLE, None, N2
        return COMPUTED, round2(target / actual * HUNDRED), N2
    return COMPUTED, round2(max((2 * target - actual) / target * HUNDRED, Decimal(0))), N1


def aggregate_value(values: Sequence[Decimal], kind: str) -> Decimal | None:
    """The value of :func:`aggregate` for the reported values of a period, in quarter order."""
    if not values:
        return None
    if kind == CUMULATIVE:
        return sum(values, Decimal(0))
    if kind == LAST:
        return values[-1]
    return sum(values, Decimal(0)) / len(values)
