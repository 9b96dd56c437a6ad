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

from kinerja.documents.models import ArchiveEntry
from kinerja.documents.services.archive import (
    archive_bytes,
    archive_case,
    package_zip,
)
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


def test_archive_case_takes_final_versions(offices, kasubbag):
    agency = offices["KTT_BLG"]
    document = create_document(agency, "cover_letter", 2023, case_id=4242, actor=kasubbag)
    generate_version(document)
    v2 = generate_version(document)
    entries = archive_case(4242, actor=kasubbag)
    assert [e.version_id for e in entries] == [v2.pk]
    assert ArchiveEntry.objects.filter(agency=agency, year=2023, kind="cover_letter").count() == 1


def test_package_manifest_matches_files(offices, kasubbag, tmp_path):
    agency = offices["DKUKMTK-BLG"]
    archive_bytes(agency, 2024, "pk", "Perjanjian Kinerja 2024", "pk.pdf", b"%PDF-1.4 pk")
    archive_bytes(agency, 2024, "renstra", "Renstra 2021-2026", "renstra.pdf", b"%PDF-1.4 r")
    document = create_document(agency, "cover_letter", 2024, actor=kasubbag)
    archive_case_id = None
    from kinerja.documents.services.archive import archive_version

    archive_version(generate_version(document), actor=kasubbag, case_id=archive_case_id)
    data, _package = package_zip(agency, 2024, actor=kasubbag)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        listed = {f["name"] for f in manifest["files"]}
        assert names == listed | {"manifest.json", "DAFTAR-ISI.txt"}
        for item in manifest["files"]:
            assert hashlib.sha256(archive.read(item["name"])).hexdigest() == item["sha256"]
            assert len(archive.read(item["name"])) == item["size"]
        assert {m["kind"] for m in manifest["missing"]} == {"lkjip", "review_statement"}
        sources = {f["kind"]: f["source"] for f in manifest["files"]}
        assert sources["pk"] == "archive"
        assert sources["iku"] == sources["rencana_aksi"] == "printed from the data"
        human = archive.read("DAFTAR-ISI.txt").decode()
        assert "02_PK_DKUKMTK-BLG_2024.pdf" in human and "Belum ada" in human
        assert "06_SURAT-PENGANTAR_DKUKMTK-BLG_2024.pdf" in names

    out = tmp_path / "paket.zip"
    stdout = StringIO()
    call_command(
        "package", "--agency", "DKUKMTK-BLG", "--year", "2024", "--out", str(out), stdout=stdout
    )
    assert zipfile.is_zipfile(out) and "2 missing" in stdout.getvalue()


def test_package_prints_planning_documents_from_the_data(perf):
    _data, package = package_zip(perf["KTT_BLG"], 2024)
    by_kind = {f.kind: f for f in package.files}
    assert {"pk", "renstra", "iku", "rencana_aksi"} <= set(by_kind)
    from tests.documents.helpers import pdf_text

    assert "RENCANA AKSI TAHUN 2024" in pdf_text(by_kind["rencana_aksi"].data)
    assert "INDIKATOR KINERJA UTAMA" in pdf_text(by_kind["iku"].data)
    assert "RENCANA STRATEGIS" in pdf_text(by_kind["renstra"].data)
    assert "PERJANJIAN KINERJA TAHUN 2024" in pdf_text(by_kind["pk"].data)
    assert [m["kind"] for m in package.missing] == ["lkjip", "cover_letter", "review_statement"]
