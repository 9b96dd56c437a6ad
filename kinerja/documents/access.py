"""Who may see and change documents: built on the organisation layer's accessors.

A document, a version, the letter register and the archive belong to an agency; whoever works for
the agency (or administers it) sees them; others get 404. Documents are made and changed by the
agency's planning officials (``performance.access.is_planner``) and by the officials who sign
them off (the holders of the document's initial and signer positions); anybody else of the agency
gets 403. Initials and signatures are checked by position in the services.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinerja.documents.models import Document, DocumentVersion, LetterNumber
from kinerja.organisation.access import agency_ids_of, get_agency_for_user, holdings_of
from kinerja.organisation.models import Agency
from kinerja.performance.access import is_planner


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


def get_version_for_user(user, pk: int | str) -> DocumentVersion:
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


def signs_off(user, document: Document) -> bool:
    """The user holds today one of the positions that initial or sign the document."""
    codes = {*document.initial_positions, document.signer_position} - {""}
    return any(
        h.position.agency_id == document.agency_id and h.position.code in codes
        for h in holdings_of(user, document.agency.today())
    )


def get_agency_for_editor(user, code: str) -> Agency:
    """The agency if the user may make its documents (a planning official): 404 if unseen, 403
    if only readable."""
    agency = get_agency(user, code)
    if not is_planner(user, agency):
        raise PermissionDenied
    return agency


def get_document_for_editor(user, pk: int) -> Document:
    """The document if the user may change it (its agency's planning official, or one of its
    signatories): 404 if unseen, 403 if only readable."""
    document = get_document_for_user(user, pk)
    if not (is_planner(user, document.agency) or signs_off(user, document)):
        raise PermissionDenied
    return document


def get_meeting_for_editor(user, meeting_id):
    """A meeting scheduled in a case, if the user may make its invitation or attendance list a
    document: who scheduled it, whoever may act on its task, or a planning official of its
    agency. 404 unless the user sees the meeting's task (cases' accessor), 403 otherwise."""
    from kinerja.cases.access import get_task_for_user, may_act
    from kinerja.cases.models import Meeting

    try:
        meeting = Meeting.objects.select_related("task__case__agency").get(pk=int(meeting_id))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    task = get_task_for_user(user, meeting.task_id)
    allowed = (
        meeting.scheduled_by_id == user.pk
        or may_act(user, task)[0]
        or is_planner(user, task.case.agency)
    )
    if not allowed:
        raise PermissionDenied
    return meeting
