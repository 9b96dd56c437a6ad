"""The Waktu parser: every time standard printed in the four seeds, odd writings, errors, totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.procedures.durations import (
    UNIT_WORDS,
    UNITS,
    Duration,
    DurationError,
    format_value,
    parse_duration,
    total,
)

# Every distinct Waktu of seeds 001-004, with what it means.
SEED_TIMES = [
    ("10 Menit", 10, "minute"),
    ("2 Jam", 2, "hour"),
    ("1 Jam", 1, "hour"),
    ("3 Jam", 3, "hour"),
    ("4 Hari", 4, "working_day"),
    ("2 Hari", 2, "working_day"),
    ("1 Hari", 1, "working_day"),
    ("15 Menit", 15, "minute"),
    ("30 Menit", 30, "minute"),
    ("2 Menit", 2, "minute"),
    ("120 Hari", 120, "working_day"),
    ("60 Menit", 60, "minute"),
    ("5 Hari", 5, "working_day"),
    ("2 hari", 2, "working_day"),
    ("10 menit", 10, "minute"),
    ("30 menit", 30, "minute"),
    ("2 jam", 2, "hour"),
    ("1 hari", 1, "working_day"),
]


@pytest.mark.parametrize(("text", "value", "unit"), SEED_TIMES)
def test_seed_time_standards(text, value, unit):
    duration = parse_duration(text)
    assert duration.value == value
    assert duration.unit == unit
    assert duration.text == text


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1 Minggu", 1, "week"),
        ("2minggu", 2, "week"),
        ("10MENIT", 10, "minute"),
        ("  4   Hari  ", 4, "working_day"),
        ("3 hari kerja", 3, "working_day"),
        ("3 Hari Kalender", 3, "calendar_day"),
        ("1,5 Jam", Decimal("1.5"), "hour"),
        ("1.5 jam", Decimal("1.5"), "hour"),
        ("2 Jam.", 2, "hour"),
    ],
)
def test_other_writings(text, value, unit):
    duration = parse_duration(text)
    assert (duration.value, duration.unit) == (Decimal(value), unit)
    assert duration.text == text.strip()


def test_hari_is_working_days_by_default():
    assert parse_duration("4 Hari").counts_working_days
    assert not parse_duration("4 Hari Kalender").counts_working_days
    assert parse_duration("1 Minggu").working_minutes == 5 * 450


@pytest.mark.parametrize(
    "text", ["", "   ", "Jam", "dua jam", "2", "2 bulsn", "0 Menit", "-1 Jam", "2 (tiga) hari"]
)
def test_unreadable_text_is_refused_with_a_message(text):
    with pytest.raises(DurationError) as error:
        parse_duration(text)
    assert str(error.value)


def test_error_names_the_text():
    from django.utils import translation

    with translation.override("en"), pytest.raises(DurationError, match="2 bulsn"):
        parse_duration("2 bulsn")


def test_totals_per_unit_and_display():
    seed_001 = [
        "10 Menit",
        "2 Jam",
        "1 Jam",
        "3 Jam",
        "4 Hari",
        "2 Hari",
        "1 Hari",
        "1 Jam",
        "10 Menit",
        "15 Menit",
        "1 Jam",
    ]
    result = total([parse_duration(t) for t in seed_001])
    assert result.by_unit == {"minute": 35, "hour": 8, "working_day": 7}
    assert result.display() == "7 Hari 8 Jam 35 Menit"
    assert result.working_minutes == 35 + 8 * 60 + 7 * 450
    assert total([parse_duration("90 Menit")]).display() == "1 Jam 30 Menit"
    assert total([]).display() == "0 Menit"


values = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10000), places=2)


@given(
    value=values, unit=st.sampled_from(UNITS), spaces=st.text(" ", max_size=3), upper=st.booleans()
)
def test_round_trip(value, unit, spaces, upper):
    """Writing a duration and reading it back gives the same value and unit."""
    if unit == "month":
        value = Decimal(int(value) + 1)  # months are whole
    duration = Duration(value, unit)
    word = UNIT_WORDS[unit].upper() if upper else UNIT_WORDS[unit].lower()
    number = format_value(value)
    parsed = parse_duration(f"{number}{spaces}{word}")
    assert (parsed.value, parsed.unit) == (value, unit)
    assert parse_duration(duration.display()) == Duration(value, unit, duration.display())


@given(st.text(max_size=20))
def test_never_crashes(text):
    try:
        duration = parse_duration(text)
    except DurationError:
        return
    assert duration.value > 0 and duration.unit in UNITS


@given(st.lists(st.tuples(values, st.sampled_from(UNITS)), max_size=12))
def test_total_is_the_sum_of_working_minutes(items):
    durations = [Duration(v, u) for v, u in items]
    assert total(durations).working_minutes == sum(
        (d.working_minutes for d in durations), Decimal(0)
    )
