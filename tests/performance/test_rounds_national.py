"""The national computation gives the per-agency achievement service's counts: PK targets of the
year where a PK exists (the latest signed version, else the latest draft), the Renstra's
otherwise, and lookup (qualitative, milestone) and component indicators through the same
formulas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency, Position
from kinerja.performance.models import (
    Actual,
    AgreementIndicator,
    Indicator,
    LookupEntry,
    LookupTable,
    Objective,
    PerformanceAgreement,
    PerformanceSettings,
    StrategicPlan,
    Target,
)
from kinerja.performance.services import achievement, national

pytestmark = pytest.mark.django_db
YEAR = 2026


def _agency(template: Agency, code: str) -> tuple[Agency, Objective, Position]:
    agency = Agency.objects.create(
        region=template.region,
        name=f"Dinas Uji {code}",
        code=code,
        kind=template.kind,
        time_zone=template.time_zone,
    )
    head = Position.objects.create(
        agency=agency, name="Kepala Dinas", code="KADIS", kind="struktural"
    )
    plan = StrategicPlan.objects.create(
        agency=agency, title="Renstra", start_year=2025, end_year=2029
    )
    objective = Objective.objects.create(plan=plan, level="strategis", code="SS1", statement="S")
    return agency, objective, head


def _indicator(objective, code, *, target=None, text="", actuals=(), **fields) -> Indicator:
    indicator = Indicator.objects.create(
        objective=objective,
        code=code,
        name=f"Indikator {code}",
        unit_of_measure="%",
        aggregation=fields.pop("aggregation", "kumulatif"),
        **fields,
    )
    if target is not None or text:
        Target.objects.create(indicator=indicator, year=YEAR, value=target, text=text)
    for quarter, value in enumerate(actuals, start=1):
        if value is None:
            continue
        if isinstance(value, str):
            Actual.objects.create(indicator=indicator, year=YEAR, quarter=quarter, text=value)
        elif isinstance(value, tuple):
            Actual.objects.create(
                indicator=indicator,
                year=YEAR,
                quarter=quarter,
                numerator=Decimal(value[0]),
                denominator=Decimal(value[1]),
            )
        else:
            Actual.objects.create(
                indicator=indicator, year=YEAR, quarter=quarter, value=Decimal(value)
            )
    return indicator


def _agreement(agency, head, version, status, targets: dict[Indicator, Decimal | str]):
    agreement = PerformanceAgreement.objects.create(
        agency=agency, year=YEAR, version=version, status=status, first_party=head
    )
    for indicator, value in targets.items():
        if isinstance(value, str):
            AgreementIndicator.objects.create(agreement=agreement, indicator=indicator, text=value)
        else:
            AgreementIndicator.objects.create(agreement=agreement, indicator=indicator, value=value)
    return agreement


@pytest.fixture
def synthetic(dkukmtk):
    grades = LookupTable.objects.create(name="Predikat SAKIP", mode="ratio")
    for order, (label, score) in enumerate([("C", 50), ("B", 65), ("BB", 75), ("A", 85)]):
        LookupEntry.objects.create(table=grades, label=label, score=score, order=order)
    milestones = LookupTable.objects.create(name="Tahapan Perda", mode="direct")
    for order, (label, score) in enumerate([("Draf", 50), ("Pembahasan", 75), ("Ditetapkan", 100)]):
        LookupEntry.objects.create(table=milestones, label=label, score=score, order=order)

    signed, objective, head = _agency(dkukmtk, "UJI-PK-SIGNED")
    PerformanceSettings.objects.create(agency=signed, negative_formula="N2")
    # Renstra 100, the signed PK 80 (the later draft's 200 does not count): 90 → 112,5 (ST)
    a = _indicator(objective, "A", target=Decimal(100), actuals=(20, 25, 20, 25))
    b = _indicator(
        objective,
        "B",
        target=Decimal(10),
        actuals=(None, None, None, 12),
        polarity="negative",
        aggregation="posisi_akhir",
    )  # N2 from the agency's settings: 10 / 12 × 100 = 83,33 (T)
    grade = _indicator(
        objective,
        "C",
        text="A",
        actuals=(None, None, None, "  b "),
        target_kind="lookup",
        lookup_table=grades,
        aggregation="posisi_akhir",
    )  # the PK asks for "BB": 65 / 75 × 100 = 86,67 (T); against the Renstra's "A" 76,47 (S)
    _indicator(
        objective,
        "D",
        text="Ditetapkan",
        target_kind="lookup",
        lookup_table=milestones,
        aggregation="posisi_akhir",
    )  # not reported
    _indicator(
        objective,
        "E",
        target=Decimal(30),
        actuals=((3, 200),) + (None,) * 3,
        numerator_label="kasus",
        denominator_label="penduduk",
        multiplier=Decimal(1000),
        polarity="negative",
        formula="N1",
        aggregation="posisi_akhir",
    )  # 15 against 30, N1: 150 (ST)
    _indicator(objective, "F", actuals=(5,))  # no target: not computable
    _agreement(signed, head, 1, "signed", {a: Decimal(80), grade: "BB"})
    _agreement(signed, head, 2, "draft", {a: Decimal(200), b: Decimal(1)})

    draft, objective, head = _agency(dkukmtk, "UJI-PK-DRAFT")
    g = _indicator(objective, "G", target=Decimal(50), actuals=(10, 10, 10, 10))
    _indicator(
        objective,
        "H",
        text="Ditetapkan",
        actuals=("Draf", "Pembahasan"),
        target_kind="lookup",
        lookup_table=milestones,
        aggregation="posisi_akhir",
    )
    _agreement(draft, head, 1, "draft", {g: Decimal(100)})  # 40 / 50 = 80 (T); PK 100: 40 (SR)
    _agreement(draft, head, 2, "draft", {g: Decimal(40)})  # the latest draft: 100 (ST)
    return signed, draft


def test_national_counts_equal_the_agency_service(synthetic):
    signed, draft = synthetic
    found = national.year_counts(YEAR, [signed.pk, draft.pk])
    for agency in (signed, draft):
        results = achievement.compute(agency, Period(YEAR))
        summary = achievement.summarize(agency, results)
        counts = found[agency.pk]
        assert {k: v for k, v in summary.counts.items() if v} == counts.counts
        assert (summary.not_reported, summary.not_computable) == (
            counts.not_reported,
            counts.not_computable,
        )
        assert summary.average == counts.average
    assert found[signed.pk].counts == {"ST": 2, "T": 2}
    assert (found[signed.pk].not_reported, found[signed.pk].not_computable) == (1, 1)
    assert found[draft.pk].counts == {"ST": 1, "S": 1}  # G against 40: 100; H "Pembahasan": 75


def test_the_pk_target_and_the_lookup_are_what_decide(synthetic):
    signed, draft = synthetic
    by_code = {r.indicator.code: r for r in achievement.compute(signed, Period(YEAR))}
    assert by_code["A"].year_target.value == 80 and by_code["A"].result.value == Decimal("112.50")
    assert by_code["C"].result.value == Decimal("86.67")
    assert by_code["B"].result.formula == "N2"
    by_code = {r.indicator.code: r for r in achievement.compute(draft, Period(YEAR))}
    assert by_code["G"].year_target.value == 40


def test_each_agency_is_rated_on_its_own_regions_scale_and_cap(synthetic):
    """A province-wide scale, a stricter regency scale and an agency's own cap: the national
    pass rates every agency as the per-agency service does."""
    from kinerja.performance.models import CategoryBand, CategoryScale

    signed, draft = synthetic
    region = signed.region

    def scale(name: str, where, bands: list[tuple[str, str | None]]) -> CategoryScale:
        made = CategoryScale.objects.create(name=name, region=where)
        for order, (code, lower) in enumerate(bands):
            CategoryBand.objects.create(
                scale=made, code=code, label=code, lower=None if lower is None else Decimal(lower),
                order=order,
            )  # fmt: skip
        return made

    if region.parent_id:
        scale("Provinsi", region.parent, [("P1", "50"), ("P0", None)])
    scale("Kabupaten ketat", region, [("A", "110"), ("B", "90"), ("C", None)])
    PerformanceSettings.objects.update_or_create(
        agency=draft, defaults={"averaging_cap": Decimal("100")}
    )
    found = national.year_counts(YEAR, [signed.pk, draft.pk])
    for agency in (signed, draft):
        summary = achievement.summarize(agency, achievement.compute(agency, Period(YEAR)))
        assert {k: v for k, v in summary.counts.items() if v} == found[agency.pk].counts
        assert summary.average == found[agency.pk].average
    assert set(found[signed.pk].counts) <= {"A", "B", "C"}  # the regency's scale, not the default
    assert found[signed.pk].counts == {"A": 2, "C": 2}  # two above 110, two at or below 90
