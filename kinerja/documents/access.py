"""Who may see and change documents: built on the organisation layer's accessors.

A document, a version, the letter register and the archive belong to an agency; whoever works for
the agency (or administers it) sees them; others get 404. Initials and signatures are checked by
position in the services.
"""

from __future__ import annotations

from django.http import Http404

from kinerja.documents.models import Document, DocumentVersion, LetterNumber
from kinerja.organisation.access import agency_ids_of, get_agency_for_user
from kinerja.organisation.models import Agency


def _visible_agency_ids(user) -> set[int] | None:
    if getattr(user, "is_superuser", False):
        return None
    return agency_ids_of(user)


def get_document_for_user(user, pk: int) -> Document:
    ids = _visible_agency_ids(user)
    queryset = Document.objects.select_related("agency", "agency__region")
    if ids is not None:
        queryset = queryset.filter(agency_id__in=ids)
    try:
        return queryset.get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


def get_version_for_user(user, pk: int) -> DocumentVersion:
    ids = _visible_agency_ids(user)
    queryset = DocumentVersion.objects.select_related("document__agency")
    if ids is not None:
        queryset = queryset.filter(document__agency_id__in=ids)
    try:
        return queryset.get(pk=pk)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None


def get_agency(user, code: str) -> Agency:
    return get_agency_for_user(user, code)


def get_agency_by_id(user, pk: int) -> Agency:
    ids = _visible_agency_ids(user)
    if ids is not None and pk not in ids:
        raise Http404
    try:
        return Agency.objects.select_related("region").get(pk=pk)
    except Agency.DoesNotExist:
        raise Http404 from None


def get_letter_number(agency: Agency, pk: str | int) -> LetterNumber:
    """A number of ``agency``'s letter register (the agency already resolved for the user)."""
    try:
        return LetterNumber.objects.get(agency=agency, pk=int(pk))
    except (LetterNumber.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
