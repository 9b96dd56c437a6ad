"""Pernyataan Telah Direviu: printed for the APIP's signature, its signed scan goes in the package."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.documents import signing
from kinerja.documents.kinds.review_statement import CONCLUSION, inspectorate_of
from kinerja.documents.services.archive import package_zip
from kinerja.documents.services.signoff import sign_version
from kinerja.documents.services.versions import create_document, generate_version, upload_version
from kinerja.organisation.models import Agency, Employee, Position, PositionHolding
from tests.documents.helpers import docx_text, pdf_text, read

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_statement_names_the_report_and_leaves_the_inspektur_to_sign(perf, kasubbag, kadis):
    agency = perf["DKUKMTK-BLG"]
    assert inspectorate_of(agency) is None
    document = create_document(agency, "review_statement", 2024, actor=kasubbag)
    assert document.initial_positions == [] and document.signer_position == ""
    version = generate_version(document, actor=kasubbag)
    for text in (_flat(pdf_text(read(version.pdf))), _flat(docx_text(read(version.docx)))):
        assert "PERNYATAAN TELAH DIREVIU" in text
        assert (
            f"LAPORAN AKUNTABILITAS KINERJA INSTANSI PEMERINTAH (LAKIP) {agency.name.upper()}"
            in text
        )
        assert "TAHUN ANGGARAN 2024" in text
        assert "sesuai Pedoman Reviu atas Laporan Kinerja" in text
        assert CONCLUSION in text
        assert "INSPEKTUR KABUPATEN BALANGAN" in text
        assert "INSPEKTORAT" in text
    # The reviewed agency's head cannot sign the APIP's statement in the product.
    signing.create_self_signed_credential(kadis.employee, "rahasia-uji")
    with pytest.raises((PermissionDenied, ValidationError)):
        sign_version(version, actor=kadis, passphrase="rahasia-uji")


def test_the_inspectorate_in_the_product_gives_kop_and_signature(perf, kasubbag):
    agency = perf["DKUKMTK-BLG"]
    inspectorate = Agency.objects.create(
        region=agency.region,
        code="INSPEKTORAT-BLG",
        name="Inspektorat Kabupaten Balangan",
        kind=Agency.Kind.INSPEKTORAT,
        time_zone=agency.time_zone,
        head_title="INSPEKTUR KABUPATEN BALANGAN",
    )
    head = Position.objects.create(
        agency=inspectorate, name="Inspektur", code="INSPEKTUR", kind="struktural", is_head=True
    )
    employee = Employee.objects.create(
        agency=inspectorate, full_name="Hj. Siti Rahmah, S.E., M.Si.", nip="197205151998032004"
    )
    PositionHolding.objects.create(position=head, employee=employee, start="2020-01-01")
    document = create_document(
        agency,
        "review_statement",
        2024,
        actor=kasubbag,
        options={"conclusion": "Berdasarkan reviu kami, terdapat catatan pada Bab III."},
    )
    text = _flat(pdf_text(read(generate_version(document, actor=kasubbag).pdf)))
    assert "INSPEKTORAT KABUPATEN BALANGAN" in text
    assert "Hj. Siti Rahmah, S.E., M.Si." in text and "NIP. 19720515 199803 2 004" in text
    assert "terdapat catatan pada Bab III" in text and CONCLUSION not in text


def test_the_uploaded_signed_statement_goes_into_the_package(perf, kasubbag):
    agency = perf["KTT_BLG"]
    document = create_document(agency, "review_statement", 2024, actor=kasubbag)
    generate_version(document, actor=kasubbag)
    _data, package = package_zip(agency, 2024)
    assert "review_statement" in [m["kind"] for m in package.missing]
    scan = b"%PDF-1.4\n% pindaian pernyataan bertanda tangan basah\n%%EOF\n"
    upload_version(
        document, actor=kasubbag, pdf_file=SimpleUploadedFile("pernyataan.pdf", scan), note="ttd"
    )
    data, package = package_zip(agency, 2024)
    assert "review_statement" not in [m["kind"] for m in package.missing]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("07_PERNYATAAN-TELAH-DIREVIU_KTT_BLG_2024.pdf") == scan
