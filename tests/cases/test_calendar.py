"""The working calendar: properties (never due outside working time, monotonic) and examples."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.cases.calendar import (
    AgencyCalendar,
    CalendarError,
    WorkingHours,
    add_working_duration,
    holiday_name,
    is_working_day,
    is_working_moment,
    next_working_moment,
    normalise_unit,
    working_minutes_between,
)

WIB = AgencyCalendar("Asia/Jakarta")  # Kalimantan Barat (ADPIM-KALBAR)
WITA = AgencyCalendar("Asia/Makassar")  # Kabupaten Balangan
WIB_TZ, WITA_TZ = WIB.tzinfo, WITA.tzinfo


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA_TZ)


def wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB_TZ)


def _inside_working_time(due: dt.datetime, calendar: AgencyCalendar) -> bool:
    local = due.astimezone(calendar.tzinfo)
    return (
        is_working_day(local.date(), calendar)
        and calendar.hours.start <= local.time() <= calendar.hours.end
    )


moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),
    max_value=dt.datetime(2026, 12, 31),
    timezones=st.just(dt.UTC),
)
units = st.sampled_from(["minute", "hour", "day", "week", "calendar_day"])
calendars = st.sampled_from(
    [
        WIB,
        WITA,
        AgencyCalendar("Asia/Jayapura", WorkingHours(dt.time(8), dt.time(15, 30))),
        AgencyCalendar(
            "Asia/Makassar",
            added=frozenset({dt.date(2025, 4, 8)}),
            removed=frozenset({dt.date(2025, 4, 7)}),
        ),
    ]
)


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(0, 400), units, calendars)
def test_due_is_never_outside_working_time_or_on_a_holiday(start, value, unit, calendar):
    if unit == "day" or unit == "calendar_day":
        value = value % 130
    if unit == "week":
        value = value % 20
    due = add_working_duration(start, value, unit, calendar)
    assert _inside_working_time(due, calendar)
    assert due >= start


@settings(max_examples=200, deadline=None)
@given(moments, moments, st.integers(0, 600), st.sampled_from(["minute", "hour", "day"]), calendars)
def test_later_start_or_longer_duration_is_never_due_earlier(a, b, value, unit, calendar):
    early, late = sorted([a, b])
    value = value % 60 if unit != "minute" else value
    assert add_working_duration(early, value, unit, calendar) <= add_working_duration(
        late, value, unit, calendar
    )
    assert add_working_duration(early, value, unit, calendar) <= add_working_duration(
        early, value + 1, unit, calendar
    )


@settings(max_examples=200, deadline=None)
@given(moments, st.integers(1, 3000), calendars)
def test_working_minutes_between_inverts_adding(start, minutes, calendar):
    due = add_working_duration(start, minutes, "minute", calendar)
    assert working_minutes_between(start, due, calendar) == pytest.approx(minutes)


def test_is_working_moment_hours_are_half_open():
    assert is_working_moment(wita(2025, 3, 3, 7, 30), WITA)
    assert is_working_moment(wita(2025, 3, 3, 15, 59), WITA)
    assert not is_working_moment(wita(2025, 3, 3, 16, 0), WITA)
    assert not is_working_moment(wita(2025, 3, 3, 7, 29), WITA)
    assert not is_working_moment(wita(2025, 3, 1, 10, 0), WITA)  # Saturday


def test_idul_fitri_2025_and_cuti_bersama_are_not_working_days():
    # 28 Mar cuti bersama Nyepi, 31 Mar - 1 Apr Idul Fitri, 2-4 and 7 Apr cuti bersama.
    for day in (28, 31):
        assert not is_working_day(dt.date(2025, 3, day), WITA)
    for day in (1, 2, 3, 4, 7):
        assert not is_working_day(dt.date(2025, 4, day), WITA)
    assert "Idul Fitri" in holiday_name(dt.date(2025, 4, 2), WITA)
    assert is_working_day(dt.date(2025, 4, 8), WITA)


def test_two_hours_from_thursday_afternoon_before_lebaran_are_due_after_the_holiday():
    # One hour on Thursday 27 March (15:00-16:00), then one hour on Tuesday 8 April.
    due = add_working_duration(wita(2025, 3, 27, 15, 0), 2, "hour", WITA)
    assert due == wita(2025, 4, 8, 8, 30)


def test_one_working_day_over_lebaran():
    assert add_working_duration(wita(2025, 3, 27, 10, 0), 1, "day", WITA) == wita(2025, 4, 8, 10, 0)
    # Four working days from Monday 24 March: 25, 26, 27 March, then 8 April.
    assert add_working_duration(wita(2025, 3, 24, 9, 0), 4, "hari", WITA) == wita(2025, 4, 8, 9, 0)


def test_work_ending_at_closing_is_due_at_closing():
    assert add_working_duration(wita(2025, 3, 3, 15, 0), 1, "jam", WITA) == wita(2025, 3, 3, 16, 0)
    assert add_working_duration(wita(2025, 3, 3, 7, 30), 1, "day", WITA) == wita(2025, 3, 3, 16, 0)


def test_work_started_outside_hours_starts_at_next_opening():
    assert add_working_duration(wita(2025, 3, 1, 22, 0), 10, "menit", WITA) == wita(
        2025, 3, 3, 7, 40
    )


def test_wib_and_wita_count_their_own_office_hours():
    # 08:00 WIB is 09:00 WITA: the same instant is working time in both offices, but
    # 07:00 WIB (08:00 WITA) is before opening in Pontianak and inside hours in Balangan.
    instant = wib(2025, 3, 3, 7, 0)
    assert is_working_moment(instant, WITA)
    assert not is_working_moment(instant, WIB)
    # Ten minutes started at that instant: due 07:40 WIB in Pontianak, 08:10 WITA in Balangan.
    assert add_working_duration(instant, 10, "minute", WIB) == wib(2025, 3, 3, 7, 40)
    assert add_working_duration(instant, 10, "minute", WITA) == wita(2025, 3, 3, 8, 10)
    # 15:30 WITA is 14:30 WIB: one hour fits before closing in Pontianak, not in Balangan.
    late = wita(2025, 3, 3, 15, 30)
    assert add_working_duration(late, 1, "hour", WIB) == wib(2025, 3, 3, 15, 30)
    assert add_working_duration(late, 1, "hour", WITA) == wita(2025, 3, 4, 8, 0)


def test_administrator_overrides_add_and_remove_days():
    cal = AgencyCalendar(
        "Asia/Makassar",
        added=frozenset({dt.date(2025, 3, 3)}),
        removed=frozenset({dt.date(2025, 4, 7), dt.date(2025, 3, 8)}),
    )
    assert not is_working_day(dt.date(2025, 3, 3), cal)
    assert is_working_day(dt.date(2025, 4, 7), cal)  # cuti bersama cancelled
    assert is_working_day(dt.date(2025, 3, 8), cal)  # a Saturday made a working day
    assert add_working_duration(wita(2025, 4, 4, 9, 0), 30, "minute", cal) == wita(2025, 4, 7, 8, 0)


def test_configurable_hours():
    cal = AgencyCalendar("Asia/Makassar", WorkingHours(dt.time(8), dt.time(12)))
    assert add_working_duration(wita(2025, 3, 3, 11, 0), 2, "hour", cal) == wita(2025, 3, 4, 9, 0)
    assert add_working_duration(wita(2025, 3, 3, 8, 0), 1, "week", cal) == wita(2025, 3, 7, 12, 0)
    with pytest.raises(CalendarError):
        WorkingHours(dt.time(12), dt.time(8))


def test_calendar_days_and_units():
    # 10 calendar days from Friday 21 March 2025 is Monday 31 March (Idul Fitri): next opening 8 April.
    assert add_working_duration(wita(2025, 3, 21, 9, 0), 10, "calendar_day", WITA) == wita(
        2025, 4, 8, 7, 30
    )
    assert normalise_unit("Menit") == "minute"
    with pytest.raises(CalendarError):
        normalise_unit("fortnight")
    with pytest.raises(CalendarError):
        add_working_duration(wita(2025, 3, 3, 9), -1, "hour", WITA)
    with pytest.raises(CalendarError):
        is_working_moment(dt.datetime(2025, 3, 3, 9), WITA)


def test_next_working_moment():
    assert next_working_moment(wita(2025, 3, 3, 9), WITA) == wita(2025, 3, 3, 9)
    assert next_working_moment(wita(2025, 3, 27, 16), WITA) == wita(2025, 4, 8, 7, 30)
