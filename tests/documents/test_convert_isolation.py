"""A DOCX uploaded for conversion cannot make the server fetch anything: its external
relationships and linking fields are removed before LibreOffice sees it, and LibreOffice runs
without network access. Proven with a real HTTP server on 127.0.0.1 that must get no request."""

from __future__ import annotations

import http.server
import io
import os
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as Docx

from kinerja.documents import convert
from kinerja.documents.services.versions import create_document, upload_version
from tests.documents.helpers import pdf_text, read
from tests.security import files

pytestmark = pytest.mark.django_db
TEXT = "Naskah dengan gambar bertaut"


def _require_soffice() -> None:
    if convert.soffice_binary() is not None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("LibreOffice (soffice) is missing")
    pytest.skip("LibreOffice (soffice) is missing")


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records every request it gets (and answers with a PNG)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(files.PNG_1PX)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def _linked_docx(url: str) -> bytes:
    doc = Docx()
    doc.add_paragraph(TEXT)
    out = io.BytesIO()
    doc.save(out)
    return files.docx_with_external_image(out.getvalue(), url)


def test_external_relationships_and_linking_fields_are_removed(listener):
    base, _requests = listener
    data = _linked_docx(f"{base}/rahasia.png")
    clean = convert.without_external_links(data)
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not any(b'TargetMode="External"' in v for k, v in parts.items() if k.endswith(".rels"))
    assert b"INCLUDEPICTURE" not in parts["word/document.xml"]
    assert base.encode() not in b"".join(parts.values())
    # the rest of the document is untouched
    assert TEXT in "\n".join(p.text for p in Docx(io.BytesIO(clean)).paragraphs)


def test_a_hyperlink_stays(listener):
    doc = Docx()
    paragraph = doc.add_paragraph("Lihat ")
    part = doc.part
    rel = part.relate_to(
        "https://jdih.example.go.id/",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    paragraph._p.append(
        paragraph._p.makeelement(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink",
            {"{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id": rel},
        )
    )
    out = io.BytesIO()
    doc.save(out)
    clean = convert.without_external_links(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        assert b"jdih.example.go.id" in archive.read("word/_rels/document.xml.rels")


def test_the_upload_of_the_issue_fetches_nothing(listener, offices, kasubbag):
    _require_soffice()
    base, requests = listener
    document = create_document(offices["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)
    upload = SimpleUploadedFile("suntingan.docx", _linked_docx(f"{base}/rahasia.png"))
    version = upload_version(document, actor=kasubbag, docx_file=upload)
    assert TEXT in pdf_text(read(version.pdf))
    assert requests == []


def test_libreoffice_itself_has_no_network(listener, tmp_path):
    """Even a link the cleaning would miss is not fetched: LibreOffice runs with a profile that
    never updates links and blocks linked pictures, without proxy settings, and in its own empty
    network namespace where the system allows it."""
    _require_soffice()
    if convert.network_isolation() is None:
        message = "this system cannot run a process without network (no unshare)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    base, requests = listener
    pdf = convert.docx_to_pdf(_linked_docx(f"{base}/rahasia.png"), clean=False)
    assert pdf.startswith(b"%PDF-")
    assert requests == []
