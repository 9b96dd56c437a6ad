"""The document contract through the cover letter: letterhead, number, signature block."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document as Docx

from kinerja.documents import contract
from kinerja.documents.models import DocumentTemplate
from kinerja.documents.services.versions import create_document, generate_version
from tests.documents.helpers import docx_text, pdf_text, read

pytestmark = pytest.mark.django_db


def test_registry_knows_the_kinds():
    assert "cover_letter" in contract.kinds()
    with pytest.raises(ValueError):

        @contract.register
        class Again(contract.DocumentKind):
            identifier = "cover_letter"


def test_cover_letter_docx_and_pdf(offices, kasubbag):
    agency = offices["DKUKMTK-BLG"]
    document = create_document(
        agency,
        "cover_letter",
        2024,
        options={"number": "000.8.6.3/004/DKUKMTK-BLG/2025", "date": "2025-01-20"},
        actor=kasubbag,
    )
    version = generate_version(document, actor=kasubbag)
    assert version.number == 1 and len(version.pdf_sha256) == 64
    text = docx_text(read(version.docx))
    for expected in (
        "PEMERINTAH KABUPATEN BALANGAN",
        "000.8.6.3/004/DKUKMTK-BLG/2025",
        "Paringin, 20 Januari 2025",
        "Penyampaian LAKIP Tahun 2024",
        "Bupati Balangan",
        "Plt. KEPALA DINAS KOPERASI USAHA KECIL MENENGAH DAN TENAGA KERJA,",
        "ABDURRAHMAN ARRAHIMI, S.PI",
        "Pembina Tk. I (IV/b)",
        "NIP. 19681117 199703 1 003",
        "Perjanjian Kinerja Tahun 2024",
    ):
        assert expected in text, expected
    pdf = pdf_text(read(version.pdf))
    for expected in (
        "000.8.6.3/004/DKUKMTK-BLG/2025",
        "Paringin, 20 Januari 2025",
        "NIP. 19681117 199703 1 003",
        "Plt. KEPALA DINAS",
    ):
        assert expected in pdf, expected


def test_second_generation_is_a_new_version(offices):
    document = create_document(offices["KTT_BLG"], "cover_letter", 2023)
    first = generate_version(document)
    second = generate_version(document)
    assert (first.number, second.number) == (1, 2)
    assert first.docx.name != second.docx.name
    assert "Camat".upper() in docx_text(read(second.docx))


def test_office_template_with_other_styling_still_renders(offices, agency_admin):
    from docx.shared import Pt

    agency = offices["DKUKMTK-BLG"]
    own = Docx()
    own.styles["Normal"].font.name = "Times New Roman"
    own.styles["Normal"].font.size = Pt(14)
    own.add_heading("SURAT PENGANTAR KANTOR KAMI", level=1)
    own.add_paragraph("Nomor: {{ number_display }} / Hal: {{ subject }}")
    own.add_paragraph("{{ signature.title }} {{ signature.name }} NIP. {{ signature.nip }}")
    buffer = io.BytesIO()
    own.save(buffer)
    from django.core.files.base import ContentFile

    template = DocumentTemplate(agency=agency, kind="cover_letter", uploaded_by=agency_admin)
    template.file.save("own.docx", ContentFile(buffer.getvalue()))
    document = create_document(
        agency, "cover_letter", 2024, options={"date": dt.date(2025, 1, 3).isoformat()}
    )
    text = docx_text(read(generate_version(document).docx))
    assert "SURAT PENGANTAR KANTOR KAMI" in text
    assert "Hal: Penyampaian LAKIP Tahun 2024" in text
    assert "NIP. 19681117 199703 1 003" in text


def test_meeting_invitation_and_attendance_list(offices):
    from kinerja.documents.services.reports import render

    agency = offices["ADPIM-KALBAR"]
    options = {"meeting_date": "2025-01-14", "place": "Ruang Rapat Biro"}
    invitation = docx_text(render(agency, "invitation", 2024, "2024", "docx", options))
    assert "Selasa, 14 Januari 2025" in invitation and "Ruang Rapat Biro" in invitation
    assert "Pembahasan Draft LAKIP Tahun 2024" in invitation
    assert "KEPALA BIRO ADMINISTRASI PIMPINAN" in invitation.upper()
    attendance = pdf_text(render(agency, "attendance", 2024, "2024", "pdf", options))
    assert "DAFTAR HADIR" in attendance and "SEFPR KURNIADI, S.STP." in attendance
