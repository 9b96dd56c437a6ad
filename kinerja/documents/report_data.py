"""The data of the performance reports (LKjIP and the quarterly/semester reports), read-only.

Everything is read through the performance layer's services (``achievement``, ``analysis``) so
the reports show the same figures as the pages. Values come out as printed Indonesian text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kinerja.core.charts import achievement as achievement_charts
from kinerja.core.charts.organisation import org_chart
from kinerja.core.formats import format_number_id
from kinerja.core.lists import text_items
from kinerja.core.periods import Period
from kinerja.documents.contract import Images
from kinerja.organisation.models import Agency, Position, Unit
from kinerja.performance import formulas
from kinerja.performance.models import Indicator, Objective, ObjectiveAnalysis, StrategicPlan
from kinerja.performance.services import achievement, analysis, budget

NONE = "-"


def num(value, decimals: int = 2) -> str:
    return NONE if value is None else format_number_id(value, decimals)


def pct(value) -> str:
    return NONE if value is None else f"{format_number_id(value, 2)}%"


def money(value) -> str:
    return NONE if value is None else format_number_id(value, 0)


def _target_text(target: achievement.TargetValue, decimals: int) -> str:
    if target.text:
        return target.text
    if target.value is None:
        return NONE
    if target.upper is not None:
        return f"{num(target.value, decimals)} – {num(target.upper, decimals)}"
    return num(target.value, decimals)


def _actual_text(r: achievement.IndicatorResult) -> str:
    if r.actual_text and r.actual.value is None:
        return r.actual_text
    return num(r.actual.value, r.indicator.decimals)


def _f(value) -> float | None:
    return float(value) if value is not None else None


def plan_for(agency: Agency, year: int) -> StrategicPlan | None:
    return (
        StrategicPlan.objects.filter(agency=agency, start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )


def indicator_row(r: achievement.IndicatorResult, *, year_figures: bool) -> dict[str, str]:
    ind = r.indicator
    result = r.year_result if year_figures else r.result
    target = r.year_target if year_figures else r.target
    return {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit_of_measure,
        "target": _target_text(target, ind.decimals),
        "actual": _actual_text(r),
        "achievement": pct(result.value),
        "category": r.category.label if r.category and not year_figures else "",
        "status": r.data_status,
        "formula": result.formula,
    }


def structure_chart(agency: Agency, images: Images) -> str:
    """Bab I: the structure chart of the head positions (organisation layer) as an image."""
    positions = list(Position.objects.filter(agency=agency, is_head=True).order_by("order", "name"))
    ids = {p.pk for p in positions}
    day = agency.today()
    nodes = []
    for position in sorted(positions, key=lambda p: p.superior_id is not None):
        holding = next(iter(position.holdings_on(day)), None)
        holder = f"{holding.prefix} {holding.employee.full_name}".strip() if holding else "-"
        parent = position.superior_id if position.superior_id in ids else None
        nodes.append((position.pk, parent, f"{position.name}\n{holder}"))
    return images.add("structure", org_chart(nodes), 160)


def structure(agency: Agency) -> list[dict[str, str]]:
    """Bab I: units with their head positions and holders today (from the organisation layer)."""
    day = agency.today()
    rows = []
    for position in (
        Position.objects.filter(agency=agency, is_head=True)
        .select_related("unit")
        .order_by("order", "name")
    ):
        holding = next(iter(position.holdings_on(day)), None)
        rows.append(
            {
                "unit": position.unit.name if position.unit else agency.name,
                "position": position.name,
                "holder": (
                    f"{holding.prefix} {holding.employee.full_name}".strip() if holding else NONE
                ),
            }
        )
    return rows


def chapter_one(
    agency: Agency, year: int, plan: StrategicPlan | None, options: dict[str, Any]
) -> dict[str, Any]:
    """Bab I B and D from the records (PermenPAN-RB 53/2014): the agency's tugas and fungsi
    (organisation layer) and the strategic issues of the Renstra covering the year (performance
    layer). An official's own text for the document (options ``tasks_functions``,
    ``strategic_issues``) replaces them; when nothing is recorded the report says so, it never
    makes up a text. ``*_intro`` is a paragraph, ``*_list`` the numbered items that follow it;
    ``tasks_functions`` and ``strategic_issues`` are the same as one paragraph each (the
    variables an office's own Word template has always had)."""
    name = agency.name
    functions = agency.function_list()
    task = agency.main_task.strip()
    if options.get("tasks_functions"):
        tasks_intro, tasks_list = options["tasks_functions"], []
    elif functions:
        lead = f"{task} " if task else ""
        tasks_intro = f"{lead}Untuk melaksanakan tugas tersebut, {name} menyelenggarakan fungsi:"
        if not task:
            tasks_intro = f"Tugas pokok {name} belum dicatat dalam Kinerja. Fungsinya:"
        tasks_list = functions
    elif task:
        tasks_intro = f"{task} Fungsi {name} belum dicatat dalam Kinerja."
        tasks_list = []
    else:
        tasks_intro = (
            f"Tugas dan fungsi {name} belum dicatat dalam Kinerja (data instansi: tugas pokok "
            f"dan fungsi)."
        )
        tasks_list = []
    issues = text_items(plan.strategic_issues) if plan else []
    if options.get("strategic_issues"):
        issues_intro, issues_list = options["strategic_issues"], []
    elif issues and plan is not None:
        issues_intro = f"Isu strategis yang dihadapi {name} menurut {plan.title}:"
        issues_list = issues
    elif plan is not None:
        issues_intro = f"Isu strategis belum dicatat pada {plan.title} dalam Kinerja."
        issues_list = []
    else:
        issues_intro = (
            f"Renstra yang mencakup tahun {year} belum dicatat dalam Kinerja, sehingga isu "
            f"strategis belum dicatat."
        )
        issues_list = []

    def paragraph(intro: str, items: list[str]) -> str:
        numbered = "; ".join(f"{n}) {item}" for n, item in enumerate(items, start=1))
        return f"{intro} {numbered}.".strip() if items else intro

    return {
        "tasks_intro": tasks_intro,
        "tasks_list": tasks_list,
        "issues_intro": issues_intro,
        "issues_list": issues_list,
        "tasks_functions": paragraph(tasks_intro, tasks_list),
        "strategic_issues": paragraph(issues_intro, issues_list),
    }


def agreement_rows(agency: Agency, year: int) -> tuple[dict[str, str], list[dict], list[dict]]:
    """The PK of the year (the latest version): its name, indicator rows and program rows."""
    pk = achievement.latest_agreement(agency, year)
    if pk is None:
        return {"name": f"Perjanjian Kinerja Tahun {year}", "present": ""}, [], []
    indicators = []
    for number, item in enumerate(
        pk.indicators.select_related("indicator__objective").order_by(
            "indicator__objective__order", "indicator__order", "indicator__code"
        ),
        start=1,
    ):
        ind = item.indicator
        target = achievement.TargetValue(item.value, item.upper, item.text)
        indicators.append(
            {
                "no": number,
                "objective": ind.objective.statement,
                "indicator": ind.name,
                "target": f"{_target_text(target, ind.decimals)} {ind.unit_of_measure}".strip(),
            }
        )
    programs = [
        {"no": n, "program": p.program.name, "budget": money(p.budget), "note": p.note}
        for n, p in enumerate(pk.programs.select_related("program").order_by("program__code"), 1)
    ]
    return {"name": str(pk), "present": "yes"}, indicators, programs


def budget_rows(found: budget.Budget) -> tuple[list[dict], dict]:
    """Bab III.B (and the periodic report's budget): pagu, realisasi and serapan per program and
    their total, from the performance layer's budget service."""
    rows = [
        {
            "no": number,
            "program": line.program.name,
            "ceiling": money(line.amounts.ceiling),
            "spent": money(line.amounts.spent),
            "absorption": pct(line.amounts.absorption),
        }
        for number, line in enumerate(found.programs, 1)
    ]
    total = {
        "ceiling": money(found.total.ceiling),
        "spent": money(found.total.spent),
        "absorption": pct(found.total.absorption),
    }
    return rows, total


def supporting_programs(found: budget.Budget, objective_id: int) -> list[dict[str, str]]:
    """Analysis 7: the programs serving the objective (or one of its sub-objectives) and their
    activities, each with its pagu, realisasi and serapan of the year."""
    rows = []
    for line in found.serving(objective_id):
        items = [("program", f"{line.program.code} {line.program.name}", line.amounts)]
        items += [
            ("activity", f"{a.activity.code} {a.activity.name}", a.amounts) for a in line.activities
        ]
        for level, name, amounts in items:
            rows.append(
                {
                    "level": level,
                    "name": name,
                    "ceiling": money(amounts.ceiling),
                    "spent": money(amounts.spent),
                    "absorption": pct(amounts.absorption),
                }
            )
    return rows


def progress_row(r: achievement.IndicatorResult) -> dict[str, str]:
    """Analysis 3: the Renstra end target and the progress toward it (scored like the
    achievement: polarity, formula, range, lookup table)."""
    return {
        "name": r.indicator.name,
        "end_target": _target_text(r.end, r.indicator.decimals),
        "actual": _actual_text(r),
        "progress": pct(r.progress.value),
        "formula": r.progress.formula,
    }


def objective_chart(
    images: Images, name: str, rows: list[achievement.IndicatorResult], title: str
) -> str:
    """Analysis 1 as a chart: one small chart per indicator, each with its own unit and axis."""
    chart = achievement_charts.indicator_panels(
        [
            achievement_charts.Panel(
                r.indicator.name,
                r.indicator.unit_of_measure,
                _f(r.year_target.value),
                _f(r.year_target.upper),
                _f(r.actual.value),
            )
            for r in rows
        ],
        title,
    )
    return images.add(name, chart, 150) if chart is not None else ""


def year_values(r: achievement.IndicatorResult, years: list[int]) -> list[Decimal | None]:
    """Analysis 2: the capaian of an indicator in each of ``years`` (the two before the report's
    year, as the analysis read them, then the year's own result)."""
    # ``earlier_values`` is set on each result by ``analysis.build``, not a field of the class.
    earlier = r.earlier_values  # type: ignore[attr-defined]
    return [earlier.get(y) for y in years[:2]] + [r.year_result.value]


def history_row(r: achievement.IndicatorResult, values: list[Decimal | None]) -> dict[str, str]:
    """Analysis 2 as printed: the indicator's name and its capaian per year (``y0`` the oldest)."""
    return {"name": r.indicator.name, **{f"y{i}": pct(v) for i, v in enumerate(values)}}


def objective_trend(values: list[list[Decimal | None]], years: list[int]) -> list[float | None]:
    """The objective's line of the trend chart: per year, the plain mean of the capaian of its
    indicators that have one (None when none has)."""
    trend: list[float | None] = []
    for i, _year in enumerate(years):
        known = [value for row in values if (value := row[i]) is not None]
        trend.append(_f(sum(known, Decimal(0)) / len(known)) if known else None)
    return trend


def national_rows(rows: list[achievement.IndicatorResult]) -> list[dict[str, str]]:
    """Analysis 4: the indicators with a national standard, the standard beside the actual."""
    return [
        {
            "name": r.indicator.name,
            "standard": num(r.indicator.national_standard, r.indicator.decimals),
            "source": r.indicator.national_standard_source,
            "actual": _actual_text(r),
        }
        for r in rows
        if r.indicator.national_standard is not None
    ]


def narrative_texts(n: ObjectiveAnalysis | None) -> dict[str, str]:
    """Analyses 5 and 7: the official's written narrative of the objective ("-" for a missing
    cause or solution, empty for the optional remarks)."""
    return {
        "causes": (n.causes if n else "") or NONE,
        "solutions": (n.solutions if n else "") or NONE,
        "supporting_programs": (n.supporting_programs if n else "") or "",
        "efficiency_remarks": (n.efficiency_remarks if n else "") or "",
    }


def objective_figures(s: achievement.ObjectiveSummary | None) -> dict[str, str]:
    """Analysis 6: the objective's average capaian, its budget and its efficiency."""
    return {
        "average": pct(s.average if s else None),
        "ceiling": money(s.ceiling if s else None),
        "spent": money(s.spent if s else None),
        "absorption": pct(s.absorption if s else None),
        "efficiency": pct(s.efficiency.value if s else None),
    }


@dataclass
class ObjectivePart:
    """One objective of Bab III.A as printed, and its line of the trend chart."""

    printed: dict[str, Any]
    trend: list[float | None]


def objective_part(
    number: int,
    section: analysis.Section,
    context: AnnualContext,
    images: Images,
) -> ObjectivePart:
    """Bab III.A for one objective: the seven analyses of docs/domain.md §2 as printed rows."""
    obj = section.objective
    values = [year_values(r, context.years) for r in section.rows]
    chart = objective_chart(
        images, f"obj{number}", section.rows, f"Target dan realisasi {context.year}"
    )
    printed = {
        "no": number,
        "code": obj.code,
        "statement": obj.statement,
        "rows": [indicator_row(r, year_figures=True) for r in section.rows],
        "history": [history_row(r, v) for r, v in zip(section.rows, values, strict=True)],
        "years": context.years,
        "renstra": [progress_row(r) for r in section.rows],
        "plan_end": context.plan.end_year if context.plan else "",
        "national": national_rows(section.rows),
        **narrative_texts(section.narrative),
        "programs": supporting_programs(context.budget, obj.pk),
        **objective_figures(section.summary),
        "chart": chart,
    }
    return ObjectivePart(printed, objective_trend(values, context.years))


@dataclass
class AnnualContext:
    """What every part of the LKjIP data reads: the year, the Renstra covering it, the achievement
    of its indicators (computed once, by the analysis), the agency's category scale and budget."""

    agency: Agency
    year: int
    plan: StrategicPlan | None
    sections: list[analysis.Section]
    results: list[achievement.IndicatorResult]
    scale: formulas.Scale
    budget: budget.Budget

    @property
    def years(self) -> list[int]:
        """The three years of analysis 2 and of the trend chart."""
        return [self.year - 2, self.year - 1, self.year]

    @property
    def band_labels(self) -> dict[str, str]:
        return {band.code: band.label for band in self.scale.bands}

    @classmethod
    def read(cls, agency: Agency, year: int) -> AnnualContext:
        sections = analysis.build(agency, year)
        return cls(
            agency,
            year,
            plan_for(agency, year),
            sections,
            results_in_indicator_order(agency, year, sections),
            achievement.scale_for(agency),
            budget.for_agency(agency, year),
        )


def results_in_indicator_order(
    agency: Agency, year: int, sections: list[analysis.Section]
) -> list[achievement.IndicatorResult]:
    """The results the analysis computed, in the agency's indicator order (that of
    ``achievement.compute``, which the table of all indicators follows) rather than grouped by
    objective: the achievement is computed once, by ``analysis.build``."""
    by_indicator = {r.indicator.pk: r for section in sections for r in section.rows}
    order = Indicator.objects.for_agency(agency).active_in(year).values_list("pk", flat=True)
    return [by_indicator[pk] for pk in order if pk in by_indicator]


def year_category(scale: formulas.Scale, r: achievement.IndicatorResult) -> formulas.Band | None:
    """The category of the indicator's capaian against the year's target."""
    return scale.category(r.year_result.value)


def all_indicator_rows(context: AnnualContext) -> list[dict[str, Any]]:
    """Bab III.A's table of every indicator, numbered, with its objective and year category."""
    rows = []
    for number, r in enumerate(context.results, start=1):
        row: dict[str, Any] = indicator_row(r, year_figures=True)
        row["no"] = number
        row["objective"] = r.indicator.objective.statement
        band = year_category(context.scale, r)
        row["category"] = band.label if band is not None else NONE
        rows.append(row)
    return rows


def year_category_counts(context: AnnualContext) -> dict[str, int]:
    """How many indicators fall in each band of the agency's scale (by the year's capaian)."""
    counts: dict[str, int] = {band.code: 0 for band in context.scale.bands}
    for r in context.results:
        band = year_category(context.scale, r)
        if band is not None:
            counts[band.code] = counts.get(band.code, 0) + 1
    return counts


def trend_chart(
    images: Images, years: list[int], series: dict[str, list[float | None]], year: int
) -> str:
    """The trend chart of the objectives' average capaian, titled with the years it shows."""
    shown = [y for i, y in enumerate(years) if any(v[i] is not None for v in series.values())]
    span = f"{shown[0]}–{shown[-1]}" if len(shown) > 1 else str(year)
    return images.add(
        "trend",
        achievement_charts.trend(years, series, f"Rata-rata capaian per sasaran {span}"),
        150,
    )


def key_indicators(agency: Agency, year: int) -> list[dict[str, Any]]:
    """Bab II: the key indicators (IKU) active in the year, numbered."""
    return [
        {
            "no": i,
            "name": ind.name,
            "unit": ind.unit_of_measure,
            "objective": ind.objective.statement,
        }
        for i, ind in enumerate(
            Indicator.objects.for_agency(agency)
            .active_in(year)
            .key()
            .select_related("objective")
            .order_by("objective__order", "order", "code"),
            1,
        )
    ]


def plan_part(plan: StrategicPlan | None) -> dict[str, Any]:
    """Bab II: the Renstra's title and years, its goals and its strategic objectives."""
    if plan is None:
        return {
            "plan": {"title": NONE, "years": NONE},
            "goals": [],
            "strategic_objectives": [],
        }
    return {
        "plan": {"title": str(plan), "years": f"{plan.start_year}–{plan.end_year}"},
        "goals": [
            {"code": goal.code, "statement": goal.statement}
            for goal in plan.goals.order_by("order", "code")
        ],
        "strategic_objectives": [
            {"code": o.code, "statement": o.statement}
            for o in Objective.objects.filter(plan=plan, level="strategis").order_by(
                "order", "code"
            )
        ],
    }


def annual(agency: Agency, year: int, images: Images, options: dict[str, Any]) -> dict[str, Any]:
    """The LKjIP's data: Bab I (structure, tugas and fungsi, strategic issues), Bab II (Renstra,
    IKU, PK), Bab III (the analyses per objective, every indicator, categories, trend, budget)."""
    context = AnnualContext.read(agency, year)
    parts = [
        objective_part(number, section, context, images)
        for number, section in enumerate(context.sections, start=1)
    ]
    trend_series = {f"Sasaran {n}": part.trend for n, part in enumerate(parts, start=1)}
    trend = trend_chart(images, context.years, trend_series, year)
    counts = year_category_counts(context)
    band_labels = context.band_labels
    category_chart = images.add(
        "categories",
        achievement_charts.by_category(
            counts, context.scale, f"Jumlah indikator per kategori capaian {year}"
        ),
        140,
    )
    pk_info, pk_rows, pk_programs = agreement_rows(agency, year)
    budget_lines, budget_total = budget_rows(context.budget)
    return {
        **plan_part(context.plan),
        "key_indicators": key_indicators(agency, year),
        "pk": pk_info,
        "pk_rows": pk_rows,
        "pk_programs": pk_programs,
        "objectives": [part.printed for part in parts],
        "all_rows": all_indicator_rows(context),
        "category_counts": [
            {"label": band_labels.get(code, code), "count": count} for code, count in counts.items()
        ],
        "category_chart": category_chart,
        "trend_chart": trend,
        "indicator_count": len(context.results),
        "objective_count": len(parts),
        "average": pct(achievement.summarize(agency, context.results).average),
        "budget": budget_lines,
        "budget_total": budget_total,
        "structure": structure(agency),
        "structure_chart": structure_chart(agency, images),
        **chapter_one(agency, year, context.plan, options),
        "units": [u.name for u in Unit.objects.filter(agency=agency).order_by("order", "name")],
    }


def periodic(agency: Agency, period: Period, images: Images) -> dict[str, Any]:
    """The quarterly or semester report: the period's targets, actuals to date, categories."""
    results = achievement.compute(agency, period)
    summary = achievement.summarize(agency, results)
    scale = achievement.scale_for(agency)
    band_labels = {band.code: band.label for band in scale.bands}
    found_budget = budget.for_agency(agency, period.year, period.quarters[-1])
    summaries = achievement.objective_summaries(agency, period, results, found_budget)
    grouped: dict[int, list] = {}
    for r in results:
        grouped.setdefault(r.indicator.objective_id, []).append(r)
    objectives = []
    for number, objective in enumerate(
        Objective.objects.filter(pk__in=grouped).order_by("order", "code"), start=1
    ):
        s = summaries.get(objective.pk)
        objectives.append(
            {
                "no": number,
                "statement": objective.statement,
                "rows": [indicator_row(r, year_figures=False) for r in grouped[objective.pk]],
                "average": pct(s.average if s else None),
                "absorption": pct(s.absorption if s else None),
            }
        )
    chart = images.add(
        "categories",
        achievement_charts.by_category(summary.counts, scale, f"Kategori capaian {period.code}"),
        140,
    )
    budget_lines, budget_total = budget_rows(found_budget)
    return {
        "objectives": objectives,
        "indicator_count": summary.total,
        "average": pct(summary.average),
        "not_reported": summary.not_reported,
        "category_counts": [
            {"label": band_labels.get(c, c), "count": n} for c, n in summary.counts.items()
        ],
        "category_chart": chart,
        "budget": budget_lines,
        "budget_total": budget_total,
    }
