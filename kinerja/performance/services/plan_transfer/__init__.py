"""Renstra import and export as XLSX: goals, objectives, indicators, yearly targets and budget.

The import reads every sheet first, collecting located issues; when there is any, nothing is
written. Rows are matched by code, so importing the export of a plan changes nothing.
"""

from kinerja.performance.services.plan_transfer.exporting import export_plan
from kinerja.performance.services.plan_transfer.importing import ImportSummary, import_plan
from kinerja.performance.services.plan_transfer.layout import (
    ACTION_PLAN,
    AGREEMENTS,
    BUDGET,
    GOALS,
    INDICATORS,
    OBJECTIVES,
    PLAN,
    TARGETS,
)

__all__ = [
    "ACTION_PLAN",
    "AGREEMENTS",
    "BUDGET",
    "GOALS",
    "INDICATORS",
    "OBJECTIVES",
    "PLAN",
    "TARGETS",
    "ImportSummary",
    "export_plan",
    "import_plan",
]
