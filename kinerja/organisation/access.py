"""The one place that answers "may this user see / change this" for the organisation layer.

Views never filter by hand: they call an accessor here, which returns the object or raises
``Http404`` (not visible) or ``PermissionDenied`` (visible but not changeable). Other layers build
their own accessors on :func:`agency_ids_of` and :func:`region_family_ids_of`.

A regional administrator (:class:`RegionRole` ``admin``, docs/regions.md) manages the master data
of every agency of its region: the agency's record, its structure and its administrators. That
reaches the organisation pages only, through :func:`agencies_managed_by` and
:func:`get_agency_for_manager`; :func:`agency_ids_of` (what the user works for), on which the
other layers build their accessors, and :func:`can_administer` (the agency administrator, whom
the other layers trust with an office's cases, plans and documents) leave it out, so naming a
regional administrator shows nobody another office's cases, plans or documents.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kinerja.organisation.models import (
    Agency,
    AgencyRole,
    Employee,
    PositionHolding,
    Region,
    RegionRole,
)


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


# --- regional administrators: the organisation's master data only ----------------------------


def region_ids_administered_by(user) -> set[int]:
    """Regions whose agencies the user manages as regional administrator."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        RegionRole.objects.filter(user=user, role=RegionRole.Role.ADMIN).values_list(
            "region_id", flat=True
        )
    )


def regions_administered_by(user) -> QuerySet[Region]:
    if getattr(user, "is_superuser", False):
        return Region.objects.all()
    return Region.objects.filter(pk__in=region_ids_administered_by(user))


def can_administer_region(user, region: Region) -> bool:
    """The superuser, or a regional administrator of ``region``: creates and edits its
    agencies and names their administrators."""
    if getattr(user, "is_superuser", False):
        return True
    return region.pk in region_ids_administered_by(user)


def get_region_for_admin(user, code: str) -> Region:
    """The region if the user administers it; 404 otherwise (whether it exists is private)."""
    try:
        return regions_administered_by(user).select_related("parent").get(code=code)
    except Region.DoesNotExist:
        raise Http404 from None


def agencies_managed_by(user) -> QuerySet[Agency]:
    """Agencies whose master data the user may change: those they administer and every agency
    of the regions they administer."""
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    administered = AgencyRole.objects.filter(user=user, role=AgencyRole.Role.ADMIN).values_list(
        "agency_id", flat=True
    )
    return Agency.objects.filter(
        Q(pk__in=list(administered)) | Q(region_id__in=region_ids_administered_by(user))
    )


def can_manage_agency(user, agency: Agency) -> bool:
    """May change the agency's organisation master data (record, structure, administrators)."""
    return can_administer(user, agency) or can_administer_region(user, agency.region)


def get_agency_for_structure(user, code: str) -> Agency:
    """The agency for the organisation pages (its structure, its export): whoever works for it
    and whoever manages it; 404 otherwise."""
    agencies = agencies_visible_to(user) | agencies_managed_by(user)
    try:
        return agencies.distinct().select_related("region").get(code=code)
    except Agency.DoesNotExist:
        raise Http404 from None


def get_agency_for_manager(user, code: str) -> Agency:
    """The agency if the user may change its master data; 404 if unseen, 403 if only readable."""
    agency = get_agency_for_structure(user, code)
    if not can_manage_agency(user, agency):
        raise PermissionDenied
    return agency
