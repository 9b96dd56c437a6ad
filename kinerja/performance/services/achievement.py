"""Compute and store achievement per indicator and period; per-objective and per-agency summaries.

Reads in a handful of queries per agency (no query per indicator) and writes with one upsert, so
the same code serves a page, a report and the national-scale benchmark.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance import formulas
from kinerja.performance.models import (
    Achievement,
    ActionPlanTarget,
    Actual,
    AgreementIndicator,
    CategoryScale,
    Indicator,
    PerformanceAgreement,
    PerformanceSettings,
    Target,
)
from kinerja.performance.services import budget

STATUS_RANK = {"sementara": 0, "proyeksi": 1, "tetap": 2}


@dataclass
class TargetValue:
    value: Decimal | None = None
    upper: Decimal | None = None
    text: str = ""
    source: str = ""

    @property
    def empty(self) -> bool:
        return self.value is None and not self.text


@dataclass
class IndicatorResult:
    """Everything shown about one indicator in one period."""

    indicator: Indicator
    period: Period
    actual: formulas.Aggregate
    actual_text: str
    target: TargetValue
    year_target: TargetValue
    result: formulas.Result
    year_result: formulas.Result
    category: formulas.Band | None
    data_status: str = ""
    quarter_values: dict[int, Decimal | None] = field(default_factory=dict)
    # Analysis 3: the Renstra end target and the progress toward it, scored by the same formula
    # as the achievement (polarity, N1/N2/N4, range, lookup table).
    end: TargetValue = field(default_factory=TargetValue)
    progress: formulas.Result = field(default_factory=lambda: formulas.not_reported())


def settings_for(agency: Agency) -> PerformanceSettings:
    found = PerformanceSettings.objects.filter(agency=agency).select_related("scale").first()
    return found or PerformanceSettings(agency=agency)


def pick_scale_id(
    agency_scale_id: int | None,
    region_id: int | None,
    parent_region_id: int | None,
    scale_of_region: dict[int, int],
    default_scale_id: int | None,
) -> int | None:
    """Which scale rates an agency: its own, else its region's (the regency or city), else the
    parent region's (the province), else the default; None means Permendagri 86/2017 as coded.
    One rule for the per-agency service and the national pass."""
    for candidate in (
        agency_scale_id,
        scale_of_region.get(region_id or 0),
        scale_of_region.get(parent_region_id or 0),
        default_scale_id,
    ):
        if candidate is not None:
            return candidate
    return None


def scale_for(agency: Agency) -> formulas.Scale:
    """The agency's scale, else its region's, else its province's, else the default, as data."""
    region_ids = [r for r in (agency.region_id, agency.region.parent_id) if r]
    chosen = pick_scale_id(
        settings_for(agency).scale_id,
        agency.region_id,
        agency.region.parent_id,
        dict(
            CategoryScale.objects.filter(region_id__in=region_ids)
            .order_by("-pk")
            .values_list("region_id", "pk")
        ),
        CategoryScale.objects.filter(is_default=True).values_list("pk", flat=True).first(),
    )
    if chosen is None:
        return formulas.PERMENDAGRI_86_2017
    return CategoryScale.objects.prefetch_related("bands").get(pk=chosen).as_scale()


def latest_agreement(agency: Agency, year: int) -> PerformanceAgreement | None:
    """The latest signed PK version of the year (docs/domain.md §12.5), else the latest draft."""
    versions = PerformanceAgreement.objects.filter(agency=agency, year=year)
    return (
        versions.filter(status="signed").order_by("-version").first()
        or versions.order_by("-version").first()
    )


def year_targets(agency: Agency, indicator_ids: list[int], year: int) -> dict[int, TargetValue]:
    """Year targets: the latest PK's where the indicator is in it, the Renstra's otherwise."""
    found: dict[int, TargetValue] = {}
    for t in Target.objects.filter(indicator_id__in=indicator_ids, year=year):
        found[t.indicator_id] = TargetValue(t.value, t.upper, t.text, "Renstra")
    agreement = latest_agreement(agency, year)
    if agreement is not None:
        for row in AgreementIndicator.objects.filter(
            agreement=agreement, indicator_id__in=indicator_ids
        ):
            found[row.indicator_id] = TargetValue(row.value, row.upper, row.text, str(agreement))
    return found


