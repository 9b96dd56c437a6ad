"""Evidence (bukti dukung) through the XLSX form: link and text columns with validation, and
files named in the column Berkas Bukti, uploaded beside the form or inside one ZIP."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kinerja.core.periods import Period
from kinerja.core.xlsx import InvalidFile
from kinerja.performance.models import Actual, Evidence, Indicator, Submission
from kinerja.performance.services.collection import rounds, submissions, workbook_import
from tests.officials import DINKES, DKUKMTK

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LINK = "https://contoh.go.id/bukti/k1.pdf"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def evidence_round(dkukmtk, unit_kop):
    """IKU-1 of Bidang Koperasi requires a file and a text; K-1 a link (as in the demo)."""
    Indicator.objects.filter(code="IKU-1", unit=unit_kop).update(evidence_kinds="file,text")
    return rounds.open_round(dkukmtk, Period.parse("2025-Q3"))


def _filled(form, files: str = "rat-2025.pdf"):
    form.set("IKU-1", "Realisasi TW III", "85,5")
    form.set("IKU-1", "Keterangan Bukti", "Rekap laporan RAT koperasi aktif")
    form.set("IKU-1", "Berkas Bukti", files)
    form.set("K-1", "Realisasi TW III", "12")
    form.set("K-1", "Tautan Bukti", LINK)
    return form


def _actual(unit, code: str) -> Actual:
    return Actual.objects.get(indicator__code=code, indicator__unit=unit, year=2025, quarter=3)


def test_generated_form_has_evidence_columns_with_checks(evidence_round, unit_kop, form_for):
    form = form_for(evidence_round, unit_kop)
    assert form.headers[-4:] == ["Bukti Wajib", "Tautan Bukti", "Keterangan Bukti", "Berkas Bukti"]
    row = form.row_of("IKU-1")
    required = form.ws.cell(row=row, column=form.headers.index("Bukti Wajib") + 1)
    assert required.value == "berkas, keterangan" and required.protection.locked
    files = form.ws.cell(row=row, column=form.headers.index("Berkas Bukti") + 1)
    assert files.protection.locked is False
    validations = {v.type: v for v in form.ws.data_validations.dataValidation}
    link_column = chr(ord("A") + form.headers.index("Tautan Bukti"))
    assert f'LEFT({link_column}2,8)="https://"' in validations["custom"].formula1
    assert str(validations["custom"].sqref) == f"{link_column}2:{link_column}3"
    assert {"textLength", "custom"} <= set(validations)


def test_import_with_link_text_and_file_stores_evidence(evidence_round, unit_kop, form_for):
    form = _filled(form_for(evidence_round, unit_kop), "rat-2025.pdf; foto kegiatan.png")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    files = {
        "rat-2025.pdf": SimpleUploadedFile("rat-2025.pdf", PDF),
        "foto kegiatan.png": SimpleUploadedFile("foto kegiatan.png", png),
    }
    submission = workbook_import.import_form(evidence_round, form.bytes(), evidence_files=files)
    iku1 = _actual(unit_kop, "IKU-1")
    kinds = sorted((e.kind, e.submission_id) for e in iku1.evidence.all())
    assert kinds == [("file", submission.pk), ("file", submission.pk), ("text", submission.pk)]
    stored = {e.file.name.rsplit("/", 1)[-1]: e for e in iku1.evidence.filter(kind="file")}
    pdf = next(e for name, e in stored.items() if name.startswith("rat-2025"))
    with pdf.file.open("rb") as handle:
        assert handle.read() == PDF
    assert iku1.evidence.get(kind="text").text == "Rekap laporan RAT koperasi aktif"
    assert _actual(unit_kop, "K-1").evidence.get().url == LINK
    assert submission.values["values"][0]["evidence_files"] == ["rat-2025.pdf", "foto kegiatan.png"]


def test_missing_or_wrong_file_rejected_with_location_and_nothing_written(
    evidence_round, unit_kop, form_for
):
    form = _filled(form_for(evidence_round, unit_kop), "rat-2025.pdf;notulen.pdf")
    before = Actual.objects.count(), Evidence.objects.count()
    disguised = SimpleUploadedFile("notulen.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(
            evidence_round, form.bytes(), evidence_files={"notulen.pdf": disguised}
        )
    issues = caught.value.issues
    column = chr(ord("A") + form.headers.index("Berkas Bukti"))
    row = form.row_of("IKU-1")
    assert [(i.sheet, i.row, i.column) for i in issues] == [
        ("Data", row, f"{column} (Berkas Bukti)"),
        ("Data", row, f"{column} (Berkas Bukti)"),
    ]
    assert "'rat-2025.pdf' was not uploaded" in issues[0].message
    assert issues[1].message.startswith("notulen.pdf:") and "not a .pdf" in issues[1].message
    assert (Actual.objects.count(), Evidence.objects.count()) == before
    assert not Submission.objects.exists()

    # a file too large, and a file no row names
    form = _filled(form_for(evidence_round, unit_kop))
    big = SimpleUploadedFile("rat-2025.pdf", PDF + b"0" * (2 * 1024 * 1024))
    stray = SimpleUploadedFile("lain.pdf", PDF)
    from django.test import override_settings

    with override_settings(KINERJA_MAX_UPLOAD_MB=1), pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(
            evidence_round, form.bytes(), evidence_files={"rat-2025.pdf": big, "lain.pdf": stray}
        )
    text = [str(i) for i in caught.value.issues]
    assert any("rat-2025.pdf" in t and "MB" in t for t in text)
    assert any("'lain.pdf' was uploaded but no row names it" in t for t in text)
    assert not Submission.objects.exists()


def test_required_file_missing_blocks_submission(evidence_round, unit_kop, form_for):
    form = _filled(form_for(evidence_round, unit_kop), "")
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(evidence_round, form.bytes())
    (issue,) = caught.value.issues
    assert issue.row == form.row_of("IKU-1") and "'file' is required" in issue.message


def test_unit_head_uploads_a_zip_with_form_and_files(
    evidence_round, unit_kop, form_for, client_for
):
    form = _filled(form_for(evidence_round, unit_kop))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("formulir/formulir-BID-KOP.xlsx", form.bytes().getvalue())
        archive.writestr("formulir/bukti/rat-2025.pdf", PDF)
        archive.writestr("__MACOSX/._rat-2025.pdf", b"junk")
    unit_head = client_for(DKUKMTK.kabid_kop)
    url = reverse("performance:unit_form", args=[evidence_round.pk, "BID-KOP"])
    upload = SimpleUploadedFile("kiriman.zip", buffer.getvalue())
    response = unit_head.post(url, {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = Submission.objects.get()
    assert submission.source == "upload" and submission.file.name.endswith(".xlsx")
    evidence = _actual(unit_kop, "IKU-1").evidence.get(kind="file")
    with evidence.file.open("rb") as handle:
        assert handle.read() == PDF

    # the same form with its file beside it (multiple file input) gives version 2
    response = unit_head.post(
        url,
        {
            "file": SimpleUploadedFile("formulir.xlsx", form.bytes().getvalue()),
            "evidence": [SimpleUploadedFile("rat-2025.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    assert Submission.objects.filter(version=2).exists()


def test_zip_without_exactly_one_form_is_rejected(evidence_round, unit_kop, client_for):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("rat-2025.pdf", PDF)
    unit_head = client_for(DKUKMTK.kabid_kop)
    url = reverse("performance:unit_form", args=[evidence_round.pk, "BID-KOP"])
    response = unit_head.post(
        url,
        {"file": SimpleUploadedFile("kiriman.zip", buffer.getvalue())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert 'data-testid="issues"' in response.content.decode()
    assert not Submission.objects.exists()


def test_command_line_imports_a_form_with_its_evidence_or_a_zip(
    evidence_round, unit_kop, form_for, tmp_path
):
    from django.core.management import CommandError, call_command

    form = _filled(form_for(evidence_round, unit_kop))
    (tmp_path / "form.xlsx").write_bytes(form.bytes().getvalue())
    (tmp_path / "rat-2025.pdf").write_bytes(PDF)
    out = io.StringIO()
    call_command(
        "forms", "--lang", "en", "import", str(evidence_round.pk), str(tmp_path / "form.xlsx"),
        "--evidence", str(tmp_path / "rat-2025.pdf"), stdout=out,
    )  # fmt: skip
    assert "BID-KOP version 1 imported" in out.getvalue()
    assert _actual(unit_kop, "IKU-1").evidence.filter(kind="file").count() == 1

    with zipfile.ZipFile(tmp_path / "unit.zip", "w") as archive:
        archive.writestr("form.xlsx", form.bytes().getvalue())
        archive.writestr("bukti/rat-2025.pdf", PDF)
    out = io.StringIO()
    call_command("forms", "import", str(evidence_round.pk), str(tmp_path / "unit.zip"), stdout=out)
    assert "BID-KOP version 2 imported" in out.getvalue()

    # Without the file the form names: refused with its place, nothing written.
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "forms", "--lang", "en", "import", str(evidence_round.pk),
            str(tmp_path / "form.xlsx"), stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert "'rat-2025.pdf' was not uploaded" in err.getvalue()
    assert Submission.objects.filter(unit=unit_kop).count() == 2


def test_an_evidence_file_is_sent_only_through_its_checked_page(
    q3_round, unit_kop, client_for, official, settings
):
    """Evidence lives under MEDIA_ROOT, which no web server publishes: the unit form links each
    file to a view that checks who asks (the unit's head, the planners), and with
    KINERJA_X_ACCEL_PREFIX that view hands the sending to nginx's internal location."""
    first = rounds.round_indicators(q3_round, unit_kop)[0]
    submissions.submit(
        q3_round,
        unit_kop,
        [
            submissions.ValueInput(
                first.indicator_id,
                q3_round.quarters[0],
                value=Decimal(1),
                evidence_files=[SimpleUploadedFile("notulen.pdf", b"%PDF-1.4 notulen rapat")],
            )
        ],
        official(DKUKMTK.kabid_kop),
    )
    evidence = Evidence.objects.exclude(file="").get(submission__round=q3_round)
    form_url = reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"])
    url = reverse("performance:evidence", args=[q3_round.pk, "BID-KOP", evidence.pk])
    page = client_for(DKUKMTK.kabid_kop).get(form_url).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    for username in (DKUKMTK.kabid_kop, DKUKMTK.kasubbag):
        response = client_for(username).get(url)
        # read to its end, which closes the file (closing the response again would also end the
        # test's database connection, as the end of a request does)
        assert b"".join(response.streaming_content) == b"%PDF-1.4 notulen rapat"
    # another unit's head, another office, and the same file under another unit's address
    assert client_for(DKUKMTK.kabid_ukm).get(url).status_code == 404
    assert client_for(DINKES.kepala).get(url).status_code == 404
    other_unit = reverse("performance:evidence", args=[q3_round.pk, "BID-UKM", evidence.pk])
    assert client_for(DKUKMTK.kasubbag).get(other_unit).status_code == 404
    settings.KINERJA_X_ACCEL_PREFIX = "/_berkas/"
    handed = client_for(DKUKMTK.kasubbag).get(url)
    assert handed.content == b""
    assert handed["X-Accel-Redirect"] == "/_berkas/" + evidence.file.name
