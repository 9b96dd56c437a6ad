"""Renstra export as XLSX, in the layout of :mod:`.layout`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from kinerja.core.xlsx import write_sheet
from kinerja.performance import formulas
from kinerja.performance.models import (
    ActionPlanTarget,
    AgreementIndicator,
    BudgetCeiling,
    Indicator,
    StrategicPlan,
    Target,
)
from kinerja.performance.services.planning.transfer.layout import (
    ACTION_PLAN,
    AGREEMENTS,
    BUDGET,
    GOALS,
    INDICATORS,
    OBJECTIVES,
    PLAN,
    TARGETS,
)


def _dec(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


AGGREGATION_LABELS = {
    formulas.CUMULATIVE: "kumulatif",
    formulas.LAST: "posisi akhir",
    formulas.AVERAGE: "rata-rata",
}
TARGET_KIND_LABELS = {"number": "angka", "range": "rentang", "lookup": "kualitatif"}

Lines = list[list[Any]]


def export_plan(plan: StrategicPlan) -> Workbook:
    """The plan's workbook: one sheet per layout, in the order an import reads them."""
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN[0]
    write_sheet(ws, PLAN[1], [[plan.start_year, plan.end_year, plan.title, plan.rpjmd_reference]])
    sheets = [
        (GOALS, [[g.code, g.statement] for g in plan.goals.all()]),
        (OBJECTIVES, _objective_lines(plan)),
        (INDICATORS, _indicator_lines(plan)),
        (TARGETS, _target_lines(plan)),
        (BUDGET, _budget_lines(plan)),
        (AGREEMENTS, _agreement_lines(plan)),
        (ACTION_PLAN, _quarter_target_lines(plan)),
    ]
    for (title, headers), lines in sheets:
        write_sheet(wb.create_sheet(title), headers, lines)
    return wb


def _objective_lines(plan: StrategicPlan) -> Lines:
    return [
        [
            o.code,
            o.statement,
            o.level,
            o.goal.code if o.goal else "",
            o.parent.code if o.parent else "",
            o.unit.code if o.unit else "",
        ]
        for o in plan.objectives.select_related("goal", "parent", "unit")
    ]


def _indicator_lines(plan: StrategicPlan) -> Lines:
    return [
        [
            i.objective.code,
            i.code,
            i.name,
            i.unit_of_measure,
            "positif" if i.polarity == "positive" else "negatif",
            i.formula,
            AGGREGATION_LABELS.get(i.aggregation, i.aggregation),
            TARGET_KIND_LABELS[i.target_kind],
            i.decimals,
            "Ya" if i.is_percentage else "Tidak",
            _dec(i.max_value),
            "Ya" if i.is_key else "Tidak",
            i.baseline_year,
            _dec(i.baseline),
            _dec(i.end_target),
            _dec(i.national_standard),
            i.national_standard_source,
            i.unit.code if i.unit else "",
            i.definition,
            i.data_source,
            i.evidence_kinds,
        ]
        for i in Indicator.objects.filter(objective__plan=plan).select_related("objective", "unit")
    ]


def _target_lines(plan: StrategicPlan) -> Lines:
    return [
        [t.indicator.objective.code, t.indicator.code, t.year, _dec(t.value), _dec(t.upper), t.text]
        for t in Target.objects.filter(indicator__objective__plan=plan).select_related(
            "indicator__objective"
        )
    ]


def _budget_lines(plan: StrategicPlan) -> Lines:
    """The agency's ceilings for the plan's years, with their sub-activity, activity and program."""
    lines = []
    for ceiling in BudgetCeiling.objects.filter(
        sub_activity__activity__program__agency=plan.agency,
        year__gte=plan.start_year,
        year__lte=plan.end_year,
    ).select_related("sub_activity__activity__program__objective", "sub_activity__unit"):
        sub = ceiling.sub_activity
        program = sub.activity.program
        lines.append(
            [
                program.code,
                program.name,
                program.objective.code if program.objective else "",
                sub.activity.code,
                sub.activity.name,
                sub.code,
                sub.name,
                sub.unit.code if sub.unit else "",
                ceiling.year,
                _dec(ceiling.amount),
            ]
        )
    return lines


def _agreement_lines(plan: StrategicPlan) -> Lines:
    """The agency's PK targets for the plan's indicators, by year, version and indicator order."""
    return [
        [
            row.agreement.year,
            row.agreement.version,
            "ditandatangani" if row.agreement.status == "signed" else "draft",
            row.agreement.signed_on,
            row.agreement.second_party_title,
            row.indicator.objective.code,
            row.indicator.code,
            _dec(row.value),
            _dec(row.upper),
            row.text,
        ]
        for row in AgreementIndicator.objects.filter(
            agreement__agency=plan.agency, indicator__objective__plan=plan
        )
        .select_related("agreement", "indicator__objective")
        .order_by(
            "agreement__year",
            "agreement__version",
            "indicator__objective__order",
            "indicator__order",
        )
    ]


def _quarter_target_lines(plan: StrategicPlan) -> Lines:
    """The agency's action plan targets for the plan's indicators, by year, indicator, quarter."""
    return [
        [
            t.action_plan.year,
            t.indicator.objective.code,
            t.indicator.code,
            t.quarter,
            _dec(t.value),
            _dec(t.upper),
            t.text,
            t.activities,
        ]
        for t in ActionPlanTarget.objects.filter(
            action_plan__agency=plan.agency, indicator__objective__plan=plan
        )
        .select_related("action_plan", "indicator__objective")
        .order_by("action_plan__year", "indicator__objective__order", "indicator__order", "quarter")
    ]
