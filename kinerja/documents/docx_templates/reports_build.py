"""Default Word templates of the performance reports (see build.py)."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from kinerja.documents.docx_templates.blocks import (
    HERE,
    kop,
    new_document,
    paragraph,
    signature,
    table,
)


def _h(doc, text: str, level: int) -> None:
    doc.add_paragraph(text, style=f"Heading {level}")


def pk_tables(doc) -> None:
    table(
        doc,
        ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"],
        "r in pk_rows",
        ["{{ r.no }}", "{{ r.objective }}", "{{ r.indicator }}", "{{ r.target }}"],
    )
    paragraph(doc, "{%p if pk_programs %}")
    table(
        doc,
        ["No", "Program", "Anggaran (Rp)", "Keterangan"],
        "p in pk_programs",
        ["{{ p.no }}", "{{ p.program }}", "{{ p.budget }}", "{{ p.note }}"],
    )
    paragraph(doc, "{%p endif %}")


def budget_table(doc) -> None:
    table(
        doc,
        ["No", "Program", "Pagu (Rp)", "Realisasi (Rp)", "%"],
        "b in budget",
        ["{{ b.no }}", "{{ b.program }}", "{{ b.ceiling }}", "{{ b.spent }}", "{{ b.absorption }}"],
    )
    paragraph(
        doc,
        "Jumlah: pagu Rp {{ budget_total.ceiling }}, realisasi Rp {{ budget_total.spent }} "
        "({{ budget_total.absorption }})",
        bold=True,
    )


def lkjip() -> None:
    """The default LKjIP template (PermenPAN-RB 53/2014: Bab I to IV and the PK as appendix)."""
    doc = new_document()
    _cover_and_foreword(doc)
    _executive_summary(doc)
    _chapter_one(doc)
    _chapter_two(doc)
    _chapter_three(doc)
    _chapter_four_and_appendix(doc)
    doc.save(str(HERE / "lkjip.docx"))


def _cover_and_foreword(doc: DocxDocument) -> None:
    """The cover (logo, letterhead lines, title, year), the foreword with its signature and
    the table of contents."""
    paragraph(doc, "{{ img.logo }}", align="center")
    paragraph(doc, "{%p for line in kop.lines %}")
    paragraph(doc, "{{ line }}", bold=True, align="center", size=14)
    paragraph(doc, "{%p endfor %}")
    doc.add_paragraph("{{ report_title }}", style="Title")
    paragraph(doc, "TAHUN {{ year }}", bold=True, align="center", size=20)
    paragraph(doc, "{{ kop.address }}", align="center", size=9)
    doc.add_page_break()
    _h(doc, "Kata Pengantar", 1)
    paragraph(doc, "{{ foreword }}", align="justify")
    signature(doc)
    doc.add_page_break()
    _h(doc, "Daftar Isi", 1)
    paragraph(doc, "{%p for item in outline %}")
    paragraph(doc, "{{ loop.index }}. {{ item }}")
    paragraph(doc, "{%p endfor %}")


def _executive_summary(doc: DocxDocument) -> None:
    """The executive summary (Ikhtisar Eksekutif), printed when the office asks for it."""
    paragraph(doc, "{%p if executive_summary %}")
    _h(doc, "Ikhtisar Eksekutif", 1)
    paragraph(
        doc,
        "{{ report_name }} Tahun {{ year }} memuat {{ objective_count }} sasaran dengan "
        "{{ indicator_count }} indikator kinerja. Rata-rata capaian kinerja adalah {{ average }}; "
        "realisasi anggaran Rp {{ budget_total.spent }} dari pagu Rp {{ budget_total.ceiling }} "
        "({{ budget_total.absorption }}).",
        align="justify",
    )
    table(
        doc,
        ["Kategori", "Jumlah indikator"],
        "c in category_counts",
        ["{{ c.label }}", "{{ c.count }}"],
    )
    paragraph(doc, "{%p endif %}")
    doc.add_page_break()


def _chapter_one(doc: DocxDocument) -> None:
    """Bab I: the organisation, its tasks and functions, its structure, the strategic issues."""
    _h(doc, "BAB I PENDAHULUAN", 1)
    _h(doc, "A. Gambaran Umum Organisasi", 2)
    paragraph(doc, "{{ agency.name }}, {{ kop.address }}.")
    _h(doc, "B. Tugas dan Fungsi", 2)
    paragraph(doc, "{{ tasks_intro }}", align="justify")
    paragraph(doc, "{%p for f in tasks_list %}")
    paragraph(doc, "{{ loop.index }}. {{ f }}{{ '.' if loop.last else ';' }}")
    paragraph(doc, "{%p endfor %}")
    _h(doc, "C. Struktur Organisasi", 2)
    paragraph(doc, "{{ img.structure }}")
    table(
        doc,
        ["Unit", "Jabatan", "Pejabat"],
        "s in structure",
        ["{{ s.unit }}", "{{ s.position }}", "{{ s.holder }}"],
    )
    _h(doc, "D. Isu Strategis", 2)
    paragraph(doc, "{{ issues_intro }}", align="justify")
    paragraph(doc, "{%p for i in issues_list %}")
    paragraph(doc, "{{ loop.index }}. {{ i }}")
    paragraph(doc, "{%p endfor %}")
    doc.add_page_break()


def _chapter_two(doc: DocxDocument) -> None:
    """Bab II: the Renstra (goals, strategic objectives), the IKU and the PK."""
    _h(doc, "BAB II PERENCANAAN KINERJA", 1)
    _h(doc, "A. Rencana Strategis", 2)
    paragraph(doc, "{{ plan.title }} ({{ plan.years }}).")
    paragraph(doc, "{%p for g in goals %}")
    paragraph(doc, "Tujuan {{ loop.index }}: {{ g.statement }}")
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p for o in strategic_objectives %}")
    paragraph(doc, "Sasaran strategis {{ loop.index }}: {{ o.statement }}")
    paragraph(doc, "{%p endfor %}")
    _h(doc, "B. Indikator Kinerja Utama", 2)
    table(
        doc,
        ["No", "Sasaran", "Indikator Kinerja Utama", "Satuan"],
        "k in key_indicators",
        ["{{ k.no }}", "{{ k.objective }}", "{{ k.name }}", "{{ k.unit }}"],
    )
    _h(doc, "C. {{ pk.name }}", 2)
    pk_tables(doc)
    doc.add_page_break()


def _chapter_three(doc: DocxDocument) -> None:
    """Bab III: every indicator's capaian, the charts, the seven analyses of each objective
    (docs/domain.md §2) and the budget."""
    _h(doc, "BAB III AKUNTABILITAS KINERJA", 1)
    _h(doc, "A. Capaian Kinerja Organisasi", 2)
    table(
        doc,
        ["No", "Indikator", "Satuan", "Target", "Realisasi", "Capaian", "Kategori"],
        "r in all_rows",
        [
            "{{ r.no }}",
            "{{ r.name }}",
            "{{ r.unit }}",
            "{{ r.target }}",
            "{{ r.actual }}",
            "{{ r.achievement }}",
            "{{ r.category }}",
        ],
    )
    paragraph(doc, "{{ img.categories }}")
    paragraph(doc, "{{ img.trend }}")
    paragraph(doc, "{%p for o in objectives %}")
    _h(doc, "Sasaran {{ o.no }}: {{ o.statement }}", 3)
    _objective_comparisons(doc)
    _objective_causes_and_resources(doc)
    paragraph(doc, "{%p endfor %}")
    _h(doc, "B. Realisasi Anggaran", 2)
    budget_table(doc)
    doc.add_page_break()


def _objective_comparisons(doc: DocxDocument) -> None:
    """Analyses 1 to 4 of one objective: target and actual, earlier years, the Renstra's end
    target, the national standard."""
    paragraph(doc, "1. Perbandingan target dan realisasi tahun {{ year }}", bold=True)
    table(
        doc,
        ["Indikator", "Satuan", "Target", "Realisasi", "Capaian"],
        "r in o.rows",
        ["{{ r.name }}", "{{ r.unit }}", "{{ r.target }}", "{{ r.actual }}", "{{ r.achievement }}"],
    )
    paragraph(doc, "{%p if o.chart %}")
    paragraph(doc, "{{ img[o.chart] }}")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "2. Perbandingan dengan tahun-tahun sebelumnya", bold=True)
    table(
        doc,
        [
            "Indikator",
            "Capaian {{ o.years[0] }}",
            "Capaian {{ o.years[1] }}",
            "Capaian {{ o.years[2] }}",
        ],
        "h in o.history",
        ["{{ h.name }}", "{{ h.y0 }}", "{{ h.y1 }}", "{{ h.y2 }}"],
    )
    paragraph(doc, "3. Perbandingan dengan target akhir Renstra ({{ o.plan_end }})", bold=True)
    table(
        doc,
        ["Indikator", "Target akhir", "Realisasi", "Tingkat kemajuan"],
        "r in o.renstra",
        ["{{ r.name }}", "{{ r.end_target }}", "{{ r.actual }}", "{{ r.progress }}"],
    )
    paragraph(doc, "4. Perbandingan dengan standar nasional", bold=True)
    paragraph(doc, "{%p for r in o.national %}")
    paragraph(
        doc, "{{ r.name }}: standar {{ r.standard }} ({{ r.source }}), realisasi {{ r.actual }}"
    )
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{%p if not o.national %}")
    paragraph(doc, "Tidak terdapat standar nasional untuk indikator sasaran ini.")
    paragraph(doc, "{%p endif %}")


def _objective_causes_and_resources(doc: DocxDocument) -> None:
    """Analyses 5 to 7 of one objective: causes and solutions, efficiency, the programs and
    activities that supported it."""
    paragraph(doc, "5. Penyebab keberhasilan/kegagalan dan alternatif solusi", bold=True)
    paragraph(doc, "{{ o.causes }}", align="justify")
    paragraph(doc, "Solusi: {{ o.solutions }}", align="justify")
    paragraph(doc, "6. Efisiensi penggunaan sumber daya", bold=True)
    paragraph(
        doc,
        "Rata-rata capaian {{ o.average }}; pagu Rp {{ o.ceiling }}, realisasi Rp {{ o.spent }} "
        "(serapan {{ o.absorption }}); tingkat efisiensi {{ o.efficiency }}. {{ o.efficiency_remarks }}",
    )
    paragraph(doc, "7. Program dan kegiatan yang menunjang", bold=True)
    paragraph(doc, "{%p if o.programs %}")
    table(
        doc,
        ["Program / Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "Serapan"],
        "p in o.programs",
        ["{{ p.name }}", "{{ p.ceiling }}", "{{ p.spent }}", "{{ p.absorption }}"],
    )
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p if o.supporting_programs %}")
    paragraph(doc, "{{ o.supporting_programs }}", align="justify")
    paragraph(doc, "{%p elif not o.programs %}")
    paragraph(doc, "-")
    paragraph(doc, "{%p endif %}")


def _chapter_four_and_appendix(doc: DocxDocument) -> None:
    """Bab IV (conclusion, next steps, signature) and the PK as appendix."""
    _h(doc, "BAB IV PENUTUP", 1)
    _h(doc, "A. Kesimpulan", 2)
    paragraph(doc, "{{ conclusion }}", align="justify")
    _h(doc, "B. Langkah ke Depan", 2)
    paragraph(doc, "{{ next_steps }}", align="justify")
    signature(doc)
    doc.add_page_break()
    _h(doc, "LAMPIRAN", 1)
    _h(doc, "{{ pk.name }}", 2)
    pk_tables(doc)


def periodic() -> None:
    doc = new_document()
    kop(doc)
    doc.add_paragraph("{{ report_title }}", style="Title")
    _h(doc, "I. Pendahuluan", 1)
    paragraph(doc, "{{ intro }}", align="justify")
    _h(doc, "II. Capaian Kinerja", 1)
    paragraph(
        doc,
        "{{ indicator_count }} indikator; rata-rata capaian {{ average }}; belum dilaporkan: {{ not_reported }}.",
    )
    paragraph(doc, "{%p for o in objectives %}")
    _h(doc, "Sasaran {{ o.no }}: {{ o.statement }}", 2)
    paragraph(doc, "Rata-rata capaian {{ o.average }}, serapan anggaran {{ o.absorption }}.")
    table(
        doc,
        ["Indikator", "Satuan", "Target periode", "Realisasi s.d. periode", "Capaian", "Kategori"],
        "r in o.rows",
        [
            "{{ r.name }}",
            "{{ r.unit }}",
            "{{ r.target }}",
            "{{ r.actual }}",
            "{{ r.achievement }}",
            "{{ r.category }}",
        ],
    )
    paragraph(doc, "{%p endfor %}")
    paragraph(doc, "{{ img.categories }}")
    _h(doc, "III. Realisasi Anggaran", 1)
    budget_table(doc)
    _h(doc, "IV. Penutup", 1)
    paragraph(doc, "{{ closing }}")
    signature(doc)
    doc.save(str(HERE / "periodic.docx"))


def pk() -> None:
    doc = new_document()
    kop(doc)
    doc.add_paragraph("PERJANJIAN KINERJA TAHUN {{ year }}", style="Title")
    paragraph(doc, "{{ agency.name }}", align="center")
    pk_tables(doc)
    signature(doc)
    doc.save(str(HERE / "pk.docx"))


def build_all() -> None:
    lkjip()
    periodic()
    pk()
