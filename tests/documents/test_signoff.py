"""Initials in order, the head's PAdES signature, the QR, verification, immutability."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from kinerja.core.models import AuditEntry
from kinerja.documents import signing
from kinerja.documents.common import verification_url
from kinerja.documents.services.signoff import sign_version, verify_upload
from kinerja.documents.services.versions import (
    add_comment,
    compare_versions,
    create_document,
    generate_version,
    initial_version,
    next_initial,
)
from tests.documents.helpers import has_qr_of, read
from tests.officials import ADPIM

pytestmark = pytest.mark.django_db
PASS = "rahasia-uji"


@pytest.fixture
def document(offices, kasubbag):
    return create_document(offices["DKUKMTK-BLG"], "cover_letter", 2024, actor=kasubbag)


@pytest.fixture
def credential(kadis):
    return signing.create_self_signed_credential(kadis.employee, PASS)


def test_flow_review_initial_sign_verify(document, kasubbag, sekretaris, kadis, credential, staf):
    v1 = generate_version(document, actor=kasubbag)
    add_comment(v1, "Isi", "Lengkapi daftar lampiran", actor=sekretaris)
    with pytest.raises(ValidationError):
        add_comment(v1, "Isi", " ", actor=sekretaris)
    document.options = {
        "attachments": [
            {"name": "LAKIP 2024", "count": "1"},
            {"name": "PK 2024", "count": "1"},
            {"name": "Renstra", "count": "1"},
        ]
    }
    document.save()
    v2 = generate_version(document, actor=kasubbag, note="lampiran dilengkapi")
    diff = compare_versions(v1, v2)
    assert any(line.startswith("+") and "Renstra" in line for line in diff)

    # v1 is no longer the one to initial; the order is the SOP's (Sekretaris before the head).
    with pytest.raises(ValidationError):
        initial_version(v1, actor=sekretaris)
    assert document.initial_positions == ["SEKRETARIS"]
    with pytest.raises(ValidationError):
        sign_version(v2, actor=kadis, passphrase=PASS)  # initials missing
    with pytest.raises(PermissionDenied):
        initial_version(v2, actor=staf)
    initial_version(v2, actor=sekretaris)
    assert next_initial(v2) is None
    with pytest.raises(PermissionDenied):
        sign_version(v2, actor=sekretaris, passphrase=PASS)
    with pytest.raises(ValidationError):
        sign_version(v2, actor=kadis, passphrase="salah")
    signed = sign_version(v2, actor=kadis, passphrase=PASS)
    assert signed.is_signed and len(signed.signed_sha256) == 64
    assert AuditEntry.objects.filter(action="documents.version.signed").exists()

    data = read(signed.signed_pdf)
    check = signing.check_pdf(data)
    assert check.ok, check
    assert "ABDURRAHMAN" in check.signatures[0].signer
    assert verify_upload(data).identical
    from tests.documents.helpers import pdf_text

    assert "UU ITE Pasal 5 ayat (1)" in pdf_text(data)

    # One byte changed: the signature no longer validates and the file is not the signed one.
    index = len(data) // 3
    tampered = data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]
    assert not signing.check_pdf(tampered).ok
    assert not verify_upload(tampered).identical

    # The QR in the PDF encodes the verification URL.
    assert has_qr_of(data, verification_url(signed.token))

    # A signed version never changes.
    signed.note = "ubah"
    with pytest.raises(ValidationError):
        signed.save()
    with pytest.raises(ValidationError):
        initial_version(signed, actor=sekretaris)
    with pytest.raises(ValidationError):
        sign_version(signed, actor=kadis, passphrase=PASS)


def test_verify_page_and_command(
    client, document, kasubbag, sekretaris, kadis, credential, tmp_path
):
    version = generate_version(document, actor=kasubbag)
    initial_version(version, actor=sekretaris)
    sign_version(version, actor=kadis, passphrase=PASS)
    version.refresh_from_db()
    data = read(version.signed_pdf)
    response = client.get(f"/dokumen/verifikasi/{version.token}/")
    assert response.status_code == 200
    assert version.signed_sha256 in response.content.decode()
    assert "ABDURRAHMAN ARRAHIMI, S.PI" in response.content.decode()
    response = client.post(
        f"/dokumen/verifikasi/{version.token}/",
        {"file": SimpleUploadedFile("x.pdf", data, "application/pdf")},
    )
    assert 'data-identical="true"' in response.content.decode()
    response = client.post(
        f"/dokumen/verifikasi/{version.token}/",
        {"file": SimpleUploadedFile("x.pdf", data + b"\n", "application/pdf")},
    )
    assert 'data-identical="false"' in response.content.decode()
    assert client.get("/dokumen/verifikasi/nope/").status_code == 404

    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    out = StringIO()
    call_command("sign", "verify", str(path), stdout=out)
    assert "VALID" in out.getvalue() and version.signed_sha256 in out.getvalue()
    path.write_bytes(data.replace(b"ABDURRAHMAN", b"ABDURRAHMAM", 1))
    with pytest.raises(SystemExit):
        call_command("sign", "verify", str(path), stdout=StringIO())


def test_sign_off_order_comes_from_the_case_sop(offices, official):
    """Seed 004: the Kasubag (step 7) and the Kabag (step 8) initial, the Karo (step 9) signs."""
    from kinerja.cases.services import start_case
    from kinerja.procedures.demo import load as load_seed_sops
    from kinerja.procedures.models import Sop

    if not Sop.objects.filter(agency__code="ADPIM-KALBAR").exists():
        load_seed_sops()
    sop = Sop.objects.get(agency__code="ADPIM-KALBAR", key="penyusunan-lakip")
    case = start_case(sop, "2024", official(ADPIM.kasubag))
    document = create_document(offices["ADPIM-KALBAR"], "lkjip", 2024, case_id=case.pk)
    assert document.initial_positions == ["KASUBAG-TU", "KABAG-TUP"]
    assert document.signer_position == "KARO"
    without_case = create_document(
        offices["ADPIM-KALBAR"], "lkjip", 2024, actor=official(ADPIM.kasubag)
    )
    assert without_case.initial_positions == ["KABAG-TUP"]


def test_verification_tokens_hold_no_character_a_printed_line_break_could_eat():
    """The address is printed in the footer and wraps at the page edge: a '-' there reads as a
    line-break hyphen (a reader drops it, and so does pdftotext), so a token has none."""
    import string

    from kinerja.documents.models.documents import new_token

    tokens = {new_token() for _ in range(500)}
    assert len(tokens) == 500
    assert all(len(t) == 24 and set(t) <= set(string.ascii_letters + string.digits) for t in tokens)
