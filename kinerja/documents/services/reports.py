"""Render a document kind straight to bytes (command line, bench), without storing a version.

Nothing rendered here is signed: every file is a draft, marked KONSEP, without QR or footer."""

from __future__ import annotations

from kinerja.documents import common, contract
from kinerja.organisation.models import Agency

FORMATS = ("docx", "pdf")


def render(
    agency: Agency,
    kind: str,
    year: int,
    period: str = "",
    fmt: str = "pdf",
    options: dict | None = None,
) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use docx or pdf")
    document_kind = contract.get(kind)(agency, year, period, options)
    data, images = document_kind.build()  # no version, no signature: a draft (KONSEP)
    if fmt == "docx":
        return common.mark_docx_draft(document_kind.render_docx(data, images))
    pdf = document_kind.render_pdf(data, images)
    return pdf if document_kind.lays_out_marks else common.mark_pdf_draft(pdf)
