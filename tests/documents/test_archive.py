"""Archive entries are immutable; the e-review ZIP's manifest matches its files."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kinerja.documents.services.archive import archive_bytes, package_zip
from kinerja.documents.services.versions import create_document, generate_version

pytestmark = pytest.mark.django_db


def test_archive_is_immutable_and_deduplicated(offices, kasubbag):
    agency = offices["KTT_BLG"]
    entry = archive_bytes(agency, 2023, "pk", "PK 2023", "pk.pdf", b"%PDF-1.4 pk", actor=kasubbag)
    assert entry.sha256 == hashlib.sha256(b"%PDF-1.4 pk").hexdigest()
    assert archive_bytes(agency, 2023, "pk", "PK 2023", "pk.pdf", b"%PDF-1.4 pk") == entry
    entry.title = "other"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_package_manifest_matches_files(offices, kasubbag, tmp_path):
    agency = offices["DKUKMTK-BLG"]
    # Files in the archive are not what the package takes: it takes each document's signed
    # version (test_package_signed.py); an unsigned cover letter is listed, not included.
    archive_bytes(agency, 2024, "pk", "Perjanjian Kinerja 2024", "pk.pdf", b"%PDF-1.4 pk")
    document = create_document(agency, "cover_letter", 2024, actor=kasubbag)
    generate_version(document)
    data, _package = package_zip(agency, 2024, actor=kasubbag)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        listed = {f["name"] for f in manifest["files"]}
        assert names == listed | {"manifest.json", "DAFTAR-ISI.txt"}
        for item in manifest["files"]:
            assert hashlib.sha256(archive.read(item["name"])).hexdigest() == item["sha256"]
            assert len(archive.read(item["name"])) == item["size"]
        reasons = {m["kind"]: m["reason"] for m in manifest["missing"]}
        assert reasons == {
            "lkjip": "missing",
            "pk": "missing",
            "cover_letter": "unsigned",
            "review_statement": "missing",
        }
        sources = {f["kind"]: f["source"] for f in manifest["files"]}
        assert sources == dict.fromkeys(("renstra", "iku", "rencana_aksi"), "printed from the data")
        human = archive.read("DAFTAR-ISI.txt").decode()
        assert "03_RENSTRA_DKUKMTK-BLG_2024.pdf" in human and "Belum ada" in human
        assert "Belum ditandatangani" in human and "Surat Pengantar" in human
        assert not any(name.startswith(("02_", "06_")) for name in names)

    out = tmp_path / "paket.zip"
    stdout = StringIO()
    call_command(
        "package", "--agency", "DKUKMTK-BLG", "--year", "2024", "--out", str(out), stdout=stdout
    )
    assert zipfile.is_zipfile(out) and "4 missing" in stdout.getvalue()


def test_package_prints_planning_documents_from_the_data(perf):
    _data, package = package_zip(perf["KTT_BLG"], 2024)
    by_kind = {f.kind: f for f in package.files}
    assert {"renstra", "iku", "rencana_aksi"} == set(by_kind)
    from tests.documents.helpers import pdf_text

    assert "RENCANA AKSI TAHUN 2024" in pdf_text(by_kind["rencana_aksi"].data)
    assert "INDIKATOR KINERJA UTAMA" in pdf_text(by_kind["iku"].data)
    assert "RENCANA STRATEGIS" in pdf_text(by_kind["renstra"].data)
    assert all("KONSEP" in pdf_text(f.data) and not f.signed for f in by_kind.values())
    kinds = ["lkjip", "pk", "cover_letter", "review_statement"]
    assert [m["kind"] for m in package.missing] == kinds
