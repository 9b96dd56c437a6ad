"""SLA statistics: pure functions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.cases.sla import TaskTime, case_totals, median, percentile, step_statistics


def test_median_and_percentile():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == pytest.approx(9.1)
    assert percentile([5], 90) == 5
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        percentile([1], 101)


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=50))
def test_percentiles_lie_between_min_and_max_and_are_ordered(values):
    p50, p90 = percentile(values, 50), percentile(values, 90)
    assert min(values) <= p50 <= p90 <= max(values)
    assert median(values) == pytest.approx(p50)


def test_step_statistics_and_most_often_late():
    times = [
        TaskTime("1", 10, 5),
        TaskTime("1", 10, 12),
        TaskTime("2", 60, 30),
        TaskTime("2", 60, 90),
        TaskTime("2", 60, 100),
        TaskTime("10", None, 4000),
    ]
    stats = step_statistics(times, cases=3)
    assert [s.step_key for s in stats.steps] == ["1", "2", "10"]
    one, two, ten = stats.steps
    assert one.median == 8.5 and one.late == 1 and one.on_time_share == 0.5
    assert two.median == 90 and two.late == 2 and two.on_time_share == pytest.approx(1 / 3)
    assert ten.on_time_share == 1
    assert stats.most_often_late.step_key == "2"
    assert case_totals(times[:3]) == (80, 47)


def test_nothing_late():
    assert step_statistics([TaskTime("1", 10, 10)]).most_often_late is None
    assert step_statistics([]).steps == []
