"""The calendar overrides page: agency administrators only; changes move due times; history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.cases import calendar_admin, services
from kinerja.cases.models import CalendarOverride
from kinerja.cases.workcal import is_agency_working_moment
from kinerja.core.models import AuditEntry
from tests.cases.helpers import open_task
from tests.officials import DINKES, DKUKMTK

URL = reverse("cases:calendar", args=["DINKES-BLG"])


def test_only_the_agency_administrator_may_open_it(offices, client_for, client):
    assert client.get(URL).status_code == 302  # to the login page
    assert client_for(DINKES.kasubag).get(URL).status_code == 403  # works there, no admin
    assert client_for(DINKES.kasubag).post(URL, {}).status_code == 403
    assert client_for(DKUKMTK.admin).get(URL).status_code == 404  # another agency's admin
    assert client_for(DINKES.admin).get(URL).status_code == 200


def test_link_on_the_agency_page_for_administrators_only(offices, client_for):
    agency_url = reverse("organisation:agency", args=["DINKES-BLG"])
    assert URL in client_for(DINKES.admin).get(agency_url).content.decode()
    assert URL not in client_for(DINKES.kasubag).get(agency_url).content.decode()


def test_lists_the_national_holidays_of_the_year(offices, client_for):
    response = client_for(DINKES.admin).get(URL + "?tahun=2025")
    days = {d.day: d for d in response.context["days"]}
    assert days[dt.date(2025, 3, 31)].off and "Idul Fitri" in days[dt.date(2025, 3, 31)].holiday
    assert days[dt.date(2025, 4, 7)].off  # cuti bersama Idul Fitri
    assert 'data-day="2025-03-31" data-off="1"' in response.content.decode()


def test_adding_a_day_off_moves_a_due_time_and_is_kept_in_history(
    seed_sops, official, client_for, monday
):
    agency = seed_sops["002"].agency
    assert agency.code == "DINKES-BLG"
    starter = official(DINKES.sekretaris)
    before = open_task(services.start_case(seed_sops["002"], "2025-Q1", starter, now=monday))
    admin = client_for(DINKES.admin)
    response = admin.post(
        URL, {"day": "2025-03-03", "kind": "off", "reason": "SKB revisi: cuti bersama"}
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get(region=agency.region, day=dt.date(2025, 3, 3))
    assert override.kind == "off" and override.created_by.username == DINKES.admin
    assert not is_agency_working_moment(agency, monday)
    after = open_task(services.start_case(seed_sops["002"], "2025-Q2", starter, now=monday))
    assert after.due_at > before.due_at
    assert after.due_at.astimezone(agency.tzinfo).date() > dt.date(2025, 3, 3)
    entry = AuditEntry.objects.get(action="case.calendar.changed")
    assert entry.actor.username == DINKES.admin and entry.agency_code == "DINKES-BLG"
    assert entry.after == {
        "region": agency.region.code,
        "day": "2025-03-03",
        "kind": "off",
        "reason": "SKB revisi: cuti bersama",
    }
    page = admin.get(URL + "?tahun=2025").content.decode()
    assert "SKB revisi: cuti bersama" in page and 'data-day="2025-03-03" data-off="1"' in page
    # Taken back: the national calendar again, and that too is in the history.
    admin.post(URL, {"day": "2025-03-03", "kind": "clear", "reason": "SKB dibatalkan"})
    assert not CalendarOverride.objects.filter(day=dt.date(2025, 3, 3)).exists()
    assert is_agency_working_moment(agency, monday)
    cleared = AuditEntry.objects.get(action="case.calendar.cleared")
    assert cleared.before["kind"] == "off" and cleared.after["reason"] == "SKB dibatalkan"
    assert [h.action for h in calendar_admin.history(agency, 2025)] == [
        "case.calendar.cleared",
        "case.calendar.changed",
    ]


def test_removing_a_holiday_makes_it_a_working_day(offices, official):
    agency = offices["DINKES-BLG"]
    idul_fitri = dt.datetime(2025, 3, 31, 9, tzinfo=agency.tzinfo)
    assert not is_agency_working_moment(agency, idul_fitri)
    calendar_admin.change_day(
        agency, idul_fitri.date(), "work", "Contoh hari kerja", actor=official(DINKES.admin)
    )
    assert is_agency_working_moment(agency, idul_fitri)
    # The same region's other agencies follow; another region does not.
    assert is_agency_working_moment(offices["DKUKMTK-BLG"], idul_fitri)
    kalbar = offices["ADPIM-KALBAR"]
    assert not is_agency_working_moment(kalbar, idul_fitri.astimezone(kalbar.tzinfo))


def test_a_change_needs_a_reason_and_an_administrator(offices, official, client_for):
    agency = offices["DINKES-BLG"]
    with pytest.raises(ValidationError):
        calendar_admin.change_day(
            agency, dt.date(2025, 5, 2), "off", " ", actor=official(DINKES.admin)
        )
    with pytest.raises(ValidationError):
        calendar_admin.change_day(
            agency, dt.date(2025, 5, 2), "off", "x", actor=official(DINKES.kasubag)
        )
    with pytest.raises(ValidationError):
        calendar_admin.change_day(
            agency, dt.date(2025, 5, 2), "clear", "x", actor=official(DINKES.admin)
        )
    response = client_for(DINKES.admin).post(URL, {"day": "2025-05-02", "kind": "off"})
    assert response.status_code == 200
    assert not CalendarOverride.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="case.calendar.").exists()