def quarter_targets(
    agency: Agency, indicator_ids: list[int], year: int
) -> dict[tuple[int, int], TargetValue]:
    rows = ActionPlanTarget.objects.filter(
        action_plan__agency=agency, action_plan__year=year, indicator_id__in=indicator_ids
    )
    return {
        (r.indicator_id, r.quarter): TargetValue(r.value, r.upper, r.text, "Rencana Aksi")
        for r in rows
    }


def period_target(
    indicator: Indicator,
    period: Period,
    year_target: TargetValue | None,
    quarters: dict[tuple[int, int], TargetValue],
) -> TargetValue:
    """The target up to the end of ``period``: the year target for Tw IV and the year; else the
    Rencana Aksi's; else, for a non-cumulative indicator, the year target."""
    last = period.quarters[-1]
    if last == 4 and year_target is not None:
        return year_target
    found = quarters.get((indicator.pk, last))
    if found is not None and not found.empty:
        return found
    if indicator.aggregation != formulas.CUMULATIVE and year_target is not None:
        return year_target
    return TargetValue()


def _quarter_value(actual: Actual, indicator: Indicator) -> Decimal | None:
    if actual.value is not None:
        return actual.value
    if indicator.has_components:
        return formulas.component_value(actual.numerator, actual.denominator, indicator.multiplier)
    return None


def _score(
    indicator: Indicator,
    target: TargetValue,
    actual_value: Decimal | None,
    actual_text: str,
    negative_default: str,
    lookup_tables: dict[int, formulas.LookupTable],
    explain: bool = True,
) -> formulas.Result:
    if indicator.target_kind == Indicator.TargetKind.LOOKUP:
        table = lookup_tables.get(indicator.lookup_table_id or 0)
        if table is None:
            return formulas.not_computable(formulas.LOOKUP, "tabel konversi belum ditetapkan")
        return formulas.lookup_achievement(table, target.text, actual_text or None)
    formula = indicator.formula or (
        negative_default if indicator.polarity == formulas.NEGATIVE else formulas.P
    )
    upper = target.upper if indicator.target_kind == Indicator.TargetKind.RANGE else None
    return formulas.achievement(
        target.value, actual_value, indicator.polarity, formula, upper=upper
    )


def compute(
    agency: Agency,
    period: Period,
    indicators: list[Indicator] | None = None,
    *,
    overrides: dict[tuple[int, int], Actual] | None = None,
    explain: bool = True,
) -> list[IndicatorResult]:
    """Achievement of every indicator of ``agency`` active in the period, nothing written.

    ``overrides`` replaces stored quarterly actuals (indicator id, quarter) -> Actual, which lets
    a submission be checked before it is saved. ``explain=False`` skips the explanations (the
    figures are the same), for checks that only compare values.
    """
    year = period.year
    if indicators is None:
        indicators = list(
            Indicator.objects.for_agency(agency)
            .active_in(year)
            .select_related("objective", "lookup_table")
        )
    ids = [i.pk for i in indicators]
    inputs = _PeriodInputs(
        period=period,
        targets=year_targets(agency, ids, year),
        ends=end_targets(indicators),
        quarters=quarter_targets(agency, ids, year),
        actuals=_actuals(ids, year, overrides or {}),
        tables={
            i.lookup_table_id: i.lookup_table.as_table()
            for i in indicators
            if i.lookup_table_id and i.lookup_table
        },
        negative_formula=settings_for(agency).negative_formula,
        scale=scale_for(agency),
        explain=explain,
    )
    return [inputs.result(indicator) for indicator in indicators]


def _actuals(
    ids: list[int], year: int, overrides: dict[tuple[int, int], Actual]
) -> dict[int, dict[int, Actual]]:
    """The year's quarterly actuals by indicator and quarter, ``overrides`` replacing stored ones."""
    actuals: dict[int, dict[int, Actual]] = defaultdict(dict)
    for a in Actual.objects.filter(indicator_id__in=ids, year=year):
        actuals[a.indicator_id][a.quarter] = a
    for (indicator_id, quarter), a in overrides.items():
        actuals[indicator_id][quarter] = a
    return actuals


