"""The e-review package takes, for each document, its latest SIGNED version, and its manifest says
which item is missing or not signed; an unsigned draft never goes in as if it were final."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from kinerja.documents import signing
from kinerja.documents.models import ArchiveEntry
from kinerja.documents.services import cover
from kinerja.documents.services.archive import archive_version, package_zip
from kinerja.documents.services.signoff import sign_version
from kinerja.documents.services.versions import (
    create_document,
    generate_version,
    initial_version,
)
from tests.documents.drafts import DRAFT_WORD
from tests.documents.helpers import pdf_text, read
from tests.officials import KTT

pytestmark = pytest.mark.django_db
PASS = "rahasia-uji"


@pytest.fixture
def credential(kadis):
    return signing.create_self_signed_credential(kadis.employee, PASS)


def _signed(document, actor, initials, head):
    version = generate_version(document, actor=actor)
    for official in initials:
        initial_version(version, actor=official)
    return sign_version(version, actor=head, passphrase=PASS)


def _open(data: bytes) -> tuple[dict, dict[str, bytes], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        files = {item["kind"]: archive.read(item["name"]) for item in manifest["files"]}
        human = archive.read("DAFTAR-ISI.txt").decode()
    return manifest, files, human


def test_package_takes_the_latest_signed_version_and_names_what_is_unsigned(
    perf, kasubbag, sekretaris, kadis, credential
):
    agency = perf["DKUKMTK-BLG"]
    report = create_document(agency, "lkjip", 2024, actor=kasubbag)
    signed_report = _signed(report, kasubbag, [sekretaris], kadis)
    newer_draft = generate_version(report, actor=kasubbag, note="perbaikan sesudah TTE")

    # The cover letter: a first draft, then the numbered version, signed by the head.
    letter = cover.cover_letter_for(report, actor=kasubbag)
    first_letter = generate_version(letter, actor=kasubbag)
    numbered = cover.number_cover_letter(letter, actor=kasubbag, classification="000.8.6.3")
    signed_letter = sign_version(numbered, actor=kadis, passphrase=PASS)
    assert first_letter.number < signed_letter.number

    # The PK is drafted but nobody signed it.
    agreement = create_document(agency, "pk", 2024, actor=kasubbag)
    unsigned_pk = generate_version(agreement, actor=kasubbag)

    # An unsigned draft cannot be archived as if it were final.
    with pytest.raises(ValidationError):
        archive_version(newer_draft, actor=kasubbag)
    assert not ArchiveEntry.objects.filter(version=newer_draft).exists()

    data, _package = package_zip(agency, 2024, actor=kasubbag)
    manifest, files, human = _open(data)
    listed = {item["kind"]: item for item in manifest["files"]}
    assert listed["lkjip"]["sha256"] == signed_report.signed_sha256
    assert listed["cover_letter"]["sha256"] == signed_letter.signed_sha256
    assert files["lkjip"] == read(signed_report.signed_pdf)
    assert files["cover_letter"] == read(signed_letter.signed_pdf)

    # The PK is not in the package (not even printed from the data): the manifest says why.
    assert "pk" not in files
    missing = {item["kind"]: item for item in manifest["missing"]}
    assert missing["pk"]["reason"] == "unsigned"
    assert f"v{unsigned_pk.number}" in missing["pk"]["detail"]
    assert missing["review_statement"]["reason"] == "missing"
    assert "Perjanjian Kinerja" in human and "belum ditandatangani" in human

    # Every file said to be signed is signed; every other file is a print that says KONSEP.
    for kind, item in listed.items():
        if item["signed"]:
            assert signing.check_pdf(files[kind]).ok, kind
        else:
            assert item["kind"] in ("renstra", "iku", "rencana_aksi"), kind
            assert DRAFT_WORD in pdf_text(files[kind]), kind
    assert listed["lkjip"]["signed"] and listed["cover_letter"]["signed"]


def test_package_of_an_office_that_signed_nothing_holds_no_draft(perf, official):
    agency = perf["KTT_BLG"]
    camat = official(KTT.kepala)
    report = create_document(agency, "lkjip", 2024, actor=official(KTT.kasubbag))
    generate_version(report)
    letter = cover.cover_letter_for(report, actor=camat)
    cover.number_cover_letter(letter, actor=camat, classification="000.8.6.3")
    data, _package = package_zip(agency, 2024)
    manifest, files, _human = _open(data)
    assert {"lkjip", "cover_letter", "pk"}.isdisjoint(files)
    reasons = {item["kind"]: item["reason"] for item in manifest["missing"]}
    assert reasons["lkjip"] == reasons["cover_letter"] == "unsigned"
    assert reasons["pk"] == "missing"
    assert all(not item["signed"] for item in manifest["files"])
