"""The achievement service on the demo data: stored with formula ids, summaries, CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from kinerja.core.periods import Period
from kinerja.performance.models import Achievement, Actual, Indicator, PerformanceSettings
from kinerja.performance.services import achievement

pytestmark = pytest.mark.django_db


def test_store_keeps_formula_id_and_category(dkukmtk):
    results = achievement.store(dkukmtk, Period(2024))
    assert 8 <= len(results) <= 15
    rows = Achievement.objects.for_agency(dkukmtk).for_period("2024")
    assert rows.count() == len(results)
    iku3 = rows.get(indicator__code="IKU-3")
    assert iku3.formula == "N1" and iku3.explanation.startswith("(2 × 4,6 − ")
    assert rows.get(indicator__code="K-5").formula == "N4"
    assert rows.get(indicator__code="K-8").formula == "L"
    annotated = Indicator.objects.for_agency(dkukmtk).with_achievement("2024").get(code="IKU-3")
    assert annotated.achievement_formula == "N1" and annotated.achievement_value == iku3.value
    counts = rows.category_counts()
    assert sum(counts.values()) == rows.computed().count()
    (per_agency,) = rows.per_agency()
    assert per_agency["total"] == rows.computed().count()


def test_missing_quarter_is_not_reported(dkukmtk):
    k2 = Indicator.objects.for_agency(dkukmtk).get(code="K-2")
    Actual.objects.filter(indicator=k2, year=2024, quarter=4).delete()
    (result,) = achievement.compute(dkukmtk, Period(2024), [k2])
    assert result.actual.missing == (4,)
    assert "belum dilaporkan" in result.actual.explanation
    (q1,) = achievement.compute(dkukmtk, Period(2026, "quarter", 1), [k2])
    assert q1.result.status == "not_reported" and q1.result.value is None


def test_pk_perubahan_target_and_agency_cap(dkukmtk):
    iku2 = Indicator.objects.for_agency(dkukmtk).get(code="IKU-2")
    (result,) = achievement.compute(dkukmtk, Period(2025), [iku2])
    assert result.year_target.value == Decimal("3.5") and "Perubahan" in result.year_target.source
    PerformanceSettings.objects.filter(agency=dkukmtk).update(averaging_cap=100)
    summary = achievement.summarize(dkukmtk, achievement.compute(dkukmtk, Period(2024)))
    assert summary.cap == 100 and "dibatasi" in summary.average_explanation


def test_semester_uses_quarters(dkukmtk):
    k3 = Indicator.objects.for_agency(dkukmtk).get(code="K-3")
    values = {a.quarter: a.value for a in Actual.objects.filter(indicator=k3, year=2024)}
    (s1,) = achievement.compute(dkukmtk, Period(2024, "semester", 1), [k3])
    assert s1.actual.value == values[1] + values[2]


def test_efficiency_per_objective(dkukmtk):
    results = achievement.compute(dkukmtk, Period(2024))
    summaries = achievement.objective_summaries(dkukmtk, Period(2024), results)
    strategic = [s for s in summaries.values() if s.ceiling]
    assert strategic and all(s.absorption is not None for s in strategic)
    assert any(s.efficiency.computed for s in strategic)


def test_cli_single_and_agency(dkukmtk, capsys):
    call_command("achievement", "--target", "32", "--actual", "4,88", "--polarity", "negative")
    assert "(2 × 32 − 4,88) / 32 × 100 = 184,75" in capsys.readouterr().out
    call_command(
        "achievement", "--target", "0", "--actual", "1", "--polarity", "negative", "--json"
    )
    assert json.loads(capsys.readouterr().out)["formula"] == "N4"
    call_command("achievement", "--agency", "DKUKMTK-BLG", "--period", "2024", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2024" and len(data["indicators"]) == 11
    assert all(i["formula"] for i in data["indicators"])


def test_demo_is_idempotent(dkukmtk):
    from kinerja.performance import demo

    before = Indicator.objects.count(), Actual.objects.count(), Achievement.objects.count()
    demo.load_office("DKUKMTK-BLG")
    assert (
        Indicator.objects.count(),
        Actual.objects.count(),
        Achievement.objects.count(),
    ) == before


def test_national_path_agrees_with_agency_service(dkukmtk):
    from kinerja.performance.services import national

    # lookup indicators included; PK targets: see tests/performance/test_rounds_national.py
    results = [r for r in achievement.compute(dkukmtk, Period(2024)) if r.category is not None]
    counts = national.year_counts(2024, [dkukmtk.pk])[dkukmtk.pk]
    expected: dict[str, int] = {}
    for r in results:
        expected[r.category.code] = expected.get(r.category.code, 0) + 1
    assert counts.counts == expected
    assert counts.computed == len(results)


def test_indicator_from_components(perf):
    from kinerja.organisation.models import Agency

    dinkes = Agency.objects.get(code="DINKES-BLG")
    akb = Indicator.objects.for_agency(dinkes).get(code="IKU-1")
    q4 = Actual.objects.get(indicator=akb, year=2024, quarter=4)
    assert q4.value is None and q4.denominator
    (result,) = achievement.compute(dinkes, Period(2024), [akb])
    assert result.actual.value == q4.numerator / q4.denominator * 1000
    assert result.result.formula == "N1" and result.result.computed
