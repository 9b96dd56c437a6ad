"""The building blocks of the default Word templates: page, paragraph, letterhead, signature block
and looped table, shared by ``build`` (the letters) and ``reports_build`` (the reports)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent


def new_document() -> DocxDocument:
    """An A4 page with the product's margins and body font (Arial 11)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    return doc


def paragraph(
    doc: DocxDocument | _Cell,
    text: str = "",
    bold: bool = False,
    align: str | None = None,
    style: str | None = None,
    size: float | None = None,
) -> Paragraph:
    """A paragraph of ``doc`` (a document or a table cell) holding ``text`` in one run."""
    added = doc.add_paragraph(style=style)
    if text:
        run = added.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if align == "center":
        added.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        added.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "justify":
        added.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return added


def kop(doc: DocxDocument) -> None:
    """The letterhead: the agency's logo (``img.logo``, when it has one) left of the centred
    lines, in a table without borders (an empty third column keeps the lines centred)."""
    table = doc.add_table(rows=1, cols=3)
    table.autofit = False
    widths = (Mm(22), Mm(121), Mm(22))
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = width
        cell.width = width
    logo, text, _right = table.rows[0].cells
    logo.paragraphs[0].add_run("{{ img.logo }}")
    text.paragraphs[0].add_run("{%p for line in kop.lines %}")
    paragraph(text, "{{ line }}", bold=True, align="center", size=13)  # a cell adds paragraphs too
    paragraph(text, "{%p endfor %}")
    paragraph(text, "{{ kop.address }} {{ kop.contact }}", align="center", size=8)
    paragraph(doc, "_" * 78, align="center", size=8)


def signature(doc: DocxDocument, prefix: str = "signature", dated: bool = True) -> None:
    """The signature block. A letter prints its place and date at the top, so its block has
    none (``dated=False``). The DOCX is never signed: no QR, blank lines for the signature."""
    indent = Mm(85)
    lines = [
        (f"{{{{ {prefix}.place }}}}, {{{{ {prefix}.date }}}}", False) if dated else None,
        (f"{{{{ {prefix}.title }}}},", False),
        ("", False),
        ("", False),
        ("", False),
        (f"{{{{ {prefix}.name }}}}", True),
        (f"{{{{ {prefix}.rank }}}}", False),
        (f"{{% if {prefix}.nip %}}NIP. {{{{ {prefix}.nip }}}}{{% endif %}}", False),
    ]
    for text, bold in filter(None, lines):
        line = paragraph(doc, text, bold=bold)
        line.paragraph_format.left_indent = indent


def table(doc: DocxDocument, headers: list[str], loop: str, cells: list[str]) -> None:
    """A table with a header row and one row repeated by ``{%tr for ... %}``."""
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = "Table Grid"
    for i, header in enumerate(headers):
        t.rows[0].cells[i].text = header
        t.rows[0].cells[i].paragraphs[0].runs[0].bold = True
    t.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for i, cell in enumerate(cells):
        t.rows[2].cells[i].text = cell
    t.rows[3].cells[0].text = "{%tr endfor %}"
