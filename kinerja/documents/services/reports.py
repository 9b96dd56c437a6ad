"""Render a document kind straight to bytes (command line, bench), without storing a version."""

from __future__ import annotations

from kinerja.documents import contract
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
    data, images = document_kind.build()
    if fmt == "docx":
        return document_kind.render_docx(data, images)
    return document_kind.render_pdf(data, images)
