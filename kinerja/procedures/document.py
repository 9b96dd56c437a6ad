"""The SOP document (Permendagri 52/2011 layout): an identity sheet and landscape flowchart sheets.

:func:`render_html` gives the document as HTML (a standalone page, or the body to embed in a
page); :func:`render_pdf` prints it with WeasyPrint. The documents layer reuses both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from kinerja.core.formats import format_date_id
from kinerja.procedures.flowchart import Sheet, draw_sheets
from kinerja.procedures.models import SopVersion

DEFAULT_STEPS_PER_PAGE = 8

# Landscape A4 (297 x 210 mm) with 10 mm margins: 277 x 190 mm of paper to draw on.
PAGE_WIDTH_MM = 277.0
FLOW_AREA_HEIGHT_MM = 150.0  # below the title and the two header rows
FIXED_COLUMNS_MM = {
    "no": 8.0,
    "text": 62.0,
    "inputs": 30.0,
    "time": 15.0,
    "output": 30.0,
    "note": 22.0,
}


@dataclass
class DocumentOptions:
    steps_per_page: int = DEFAULT_STEPS_PER_PAGE


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


def _revision(version: SopVersion) -> str:
    if version.revised_on:
        return format_date_id(version.revised_on)
    return version.revision_text or "-"


def context(version: SopVersion, steps_per_page: int = DEFAULT_STEPS_PER_PAGE) -> dict:
    steps = list(version.ordered_steps())
    lanes = list(version.lanes.all())
    lanes_width = PAGE_WIDTH_MM - sum(FIXED_COLUMNS_MM.values())
    per_page = max(1, steps_per_page)
    row_height = round(min(30.0, max(12.0, FLOW_AREA_HEIGHT_MM / per_page)), 2)
    sheets: list[Sheet] = draw_sheets(steps, lanes, per_page, lanes_width, row_height)
    agency = version.sop.agency
    return {
        "version": version,
        "agency": agency,
        "letterhead": agency.letterhead(),
        "lanes": lanes,
        # Lengths go into CSS as text: never through the template's number localisation.
        "lane_width": _mm(lanes_width / max(1, len(lanes))),
        "columns": {name: _mm(width) for name, width in FIXED_COLUMNS_MM.items()},
        "sheets": sheets,
        "sheet_count": len(sheets),
        "row_height": _mm(row_height),
        "cell_height": _mm(row_height - 1.6),
        "total": version.total_time(),
        "drafted_on": format_date_id(version.drafted_on) or "-",
        "revision": _revision(version),
        "effective_on": format_date_id(version.effective_on) or "-",
        "related": list(version.related_sops.select_related("sop")),
    }


def render_html(
    version: SopVersion, steps_per_page: int = DEFAULT_STEPS_PER_PAGE, *, standalone: bool = True
) -> str:
    """The SOP document as HTML; ``standalone`` gives a full page with its print CSS."""
    template = "procedures/document.html" if standalone else "procedures/_document.html"
    with translation.override("id"):
        return render_to_string(template, context(version, steps_per_page))


def render_pdf(version: SopVersion, steps_per_page: int = DEFAULT_STEPS_PER_PAGE) -> bytes:
    """The SOP document as a PDF (A4 landscape)."""
    from weasyprint import HTML

    return HTML(string=render_html(version, steps_per_page)).write_pdf()
