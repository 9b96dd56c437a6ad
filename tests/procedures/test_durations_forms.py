"""Durations as offices print them (issue 12): numbers in words, months, compound units,
fractions, ranges and clock hours ("2 x 24 jam"); properties first, then the printed examples."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.procedures.durations import (
    UNITS,
    Duration,
    DurationError,
    format_value,
    number_words,
    parse_duration,
    total,
    words_value,
)

WORD_UNITS = {  # a unit written as a word after the number, and what it reads as
    "hari": "working_day",
    "Hari Kerja": "working_day",
    "hari kalender": "calendar_day",
    "JAM": "hour",
    "menit": "minute",
    "Minggu": "week",
    "bulan": "month",
}

wholes = st.integers(min_value=1, max_value=9999)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(5000), places=2)
halves = st.integers(min_value=0, max_value=999).flatmap(
    lambda n: st.sampled_from([Decimal(n) + f for f in (Decimal("0.25"), Decimal("0.5"))])
)
units = st.sampled_from(sorted(WORD_UNITS))
ranges = st.tuples(wholes, wholes).map(sorted)
separators = st.sampled_from(["-", " - ", "–", " – ", " s.d. ", " s/d ", " sampai ", "—"])


# --- numbers in words ------------------------------------------------------------------------------


@given(st.one_of(wholes.map(Decimal), halves, amounts))
def test_words_of_a_number_read_back_to_it(value):
    assert words_value(number_words(value)) == value


@given(wholes, units, st.booleans())
def test_number_in_words_after_the_digits_agrees(value, word, title):
    words = number_words(Decimal(value))
    duration = parse_duration(f"{value} ({words.title() if title else words}) {word}")
    assert (duration.value, duration.unit) == (value, WORD_UNITS[word])


@given(wholes, wholes, units)
def test_number_in_words_that_disagrees_is_refused(value, other, word):
    assume(value != other)
    text = f"{value} ({number_words(Decimal(other))}) {word}"
    with translation.override("en"), pytest.raises(DurationError, match="do not agree"):
        parse_duration(text)


@given(halves.filter(lambda v: v > 0), st.sampled_from(["hari", "jam", "minggu"]))
def test_fractions_in_words_and_marks(value, word):
    whole = int(value)
    mark = {Decimal("0.5"): "½", Decimal("0.25"): "¼"}[value - whole]
    lead = str(whole) if whole else ""
    for text in (
        f"{lead}{mark} {word}",
        f"{format_value(value)} ({number_words(value)}) {word}",
        f"{lead}{mark} ({number_words(value)}) {word}",
    ):
        assert parse_duration(text).value == value, text


# --- every form of one value -----------------------------------------------------------------------


@given(amounts, units, st.booleans(), st.sampled_from(["", ".", " ."]))
def test_decimal_comma_or_point_any_case_trailing_dot(value, word, upper, dot):
    if WORD_UNITS[word] == "month":
        value = Decimal(int(value) + 1)
    number = format_value(value)
    for written in (number, number.replace(",", ".")):
        text = f"{written} {word.upper() if upper else word.lower()}{dot}"
        duration = parse_duration(text)
        assert (duration.value, duration.unit, duration.low) == (value, WORD_UNITS[word], None)
        assert duration.text == text.strip()


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=59))
def test_hours_and_minutes_are_stored_in_minutes(hours, minutes):
    assume(hours and minutes)
    duration = parse_duration(f"{hours} jam {minutes} menit")
    assert (duration.value, duration.unit) == (hours * 60 + minutes, "minute")
    assert duration.text == f"{hours} jam {minutes} menit"


@given(ranges, separators, units)
def test_ranges_keep_both_bounds_low_first(bounds, separator, word):
    low, high = bounds
    duration = parse_duration(f"{low}{separator}{high} {word}")
    assert duration.value == high and duration.unit == WORD_UNITS[word]
    assert duration.low == (low if low != high else None)
    assert duration.low is None or duration.low <= duration.value


@given(ranges, separators)
def test_ranges_upside_down_are_refused(bounds, separator):
    low, high = bounds
    assume(low < high)
    with translation.override("en"), pytest.raises(DurationError, match="smaller first"):
        parse_duration(f"{high}{separator}{low} hari")


@given(
    st.one_of(wholes.map(Decimal), halves.filter(lambda v: v > 0)),
    st.sampled_from(["{n} x 24 jam", "{n}x24 jam", "{n} × 24 Jam", "{n}X24JAM."]),
)
def test_n_times_24_hours_is_clock_time(days, form):
    duration = parse_duration(form.format(n=format_value(days)))
    assert (duration.value, duration.unit) == (days * 24, "clock_hour")
    assert duration.counts_on_calendar and not duration.counts_working_days


durations = st.builds(
    lambda value, unit, low: Duration(
        Decimal(int(value) + 1) if unit == "month" else value,
        unit,
        low=None if low is None or unit == "month" else min(low, value),
    ),
    amounts,
    st.sampled_from(UNITS),
    st.one_of(st.none(), amounts),
)


@given(durations)
def test_display_reads_back_to_the_same_duration(duration):
    shown = duration.display()
    again = parse_duration(shown)
    assert (again.value, again.unit) == (duration.value, duration.unit)
    assert again.low == (duration.low if duration.is_range else None)


@given(st.lists(durations, max_size=10))
def test_totals_add_both_bounds(items):
    result = total(items)
    assert result.working_minutes == sum((d.working_minutes for d in items), Decimal(0))
    assert result.low_working_minutes == sum((d.low_working_minutes for d in items), Decimal(0))
    assert result.low_working_minutes <= result.working_minutes


# --- the forms of the issue and the refusals -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "low", "shown"),
    [
        ("1 (satu) hari", 1, "working_day", None, "1 Hari"),
        ("2 (Dua) Hari Kerja.", 2, "working_day", None, "2 Hari"),
        ("120 (seratus dua puluh) hari", 120, "working_day", None, "120 Hari"),
        ("99 (sembilan puluh sembilan) menit", 99, "minute", None, "99 Menit"),
        ("1½ (satu setengah) hari", "1.5", "working_day", None, "1,5 Hari"),
        ("1 bulan", 1, "month", None, "1 Bulan"),
        ("3 (tiga) Bulan", 3, "month", None, "3 Bulan"),
        ("1 jam 30 menit", 90, "minute", None, "90 Menit"),
        ("1 minggu 2 hari", 7, "working_day", None, "7 Hari"),
        ("½ hari", "0.5", "working_day", None, "0,5 Hari"),
        ("1½ hari", "1.5", "working_day", None, "1,5 Hari"),
        ("1 1/2 hari", "1.5", "working_day", None, "1,5 Hari"),
        ("¾ jam", "0.75", "hour", None, "0,75 Jam"),
        ("0,5 hari", "0.5", "working_day", None, "0,5 Hari"),
        ("1-2 hari", 2, "working_day", 1, "1–2 Hari"),
        ("1 – 2 hari", 2, "working_day", 1, "1–2 Hari"),
        ("1 s.d. 2 hari", 2, "working_day", 1, "1–2 Hari"),
        ("1 s/d 2 hari", 2, "working_day", 1, "1–2 Hari"),
        ("1 sampai 2 hari", 2, "working_day", 1, "1–2 Hari"),
        ("1 (satu) - 3 (tiga) hari kalender", 3, "calendar_day", 1, "1–3 Hari Kalender"),
        ("2 x 24 jam", 48, "clock_hour", None, "2 x 24 Jam"),
        ("2x24 jam", 48, "clock_hour", None, "2 x 24 Jam"),
        ("3 × 24 jam", 72, "clock_hour", None, "3 x 24 Jam"),
        ("1-2 x 24 jam", 48, "clock_hour", 24, "1–2 x 24 Jam"),
        ("36 jam kalender", 36, "clock_hour", None, "1,5 x 24 Jam"),
        ("30 menit", 30, "minute", None, "30 Menit"),
        ("1 hari kerja", 1, "working_day", None, "1 Hari"),
        ("3 hari kalender", 3, "calendar_day", None, "3 Hari Kalender"),
        ("1 minggu", 1, "week", None, "1 Minggu"),
        ("15 Menit.", 15, "minute", None, "15 Menit"),
        ("2 Jam", 2, "hour", None, "2 Jam"),
    ],
)
def test_forms_of_the_issue(text, value, unit, low, shown):
    duration = parse_duration(text)
    assert duration.value == Decimal(value) and duration.unit == unit
    assert duration.low == (None if low is None else Decimal(low))
    assert duration.text == text and str(duration) == text
    assert duration.display() == shown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2 (tiga) hari", "the number 2 and the words “tiga” (3) do not agree"),
        ("2 (dua puluh) hari", "(20) do not agree"),
        ("2 (xyz) hari", "“xyz” is not a number written in words"),
        ("3-1 hari", "from 3 down to 1"),
        ("1,5 bulan", "whole months"),
        ("2 x 8 jam", "only “N x 24 jam”"),
        ("1 jam 2 hari", "Jam and Hari cannot be added exactly"),
        ("2 tahun", "unknown unit “tahun”"),
        ("beberapa hari", "is not a time standard"),
        ("0 (nol) hari", "more than zero"),
        ("1,125 hari", "at most two decimals"),
        ("1,125-2 hari", "at most two decimals"),
        ("50000 x 24 jam", "below 1000000"),
    ],
)
def test_refusals_name_the_text(text, message):
    with translation.override("en"), pytest.raises(DurationError) as error:
        parse_duration(text)
    assert message in str(error.value)
    assert text in str(error.value)


def test_refusal_in_indonesian():
    with translation.override("id"), pytest.raises(DurationError) as error:
        parse_duration("2 (tiga) hari")
    assert "tidak sesuai" in str(error.value)


def test_totals_of_ranges_and_new_units():
    items = [parse_duration(t) for t in ("1-2 hari", "3 hari")]
    assert total(items).display() == "4–5 Hari"
    items.append(parse_duration("30 menit"))
    assert total(items).display() == "4 Hari 30 Menit – 5 Hari 30 Menit"
    assert total(items).working_minutes == 5 * 450 + 30
    assert total(items).low_working_minutes == 4 * 450 + 30
    mixed = [parse_duration(t) for t in ("1 bulan", "2 x 24 jam", "1 jam 30 menit", "2 Jam")]
    assert total(mixed).display() == "1 Bulan 2 x 24 Jam 3 Jam 30 Menit"
