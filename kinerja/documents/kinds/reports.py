"""The performance reports: the annual LKjIP (PermenPAN-RB 53/2014), the quarterly and semester
reports (seed 002), and the Perjanjian Kinerja. Data come from :mod:`kinerja.documents.report_data`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.core.periods import Period
from kinerja.documents import report_data
from kinerja.documents.contract import DocumentKind, Images, register
from kinerja.documents.kinds.cover_letter import REPORT_LONG_NAMES, report_name

SEMESTER_WORDS = {1: "I", 2: "II"}
QUARTER_WORDS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def outline(with_summary: bool) -> list[str]:
    """The headings of the LKjIP, in order (docs/domain.md §2)."""
    items = ["Kata Pengantar", "Daftar Isi"]
    if with_summary:
        items.append("Ikhtisar Eksekutif")
    return [
        *items,
        "BAB I PENDAHULUAN",
        "BAB II PERENCANAAN KINERJA",
        "BAB III AKUNTABILITAS KINERJA",
        "BAB IV PENUTUP",
        "LAMPIRAN",
    ]


@register
class AnnualReport(DocumentKind):
    identifier = "lkjip"
    title = _("Annual performance report (LKjIP)")
    label_id = "Laporan Kinerja Tahunan"  # the document as printed (Indonesian)
    docx_template = "lkjip.docx"
    html_template = "documents/pdf/lkjip.html"
    sections = (
        "Kata Pengantar",
        "Ikhtisar Eksekutif",
        "Bab I Pendahuluan",
        "Bab II Perencanaan Kinerja",
        "Bab III.A Capaian Kinerja Organisasi",
        "Bab III.B Realisasi Anggaran",
        "Bab IV Penutup",
        "Lampiran",
    )
    default_options = {"executive_summary": True}
    text_options = (
        ("foreword", "Kata Pengantar"),
        ("tasks_functions", "Tugas dan Fungsi"),
        ("strategic_issues", "Isu Strategis"),
        ("conclusion", "Kesimpulan"),
        ("next_steps", "Langkah ke Depan"),
    )

    @classmethod
    def default_title(cls, agency, period: str) -> str:
        return f"{report_name(agency.code)} {period}"

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        name = report_name(self.agency.code)
        data.update(report_data.annual(self.agency, self.year, images, self.options))
        options = self.options
        agency_name = self.agency.name
        data.update(
            report_name=name,
            report_title=REPORT_LONG_NAMES[name].upper(),
            executive_summary=bool(options.get("executive_summary", True)),
            outline=outline(bool(options.get("executive_summary", True))),
            foreword=options.get("foreword")
            or (
                f"Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa, karena atas rahmat-Nya "
                f"{REPORT_LONG_NAMES[name]} {agency_name} Tahun {self.year} dapat diselesaikan. "
                f"Laporan ini disusun sesuai Peraturan Menteri PAN-RB Nomor 53 Tahun 2014 sebagai "
                f"wujud pertanggungjawaban atas pelaksanaan tugas dan fungsi serta pencapaian "
                f"sasaran strategis yang ditetapkan dalam Perjanjian Kinerja Tahun {self.year}."
            ),
            conclusion=options.get("conclusion")
            or (
                f"Pada Tahun {self.year}, {data['indicator_count']} indikator kinerja dari "
                f"{data['objective_count']} sasaran diukur dengan rata-rata capaian "
                f"{data['average']}. Realisasi anggaran mencapai "
                f"{data['budget_total']['absorption']} dari pagu."
            ),
            next_steps=options.get("next_steps")
            or "Langkah perbaikan tahun berikutnya mengikuti solusi yang diuraikan pada setiap "
            "sasaran di Bab III.",
        )
        return data


@register
class PeriodicReport(DocumentKind):
    """Laporan kinerja triwulan or semester (period ``2025-Q3`` or ``2025-S1``)."""

    identifier = "periodic_report"
    title = _("Quarterly or semester performance report")
    label_id = "Laporan Kinerja"  # the document as printed (Indonesian)
    docx_template = "periodic.docx"
    html_template = "documents/pdf/periodic.html"
    sections = ("Pendahuluan", "Capaian Kinerja", "Realisasi Anggaran", "Penutup")
    text_options = (("intro", "Pendahuluan"), ("closing", "Penutup"))

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        period = Period.parse(self.period)
        if period.kind == "quarter":
            label = f"TRIWULAN {QUARTER_WORDS[period.number]}"
        elif period.kind == "semester":
            label = f"SEMESTER {SEMESTER_WORDS[period.number]}"
        else:
            label = "TAHUNAN"
        data.update(report_data.periodic(self.agency, period, images))
        data.update(
            period_label=f"{label} TAHUN {period.year}",
            report_title=f"LAPORAN KINERJA {label} TAHUN {period.year}",
            intro=self.options.get("intro")
            or f"Laporan ini menyajikan capaian kinerja {self.agency.name} sampai dengan "
            f"{label.lower()} tahun {period.year} sebagai bahan pemantauan pimpinan.",
            closing=self.options.get("closing")
            or "Capaian yang belum memenuhi target ditindaklanjuti pada periode berikutnya.",
        )
        return data


@register
class AgreementDocument(DocumentKind):
    """The Perjanjian Kinerja of the year (its latest version), for the Lampiran and the package."""

    identifier = "pk"
    title = _("Performance agreement (PK)")
    label_id = "Perjanjian Kinerja"  # the document as printed (Indonesian)
    docx_template = "pk.docx"
    html_template = "documents/pdf/pk.html"
    sections = ("Pernyataan", "Lampiran")

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        info, rows, programs = report_data.agreement_rows(self.agency, self.year)
        data.update(pk=info, pk_rows=rows, pk_programs=programs)
        return data
