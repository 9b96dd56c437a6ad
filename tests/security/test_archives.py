"""kinerja.core.archives: an XLSX, DOCX or ZIP is measured from its directory and one bounded
pass, and refused before any parser reads it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.utils import translation

from kinerja.core.archives import ArchiveRefused, Limits, check_archive
from kinerja.core.xlsx import InvalidFile, open_workbook
from kinerja.documents.services import templates
from kinerja.organisation.models import Agency
from kinerja.organisation.services.structure import export_structure
from kinerja.performance.services.collection.workbook_values import open_values
from tests.security import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(offices) -> bytes:
    buffer = io.BytesIO()
    export_structure(Agency.objects.get(code="DKUKMTK-BLG")).save(buffer)
    return buffer.getvalue()


def _refusal(data: bytes, kind: str = "xlsx") -> str:
    with translation.override("id"), pytest.raises(ArchiveRefused) as caught:
        check_archive(data, kind=kind)
    return caught.value.message


def test_a_good_export_a_form_and_the_product_templates_pass(export):
    check_archive(export, kind="xlsx")
    check_archive(templates.default_bytes("lkjip"), kind="docx")


def test_the_bomb_of_the_issue_is_refused_by_its_declared_size(export, parsers):
    message = _refusal(files.xlsx_bomb(export, 100))
    assert "xl/worksheets/sheet1.xml" in message and "100,0 MB" in message
    assert "paling banyak 50 MB" in message
    assert parsers == []


def test_a_smaller_bomb_is_refused_by_its_compression_ratio(export):
    message = _refusal(files.xlsx_bomb(export, 20))
    assert "dimampatkan" in message and "paling banyak 100 kali" in message


def test_the_whole_archive_has_a_limit_too(export, settings):
    settings.KINERJA_ARCHIVE_MAX_MB = 1
    noise = {f"xl/media/image{n}.bin": os.urandom(400 * 1024) for n in range(3)}
    message = _refusal(files.rewrite(export, add=noise))
    assert "1,2 MB" in message and "paling banyak 1 MB" in message


def test_too_many_entries_are_refused_from_the_end_record(export, parsers, monkeypatch):
    """The count comes from the archive's end record: the directory of a ZIP with a million
    entries is never parsed."""
    data = files.xlsx_many_small_parts(export, 1500)
    parsed = []
    original = zipfile.ZipFile._RealGetContents
    monkeypatch.setattr(
        zipfile.ZipFile,
        "_RealGetContents",
        lambda self: parsed.append(1) or original(self),
    )
    message = _refusal(data)
    assert "1" in message and "paling banyak 1000" in message
    assert parsed == [] and parsers == []


def test_a_dtd_is_refused_in_any_part(export, parsers):
    assert "DTD" in _refusal(files.xlsx_xxe(export))
    assert "DTD" in _refusal(files.xlsx_laughs(export))
    assert parsers == []


def test_shared_strings_are_counted_up_to_the_limit(export, settings):
    settings.KINERJA_XLSX_MAX_SHARED_STRINGS = 500
    data = files.xlsx_shared_strings(export, 600)
    assert "500" in _refusal(data)
    settings.KINERJA_XLSX_MAX_SHARED_STRINGS = 600
    check_archive(data, kind="xlsx")


def test_a_part_that_lies_about_its_size_is_refused(export):
    """zipfile inflates a part only up to the size the directory declares, and the scan then
    finds its checksum wrong: a declared size bounds the work even when it lies."""
    sheet = files.first_sheet(export)
    honest = files.rewrite(
        export, {sheet: b"<worksheet>" + b" " * (3 * files.MB) + b"</worksheet>"}
    )
    liar = files.declare_size(honest, sheet, 1000)
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert archive.getinfo(sheet).file_size == 1000
    assert "bukan buku kerja Excel" in _refusal(liar)


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (files.NOT_A_ZIP, "xlsx", "bukan buku kerja Excel"),
        (files.NOT_A_ZIP, "docx", "bukan dokumen Word"),
        (b"", "zip", "bukan berkas ZIP"),
    ],
)
def test_what_is_not_a_zip_is_refused_in_the_words_of_its_kind(data, kind, words):
    assert words in _refusal(data, kind)


def test_the_readers_of_uploads_check_first(export, parsers):
    bomb = files.xlsx_bomb(export, 100)
    for reader in (open_workbook, open_values):
        with translation.override("id"), pytest.raises(InvalidFile) as caught:
            reader(io.BytesIO(bomb))
        assert "100,0 MB" in str(caught.value)
    assert parsers == []


def test_a_file_object_is_left_at_its_start(export):
    handle = io.BytesIO(export)
    handle.read(10)
    check_archive(handle, kind="xlsx")
    assert handle.tell() == 0


def test_limits_come_from_settings(settings):
    settings.KINERJA_ARCHIVE_MAX_MB = 7
    settings.KINERJA_ARCHIVE_PART_MAX_MB = 3
    settings.KINERJA_ARCHIVE_MAX_ENTRIES = 11
    settings.KINERJA_ARCHIVE_MAX_RATIO = 13
    settings.KINERJA_XLSX_MAX_SHARED_STRINGS = 17
    assert Limits.from_settings() == Limits(7 * files.MB, 3 * files.MB, 11, 13, 17)


def test_a_bad_setting_stops_the_process_naming_the_variable():
    env = {**os.environ, "KINERJA_ARCHIVE_MAX_MB": "lima puluh"}
    result = subprocess.run(
        [sys.executable, "-c", "import kinerja.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "KINERJA_ARCHIVE_MAX_MB" in result.stderr
