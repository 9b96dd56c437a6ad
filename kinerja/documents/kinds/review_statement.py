"""Pernyataan Telah Direviu: the APIP's statement that the annual report has been reviewed.

Before the Laporan Kinerja is submitted, the APIP (the Inspektorat of the pemda) reviews it and
signs this statement, which is attached to the report (docs/domain.md §2 "Reviu"; PermenPAN-RB 53/2014
Lampiran III). The wording follows the format commonly used under Lampiran III; the DOMAIN notes
mark the attachment rule as not verified (✱).

The statement is a document of the reviewed agency, but its signer is the Inspektur, an official of
another agency: so no official of the reviewed agency initials or signs it in the product. The
Inspektorat signs the printed statement (or with its own TTE) and the drafter uploads the signed
PDF as the next version; the e-review package takes that version.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.documents import common
from kinerja.documents.contract import DocumentKind, Images, register
from kinerja.documents.kinds.cover_letter import REPORT_LONG_NAMES, report_name
from kinerja.organisation.models import Agency

CONCLUSION = (
    "Berdasarkan reviu kami, tidak terdapat kondisi atau hal-hal yang menimbulkan perbedaan dalam "
    "meyakini keandalan informasi yang disajikan di dalam laporan kinerja ini."
)


def inspectorate_of(agency: Agency) -> Agency | None:
    """The Inspektorat of the agency's pemda (same region), if it is in the product."""
    return (
        Agency.objects.filter(region=agency.region, kind=Agency.Kind.INSPEKTORAT)
        .exclude(pk=agency.pk)
        .select_related("region")
        .order_by("code")
        .first()
    )


@register
class ReviewStatement(DocumentKind):
    identifier = "review_statement"
    title = _("Statement of review (Pernyataan Telah Direviu)")
    label_id = "Pernyataan Telah Direviu"  # the document as printed (Indonesian)
    docx_template = "review_statement.docx"
    html_template = "documents/pdf/review_statement.html"
    sections = ("Pernyataan", "Simpulan", "Tanda tangan")
    signed_in_agency = False  # the APIP signs, not an official of the reviewed agency
    text_options = (
        ("conclusion", "Simpulan reviu"),
        ("reviewer_name", "Nama Inspektur (bila Inspektorat belum memakai aplikasi)"),
        ("reviewer_nip", "NIP Inspektur"),
    )

    def gather(self, data: dict[str, Any], images: Images) -> dict[str, Any]:
        agency = self.agency
        name = report_name(agency.code)
        long_name = REPORT_LONG_NAMES[name]
        region = agency.region
        inspectorate = inspectorate_of(agency)
        block = data["signature"]
        if inspectorate is not None:
            data["kop"] = common.letterhead(inspectorate)
            block = common.signature_block(inspectorate, agency.today()).as_dict()
        else:
            data["kop"] = {
                "lines": [region.government_name, "INSPEKTORAT"],
                "address": "",
                "contact": "",
            }
            block = {
                **block,
                "title": f"INSPEKTUR {region.name.upper()}",
                "name": "",
                "rank": "",
                "nip": "",
            }
        if self.options.get("reviewer_name"):
            block["name"] = self.options["reviewer_name"]
        if self.options.get("reviewer_nip"):
            block["nip"] = self.options["reviewer_nip"]
        data["signature"] = block
        data.update(
            report_name=name,
            statement_title="PERNYATAAN TELAH DIREVIU",
            report_title=f"{long_name} {agency.name} Tahun Anggaran {self.year}".upper(),
            statement=[
                f"Kami telah mereviu {long_name} {agency.name} untuk tahun anggaran {self.year} "
                f"sesuai Pedoman Reviu atas Laporan Kinerja. Substansi informasi yang dimuat dalam "
                f"{name} menjadi tanggung jawab manajemen {agency.name}.",
                "Reviu bertujuan untuk memberikan keyakinan terbatas bahwa laporan kinerja telah "
                "disajikan secara akurat, andal, dan valid.",
            ],
            conclusion=self.options.get("conclusion") or CONCLUSION,
        )
        return data
