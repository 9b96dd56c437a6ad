"""The meeting invitation and its attendance list (seed 004 steps 2-3: rapat penyusunan LAKIP).

Options: ``meeting`` (the id of a meeting scheduled in a case: its time, place, agenda, invited
officials and letter number are used), or by hand ``meeting_date`` (ISO date), ``time`` ("09.00
WIB s.d. selesai"), ``place``, ``agenda``, ``invitees`` (list of names or positions; by default
every position of the agency is invited) and ``number``.

:func:`connect` lets the meeting pages of the cases layer number the invitation from the agency's
letter register (``kinerja.core.hooks.register_letter_issuer``) without importing this layer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from kinerja.core import hooks
from kinerja.documents.contract import DocumentKind, Images, register
from kinerja.organisation.models import Agency, Position


def issue_invitation_number(
    agency_id: int,
    *,
    classification: str | None = None,
    actor=None,
    subject: str = "",
    task_id: int | None = None,
) -> str:
    """The next number of the agency's letter register for a meeting's invitation."""
    from kinerja.documents.services.letters import issue_letter_number

    letter = issue_letter_number(
        Agency.objects.get(pk=agency_id),
        classification,
        actor=actor,
        subject=subject,
        task_id=task_id,
    )
    return letter.number


def connect() -> None:
    hooks.register_letter_issuer(issue_invitation_number)
    hooks.register_panel(hooks.Slot.MEETING, meeting_panel)


MEETING_KINDS = ("invitation", "attendance")


def meeting_panel(request: HttpRequest, meeting: Any = None, **_context: Any) -> str:
    """On the meeting's invitation page: make the invitation or the attendance list a document
    (DOCX and PDF, versioned, signable like every other document)."""
    if meeting is None:
        return ""
    return render_to_string("documents/meeting_panel.html", {"meeting": meeting}, request=request)


def meeting_document(meeting, kind: str, *, actor=None):
    """The document of ``kind`` for a meeting scheduled in a case, made (with its first version)
    the first time it is asked for; later versions come from the document page."""
    from kinerja.documents.models import Document
    from kinerja.documents.services import versions

    if kind not in MEETING_KINDS:
        raise ValueError(kind)
    case = meeting.task.case
    agency = case.agency
    year = meeting.starts_at.astimezone(agency.tzinfo).year
    found = [
        d
        for d in Document.objects.filter(agency=agency, kind=kind, case_id=case.pk)
        if d.options.get("meeting") == meeting.pk
    ]
    if found:
        return found[0]
    document = versions.create_document(
        agency,
        kind,
        year,
        period=str(year),
        options={"meeting": meeting.pk},
        actor=actor,
        case_id=case.pk,
    )
    versions.generate_version(document, actor=actor)
    return document


def _scheduled(kind: DocumentKind) -> dict[str, Any]:
    """Options taken from the meeting scheduled in a case (``options["meeting"]``)."""
    from kinerja.cases.models import Meeting

    meeting_id = kind.options.get("meeting")
    if meeting_id is None:
        return {}
    meeting = (
        Meeting.objects.filter(pk=meeting_id, task__case__agency=kind.agency)
        .prefetch_related("invited")
        .first()
    )
    if meeting is None:
        return {}
    starts_at = meeting.starts_at.astimezone(kind.agency.tzinfo)
    return {
        "meeting_date": starts_at.date().isoformat(),
        "time": f"{starts_at:%H.%M} {kind.agency.time_zone_abbreviation} s.d. selesai",
        "place": meeting.place,
        "agenda": meeting.agenda,
        "invitees": [e.full_name for e in meeting.invited.order_by("full_name")],
        "number": meeting.letter_number,
    }


def _meeting(kind: DocumentKind) -> dict[str, Any]:
    if kind.options.get("meeting"):
        kind.options = {**kind.options, **_scheduled(kind)}
    options = kind.options
    day = (
        dt.date.fromisoformat(options["meeting_date"])
        if options.get("meeting_date")
        else (kind.agency.today() + dt.timedelta(days=3))
    )
    agency = kind.agency
    invitees = options.get("invitees") or [
        p.name for p in Position.objects.filter(agency=agency).order_by("order", "name")
    ]
    people = []
    for position in Position.objects.filter(agency=agency).order_by("order", "name"):
        for holding in position.holdings_on(agency.today()):
            people.append({"name": holding.employee.full_name, "position": holding.title})
    return {
        "meeting_day": format_date(day, "EEEE", locale="id"),
        "meeting_date": format_date(day, "long", locale="id"),
        "meeting_time": options.get("time")
        or f"09.00 {agency.time_zone_abbreviation} s.d. selesai",
        "meeting_place": options.get("place") or f"Ruang Rapat {agency.name}",
        "agenda": options.get("agenda") or f"Pembahasan Draft LAKIP Tahun {kind.year}",
        "invitees": [{"no": i, "name": name} for i, name in enumerate(invitees, start=1)],
        "people": [{"no": i, **p} for i, p in enumerate(people, start=1)],
    }


@register
class MeetingInvitation(DocumentKind):
    identifier = "invitation"
    title = _("Meeting invitation")
    label_id = "Undangan Rapat"  # the document as printed (Indonesian)
    docx_template = "invitation.docx"
    html_template = "documents/pdf/invitation.html"
    sections = ("Isi", "Daftar undangan")
    text_options = (
        ("meeting_date", "Tanggal rapat (YYYY-MM-DD)"),
        ("time", "Waktu"),
        ("place", "Tempat"),
        ("agenda", "Acara"),
    )

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        data.update(_meeting(self))
        data.update(
            number=self.options.get("number") or "",
            number_display=self.options.get("number")
            or f"......./......./{self.agency.code}/{self.agency.today().year}",
            subject=self.options.get("subject") or "Undangan Rapat",
        )
        return data


@register
class AttendanceList(DocumentKind):
    identifier = "attendance"
    title = _("Attendance list")
    label_id = "Daftar Hadir"  # the document as printed (Indonesian)
    docx_template = "attendance.docx"
    html_template = "documents/pdf/attendance.html"
    sections = ("Daftar hadir",)

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        data.update(_meeting(self))
        return data
