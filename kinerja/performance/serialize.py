"""Plain dictionaries of achievement results, for ``--json`` output and the HTTP API.

One shape for both, so a script reading ``kinerja achievement --json`` and a system reading
``/api/v1/agencies/<code>/achievement/`` see the same fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance.services import budget
from kinerja.performance.services.achievement import IndicatorResult, Summary


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def result_to_dict(r: IndicatorResult) -> dict[str, Any]:
    return {
        "code": r.indicator.code,
        "name": r.indicator.name,
        "actual": _text(r.actual.value),
        "target": _text(r.target.value),
        "category": r.category.code if r.category else None,
        "data_status": r.data_status,
        **r.result.as_dict(),
        "year_value": _text(r.year_result.value),
        "end_target": _text(r.end.value),
        "end_target_upper": _text(r.end.upper),
        "progress": _text(r.progress.value),
        "progress_formula": r.progress.formula,
    }


def budget_to_dict(found: budget.Budget) -> dict[str, Any]:
    """The year's pagu, realisasi up to the quarter and serapan: in total and per program."""

    def amounts(a: budget.Amounts) -> dict[str, str | None]:
        return {
            "ceiling": _text(a.ceiling),
            "spent": _text(a.spent),
            "absorption": _text(a.absorption),
        }

    return {
        "year": found.year,
        "up_to_quarter": found.up_to_quarter,
        **amounts(found.total),
        "programs": [
            {"code": p.program.code, "name": p.program.name, **amounts(p.amounts)}
            for p in found.programs
        ],
    }


def achievement_to_dict(
    agency: Agency, period: Period, results: list[IndicatorResult], summary: Summary
) -> dict[str, Any]:
    """Achievement of the period with the budget up to its last quarter (budget service)."""
    found = budget.for_agency(agency, period.year, period.quarters[-1])
    return {
        "agency": agency.code,
        "period": period.code,
        "indicators": [result_to_dict(r) for r in results],
        "summary": {
            "counts": summary.counts,
            "average": _text(summary.average),
            "cap": _text(summary.cap),
            "not_reported": summary.not_reported,
            "not_computable": summary.not_computable,
        },
        "budget": budget_to_dict(found),
    }
