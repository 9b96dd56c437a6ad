"""Registry rules of issue 12: ``sop import --effective`` on an unchanged draft, one SOP per
number in an office, ``sop validate`` against a real agency, ``sop export --pdf``."""

from __future__ import annotations

import json
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.core.models import AuditEntry
from kinerja.procedures.access import can_approve, can_upload
from kinerja.procedures.models import Sop, SopVersion
from tests.officials import DINKES, DKUKMTK

from .test_sopfile import GOOD

pytestmark = pytest.mark.django_db

NUMBER = "000.8.3.3/099/DKUKMTK-BLG/2025"


def sop(*args: str) -> str:
    out = StringIO()
    call_command("sop", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def sop_failing(*args: str) -> tuple[str, str]:
    """(the error, what was written to stderr) of a command that must fail."""
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sop", *args, stdout=StringIO(), stderr=err)
    return str(error.value), err.getvalue()


def snapshot() -> tuple:
    return (
        Sop.objects.count(),
        list(SopVersion.objects.order_by("pk").values_list("pk", "status")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "contoh.yaml"
    path.write_text(GOOD)
    return path


# --- import --effective on a file already imported ---------------------------------------------


def test_effective_on_an_unchanged_draft_makes_it_effective_for_the_operator(offices, good_file):
    first = json.loads(sop("import", str(good_file), "--json"))
    assert first["status"] == "draft"
    again = json.loads(sop("import", str(good_file), "--effective", "--json"))
    assert again["unchanged"] and again["made_effective"]
    assert (again["version"], again["status"]) == (1, "effective")
    version = SopVersion.objects.get(pk=first["version_id"])
    assert version.status == SopVersion.Status.EFFECTIVE
    assert SopVersion.objects.filter(sop=version.sop).count() == 1  # no new version
    assert AuditEntry.objects.filter(action="procedures.sop.approved", object_id=str(version.pk))
    # once effective, the same file is simply unchanged
    third = json.loads(sop("import", str(good_file), "--effective", "--json"))
    assert third["unchanged"] and not third["made_effective"] and third["status"] == "effective"


def test_effective_as_the_head_who_may_approve(offices, official, good_file):
    head = official(DKUKMTK.kepala)  # Plt. Kepala Dinas
    sop("import", str(good_file), "--as", DKUKMTK.kasubbag)  # a draft, by the planning sub-head
    version = SopVersion.objects.get(sop__key="contoh")
    assert version.is_draft and can_approve(head, version.sop.agency)
    out = sop("import", str(good_file), "--effective", "--as", DKUKMTK.kepala)
    assert "berlaku" in out
    version.refresh_from_db()
    assert version.status == SopVersion.Status.EFFECTIVE
    assert version.approved_by == head


def test_effective_refused_to_whoever_may_not_approve_and_nothing_changes(
    offices, official, good_file
):
    kasubbag = official(DKUKMTK.kasubbag)
    sop("import", str(good_file), "--as", DKUKMTK.kasubbag)
    version_agency = SopVersion.objects.get(sop__key="contoh").sop.agency
    assert can_upload(kasubbag, version_agency) and not can_approve(kasubbag, version_agency)
    before = snapshot()
    error, _ = sop_failing("import", str(good_file), "--effective", "--as", DKUKMTK.kasubbag)
    assert DKUKMTK.kasubbag in error and "tidak berwenang menyetujui" in error
    assert snapshot() == before
    # a changed file is refused the same way: no new version either
    good_file.write_text(GOOD.replace("Mengarsipkan", "Mengarsipkan dokumen"))
    error, _ = sop_failing("import", str(good_file), "--effective", "--as", DKUKMTK.kasubbag)
    assert "tidak berwenang menyetujui" in error
    assert snapshot() == before
    # another office's head may not even upload
    error, _ = sop_failing("import", str(good_file), "--effective", "--as", DINKES.kepala)
    assert "tidak berwenang" in error and snapshot() == before


# --- one SOP per number in an office -----------------------------------------------------------


OTHER = GOOD.replace("key: contoh", "key: lain").replace("name: Contoh SOP", "name: SOP Lain")


def test_a_second_sop_with_the_same_number_is_refused_naming_both(offices, good_file, tmp_path):
    sop("import", str(good_file))
    other = tmp_path / "lain.yaml"
    other.write_text(OTHER)
    before = snapshot()
    _error, problems = sop_failing("import", str(other))
    assert "baris 4, number:" in problems  # the line of the number field
    assert "Contoh SOP" in problems and "SOP Lain" in problems and NUMBER in problems
    assert snapshot() == before
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("sop", "validate", str(other), "--json", stdout=out)
    (problem,) = json.loads(out.getvalue())["problems"]
    assert (problem["line"], problem["field"]) == (4, "number")


def test_a_revision_keeping_its_number_is_allowed(offices, good_file):
    sop("import", str(good_file))
    good_file.write_text(GOOD.replace("Mengarsipkan", "Mengarsipkan dokumen"))
    revised = json.loads(sop("import", str(good_file), "--json"))
    assert (revised["version"], revised["number"]) == (2, NUMBER)


def test_a_number_held_by_a_draft_of_another_sop_is_taken_too(offices, good_file, tmp_path):
    sop("import", str(good_file))
    renumbered = tmp_path / "contoh2.yaml"
    renumbered.write_text(GOOD.replace(NUMBER, "000.8.3.3/100/DKUKMTK-BLG/2025"))
    sop("import", str(renumbered))  # version 2 (a draft) takes number 100; Sop.number stays 099
    other = tmp_path / "lain.yaml"
    other.write_text(OTHER.replace(NUMBER, "000.8.3.3/100/DKUKMTK-BLG/2025"))
    _error, problems = sop_failing("import", str(other))
    assert "Contoh SOP" in problems and "SOP Lain" in problems


def test_the_same_number_in_another_office_is_allowed_and_agency_picks_it(
    offices, good_file, tmp_path
):
    sop("import", str(good_file))
    dinkes = tmp_path / "dinkes.yaml"
    dinkes.write_text(
        GOOD.replace("agency: DKUKMTK-BLG", "agency: DINKES-BLG")
        .replace("name: Contoh SOP", "name: SOP Dinkes")
        .replace("KASUBBAG-PKA", "KASUBAG-PROG")
    )
    result = json.loads(sop("import", str(dinkes), "--json"))
    assert result["agency"] == "DINKES-BLG"
    error, _ = sop_failing("show", NUMBER)
    assert "DKUKMTK-BLG" in error and "DINKES-BLG" in error and "--agency" in error
    assert json.loads(sop("show", NUMBER, "--agency", "DINKES-BLG", "--json"))["name"] == (
        "SOP Dinkes"
    )
    assert json.loads(sop("show", NUMBER, "--agency", "DKUKMTK-BLG", "--json"))["name"] == (
        "Contoh SOP"
    )
    error, _ = sop_failing("export", NUMBER, "--agency", "XYZ")
    assert error == "Instansi XYZ tidak dikenal."
    error, _ = sop_failing("show", "nope", "--agency", "DINKES-BLG")
    assert error == "Tidak ada SOP nope di DINKES-BLG."


def test_upload_page_refuses_the_second_number(client_for, offices):
    client = client_for(DKUKMTK.kasubbag)
    upload = reverse("procedures:upload", args=["DKUKMTK-BLG"])
    client.post(upload, {"file": SimpleUploadedFile("contoh.yaml", GOOD.encode())})
    before = snapshot()
    response = client.post(upload, {"file": SimpleUploadedFile("lain.yaml", OTHER.encode())})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="sop-problem"' in page
    assert "Contoh SOP" in page and "SOP Lain" in page
    assert snapshot() == before


# --- validate against a real agency ------------------------------------------------------------


def test_validate_with_an_unknown_agency_option_is_refused(offices, good_file):
    error, problems = sop_failing("validate", str(good_file), "--agency", "XYZ")
    assert "--agency: Instansi XYZ tidak dikenal." in problems
    assert "nothing was changed" in error


def test_validate_a_file_naming_an_unknown_agency_is_refused_with_its_line(offices, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(GOOD.replace("agency: DKUKMTK-BLG", "agency: XYZ"))
    _error, problems = sop_failing("validate", str(path))
    assert "baris 2, agency: Instansi XYZ tidak dikenal." in problems
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("sop", "validate", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["problems"] == [
        {"line": 2, "field": "agency", "message": "Instansi XYZ tidak dikenal."}
    ]


def test_validate_checks_positions_and_teams_of_the_agency(offices, good_file, tmp_path):
    assert "valid (DKUKMTK-BLG" in sop("validate", str(good_file))
    # the file is for DKUKMTK: against DINKES it is refused, and its positions are not DINKES's
    _error, problems = sop_failing("validate", str(good_file), "--agency", "DINKES-BLG")
    assert "not DINKES-BLG" in problems or "bukan DINKES-BLG" in problems
    teams = tmp_path / "team.yaml"
    teams.write_text(GOOD.replace("positions: [SEKRETARIS]", "team: TIM-TIDAK-ADA"))
    _error, problems = sop_failing("validate", str(teams))
    assert "TIM-TIDAK-ADA" in problems


# --- export --pdf ------------------------------------------------------------------------------


def test_export_pdf_writes_the_sop_document(seed_sops, tmp_path):
    version = seed_sops["DINKES-BLG"]
    out = tmp_path / "sop.pdf"
    assert "Wrote" in sop("export", str(version.sop_id), "--pdf", "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(
        subprocess.run(  # noqa: S603
            [shutil.which("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert version.number in text
    assert " ".join(version.name.upper().split()) in text.upper()


def test_export_pdf_needs_a_file(seed_sops):
    version = seed_sops["DINKES-BLG"]
    error, _ = sop_failing("export", str(version.sop_id), "--pdf")
    assert "--out" in error
