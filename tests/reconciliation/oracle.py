"""Every figure of the reports, pages and API worked out again from the raw tables.

Straight ORM reads and aggregates over Target, AgreementIndicator, ActionPlanTarget, Actual,
BudgetCeiling and Spending, with the formulas of docs/domain.md §5 written out here in their plainest
form (P, N1, N2, N4, ranges, lookup tables; aggregation over quarters; half-up rounding to two
decimals). On purpose this imports nothing of the report code, the achievement or budget services
or ``kinerja.performance.formulas``: a figure that agrees with this agrees with the rules, not with
itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from kinerja.organisation.models import Agency
from kinerja.performance.models import (
    ActionPlanTarget,
    Actual,
    AgreementIndicator,
    BudgetCeiling,
    CategoryScale,
    Indicator,
    Objective,
    PerformanceAgreement,
    PerformanceSettings,
    Program,
    Spending,
    Target,
)

HUNDRED = Decimal(100)
ZERO = Decimal(0)
PERMENDAGRI = [
    ("ST", "Sangat Tinggi", Decimal(90)),
    ("T", "Tinggi", Decimal(75)),
    ("S", "Sedang", Decimal(65)),
    ("R", "Rendah", Decimal(50)),
    ("SR", "Sangat Rendah", None),
]


def r2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Goal:
    """A target: a number, a range (``upper``) or a grade (``text``)."""

    value: Decimal | None = None
    upper: Decimal | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return self.value is None and not self.text


@dataclass
class Row:
    """One indicator in one period, as the reader should see it."""

    indicator: Indicator
    target: Goal
    year_target: Goal
    actual: Decimal | None
    actual_text: str
    capaian: Decimal | None
    year_capaian: Decimal | None
    category: str | None  # band code of the period capaian
    year_category: str | None
    end: Goal = field(default_factory=Goal)
    progress: Decimal | None = None


# Targets -------------------------------------------------------------------------------------


def indicators(agency: Agency, year: int) -> list[Indicator]:
    """The indicators of a Renstra covering ``year``, not retired before it."""
    return list(
        Indicator.objects.filter(
            objective__plan__agency=agency,
            objective__plan__start_year__lte=year,
            objective__plan__end_year__gte=year,
        )
        .filter(Q(retired_on__isnull=True) | Q(retired_on__year__gte=year))
        .select_related("objective", "lookup_table")
    )


def agreement(agency: Agency, year: int) -> PerformanceAgreement | None:
    """The PK the report compares against: the latest signed version, else the latest draft."""
    rows = PerformanceAgreement.objects.filter(agency=agency, year=year)
    return (
        rows.filter(status="signed").order_by("-version").first()
        or rows.order_by("-version").first()
    )


def year_goal(indicator: Indicator, year: int, pk: PerformanceAgreement | None) -> Goal:
    row = AgreementIndicator.objects.filter(agreement=pk, indicator=indicator).first()
    if row is None:
        row = Target.objects.filter(indicator=indicator, year=year).first()
    return Goal(row.value, row.upper, row.text) if row is not None else Goal()


def period_goal(indicator: Indicator, year: int, quarter: int, year_target: Goal) -> Goal:
    """Tw IV and the year: the year target; else the Rencana Aksi's quarter target; else, for an
    indicator that is not cumulative, the year target."""
    if quarter == 4 and not year_target.empty:
        return year_target
    row = ActionPlanTarget.objects.filter(
        action_plan__agency=indicator.objective.plan.agency,
        action_plan__year=year,
        indicator=indicator,
        quarter=quarter,
    ).first()
    if row is not None and (row.value is not None or row.text):
        return Goal(row.value, row.upper, row.text)
    if indicator.aggregation != "kumulatif":
        return year_target
    return Goal()


def end_goal(indicator: Indicator) -> Goal:
    """The Renstra end target: the indicator's own, else the last year's target."""
    last = (
        Target.objects.filter(indicator=indicator)
        .filter(Q(value__isnull=False) | ~Q(text=""))
        .order_by("-year")
        .first()
    )
    is_range = indicator.target_kind == "range"
    if indicator.end_target is not None:
        upper = last.upper if is_range and last and last.value == indicator.end_target else None
        return Goal(indicator.end_target, upper)
    if last is None:
        return Goal()
    return Goal(last.value, last.upper if is_range else None, last.text)


# Actuals -------------------------------------------------------------------------------------


def actual_to_date(indicator: Indicator, year: int, quarter: int) -> tuple[Decimal | None, str]:
    """The actual "s.d. triwulan": kumulatif sums, posisi akhir takes the latest reported,
    rata-rata averages the reported quarters; a quarter without a value is left out."""
    values: list[Decimal] = []
    text = ""
    for row in Actual.objects.filter(indicator=indicator, year=year, quarter__lte=quarter).order_by(
        "quarter"
    ):
        value = row.value
        components = indicator.numerator_label and indicator.denominator_label
        if value is None and components and row.numerator is not None and row.denominator:
            value = row.numerator / row.denominator * indicator.multiplier
        if value is not None:
            values.append(value)
        if row.text:
            text = row.text
    if not values:
        return None, text
    if indicator.aggregation == "kumulatif":
        return sum(values, ZERO), text
    if indicator.aggregation == "posisi_akhir":
        return values[-1], text
    return sum(values, ZERO) / len(values), text


# Capaian (docs/domain.md §5) ------------------------------------------------------------------------


def _score(table: dict[str, Decimal], label: str) -> Decimal | None:
    key = " ".join(label.lower().split())
    return next((v for k, v in table.items() if " ".join(k.lower().split()) == key), None)


def capaian(
    indicator: Indicator, goal: Goal, actual: Decimal | None, text: str, negative_default: str
) -> Decimal | None:
    if indicator.target_kind == "lookup":
        entries = {e.label: e.score for e in indicator.lookup_table.entries.all()}
        score = _score(entries, text) if text else None
        if score is None:
            return None
        if indicator.lookup_table.mode == "direct":
            return r2(score)
        base = _score(entries, goal.text)
        return r2(score / base * HUNDRED) if base else None
    negative = indicator.polarity == "negative"
    formula = indicator.formula or (negative_default if negative else "P")
    if negative and formula == "P":
        formula = "N1"
    if actual is None or goal.value is None:
        return None
    t, r = goal.value, actual
    if indicator.target_kind == "range" and goal.upper is not None:
        if t <= r <= goal.upper:
            return r2(HUNDRED)
        bound = t if r < t else goal.upper
        if bound == 0:
            return r2(HUNDRED if (r <= 0 if negative else r >= 0) else ZERO)
        if not negative:
            return r2(r / bound * HUNDRED)
        return r2(max((2 * bound - r) / bound * HUNDRED, ZERO))
    if t == 0 or formula == "N4":  # zero target: met or not
        return r2(HUNDRED if (r <= t if negative else r >= t) else ZERO)
    if t < 0:
        return None
    if not negative:  # P
        return r2(r / t * HUNDRED)
    if formula == "N2":
        return r2(t / r * HUNDRED) if r else None
    return r2(max((2 * t - r) / t * HUNDRED, ZERO))  # N1, floor 0


# Categories and averages -----------------------------------------------------------------------


def bands(agency: Agency) -> list[tuple[str, str, Decimal | None]]:
    """(code, label, exclusive lower bound) of the agency's scale, highest first."""
    settings = PerformanceSettings.objects.filter(agency=agency).first()
    region = agency.region
    scale = settings.scale if settings is not None else None
    if scale is None:
        scale = CategoryScale.objects.filter(region=region).order_by("-pk").first()
    if scale is None and region.parent_id:
        scale = CategoryScale.objects.filter(region_id=region.parent_id).order_by("-pk").first()
    if scale is None:
        scale = CategoryScale.objects.filter(is_default=True).first()
    rows = PERMENDAGRI
    if scale is not None:
        rows = [(b.code, b.label, b.lower) for b in scale.bands.all()]
    return sorted(rows, key=lambda b: (b[2] is None, -(b[2] if b[2] is not None else 0)))


