"""Plain dictionaries of achievement results, for ``--json`` output and the HTTP API.

One shape for both, so a script reading ``kinerja achievement --json`` and a system reading
``/api/v1/agencies/<code>/achievement/`` see the same fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
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
    }


def achievement_to_dict(
    agency: Agency, period: Period, results: list[IndicatorResult], summary: Summary
) -> dict[str, Any]:
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
    }
