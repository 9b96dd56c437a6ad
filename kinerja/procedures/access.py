"""Who may see, upload and approve SOPs. Views never filter SOPs by hand; they call these.

* An official of the agency (holder of one of its positions, its employee or administrator) sees
  every version of its SOPs, drafts included, and may upload new SOPs and revisions.
* Every logged-in user of the same pemda family (the province and its regencies and cities) reads
  the SOPs that have an effective version, and their effective and superseded versions.
* The head of the agency (the position with ``is_head`` and no unit), or whoever holds it as
  Plt./Plh. on the day, approves a draft.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from kinerja.organisation.access import (
    agency_ids_of,
    can_administer,
    get_agency_for_user,
    holdings_of,
    region_family_ids_of,
)
from kinerja.organisation.models import Agency
from kinerja.procedures.models import Sop, SopVersion


def is_official_of(user, agency: Agency) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return agency.pk in agency_ids_of(user)


def sops_visible_to(user) -> QuerySet[Sop]:
    if not getattr(user, "is_authenticated", False):
        return Sop.objects.none()
    if user.is_superuser:
        return Sop.objects.all()
    return Sop.objects.filter(
        Q(agency_id__in=agency_ids_of(user))
        | Q(
            agency__region_id__in=region_family_ids_of(user),
            versions__status=SopVersion.Status.EFFECTIVE,
        )
    ).distinct()


def get_sop_for_user(user, code: str, pk: int) -> Sop:
    """The SOP if the user may read it; 404 otherwise (its existence is private)."""
    try:
        return (
            sops_visible_to(user)
            .select_related("agency", "agency__region")
            .get(agency__code=code, pk=pk)
        )
    except Sop.DoesNotExist:
        raise Http404 from None


def versions_visible_to(user, sop: Sop) -> QuerySet[SopVersion]:
    versions = sop.versions.order_by("-version")
    if is_official_of(user, sop.agency):
        return versions
    return versions.exclude(status=SopVersion.Status.DRAFT)


def get_version_for_user(user, sop: Sop, number: int | None = None) -> SopVersion:
    """Version ``number``, or the one to show by default: the effective one, else the latest
    the user may see."""
    versions = versions_visible_to(user, sop)
    if number is not None:
        version = versions.filter(version=number).first()
    else:
        version = versions.filter(status=SopVersion.Status.EFFECTIVE).first() or versions.first()
    if version is None:
        raise Http404
    return version


def can_upload(user, agency: Agency) -> bool:
    return is_official_of(user, agency) or can_administer(user, agency)


def can_approve(user, agency: Agency) -> bool:
    """The head of the agency approves its SOPs, or whoever holds that position as Plt./Plh."""
    if getattr(user, "is_superuser", False):
        return True
    return (
        holdings_of(user, agency.today())
        .filter(position__agency=agency, position__is_head=True, position__unit__isnull=True)
        .exists()
    )


def get_agency_for_upload(user, code: str) -> Agency:
    """The agency if the user may upload its SOPs: 404 if unseen, 403 if only readable."""
    agency = get_agency_for_user(user, code)
    if not can_upload(user, agency):
        raise PermissionDenied
    return agency


def agencies_with_sops_for(user) -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=sops_visible_to(user).values("agency_id")).order_by("name")