def category(agency: Agency, value: Decimal | None) -> str | None:
    if value is None:
        return None
    for code, _label, lower in bands(agency):
        if lower is None or value > lower:
            return code
    return None


def label(agency: Agency, code: str | None) -> str:
    return next((lbl for c, lbl, _lower in bands(agency) if c == code), "-")


def average(agency: Agency, values: list[Decimal | None]) -> Decimal | None:
    cap = PerformanceSettings.objects.filter(agency=agency).values_list("averaging_cap", flat=True)
    limit = cap[0] if cap else None
    numbers = [min(v, limit) if limit is not None else v for v in values if v is not None]
    return r2(sum(numbers, ZERO) / len(numbers)) if numbers else None


def counts(agency: Agency, codes: list[str | None]) -> dict[str, int]:
    found = {code: 0 for code, _label, _lower in bands(agency)}
    for code in codes:
        if code is not None:
            found[code] += 1
    return found


# Rows ---------------------------------------------------------------------------------------


def rows(agency: Agency, year: int, quarter: int = 4) -> list[Row]:
    """Every active indicator for the period ending at ``quarter`` of ``year``."""
    settings = PerformanceSettings.objects.filter(agency=agency).first()
    negative_default = settings.negative_formula if settings else "N1"
    pk = agreement(agency, year)
    found = []
    for indicator in indicators(agency, year):
        year_target = year_goal(indicator, year, pk)
        target = period_goal(indicator, year, quarter, year_target)
        actual, text = actual_to_date(indicator, year, quarter)
        value = capaian(indicator, target, actual, text, negative_default)
        year_value = capaian(indicator, year_target, actual, text, negative_default)
        end = end_goal(indicator)
        found.append(
            Row(
                indicator,
                target,
                year_target,
                actual,
                text,
                value,
                year_value,
                category(agency, value),
                category(agency, year_value),
                end,
                capaian(indicator, end, actual, text, negative_default),
            )
        )
    return found


