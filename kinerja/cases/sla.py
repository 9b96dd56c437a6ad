"""SLA statistics: pure functions over (step, standard, actual) records, no database access.

The queries that feed them live in :mod:`kinerja.cases.queries`; the pages and the bench call both.
Times are working minutes (see :func:`kinerja.cases.calendar.working_minutes_between`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TaskTime:
    step_key: str  # e.g. the step number "7"
    standard: float | None  # working minutes allowed; None when the step has no time standard
    actual: float  # working minutes taken
    label: str = ""

    @property
    def on_time(self) -> bool:
        return self.standard is None or self.actual <= self.standard + 1e-9


@dataclass(frozen=True)
class StepStats:
    step_key: str
    label: str
    count: int
    standard: float | None
    median: float
    p90: float
    on_time_share: float  # 0..1
    late: int


@dataclass(frozen=True)
class SopStats:
    steps: list[StepStats]
    cases: int
    most_often_late: StepStats | None


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of nothing")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile with linear interpolation between closest ranks (as numpy's default)."""
    if not values:
        raise ValueError("percentile of nothing")
    if not 0 <= p <= 100:
        raise ValueError("p must lie between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def share_on_time(times: Iterable[TaskTime]) -> float:
    times = list(times)
    if not times:
        return 1.0
    return sum(1 for t in times if t.on_time) / len(times)


def _sort_key(key: str) -> tuple:
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def step_statistics(times: Iterable[TaskTime], cases: int = 0) -> SopStats:
    """Per step: median and 90th percentile of the actual time, share on time, number late.

    The step that most often runs late is the one with the most late tasks (ties: the lower share
    on time, then the earlier step); None when nothing ran late.
    """
    grouped: dict[str, list[TaskTime]] = defaultdict(list)
    for t in times:
        grouped[t.step_key].append(t)
    steps: list[StepStats] = []
    for key in sorted(grouped, key=_sort_key):
        group = grouped[key]
        actuals = [t.actual for t in group]
        late = sum(1 for t in group if not t.on_time)
        steps.append(
            StepStats(
                step_key=key,
                label=next((t.label for t in group if t.label), ""),
                count=len(group),
                standard=group[0].standard,
                median=median(actuals),
                p90=percentile(actuals, 90),
                on_time_share=share_on_time(group),
                late=late,
            )
        )
    return SopStats(steps=steps, cases=cases, most_often_late=most_often_late(steps))


def most_often_late(steps: Iterable[StepStats]) -> StepStats | None:
    """The step with the most late tasks (ties: lower share on time, then the earlier step)."""
    late_steps = [s for s in steps if s.late]
    if not late_steps:
        return None
    return min(late_steps, key=lambda s: (-s.late, s.on_time_share, _sort_key(s.step_key)))


def case_totals(times: Iterable[TaskTime]) -> tuple[float, float]:
    """Total standard and total actual working minutes of one case."""
    standard = actual = 0.0
    for t in times:
        standard += t.standard or 0
        actual += t.actual
    return standard, actual
