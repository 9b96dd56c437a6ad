"""Surat pengantar: the numbered cover letter sending the report (seed 001 step 10, 003 step 9)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.documents.contract import DocumentKind, Images, register

# What each office calls its annual report (the seeds' own words).
REPORT_NAMES = {"DKUKMTK-BLG": "LAKIP", "KTT_BLG": "LKIP", "ADPIM-KALBAR": "LAKIP"}
REPORT_LONG_NAMES = {
    "LAKIP": "Laporan Akuntabilitas Kinerja Instansi Pemerintah (LAKIP)",
    "LKIP": "Laporan Kinerja Instansi Pemerintah (LKIP)",
    "LKjIP": "Laporan Kinerja Instansi Pemerintah (LKjIP)",
}


def report_name(agency_code: str) -> str:
    return REPORT_NAMES.get(agency_code, "LKjIP")


def default_addressee(agency) -> str:
    region = agency.region
    short = region.name.split(" ", 1)[-1]
    head = {"provinsi": "Gubernur", "kabupaten": "Bupati", "kota": "Wali Kota"}.get(region.kind, "")
    if agency.kind == "biro":
        return f"Sekretaris Daerah Provinsi {short}"
    return f"{head} {short}".strip()


@register
class CoverLetter(DocumentKind):
    identifier = "cover_letter"
    title = _("Cover letter")
    label_id = "Surat Pengantar"  # the document as printed (Indonesian)
    docx_template = "cover_letter.docx"
    html_template = "documents/pdf/cover_letter.html"
    sections = ("Kepala surat", "Isi", "Lampiran", "Tanda tangan")
    text_options = (
        ("addressee", "Kepada"),
        ("subject", "Hal"),
        ("body", "Isi surat"),
    )

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        name = report_name(self.agency.code)
        long_name = REPORT_LONG_NAMES[name]
        options = self.options
        attachments = options.get("attachments") or [
            {"name": f"{long_name} Tahun {self.year}", "count": "1 (satu) eksemplar"},
            {"name": f"Perjanjian Kinerja Tahun {self.year}", "count": "1 (satu) eksemplar"},
        ]
        data.update(
            number=options.get("number") or "",
            number_display=options.get("number") or "......./......./......./" + str(self.year + 1),
            nature=options.get("nature") or "Biasa",
            attachment_count=f"{len(attachments)} berkas",
            subject=options.get("subject") or f"Penyampaian {name} Tahun {self.year}",
            addressee=options.get("addressee") or default_addressee(self.agency),
            addressee_place=options.get("addressee_place") or "Tempat",
            attachments=[{"no": i, **item} for i, item in enumerate(attachments, start=1)],
            body=options.get("body")
            or (
                f"Dalam rangka pelaksanaan Sistem Akuntabilitas Kinerja Instansi Pemerintah sesuai "
                f"Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 "
                f"Tahun 2014, bersama ini kami sampaikan {long_name} {self.agency.name} Tahun "
                f"{self.year} beserta kelengkapannya sebagaimana daftar terlampir."
            ),
            closing="Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.",
            copies=options.get("copies") or ["Arsip"],
        )
        return data
