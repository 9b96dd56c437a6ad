"""An unsigned version says KONSEP and claims nothing; only the signed PDF carries the QR and the
UU ITE footer, and what was initialled is what gets signed, apart from those marks (issue 10)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from kinerja.documents import signing
from kinerja.documents.common import verification_url
from kinerja.documents.services.signoff import sign_version
from kinerja.documents.services.versions import (
    create_document,
    generate_version,
    initial_version,
    upload_version,
)
from tests.documents.drafts import (
    DRAFT_WORD,
    VALIDITY_CLAIM,
    docx_all_text,
    docx_has_qr_of,
    docx_header_text,
    first_revision,
    pdf_words,
    reading_text,
    square_images,
)
from tests.documents.helpers import has_qr_of, pdf_text, read

pytestmark = pytest.mark.django_db
PASS = "rahasia-uji"


@pytest.fixture
def credential(kadis):
    return signing.create_self_signed_credential(kadis.employee, PASS)


def _assert_draft(version) -> None:
    """The version as served before signature: KONSEP on every page, no QR, no validity claim."""
    url = verification_url(version.token)
    pdf = read(version.pdf)
    text = pdf_text(pdf)
    pages = text.split("\f")[:-1] or [text]
    assert all(DRAFT_WORD in page for page in pages), "a page of the draft PDF lacks KONSEP"
    assert VALIDITY_CLAIM not in text
    assert "/dokumen/verifikasi/" not in text
    assert not has_qr_of(pdf, url)
    assert square_images(pdf) == 0  # no QR of any address in the signature block
    if version.docx:
        docx = read(version.docx)
        assert DRAFT_WORD in docx_header_text(docx)
        everything = docx_all_text(docx)
        assert VALIDITY_CLAIM not in everything and "/dokumen/verifikasi/" not in everything
        assert not docx_has_qr_of(docx, url)


def _assert_signed(version, draft_pdf: bytes) -> None:
    url = verification_url(version.token)
    signed = read(version.signed_pdf)
    assert signing.check_pdf(signed).ok
    text = reading_text(signed)
    assert DRAFT_WORD not in text
    assert VALIDITY_CLAIM in text
    joined = "".join(text.split())  # the footer wraps the address (at "/" or "-")
    assert "/dokumen/verifikasi/" in joined and version.token in joined
    assert has_qr_of(signed, url)
    # What was initialled is what was signed: the file the signature covers has the same words
    # as the draft, apart from the marks.
    assert pdf_words(first_revision(signed), version.token) == pdf_words(draft_pdf)
    assert square_images(first_revision(signed)) >= 1 and square_images(draft_pdf) == 0


@pytest.mark.parametrize(
    ("kind", "needle"),
    [("lkjip", "BAB I PENDAHULUAN"), ("pk", "PERJANJIAN KINERJA"), ("cover_letter", "Hal")],
)
def test_unsigned_version_is_a_konsep_and_only_the_signed_pdf_claims_validity(
    perf, kasubbag, sekretaris, kadis, credential, kind, needle
):
    document = create_document(perf["DKUKMTK-BLG"], kind, 2024, actor=kasubbag)
    version = generate_version(document, actor=kasubbag)
    _assert_draft(version)
    draft_pdf = read(version.pdf)
    assert needle in pdf_text(draft_pdf)

    for _position in document.initial_positions:
        initial_version(version, actor=sekretaris)
    _assert_draft(version)  # initialled is not signed
    signed = sign_version(version, actor=kadis, passphrase=PASS)
    _assert_signed(signed, draft_pdf)
    # The draft as stored never changes: it is still the KONSEP a reader downloaded before.
    assert read(signed.pdf) == draft_pdf


def test_every_generated_kind_says_konsep_before_signature(perf, kasubbag):
    """The other kinds share the base: the periodic report, the review statement, the meeting
    documents, the planning prints and the SOP document (rendered by the procedures layer)."""
    from kinerja.procedures.demo import load as load_seed_sops
    from kinerja.procedures.models import Sop

    if not Sop.objects.filter(agency__code="DKUKMTK-BLG").exists():
        load_seed_sops()
    sop = Sop.objects.filter(agency__code="DKUKMTK-BLG").first()
    agency = perf["DKUKMTK-BLG"]
    cases = [
        ("periodic_report", "2024-Q4", {}),
        ("review_statement", "2024", {}),
        ("invitation", "2024", {}),
        ("attendance", "2024", {}),
        ("renstra", "2024", {}),
        ("sop", "2024", {"sop_version": sop.versions.order_by("-pk").first().pk}),
    ]
    for kind, period, options in cases:
        document = create_document(
            agency, kind, 2024, period=period, options=options, actor=kasubbag
        )
        version = generate_version(document, actor=kasubbag)
        _assert_draft(version)


def _simple_pdf(text: str) -> bytes:
    return HTML(string=f"<p>{text}</p><p>Halaman terakhir</p>").write_pdf()


def test_uploaded_pdf_is_served_as_konsep_and_stamped_only_at_signature(
    perf, kasubbag, sekretaris, kadis, credential
):
    document = create_document(perf["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)
    own = _simple_pdf("Surat pengantar hasil suntingan kantor")
    version = upload_version(
        document, actor=kasubbag, pdf_file=SimpleUploadedFile("surat.pdf", own, "application/pdf")
    )
    _assert_draft(version)
    draft_pdf = read(version.pdf)
    assert "hasil suntingan kantor" in pdf_text(draft_pdf)
    for _position in document.initial_positions:
        initial_version(version, actor=sekretaris)
    signed = sign_version(version, actor=kadis, passphrase=PASS)
    data = read(signed.signed_pdf)
    assert signing.check_pdf(data).ok
    assert has_qr_of(data, verification_url(signed.token))
    text = pdf_text(data)
    assert DRAFT_WORD not in text and "hasil suntingan kantor" in text
    # The signed file is the office's own file with the QR and the stamp, not the KONSEP copy.
    assert data.startswith(own[: len(own) // 2])


def test_verification_page_says_plainly_that_a_version_is_not_signed(client, perf, kasubbag):
    document = create_document(perf["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)
    version = generate_version(document, actor=kasubbag)
    page = client.get(f"/dokumen/verifikasi/{version.token}/").content.decode()
    assert 'data-testid="unsigned-warning"' in page
    assert "BELUM DITANDATANGANI" in page


def test_a_report_printed_without_a_version_is_a_draft(perf):
    """``kinerja report`` prints from the data without any version or signature: KONSEP too."""
    from kinerja.documents.services.reports import render

    agency = perf["DKUKMTK-BLG"]
    docx = render(agency, "pk", 2024, "2024", "docx")
    assert DRAFT_WORD in docx_header_text(docx)
    pdf = render(agency, "pk", 2024, "2024", "pdf")
    text = pdf_text(pdf)
    assert DRAFT_WORD in text and VALIDITY_CLAIM not in text and square_images(pdf) == 0


def test_sign_verify_says_a_draft_carries_no_signature(perf, kasubbag, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    document = create_document(perf["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)
    path = tmp_path / "konsep.pdf"
    path.write_bytes(read(generate_version(document, actor=kasubbag).pdf))
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("sign", "verify", str(path), stdout=out)
    assert "no electronic signature" in out.getvalue() and "NOT VALID" in out.getvalue()


def test_an_unreadable_pdf_upload_is_refused_and_nothing_is_stored(perf, kasubbag):
    """A PDF that cannot be marked KONSEP could not be signed either: refused, with the reason."""
    from django.core.exceptions import ValidationError

    document = create_document(perf["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)
    broken = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\nbukan PDF yang utuh\n", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        upload_version(document, actor=kasubbag, pdf_file=broken)
    assert "tanda KONSEP" in " ".join(refused.value.messages)
    assert not document.versions.exists()
