"""The LKjIP, periodic report and PK: outline, PK rows and achievement figures against the data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from kinerja.core.periods import Period
from kinerja.documents.kinds.reports import outline
from kinerja.documents.report_data import pct
from kinerja.documents.services.reports import render
from kinerja.performance.services import achievement
from tests.documents.helpers import docx_headings, docx_text, pdf_text

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Render the DKUKMTK LKjIP 2024 once for the module (DOCX and PDF)."""
    from kinerja.organisation.models import Agency

    with django_db_blocker.unblock():
        agency = Agency.objects.get(code="DKUKMTK-BLG")
        return {
            "docx": render(agency, "lkjip", 2024, "2024", "docx"),
            "pdf": render(agency, "lkjip", 2024, "2024", "pdf"),
        }


def test_lkjip_docx_outline_pk_and_figures(perf, rendered):
    agency = perf["DKUKMTK-BLG"]
    headings = docx_headings(rendered["docx"])
    for heading in outline(True):
        assert heading in headings, heading
    assert "A. Capaian Kinerja Organisasi" in headings and "B. Realisasi Anggaran" in headings
    text = docx_text(rendered["docx"])
    pk = achievement.latest_agreement(agency, 2024)
    for item in pk.indicators.select_related("indicator"):
        assert item.indicator.name in text
    results = achievement.compute(agency, Period(2024))
    assert len(results) >= 5
    for r in results:
        assert pct(r.year_result.value) in text, r.indicator.name
    sections = [h for h in headings if h.startswith("Sasaran ")]
    assert len(sections) == len({r.indicator.objective_id for r in results})
    assert "ABDURRAHMAN ARRAHIMI, S.PI" in text and "LAPORAN AKUNTABILITAS KINERJA" in text


def test_lkjip_pdf_outline_pk_and_figures(perf, rendered):
    agency = perf["DKUKMTK-BLG"]
    text = pdf_text(rendered["pdf"])
    flat = _flat(text)
    for heading in outline(True):
        assert heading in text, heading
    for analysis in (
        "1. Perbandingan target dan realisasi",
        "2. Perbandingan dengan tahun-tahun sebelumnya",
        "3. Perbandingan dengan target akhir Renstra",
        "4. Perbandingan dengan standar nasional",
        "5. Penyebab keberhasilan/kegagalan",
        "6. Efisiensi penggunaan sumber daya",
        "7. Program dan kegiatan yang menunjang",
    ):
        assert analysis in text
    for r in achievement.compute(agency, Period(2024)):
        assert pct(r.year_result.value) in flat
    pk = achievement.latest_agreement(agency, 2024)
    assert f"C. {pk}" in text
    assert "NIP. 19681117 199703 1 003" in text


def test_periodic_report_and_pk(perf, tmp_path):
    agency = perf["KTT_BLG"]
    period = Period.parse("2024-Q3")
    docx = render(agency, "periodic_report", 2024, "2024-Q3", "docx")
    text = docx_text(docx)
    assert "LAPORAN KINERJA TRIWULAN III TAHUN 2024" in text
    for r in achievement.compute(agency, period):
        assert pct(r.result.value) in text
    assert "SEMESTER I" in pdf_text(render(agency, "periodic_report", 2024, "2024-S1", "pdf"))
    pk_text = docx_text(render(agency, "pk", 2024, "2024", "docx"))
    assert "PERJANJIAN KINERJA TAHUN 2024" in pk_text


def test_report_commands(perf, tmp_path):
    out = tmp_path / "q.docx"
    call_command(
        "report",
        "quarterly",
        "--agency",
        "KTT_BLG",
        "--period",
        "2024-Q2",
        "--format",
        "docx",
        "--out",
        str(out),
        stdout=StringIO(),
    )
    assert out.read_bytes().startswith(b"PK")
    folder = tmp_path / "all"
    stdout = StringIO()
    call_command(
        "report",
        "all",
        "--year",
        "2024",
        "--region",
        "63.11",
        "--format",
        "docx",
        "--out",
        str(folder),
        stdout=stdout,
    )
    files = sorted(p.name for p in folder.iterdir())
    assert "LKjIP_DKUKMTK-BLG_2024.docx" in files and "LKjIP_KTT_BLG_2024.docx" in files
    assert "reports written" in stdout.getvalue()
