"""Build the product's default Word templates (run after changing them; the .docx are committed).

    .venv/bin/python -m kinerja.documents.docx_templates.build

An office replaces a template with its own Word file using the same variables
(``docs/documents-templates.md``); styling is free.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent


def _doc() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    return doc


def _p(doc, text="", bold=False, align=None, style=None, size=None):
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def kop(doc) -> None:
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
    _p(text, "{{ line }}", bold=True, align="center", size=13)  # a cell adds paragraphs too
    _p(text, "{%p endfor %}")
    _p(text, "{{ kop.address }} {{ kop.contact }}", align="center", size=8)
    _p(doc, "_" * 78, align="center", size=8)


def signature(doc, prefix="signature", dated=True) -> None:
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
        paragraph = _p(doc, text, bold=bold)
        paragraph.paragraph_format.left_indent = indent


def table(doc, headers: list[str], loop: str, cells: list[str]) -> None:
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


def cover_letter() -> None:
    doc = _doc()
    kop(doc)
    _p(doc, "{{ signature.place }}, {{ date }}", align="right")
    for label, var in (
        ("Nomor", "number_display"),
        ("Sifat", "nature"),
        ("Lampiran", "attachment_count"),
        ("Hal", "subject"),
    ):
        _p(doc, f"{label}\t: {{{{ {var} }}}}")
    _p(doc, "Kepada Yth.")
    _p(doc, "{{ addressee }}", bold=True)
    _p(doc, "di –")
    _p(doc, "    {{ addressee_place }}")
    _p(doc, "{{ body }}", align="justify")
    table(
        doc,
        ["No", "Dokumen", "Jumlah"],
        "a in attachments",
        ["{{ a.no }}", "{{ a.name }}", "{{ a.count }}"],
    )
    _p(doc, "{{ closing }}")
    signature(doc, dated=False)
    _p(doc, "Tembusan:", size=9)
    _p(doc, "{%p for c in copies %}")
    _p(doc, "{{ loop.index }}. {{ c }}", size=9)
    _p(doc, "{%p endfor %}")
    doc.save(HERE / "cover_letter.docx")


def invitation() -> None:
    doc = _doc()
    kop(doc)
    _p(doc, "{{ signature.place }}, {{ date }}", align="right")
    for label, var in (("Nomor", "number_display"), ("Hal", "subject")):
        _p(doc, f"{label}\t: {{{{ {var} }}}}")
    _p(doc, "Kepada Yth. (daftar terlampir)")
    _p(doc, "Dengan hormat, kami mengundang Bapak/Ibu untuk menghadiri rapat pada:")
    _p(doc, "Hari, tanggal\t: {{ meeting_day }}, {{ meeting_date }}")
    _p(doc, "Waktu\t: {{ meeting_time }}")
    _p(doc, "Tempat\t: {{ meeting_place }}")
    _p(doc, "Acara\t: {{ agenda }}")
    _p(doc, "Demikian undangan ini, atas kehadirannya diucapkan terima kasih.")
    signature(doc, dated=False)
    _p(doc, "Daftar undangan:", bold=True)
    _p(doc, "{%p for i in invitees %}")
    _p(doc, "{{ i.no }}. {{ i.name }}")
    _p(doc, "{%p endfor %}")
    doc.save(HERE / "invitation.docx")


def attendance() -> None:
    doc = _doc()
    kop(doc)
    doc.add_paragraph("DAFTAR HADIR", style="Title")
    _p(doc, "Acara\t: {{ agenda }}")
    _p(doc, "Hari, tanggal\t: {{ meeting_day }}, {{ meeting_date }}")
    _p(doc, "Waktu\t: {{ meeting_time }}")
    _p(doc, "Tempat\t: {{ meeting_place }}")
    table(
        doc,
        ["No", "Nama", "Jabatan", "Tanda Tangan"],
        "p in people",
        ["{{ p.no }}", "{{ p.name }}", "{{ p.position }}", "{{ p.no }}."],
    )
    doc.save(HERE / "attendance.docx")


def review_statement() -> None:
    doc = _doc()
    kop(doc)
    _p(doc, "{{ statement_title }}", bold=True, align="center", size=13)
    _p(doc, "{{ report_title }}", bold=True, align="center")
    _p(doc, "{%p for paragraph in statement %}")
    _p(doc, "{{ paragraph }}", align="justify")
    _p(doc, "{%p endfor %}")
    _p(doc, "{{ conclusion }}", align="justify")
    signature(doc)
    doc.save(HERE / "review_statement.docx")


BUILDERS = [cover_letter, invitation, attendance, review_statement]


def main() -> None:
    try:
        from kinerja.documents.docx_templates import reports_build
    except ImportError:  # pragma: no cover
        reports_build = None
    for builder in BUILDERS:
        builder()
    if reports_build is not None:
        reports_build.build_all()


if __name__ == "__main__":
    main()