# Budget -------------------------------------------------------------------------------------

PROGRAM = "sub_activity__activity__program"


@dataclass(frozen=True)
class Money:
    ceiling: Decimal
    spent: Decimal

    @property
    def absorption(self) -> Decimal | None:
        return r2(self.spent / self.ceiling * HUNDRED) if self.ceiling else None


def _money(ceilings, spending) -> Money:
    return Money(
        ceilings.aggregate(s=Sum("amount"))["s"] or ZERO,
        spending.aggregate(s=Sum("amount"))["s"] or ZERO,
    )


def budget_total(agency: Agency, year: int, quarter: int = 4) -> Money:
    return _money(
        BudgetCeiling.objects.filter(**{f"{PROGRAM}__agency": agency}, year=year),
        Spending.objects.filter(**{f"{PROGRAM}__agency": agency}, year=year, quarter__lte=quarter),
    )


def program_budget(program: Program, year: int, quarter: int = 4) -> Money:
    return _money(
        BudgetCeiling.objects.filter(**{PROGRAM: program}, year=year),
        Spending.objects.filter(**{PROGRAM: program}, year=year, quarter__lte=quarter),
    )


def activity_budget(activity, year: int, quarter: int = 4) -> Money:
    return _money(
        BudgetCeiling.objects.filter(sub_activity__activity=activity, year=year),
        Spending.objects.filter(sub_activity__activity=activity, year=year, quarter__lte=quarter),
    )


def programs_with_budget(agency: Agency, year: int, quarter: int = 4) -> list[Program]:
    """The programs with a ceiling or spending in the year, by code."""
    return [
        p
        for p in Program.objects.filter(agency=agency).order_by("code")
        if program_budget(p, year, quarter) != Money(ZERO, ZERO)
    ]


def family(objective: Objective) -> list[int]:
    """The objective and its sub-objectives at any depth."""
    found, todo = [objective.pk], [objective.pk]
    while todo:
        children = list(Objective.objects.filter(parent_id=todo.pop()).values_list("pk", flat=True))
        found += children
        todo += children
    return found


def objective_budget(objective: Objective, year: int, quarter: int = 4) -> Money | None:
    ids = family(objective)
    if not Program.objects.filter(objective_id__in=ids).exists():
        return None
    found = _money(
        BudgetCeiling.objects.filter(**{f"{PROGRAM}__objective__in": ids}, year=year),
        Spending.objects.filter(
            **{f"{PROGRAM}__objective__in": ids}, year=year, quarter__lte=quarter
        ),
    )
    return found if found != Money(ZERO, ZERO) else None


def efficiency(average_value: Decimal | None, absorption: Decimal | None) -> Decimal | None:
    if average_value is None or not absorption:
        return None
    return r2(average_value / absorption * HUNDRED)


def objectives_of(agency: Agency, found: list[Row]) -> list[Objective]:
    """The objectives that have an active indicator, in report order."""
    ids = {r.indicator.objective_id for r in found}
    return list(Objective.objects.filter(plan__agency=agency, pk__in=ids).order_by("order", "code"))
