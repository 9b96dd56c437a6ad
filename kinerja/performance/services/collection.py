"""Collection rounds and submissions, the names callers import from here.

The work is split along its seam: :mod:`.rounds` (open a round and freeze its indicators, the fill
and review windows, reminders, status) and :mod:`.submissions` (check a unit's figures and store
them as a new immutable version with the actuals' history). Every state change is audited.
"""

from __future__ import annotations

from kinerja.performance.services.rounds import (
    RoundError,
    UnitStatus,
    accept,
    all_submitted,
    can_submit,
    close,
    default_windows,
    mark,
    open_round,
    remind,
    reopen,
    reporting_unit,
    return_submission,
    returned,
    review_open,
    round_indicators,
    serve_case,
    status,
    sub_activities_of,
    units_of,
)
from kinerja.performance.services.submissions import (
    Problem,
    SpendingInput,
    SubmissionRejected,
    ValueInput,
    check,
    submit,
)

__all__ = [
    "Problem",
    "RoundError",
    "SpendingInput",
    "SubmissionRejected",
    "UnitStatus",
    "ValueInput",
    "accept",
    "all_submitted",
    "can_submit",
    "check",
    "close",
    "default_windows",
    "mark",
    "open_round",
    "remind",
    "reopen",
    "reporting_unit",
    "return_submission",
    "returned",
    "review_open",
    "round_indicators",
    "serve_case",
    "status",
    "sub_activities_of",
    "submit",
    "units_of",
]
