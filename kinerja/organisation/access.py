"""The one place that answers "may this user see / change this" for the organisation layer.

Views never filter by hand: they call an accessor here, which returns the object or raises
``Http404`` (not visible) or ``PermissionDenied`` (visible but not changeable). Other layers build
their own accessors on :func:`agency_ids_of` and :func:`region_family_ids_of`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kinerja.organisation.models import Agency, AgencyRole, Employee, PositionHolding


def employee_of(user) -> Employee | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user._state.fields_cache
    if "employee" not in cache:  # read once with the agency every page shows (header, zone)
        cache["employee"] = Employee.objects.select_related("agency").filter(user=user).first()
    return cache["employee"]


def holdings_of(user, day: dt.date | None = None) -> QuerySet[PositionHolding]:
    """The positions the user holds on ``day`` (today by default), Plt. and Plh. included."""
    employee = employee_of(user)
    if employee is None:
        return PositionHolding.objects.none()
    day = day or timezone.localdate()
    return (
        PositionHolding.objects.active_on(day)
        .filter(employee=employee)
        .select_related("position", "position__unit", "position__agency")
    )


def agency_ids_of(user) -> set[int]:
    """Agencies the user works for: their own, those of positions they hold, those they administer."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids: set[int] = set()
    employee = employee_of(user)
    if employee is not None:
        ids.add(employee.agency_id)
        ids.update(holdings_of(user).values_list("position__agency_id", flat=True))
    ids.update(AgencyRole.objects.filter(user=user).values_list("agency_id", flat=True))
    return ids


def region_family_ids_of(user) -> set[int]:
    """Regions of the user's pemda family (their province and its regencies and cities)."""
    ids: set[int] = set()
    for agency in Agency.objects.filter(pk__in=agency_ids_of(user)).select_related("region"):
        ids.update(agency.region.family_ids())
    return ids


def agencies_visible_to(user) -> QuerySet[Agency]:
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=agency_ids_of(user))


def get_agency_for_user(user, code: str) -> Agency:
    """The agency with ``code`` if the user works for it; 404 otherwise (its existence is private)."""
    try:
        return agencies_visible_to(user).select_related("region").get(code=code)
    except Agency.DoesNotExist:
        raise Http404 from None


def can_administer(user, agency: Agency) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return AgencyRole.objects.filter(user=user, agency=agency, role=AgencyRole.Role.ADMIN).exists()


def get_agency_for_admin(user, code: str) -> Agency:
    """The agency if the user may change its master data; 404 if unseen, 403 if only readable."""
    agency = get_agency_for_user(user, code)
    if not can_administer(user, agency):
        raise PermissionDenied
    return agency
