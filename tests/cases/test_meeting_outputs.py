"""Seed 004's meeting: the invitation's number from the letter register, minutes uploaded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from docx import Document as Docx

from kinerja.cases import meetings, services
from kinerja.cases.models import Case, Meeting, Task
from kinerja.core.models import AuditEntry
from kinerja.documents.models import LetterNumber
from kinerja.documents.services.reports import render
from tests.cases.helpers import actor_of, open_task
from tests.documents.helpers import docx_text, pdf_text, read
from tests.officials import ADPIM, DINKES

WIB = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2025, 3, 3, 8, 0, tzinfo=WIB)


def _scheduled(seed_sops, official) -> tuple[Case, Meeting, object]:
    """A seed 004 case at its meeting step, the meeting scheduled by the staff who took it."""
    case = services.start_case(seed_sops["004"], "2024", official(ADPIM.kasubag), now=START)
    services.complete_task(open_task(case).pk, official(ADPIM.kasubag), now=START)
    task = open_task(case)
    staff = task.candidates.order_by("full_name").first().user
    services.take(task.pk, staff)
    people = [official(u).employee for u in (ADPIM.kepala, ADPIM.kabag, ADPIM.kasubag)]
    meeting = meetings.schedule_meeting(
        task.pk,
        staff,
        starts_at=dt.datetime(2025, 3, 5, 9, 0, tzinfo=WIB),
        place="Ruang Rapat Biro",
        agenda="Pembahasan Draft LAKIP 2024",
        invited=people,
    )
    return case, meeting, staff


def _to_minutes_step(case: Case) -> Task:
    for _ in range(3):  # steps 2, 3, 4
        t = open_task(case)
        services.complete_task(t.pk, (t.worker or t.candidates.first()).user, now=START)
    task = open_task(case)
    assert meetings.is_minutes_step(task)
    return task


def test_the_records_minutes_field_of_the_sop_drives_the_task_page(seed_sops, official, client_for):
    """Seed 004 marks step 5 ``records_minutes``; step 4, whose wording names the notulensi,
    is not marked and offers no minutes. The field decides, not the words of the step."""
    case, meeting, staff = _scheduled(seed_sops, official)
    scheduling = client_for(staff.username).get(reverse("cases:task", args=[meeting.task_id]))
    assert reverse("cases:meeting", args=[meeting.task_id]) in scheduling.content.decode()
    for _ in range(2):  # steps 2, 3
        t = open_task(case)
        services.complete_task(t.pk, (t.worker or t.candidates.first()).user, now=START)
    chair = open_task(case)
    assert "notulensi" in chair.step.text and not chair.step.records_minutes
    page = client_for(actor_of(chair).username).get(reverse("cases:task", args=[chair.pk]))
    assert b'data-testid="record-minutes"' not in page.content
    services.complete_task(chair.pk, actor_of(chair), now=START)
    task = open_task(case)
    holder = actor_of(task).username
    page = client_for(holder).get(reverse("cases:task", args=[task.pk]))
    assert task.step.records_minutes and b'data-testid="record-minutes"' in page.content
    type(task.step).objects.filter(pk=task.step_id).update(records_minutes=False)
    page = client_for(holder).get(reverse("cases:task", args=[task.pk]))
    assert "Notulensi" in task.step.output and b'data-testid="record-minutes"' not in page.content


def test_invitation_number_from_the_register_on_the_page_and_the_document(
    seed_sops, official, client_for
):
    case, meeting, staff = _scheduled(seed_sops, official)
    client = client_for(staff.username)
    sheet = client.get(reverse("cases:attendance", args=[meeting.task_id]))
    assert sheet.context["may_number"]
    assert sheet.context["number_form"]["classification"].initial == "005"
    response = client.post(
        reverse("cases:invitation_number", args=[meeting.task_id]), {"classification": ""}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    number = meeting.letter_number
    assert number.startswith("005/") and number.endswith(f"/{case.agency.today().year}")
    # In the register, tied to the task, with its history.
    letter = LetterNumber.objects.get(agency=case.agency, number=number)
    assert letter.task_id == meeting.task_id and letter.classification == "005"
    assert "Pembahasan Draft LAKIP 2024" in letter.subject
    assert AuditEntry.objects.filter(action="case.meeting.numbered", summary=number).exists()
    assert case.events.filter(kind="meeting.numbered", text=number).exists()
    # Shown on the meeting page and the task page.
    sheet = client.get(reverse("cases:attendance", args=[meeting.task_id]))
    assert number in sheet.content.decode() and not sheet.context["may_number"]
    task_page = client.get(reverse("cases:task", args=[meeting.task_id])).content.decode()
    assert number in task_page
    # On the invitation document, DOCX and PDF, opened again.
    options = {"meeting": meeting.pk}
    docx = docx_text(render(case.agency, "invitation", 2024, "2024", "docx", options))
    assert number in docx and "Ruang Rapat Biro" in docx and "Rabu, 5 Maret 2025" in docx
    pdf = pdf_text(render(case.agency, "invitation", 2024, "2024", "pdf", options))
    assert number.replace(" ", "") in pdf.replace(" ", "")
    # Never twice.
    with pytest.raises(services.CaseError):
        meetings.number_invitation(meeting.pk, staff)
    assert LetterNumber.objects.filter(task_id=meeting.task_id).count() == 1


def test_invitation_number_with_a_chosen_code_and_only_for_its_organiser(seed_sops, official):
    _case, meeting, staff = _scheduled(seed_sops, official)
    with pytest.raises(PermissionDenied):
        meetings.number_invitation(meeting.pk, official(ADPIM.kabag))
    with translation.override("en"), pytest.raises(ValidationError, match="classification code"):
        meetings.number_invitation(meeting.pk, staff, classification="undangan")
    meeting.refresh_from_db()
    assert meeting.letter_number == ""
    meeting = meetings.number_invitation(meeting.pk, staff, classification="005.1")
    assert meeting.letter_number.startswith("005.1/")


def test_outsider_cannot_number_or_see_the_invitation(seed_sops, official, client_for):
    _case, meeting, _staff = _scheduled(seed_sops, official)
    outsider = client_for(DINKES.kasubag)
    url = reverse("cases:invitation_number", args=[meeting.task_id])
    assert outsider.post(url, {"classification": "005"}).status_code == 404
    assert outsider.get(reverse("cases:attendance", args=[meeting.task_id])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.letter_number == ""


def _pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Notulensi Rapat</h1><p>LAKIP 2024 dibahas.</p>").write_pdf()


def _docx_bytes() -> bytes:
    doc = Docx()
    doc.add_paragraph("Notulensi Rapat Penyusunan LAKIP 2024")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "check"),
    [
        ("notulensi.pdf", _pdf_bytes, lambda data: "LAKIP 2024 dibahas." in pdf_text(data)),
        ("notulensi.docx", _docx_bytes, lambda data: "Penyusunan LAKIP" in docx_text(data)),
    ],
)
def test_minutes_uploaded_as_a_file_become_the_output(
    seed_sops, official, client_for, name, content, check
):
    case, meeting, _staff = _scheduled(seed_sops, official)
    task = _to_minutes_step(case)
    user = task.candidates.first().user
    client = client_for(user.username)
    upload = SimpleUploadedFile(name, content())
    present = official(ADPIM.kepala).employee.pk
    response = client.post(
        reverse("cases:minutes", args=[task.pk]), {"attended": [present], "file": upload}
    )
    assert response.status_code == 302 and response.url == reverse("cases:case", args=[case.pk])
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and name in task.note
    output = task.files.get()
    assert output.name == name and output.uploaded_by == user
    meeting.refresh_from_db()
    assert meeting.minutes_file.name == output.file.name
    assert meeting.attendance.get(employee_id=present).attended
    assert AuditEntry.objects.filter(action="case.task.completed", object_id=str(task.pk)).exists()
    # On the case page, downloadable by whoever sees the case; the same bytes come back.
    page = client_for(ADPIM.kepala).get(reverse("cases:case", args=[case.pk])).content.decode()
    url = reverse("cases:file", args=[output.pk])
    assert url in page
    download = client_for(ADPIM.kepala).get(url)
    data = b"".join(download.streaming_content)
    assert download.status_code == 200 and check(data)
    assert client_for(DINKES.kasubag).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [("notulensi.txt", b"Notulensi dalam teks"), ("notulensi.pdf", b"\x89PNG\r\n\x1a\nnot a pdf")],
)
def test_minutes_file_of_the_wrong_type_is_refused(seed_sops, official, name, content):
    case, _meeting, _staff = _scheduled(seed_sops, official)
    task = _to_minutes_step(case)
    user = task.candidates.first().user
    with translation.override("en"), pytest.raises(services.CaseError, match="Minutes file: "):
        meetings.record_minutes(
            task.pk, user, attended=[], upload=SimpleUploadedFile(name, content)
        )
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and not task.files.exists()


def test_minutes_need_text_or_a_file(seed_sops, official):
    case, _meeting, _staff = _scheduled(seed_sops, official)
    task = _to_minutes_step(case)
    with pytest.raises(services.CaseError):
        meetings.record_minutes(task.pk, task.candidates.first().user, attended=[], minutes=" ")


def test_the_invitation_becomes_a_versioned_document_from_the_meeting_page(
    seed_sops, official, client_for
):
    from kinerja.documents.models import Document

    case, meeting, staff = _scheduled(seed_sops, official)
    meeting = meetings.number_invitation(meeting.pk, staff)
    client = client_for(staff.username)
    sheet = client.get(reverse("cases:attendance", args=[meeting.task_id])).content.decode()
    assert 'data-testid="invitation-document"' in sheet
    url = reverse("documents:meeting_document", args=[meeting.pk])

    response = client.post(url, {"kind": "invitation"})
    document = Document.objects.get(kind="invitation", case_id=case.pk)
    assert response.status_code == 302 and response["Location"].endswith(f"/d/{document.pk}/")
    version = document.versions.get()
    assert meeting.letter_number in docx_text(read(version.docx))
    assert "Ruang Rapat Biro" in pdf_text(read(version.pdf))
    # Asking again opens the same document; later versions are made on the document page.
    assert client.post(url, {"kind": "invitation"})["Location"] == response["Location"]
    assert document.versions.count() == 1
    client.post(url, {"kind": "attendance"})
    assert Document.objects.filter(kind="attendance", case_id=case.pk).count() == 1

    assert client.post(url, {"kind": "lkjip"}).status_code == 404
    assert client_for(DINKES.kepala).post(url, {"kind": "invitation"}).status_code == 404
    assert client.get(url).status_code == 405