@dataclass
class _PeriodInputs:
    """What the results of one agency's period are computed from, read once for all indicators."""

    period: Period
    targets: dict[int, TargetValue]
    ends: dict[int, TargetValue]
    quarters: dict[tuple[int, int], TargetValue]
    actuals: dict[int, dict[int, Actual]]
    tables: dict[int, formulas.LookupTable]
    negative_formula: str
    scale: formulas.Scale
    explain: bool

    def result(self, indicator: Indicator) -> IndicatorResult:
        """The indicator's actual up to the period's last quarter, scored against the period's
        target, the year's and the Renstra end target."""
        last = self.period.quarters[-1]
        rows = self.actuals.get(indicator.pk, {})
        values = {q: _quarter_value(a, indicator) for q, a in rows.items() if q <= last}
        aggregate = self._aggregate(values, last, indicator.aggregation)
        texts = [rows[q].text for q in sorted(rows) if q <= last and rows[q].text]
        actual_text = texts[-1] if texts else ""
        year_target = self.targets.get(indicator.pk, TargetValue())
        target = period_target(
            indicator, self.period, self.targets.get(indicator.pk), self.quarters
        )
        end = self.ends.get(indicator.pk, TargetValue())
        result = self._score(indicator, target, aggregate.value, actual_text)
        return IndicatorResult(
            indicator,
            self.period,
            aggregate,
            actual_text,
            target,
            year_target,
            result,
            self._score(indicator, year_target, aggregate.value, actual_text),
            self.scale.category(result.value),
            _data_status(rows, aggregate),
            values,
            end,
            self._score(indicator, end, aggregate.value, actual_text),
        )

    def _aggregate(
        self, values: dict[int, Decimal | None], last: int, aggregation: str
    ) -> formulas.Aggregate:
        """The actual up to quarter ``last``; without the explanation unless asked for."""
        if self.explain:
            return formulas.to_date(values, last, aggregation)
        reported = tuple(q for q in range(1, last + 1) if values.get(q) is not None)
        return formulas.Aggregate(
            formulas.aggregate_value(
                [v for q in reported if (v := values[q]) is not None], aggregation
            ),
            aggregation,
            reported,
        )

    def _score(
        self, indicator: Indicator, target: TargetValue, value: Decimal | None, text: str
    ) -> formulas.Result:
        return _score(
            indicator, target, value, text, self.negative_formula, self.tables, self.explain
        )


def _data_status(rows: dict[int, Actual], aggregate: formulas.Aggregate) -> str:
    """The least final status (sementara, proyeksi, tetap) of the quarters the actual counts."""
    used = [rows[q].status for q in aggregate.reported if q in rows]
    return min(used, key=lambda s: STATUS_RANK.get(s, 0)) if used else ""


def store(agency: Agency, period: Period) -> list[IndicatorResult]:
    """Compute and upsert the Achievement rows of ``agency`` for ``period`` (formula id kept)."""
    results = compute(agency, period)
    rows = [
        Achievement(
            indicator=r.indicator,
            period=period.code,
            year=period.year,
            actual=r.actual.value,
            actual_text=r.actual_text,
            target=r.target.value,
            target_upper=r.target.upper,
            status=r.result.status,
            value=r.result.value,
            formula=r.result.formula,
            explanation=r.result.explanation,
            reason=r.result.reason[:255],
            category=r.category.code if r.category else "",
            year_target=r.year_target.value,
            year_value=r.year_result.value,
            year_formula=r.year_result.formula,
            year_explanation=r.year_result.explanation,
            aggregation_explanation=r.actual.explanation,
            data_status=r.data_status,
        )
        for r in results
    ]
    Achievement.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["indicator", "period"],
        update_fields=[
            "year",
            "actual",
            "actual_text",
            "target",
            "target_upper",
            "status",
            "value",
            "formula",
            "explanation",
            "reason",
            "category",
            "year_target",
            "year_value",
            "year_formula",
            "year_explanation",
            "aggregation_explanation",
            "data_status",
            "computed_at",
        ],
    )
    return results


