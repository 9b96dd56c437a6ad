"""Due times of the duration forms of issue 12: clock hours ("2 x 24 jam") on the clock, working
days on the working calendar, a range at its upper bound, a month to the same day clamped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kinerja.cases import services
from kinerja.cases.calendar import add_months, working_minutes_between
from kinerja.cases.workcal import calendar_for
from kinerja.procedures.services import import_sop
from tests.cases.helpers import open_task
from tests.officials import ADPIM

SOP = """format: kinerja-sop/1
agency: ADPIM-KALBAR
key: uji-waktu-{key}
number: ""
name: Uji Waktu {key}
lanes:
  - {{key: kasubag, name: Kasubag, positions: [KASUBAG-TU]}}
steps:
  - {{number: 1, text: Mengerjakan, lane: kasubag, start: true, time: "{time}", output: Hasil}}
  - {{number: 2, text: Selesai, lane: kasubag, end: true, time: 10 menit, output: Arsip}}
"""


def _first_task(official, time: str, key: str, start: dt.datetime):
    sop = import_sop(
        SOP.format(key=key, time=time), effective=True, check_permission=False
    ).version.sop
    case = services.start_case(sop, "2025", official(ADPIM.kasubag), now=start)
    return open_task(case), sop.agency


@pytest.fixture
def wib():
    return dt.timezone(dt.timedelta(hours=7))  # ADPIM-KALBAR works in WIB (Pontianak)


def test_two_times_24_hours_from_friday_is_due_on_sunday_by_the_clock(offices, official, wib):
    friday = dt.datetime(2025, 3, 7, 10, 0, tzinfo=wib)
    task, agency = _first_task(official, "2 x 24 jam", "jam", friday)
    assert task.step.time_text == "2 x 24 jam"
    assert task.due_at == dt.datetime(2025, 3, 9, 10, 0, tzinfo=wib)  # Sunday, not moved
    # its standard in working minutes: the working time from Friday 10:00 to Sunday 10:00
    closing = dt.datetime(2025, 3, 7, 16, 0, tzinfo=wib)
    assert task.standard_minutes == (closing - friday).total_seconds() / 60
    calendar = calendar_for(agency)
    assert task.standard_minutes == working_minutes_between(friday, task.due_at, calendar)


def test_two_days_from_friday_is_due_on_tuesday_on_the_working_calendar(offices, official, wib):
    friday = dt.datetime(2025, 3, 7, 10, 0, tzinfo=wib)
    task, agency = _first_task(official, "2 hari", "hari", friday)
    assert task.due_at == dt.datetime(2025, 3, 11, 10, 0, tzinfo=wib)  # Mon, Tue: 2 working days
    assert task.standard_minutes == 2 * calendar_for(agency).hours.minutes_per_day


def test_a_range_is_due_at_its_upper_bound(offices, official, wib):
    friday = dt.datetime(2025, 3, 7, 10, 0, tzinfo=wib)
    task, agency = _first_task(official, "1-2 hari", "rentang", friday)
    assert task.step.time_value_min == Decimal(1) and task.step.time_value == Decimal(2)
    assert task.step.duration.display() == "1–2 Hari"
    assert task.due_at == dt.datetime(2025, 3, 11, 10, 0, tzinfo=wib)
    assert task.standard_minutes == 2 * calendar_for(agency).hours.minutes_per_day


def test_one_month_from_31_january_is_due_at_the_end_of_february(offices, official, wib):
    start = dt.datetime(2025, 1, 31, 10, 0, tzinfo=wib)  # Friday
    task, agency = _first_task(official, "1 (satu) bulan", "bulan", start)
    assert task.due_at == dt.datetime(2025, 2, 28, 10, 0, tzinfo=wib)  # a Friday, working day
    calendar = calendar_for(agency)
    assert task.standard_minutes == working_minutes_between(start, task.due_at, calendar)


def test_a_month_ending_on_a_weekend_moves_to_the_next_opening(offices, official, wib):
    start = dt.datetime(2026, 1, 30, 10, 0, tzinfo=wib)  # Friday; 28 February 2026 is Saturday
    task, _agency = _first_task(official, "1 bulan", "bulan-akhir", start)
    assert task.due_at == dt.datetime(2026, 3, 2, 7, 30, tzinfo=wib)  # Monday's opening


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (dt.datetime(2025, 1, 31, 9), 1, dt.datetime(2025, 2, 28, 9)),
        (dt.datetime(2024, 1, 31, 9), 1, dt.datetime(2024, 2, 29, 9)),
        (dt.datetime(2025, 3, 31, 9), 1, dt.datetime(2025, 4, 30, 9)),
        (dt.datetime(2025, 11, 15, 9), 3, dt.datetime(2026, 2, 15, 9)),
        (dt.datetime(2025, 12, 31, 9), 14, dt.datetime(2027, 2, 28, 9)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, due):
    assert add_months(start, months) == due
