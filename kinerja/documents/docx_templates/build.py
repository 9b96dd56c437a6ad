"""Build the product's default Word templates (run after changing them; the .docx are committed).

    .venv/bin/python -m kinerja.documents.docx_templates.build

An office replaces a template with its own Word file using the same variables
(``docs/documents-templates.md``); styling is free.
"""

from __future__ import annotations

from kinerja.documents.docx_templates import reports_build
from kinerja.documents.docx_templates.blocks import (
    HERE,
    kop,
    new_document,
    paragraph,
    signature,
    table,
)


def cover_letter() -> None:
    doc = new_document()
    kop(doc)
    paragraph(doc, "{{ signature.place }}, {{ date }}", align="right")
    for label, var in (
        ("Nomor", "number_display"),
        ("Sifat", "nature"),
        ("Lampiran", "attachment_count"),
        ("Hal", "subject"),
    ):
        paragraph(doc, f"{label}\t: {{{{ {var} }}}}")
    paragraph(doc, "Kepada Yth.")
    paragraph(doc, "{{ addressee }}", bold=True)
    paragraph(doc, "di –")
    paragraph(doc, "    {{ addressee_place }}")
    paragraph(doc, "{{ body }}", align="justify")
    table(
        doc,
        ["No", "Dokumen", "Jumlah"],
        "a in attachments",
        ["{{ a.no }}", "{{ a.name }}", "{{ a.count }}"],
    )
    paragraph(doc, "{{ closing }}")
    signature(doc, dated=False)
    paragraph(doc, "Tembusan:", size=9)
    paragraph(doc, "{%p for c in copies %}")
    paragraph(doc, "{{ loop.index }}. {{ c }}", size=9)
    paragraph(doc, "{%p endfor %}")
    doc.save(str(HERE / "cover_letter.docx"))


def invitation() -> None:
    doc = new_document()
    kop(doc)
    paragraph(doc, "{{ signature.place }}, {{ date }}", align="right")
    for label, var in (("Nomor", "number_display"), ("Hal", "subject")):
        paragraph(doc, f"{label}\t: {{{{ {var} }}}}")
    paragraph(doc, "Kepada Yth. (daftar terlampir)")
    paragraph(doc, "Dengan hormat, kami mengundang Bapak/Ibu untuk menghadiri rapat pada:")
    paragraph(doc, "Hari, tanggal\t: {{ meeting_day }}, {{ meeting_date }}")
    paragraph(doc, "Waktu\t: {{ meeting_time }}")
    paragraph(doc, "Tempat\t: {{ meeting_place }}")
    paragraph(doc, "Acara\t: {{ agenda }}")
    paragraph(doc, "Demikian undangan ini, atas kehadirannya diucapkan terima kasih.")
    signature(doc, dated=False)
    paragraph(doc, "Daftar undangan:", bold=True)
    paragraph(doc, "{%p for i in invitees %}")
    paragraph(doc, "{{ i.no }}. {{ i.name }}")
    paragraph(doc, "{%p endfor %}")
    doc.save(str(HERE / "invitation.docx"))


def attendance() -> None:
    doc = new_document()
    kop(doc)
    doc.add_paragraph("DAFTAR HADIR", style="Title")
    paragraph(doc, "Acara\t: {{ agenda }}")
    paragraph(doc, "Hari, tanggal\t: {{ meeting_day }}, {{ meeting_date }}")
    paragraph(doc, "Waktu\t: {{ meeting_time }}")
    paragraph(doc, "Tempat\t: {{ meeting_place }}")
    table(
        doc,
        ["No", "Nama", "Jabatan", "Tanda Tangan"],
        "p in people",
        ["{{ p.no }}", "{{ p.name }}", "{{ p.position }}", "{{ p.no }}."],
    )
    doc.save(str(HERE / "attendance.docx"))


def review_statement() -> None:
    doc = new_document()
    kop(doc)
    paragraph(doc, "{{ statement_title }}", bold=True, align="center", size=13)
    paragraph(doc, "{{ report_title }}", bold=True, align="center")
    paragraph(doc, "{%p for paragraph in statement %}")
    paragraph(doc, "{{ paragraph }}", align="justify")
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{{ conclusion }}", align="justify")
    signature(doc)
    doc.save(str(HERE / "review_statement.docx"))


BUILDERS = [cover_letter, invitation, attendance, review_statement]


def main() -> None:
    for builder in BUILDERS:
        builder()
    reports_build.build_all()


if __name__ == "__main__":
    main()