@dataclass
class Summary:
    """Per agency and period: counts by category and the average achievement."""

    counts: dict[str, int]
    average: Decimal | None
    average_explanation: str
    cap: Decimal | None
    not_reported: int
    not_computable: int
    total: int


def summarize(agency: Agency, results: list[IndicatorResult]) -> Summary:
    cap = settings_for(agency).averaging_cap
    counts: dict[str, int] = {band.code: 0 for band in scale_for(agency).bands}
    for r in results:
        if r.category is not None:
            counts[r.category.code] = counts.get(r.category.code, 0) + 1
    average, text = formulas.average([r.result.value for r in results], cap)
    return Summary(
        counts,
        average,
        text,
        cap,
        sum(r.result.status == formulas.NOT_REPORTED for r in results),
        sum(r.result.status == formulas.NOT_COMPUTABLE for r in results),
        len(results),
    )


@dataclass
class ObjectiveSummary:
    objective_id: int
    average: Decimal | None
    average_explanation: str
    ceiling: Decimal | None
    spent: Decimal | None
    absorption: Decimal | None
    efficiency: formulas.Result


def objective_summaries(
    agency: Agency,
    period: Period,
    results: list[IndicatorResult],
    found_budget: budget.Budget | None = None,
) -> dict[int, ObjectiveSummary]:
    """Average achievement, absorption and efficiency per objective (analysis 6).

    The budget of an objective is that of the programs serving it or one of its sub-objectives
    (:mod:`kinerja.performance.services.budget`); pass ``found_budget`` when it is already read.
    """
    cap = settings_for(agency).averaging_cap
    if found_budget is None:
        found_budget = budget.for_agency(agency, period.year, period.quarters[-1])
    grouped: dict[int, list[IndicatorResult]] = defaultdict(list)
    for r in results:
        grouped[r.indicator.objective_id].append(r)
    summaries = {}
    for objective_id, items in grouped.items():
        average, text = formulas.average([r.result.value for r in items], cap)
        amounts = found_budget.by_objective.get(objective_id)
        absorption = amounts.absorption if amounts else None
        summaries[objective_id] = ObjectiveSummary(
            objective_id,
            average,
            text,
            amounts.ceiling if amounts else None,
            amounts.spent if amounts else None,
            absorption,
            formulas.efficiency(average, absorption),
        )
    return summaries


def earlier_years(
    agency: Agency, year: int, count: int = 2
) -> dict[int, dict[int, IndicatorResult]]:
    """Year results of the ``count`` years before ``year``: {year: {indicator id: result}}."""
    found = {}
    for y in range(year - count, year):
        found[y] = {r.indicator.pk: r for r in compute(agency, Period(y))}
    return found


def end_targets(indicators: list[Indicator]) -> dict[int, TargetValue]:
    """The Renstra end target of each indicator (analysis 3), in one query.

    The target of the last year that has one (a number, a range or a grade); the indicator's own
    end target, when set, replaces its value (and keeps the range's upper bound only where it
    starts the same range).
    """
    last: dict[int, Target] = {}
    rows = Target.objects.filter(indicator__in=[i.pk for i in indicators]).filter(
        Q(value__isnull=False) | ~Q(text="")
    )
    for stored in rows.order_by("indicator_id", "year"):
        last[stored.indicator_id] = stored
    found = {}
    for indicator in indicators:
        row = last.get(indicator.pk)
        is_range = indicator.target_kind == Indicator.TargetKind.RANGE
        upper = row.upper if row is not None and is_range else None
        if indicator.end_target is not None:
            same = row is not None and row.value == indicator.end_target
            found[indicator.pk] = TargetValue(
                indicator.end_target, upper if same else None, "", "Renstra"
            )
        elif row is not None:
            found[indicator.pk] = TargetValue(row.value, upper, row.text, f"Renstra {row.year}")
    return found


def plan_end_target(indicator: Indicator) -> Decimal | None:
    """The value of the Renstra end target (see :func:`end_targets`)."""
    return end_targets([indicator]).get(indicator.pk, TargetValue()).value
