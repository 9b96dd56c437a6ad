"""Renstra export as XLSX, in the layout of :mod:`.layout`."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from kinerja.core.xlsx import (
    write_sheet,
)
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


def export_plan(plan: StrategicPlan) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN[0]
    write_sheet(ws, PLAN[1], [[plan.start_year, plan.end_year, plan.title, plan.rpjmd_reference]])
    write_sheet(
        wb.create_sheet(GOALS[0]), GOALS[1], [[g.code, g.statement] for g in plan.goals.all()]
    )
    objectives = list(plan.objectives.select_related("goal", "parent", "unit"))
    write_sheet(
        wb.create_sheet(OBJECTIVES[0]),
        OBJECTIVES[1],
        [
            [
                o.code,
                o.statement,
                o.level,
                o.goal.code if o.goal else "",
                o.parent.code if o.parent else "",
                o.unit.code if o.unit else "",
            ]
            for o in objectives
        ],
    )
    indicators = list(
        Indicator.objects.filter(objective__plan=plan).select_related("objective", "unit")
    )
    labels = {
        formulas.CUMULATIVE: "kumulatif",
        formulas.LAST: "posisi akhir",
        formulas.AVERAGE: "rata-rata",
    }
    write_sheet(
        wb.create_sheet(INDICATORS[0]),
        INDICATORS[1],
        [
            [
                i.objective.code,
                i.code,
                i.name,
                i.unit_of_measure,
                "positif" if i.polarity == "positive" else "negatif",
                i.formula,
                labels.get(i.aggregation, i.aggregation),
                {"number": "angka", "range": "rentang", "lookup": "kualitatif"}[i.target_kind],
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
            for i in indicators
        ],
    )
    write_sheet(
        wb.create_sheet(TARGETS[0]),
        TARGETS[1],
        [
            [
                t.indicator.objective.code,
                t.indicator.code,
                t.year,
                _dec(t.value),
                _dec(t.upper),
                t.text,
            ]
            for t in Target.objects.filter(indicator__objective__plan=plan).select_related(
                "indicator__objective"
            )
        ],
    )
    rows = []
    for ceiling in BudgetCeiling.objects.filter(
        sub_activity__activity__program__agency=plan.agency,
        year__gte=plan.start_year,
        year__lte=plan.end_year,
    ).select_related("sub_activity__activity__program__objective", "sub_activity__unit"):
        sub = ceiling.sub_activity
        program = sub.activity.program
        rows.append(
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
    write_sheet(wb.create_sheet(BUDGET[0]), BUDGET[1], rows)
    write_sheet(
        wb.create_sheet(AGREEMENTS[0]),
        AGREEMENTS[1],
        [
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
        ],
    )
    write_sheet(
        wb.create_sheet(ACTION_PLAN[0]),
        ACTION_PLAN[1],
        [
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
            .order_by(
                "action_plan__year", "indicator__objective__order", "indicator__order", "quarter"
            )
        ],
    )
    return wb
