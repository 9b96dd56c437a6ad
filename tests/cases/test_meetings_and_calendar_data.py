"""Meetings of seed 004 and the agency calendar read from the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kinerja.cases import meetings, services
from kinerja.cases.models import AgencyWorkingHours, CalendarOverride, Task
from kinerja.cases.workcal import calendar_for, is_agency_working_moment
from tests.cases.helpers import open_task
from tests.officials import ADPIM, KTT

WIB = dt.timezone(dt.timedelta(hours=7))


def test_meeting_schedule_attendance_and_minutes(seed_sops, official, client_for):
    start = dt.datetime(2025, 3, 3, 8, 0, tzinfo=WIB)
    case = services.start_case(seed_sops["004"], "2024", official(ADPIM.kasubag), now=start)
    services.complete_task(open_task(case).pk, official(ADPIM.kasubag), now=start)
    task = open_task(case)
    assert task.step.action == "meeting"
    staff = task.candidates.order_by("full_name").first().user  # shared Staf: one takes it
    services.take(task.pk, staff)
    people = [official(u).employee for u in (ADPIM.kepala, ADPIM.kabag, ADPIM.kasubag)]
    with pytest.raises(PermissionDenied):
        meetings.schedule_meeting(
            task.pk, official(ADPIM.kepala), starts_at=start, place="x", agenda="y", invited=people
        )
    meeting = meetings.schedule_meeting(
        task.pk,
        staff,
        starts_at=start + dt.timedelta(days=2),
        place="Ruang Rapat Biro",
        agenda="Draft LAKIP",
        invited=people,
    )
    sheet = client_for(staff.username).get(reverse("cases:attendance", args=[task.pk]))
    assert b"DAFTAR HADIR" in sheet.content and b"Ruang Rapat Biro" in sheet.content
    for _ in range(3):  # steps 2, 3, 4
        t = open_task(case)
        services.complete_task(t.pk, (t.worker or t.candidates.first()).user, now=start)
    minutes_task = open_task(case)
    assert meetings.is_minutes_step(minutes_task)
    user = minutes_task.candidates.first().user
    meetings.record_minutes(
        minutes_task.pk, user, attended=[people[0].pk, people[1].pk], minutes="LAKIP dibahas."
    )
    minutes_task.refresh_from_db()
    assert minutes_task.status == Task.Status.DONE and "LAKIP dibahas." in minutes_task.note
    assert meeting.attendance.filter(attended=True).count() == 2


def test_calendar_for_reads_overrides_and_hours(offices):
    agency = offices["DINKES-BLG"]
    regency, province = agency.region, agency.region.parent
    CalendarOverride.objects.create(region=province, day=dt.date(2025, 3, 4), kind="off")
    CalendarOverride.objects.create(region=regency, day=dt.date(2025, 4, 7), kind="work")
    CalendarOverride.objects.create(region=province, day=dt.date(2025, 3, 5), kind="off")
    CalendarOverride.objects.create(region=regency, day=dt.date(2025, 3, 5), kind="work")
    calendar = calendar_for(agency)
    assert dt.date(2025, 3, 4) in calendar.added
    assert dt.date(2025, 4, 7) in calendar.removed
    assert dt.date(2025, 3, 5) in calendar.removed  # the regency's own override wins
    wita = agency.tzinfo
    assert not is_agency_working_moment(agency, dt.datetime(2025, 3, 4, 9, tzinfo=wita))
    assert is_agency_working_moment(agency, dt.datetime(2025, 4, 7, 9, tzinfo=wita))
    AgencyWorkingHours.objects.create(
        agency=agency, start=dt.time(8), end=dt.time(15), weekdays="0,1,2,3"
    )
    calendar = calendar_for(agency)
    assert calendar.hours.start == dt.time(8) and 4 not in calendar.hours.weekdays
    assert not is_agency_working_moment(agency, dt.datetime(2025, 3, 7, 9, tzinfo=wita))


def test_holder_change_reassigns_through_the_signal(
    seed_sops, official, monday, django_capture_on_commit_callbacks
):
    from kinerja.organisation.models import PositionHolding

    case = services.start_case(seed_sops["003"], "2024", official(KTT.kepala), now=monday)
    services.complete_task(open_task(case).pk, official(KTT.kepala), now=monday)
    task = open_task(case)
    holding = PositionHolding.objects.get(position=task.position, end__isnull=True)
    today = case.agency.today()
    with django_capture_on_commit_callbacks(execute=True):
        holding.end = today - dt.timedelta(days=1)
        holding.save()
    task.refresh_from_db()
    assert task.assignee is None
    assert case.events.filter(kind="task.reassigned").exists()
    with django_capture_on_commit_callbacks(execute=True):
        PositionHolding.objects.create(
            position=task.position,
            employee=official(KTT.kasi_pem).employee,
            kind="plt",
            start=today,
        )
    task.refresh_from_db()
    assert task.assignee.user.username == KTT.kasi_pem and task.holding_kind == "plt"
