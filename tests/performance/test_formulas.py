"""The formulas of docs/domain.md §5-§6: worked examples and properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.performance import formulas as f

positive_numbers = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
numbers = st.decimals(min_value=D("0"), max_value=D("100000"), places=2)


def test_n1_worked_example_and_explanation():
    result = f.achievement(32, D("4.88"), f.NEGATIVE)
    assert result.value == D("184.75")
    assert result.formula == "N1"
    assert result.explanation == "(2 × 32 − 4,88) / 32 × 100 = 184,75"


def test_positive():
    result = f.achievement(80, 70, f.POSITIVE)
    assert result.value == D("87.50") and result.formula == "P"
    assert result.explanation == "70 / 80 × 100 = 87,50"


def test_n2_and_zero_actual():
    assert f.achievement(10, 8, f.NEGATIVE, "N2").value == D("125.00")
    result = f.achievement(10, 0, f.NEGATIVE, "N2")
    assert result.status == f.NOT_COMPUTABLE and result.value is None


def test_n1_floor_at_zero():
    result = f.achievement(10, 25, f.NEGATIVE)
    assert result.value == D("0.00")
    assert "dibatasi" in result.explanation


@pytest.mark.parametrize(
    ("polarity", "actual", "expected"),
    [(f.NEGATIVE, 0, D(100)), (f.NEGATIVE, 1, D(0)), (f.POSITIVE, 0, D(100))],
)
def test_zero_target_uses_n4(polarity, actual, expected):
    result = f.achievement(0, actual, polarity)
    assert result.formula == "N4" and result.value == expected


@pytest.mark.parametrize(
    ("polarity", "actual", "expected"),
    [
        (f.POSITIVE, 70, D("87.50")),
        (f.POSITIVE, 92, D("102.22")),  # the source prints 113%: an arithmetic slip
        (f.POSITIVE, 85, D("100.00")),
        (f.NEGATIVE, D("6.5"), D("107.14")),
        (f.NEGATIVE, 9, D("87.50")),
        (f.NEGATIVE, D("7.5"), D("100.00")),
    ],
)
def test_range_targets_worked_examples(polarity, actual, expected):
    low, high = (80, 90) if polarity == f.POSITIVE else (7, 8)
    result = f.achievement(low, actual, polarity, upper=high)
    assert result.value == expected
    assert result.formula == ("RP" if polarity == f.POSITIVE else "RN")


def test_missing_actual_is_not_reported_never_zero():
    result = f.achievement(10, None, f.POSITIVE)
    assert result.status == f.NOT_REPORTED and result.value is None
    assert f.achievement(None, 5).status == f.NOT_COMPUTABLE


def test_lookup_modes():
    grades = f.LookupTable({"A": D(90), "BB": D(75), "B": D(65)}, mode="ratio")
    assert f.lookup_achievement(grades, "BB", "A").value == D("120.00")
    milestones = f.LookupTable({"draft": 50, "pembahasan": 75, "ditetapkan": 100})
    assert f.lookup_achievement(milestones, "ditetapkan", "Pembahasan").value == D("75.00")
    binary = f.LookupTable({"tercapai": 100, "tidak tercapai": 0})
    assert f.lookup_achievement(binary, "tercapai", "tidak tercapai").value == D("0.00")
    assert f.lookup_achievement(binary, "tercapai", "entah").status == f.NOT_COMPUTABLE
    assert f.lookup_achievement(binary, "tercapai", None).status == f.NOT_REPORTED


QUARTERS = {1: D(10), 2: D(20), 3: None, 4: D(40)}


@pytest.mark.parametrize(
    ("kind", "quarters", "expected", "missing"),
    [
        (f.CUMULATIVE, (1, 2, 3, 4), D(70), (3,)),
        (f.LAST, (1, 2, 3, 4), D(40), (3,)),
        (f.AVERAGE, (1, 2, 3, 4), D(70) / 3, (3,)),
        (f.CUMULATIVE, (1, 2), D(30), ()),
        (f.LAST, (1, 2, 3), D(20), (3,)),
        (f.AVERAGE, (1, 2), D(15), ()),
    ],
)
def test_aggregation(kind, quarters, expected, missing):
    result = f.aggregate(QUARTERS, quarters, kind)
    assert result.value == expected
    assert result.missing == missing


def test_semesters_and_to_date():
    assert f.semester(QUARTERS, 1, f.CUMULATIVE).value == D(30)
    assert f.semester(QUARTERS, 2, f.CUMULATIVE).value == D(40)
    assert f.semester(QUARTERS, 2, f.LAST).value == D(40)
    assert f.semester({1: D(1)}, 2, f.AVERAGE).value is None
    assert f.to_date(QUARTERS, 3, f.CUMULATIVE).value == D(30)
    assert f.aggregate({}, (1, 2, 3, 4), f.LAST).status == f.NOT_REPORTED


def test_category_bounds_half_open():
    scale = f.PERMENDAGRI_86_2017
    assert scale.category(D("90.01")).code == "ST"
    assert scale.category(D(150)).code == "ST"
    assert scale.category(D(90)).code == "T"
    assert scale.category(D("75.001")).code == "T"
    assert scale.category(D(75)).code == "S"
    assert scale.category(D(65)).code == "R"
    assert scale.category(D(50)).code == "SR"
    assert scale.category(D(-5)).code == "SR"
    assert scale.category(None) is None


def test_other_scale_as_data():
    maluku = [
        f.Band("M", "Memuaskan", D(85)),
        f.Band("SB", "Sangat Baik", D(75)),
        f.Band("B", "Baik", D(65)),
        f.Band("CB", "Cukup Baik", D(50)),
        f.Band("AK", "Agak Kurang", D(30)),
        f.Band("K", "Kurang", None),
    ]
    assert f.category(D(86), maluku).code == "M"
    assert f.category(D(30), maluku).code == "K"


def test_average_with_and_without_cap():
    assert f.average([D(100), D("184.75"), None])[0] == D("142.38")
    value, text = f.average([D(100), D("184.75")], cap=120)
    assert value == D("110.00") and "120" in text
    assert f.average([None])[0] is None


def test_components():
    assert f.component_value(3, 1500, 1000) == D(2)
    assert f.component_value(3, 0, 1000) is None


@given(t=positive_numbers, r1=numbers, r2=numbers)
def test_positive_is_monotonic(t, r1, r2):
    low, high = sorted((r1, r2))
    assert f.achievement(t, low).value <= f.achievement(t, high).value


@given(t=positive_numbers, r1=numbers, r2=numbers, formula=st.sampled_from(["N1", "N2"]))
def test_negative_is_antitone(t, r1, r2, formula):
    low, high = sorted((r1, r2))
    a, b = f.achievement(t, low, f.NEGATIVE, formula), f.achievement(t, high, f.NEGATIVE, formula)
    if a.computed and b.computed:
        assert a.value >= b.value


@given(
    lower=positive_numbers,
    width=numbers,
    r1=numbers,
    r2=numbers,
    polarity=st.sampled_from([f.POSITIVE, f.NEGATIVE]),
)
def test_range_is_monotonic_on_each_side(lower, width, r1, r2, polarity):
    upper = lower + width
    low, high = sorted((r1, r2))
    a = f.achievement(lower, low, polarity, upper=upper).value
    b = f.achievement(lower, high, polarity, upper=upper).value
    if polarity == f.POSITIVE:
        assert a <= b
    elif high <= lower or low >= upper:
        assert a >= b
    assert f.achievement(lower, lower, polarity, upper=upper).value == D(100)


@given(x=st.decimals(min_value=D(-1000), max_value=D(1000), places=3))
def test_category_half_open_property(x):
    band = f.PERMENDAGRI_86_2017.category(x)
    assert band is not None
    if band.lower is not None:
        assert x > band.lower
    higher = [b for b in f.PERMENDAGRI_86_2017.bands if b.lower is not None and b.lower >= x]
    assert band not in higher


@given(values=st.dictionaries(st.integers(1, 4), st.one_of(st.none(), numbers)))
def test_aggregation_ignores_missing(values):
    result = f.aggregate(values, (1, 2, 3, 4), f.CUMULATIVE)
    reported = [v for v in values.values() if v is not None]
    assert result.value == (sum(reported) if reported else None)
    assert set(result.missing) | set(result.reported) == {1, 2, 3, 4}


@given(
    t=st.one_of(st.none(), numbers),
    r=st.one_of(st.none(), numbers),
    width=st.one_of(st.none(), numbers),
    polarity=st.sampled_from([f.POSITIVE, f.NEGATIVE]),
    formula=st.sampled_from([None, "N1", "N2", "N4"]),
)
def test_fast_path_agrees_with_explained_path(t, r, width, polarity, formula):
    if polarity == f.POSITIVE and formula in ("N1", "N2"):
        formula = None
    upper = None if width is None or t is None else t + width
    slow = f.achievement(t, r, polarity, formula, upper=upper)
    assert f.achievement_value(t, r, polarity, formula, upper) == (
        slow.status,
        slow.value,
        slow.formula,
    )


@given(values=st.dictionaries(st.integers(1, 4), st.one_of(st.none(), numbers)))
def test_fast_aggregate_agrees(values):
    for kind in f.AGGREGATIONS:
        reported = [values[q] for q in sorted(values) if values[q] is not None]
        assert f.aggregate_value(reported, kind) == f.aggregate(values, (1, 2, 3, 4), kind).value
