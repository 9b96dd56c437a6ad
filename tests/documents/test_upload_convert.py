"""An edited DOCX uploaded as the next version gets its PDF from LibreOffice and can be signed."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from docx import Document as Docx

from kinerja.documents import convert, signing
from kinerja.documents.common import verification_url
from kinerja.documents.models import DocumentVersion
from kinerja.documents.services.signoff import sign_version, verify_upload
from kinerja.documents.services.versions import (
    create_document,
    generate_version,
    initial_version,
    upload_version,
)
from tests.documents.helpers import has_qr_of, pdf_text, read

pytestmark = pytest.mark.django_db
PASS = "rahasia-uji"
EDITED = "Naskah hasil suntingan Subbagian Perencanaan untuk uji konversi"


def _require_soffice() -> None:
    if convert.soffice_binary() is not None:
        return
    message = "LibreOffice (soffice) is missing: scripts/system-deps.sh test installs it"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def _edited_docx() -> bytes:
    doc = Docx()
    doc.add_heading("Surat Pengantar Laporan Kinerja", level=1)
    doc.add_paragraph(EDITED)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Lampiran"
    table.cell(0, 1).text = "Jumlah"
    table.cell(1, 0).text = "Renstra 2021-2026"
    table.cell(1, 1).text = "1 berkas"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def document(offices, kasubbag):
    return create_document(offices["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)


def test_uploaded_docx_is_converted_initialled_signed_and_verified(
    document, kasubbag, sekretaris, kadis
):
    _require_soffice()
    credential = signing.create_self_signed_credential(kadis.employee, PASS)
    assert credential.pk
    generate_version(document, actor=kasubbag)
    upload = SimpleUploadedFile(
        "surat-suntingan.docx",
        _edited_docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    v2 = upload_version(document, actor=kasubbag, docx_file=upload, note="suntingan kantor")
    assert v2.number == 2 and v2.source == DocumentVersion.Source.UPLOADED
    pdf = read(v2.pdf)
    assert pdf.startswith(b"%PDF-") and len(v2.pdf_sha256) == 64
    text = " ".join(pdf_text(pdf).split())
    assert EDITED in text and "Renstra 2021-2026" in text

    initial_version(v2, actor=sekretaris)
    signed = sign_version(v2, actor=kadis, passphrase=PASS)
    data = read(signed.signed_pdf)
    check = signing.check_pdf(data)
    assert check.ok, check
    assert "ABDURRAHMAN" in check.signatures[0].signer
    assert verify_upload(data, signed.token).identical
    signed_text = " ".join(pdf_text(data).split())
    assert EDITED in signed_text
    # The converted file had no QR; the signed one carries the version's verification QR.
    url = verification_url(signed.token)
    assert not has_qr_of(pdf, url) and has_qr_of(data, url)


def test_without_libreoffice_the_upload_is_refused_and_nothing_stored(
    document, kasubbag, monkeypatch
):
    monkeypatch.setenv("KINERJA_SOFFICE", "/nonexistent/soffice")
    upload = SimpleUploadedFile("surat.docx", _edited_docx())
    with pytest.raises(ValidationError) as raised:
        upload_version(document, actor=kasubbag, docx_file=upload)
    assert "libreoffice-writer-nogui" in str(raised.value)
    assert not document.versions.exists()


def test_a_file_that_is_not_a_docx_is_refused_before_libreoffice_reads_it(document, kasubbag):
    broken = b"PK\x03\x04" + b"bukan dokumen word" * 20
    with translation.override("id"), pytest.raises(ValidationError, match="bukan dokumen Word"):
        upload_version(document, actor=kasubbag, docx_file=SimpleUploadedFile("x.docx", broken))
    assert not document.versions.exists()
