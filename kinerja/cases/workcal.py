"""The calendar of an agency from the database: its hours and its region's overrides."""

from __future__ import annotations

import datetime as dt

from kinerja.cases.calendar import AgencyCalendar, WorkingHours, is_working_moment
from kinerja.cases.models import AgencyWorkingHours, CalendarOverride
from kinerja.organisation.models import Agency


def calendar_for(agency: Agency) -> AgencyCalendar:
    """The agency's working calendar: its time zone, its hours, overrides of its region and
    of the region's province (a province's override applies to its regencies and cities)."""
    hours = WorkingHours()
    try:
        own = agency.working_hours
    except AgencyWorkingHours.DoesNotExist:
        own = None
    if own is not None:
        weekdays = frozenset(int(d) for d in own.weekdays.split(",") if d.strip())
        hours = WorkingHours(own.start, own.end, weekdays)
    region_ids = [agency.region_id]
    parent_id = agency.region.parent_id
    if parent_id:
        region_ids.append(parent_id)
    added: set[dt.date] = set()
    removed: set[dt.date] = set()
    # The region's own override wins over its province's.
    rows = CalendarOverride.objects.filter(region_id__in=region_ids).values_list(
        "region_id", "day", "kind"
    )
    for _region_id, day, kind in sorted(rows, key=lambda r: r[0] == agency.region_id):
        target, other = (
            (added, removed) if kind == CalendarOverride.Kind.DAY_OFF else (removed, added)
        )
        target.add(day)
        other.discard(day)
    return AgencyCalendar(agency.time_zone, hours, frozenset(added), frozenset(removed))


def is_agency_working_moment(agency: Agency, moment: dt.datetime) -> bool:
    """Is ``moment`` working time at ``agency``? The one question every layer asks."""
    return is_working_moment(moment, calendar_for(agency))
