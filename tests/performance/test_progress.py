"""Progress toward the Renstra end target (analysis 3) uses the indicator's polarity and formula.

The expected figures are worked out here by hand from docs/domain.md §5 (N1 for lower-is-better, N4
for a zero target, the nearer bound of a range), from the stored actuals and end targets.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency
from kinerja.performance.models import Actual, Indicator, Target
from kinerja.performance.services import achievement

pytestmark = pytest.mark.django_db


def _r2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _result(agency: Agency, code: str, year: int = 2024):
    indicator = Indicator.objects.for_agency(agency).get(code=code)
    (found,) = achievement.compute(agency, Period(year), [indicator])
    return indicator, found


def _last_value(indicator: Indicator, year: int) -> Decimal:
    return Actual.objects.filter(indicator=indicator, year=year).order_by("-quarter")[0].value


def test_lower_is_better_progress_is_n1_not_actual_over_target(dkukmtk):
    indicator, found = _result(dkukmtk, "IKU-3")  # unemployment, posisi akhir
    actual, end = _last_value(indicator, 2024), indicator.end_target
    assert (actual, end) == (Decimal("5.72"), Decimal("4.2"))
    assert found.progress.formula == "N1"
    assert found.progress.value == _r2((2 * end - actual) / end * 100) == Decimal("63.81")
    assert found.progress.value != _r2(actual / end * 100)  # the 136,19% that was printed


def test_cumulative_lower_is_better_and_zero_end_target(dkukmtk):
    k4, found = _result(dkukmtk, "K-4")  # cases, kumulatif, end target 7
    actual = sum(a.value for a in Actual.objects.filter(indicator=k4, year=2024))
    end = k4.end_target
    assert found.end.value == end and found.actual.value == actual
    assert found.progress.value == max(_r2((2 * end - actual) / end * 100), Decimal(0))
    k5, zero = _result(dkukmtk, "K-5")  # fatal accidents, end target 0: N4
    assert zero.end.value == 0
    reported = sum(a.value for a in Actual.objects.filter(indicator=k5, year=2024))
    assert zero.progress.formula == "N4"
    assert zero.progress.value == (Decimal(100) if reported <= 0 else Decimal(0))


def test_higher_is_better_progress(dkukmtk):
    indicator, found = _result(dkukmtk, "IKU-1")
    actual = _last_value(indicator, 2024)
    assert found.progress.formula == "P"
    assert found.progress.value == _r2(actual / indicator.end_target * 100)


def test_range_end_target_uses_the_nearer_bound(perf):
    ktt = Agency.objects.get(code="KTT_BLG")
    indicator, found = _result(ktt, "K-2")  # negative, rata-rata, end target 2–3
    last = Target.objects.filter(indicator=indicator).order_by("-year")[0]
    assert (found.end.value, found.end.upper) == (last.value, last.upper)
    values = [a.value for a in Actual.objects.filter(indicator=indicator, year=2024)]
    actual = sum(values) / len(values)
    if last.value <= actual <= last.upper:
        expected = Decimal(100)
    else:
        bound = last.value if actual < last.value else last.upper
        expected = max((2 * bound - actual) / bound * 100, Decimal(0))
    assert found.progress.formula == "RN"
    assert found.progress.value == _r2(expected)


def test_grade_end_target_is_scored_by_its_table(dkukmtk):
    indicator, found = _result(dkukmtk, "K-8")  # predikat SAKIP, ratio table, end target "A"
    last = Target.objects.filter(indicator=indicator).order_by("-year")[0]
    scores = {e.label: e.score for e in indicator.lookup_table.entries.all()}
    actual = Actual.objects.filter(indicator=indicator, year=2024).order_by("-quarter")[0].text
    assert indicator.lookup_table.mode == "ratio" and found.end.text == last.text
    assert found.progress.formula == "L"
    assert found.progress.value == _r2(scores[actual] / scores[last.text] * 100)
