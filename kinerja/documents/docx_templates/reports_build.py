"""Default Word templates of the performance reports (see build.py)."""

from __future__ import annotations

from kinerja.documents.docx_templates.build import HERE, _doc, _p, kop, signature, table


def _h(doc, text: str, level: int) -> None:
    doc.add_paragraph(text, style=f"Heading {level}")


def pk_tables(doc) -> None:
    table(
        doc,
        ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"],
        "r in pk_rows",
        ["{{ r.no }}", "{{ r.objective }}", "{{ r.indicator }}", "{{ r.target }}"],
    )
    _p(doc, "{%p if pk_programs %}")
    table(
        doc,
        ["No", "Program", "Anggaran (Rp)", "Keterangan"],
        "p in pk_programs",
        ["{{ p.no }}", "{{ p.program }}", "{{ p.budget }}", "{{ p.note }}"],
    )
    _p(doc, "{%p endif %}")


def budget_table(doc) -> None:
    table(
        doc,
        ["No", "Program", "Pagu (Rp)", "Realisasi (Rp)", "%"],
        "b in budget",
        ["{{ b.no }}", "{{ b.program }}", "{{ b.ceiling }}", "{{ b.spent }}", "{{ b.absorption }}"],
    )
    _p(
        doc,
        "Jumlah: pagu Rp {{ budget_total.ceiling }}, realisasi Rp {{ budget_total.spent }} "
        "({{ budget_total.absorption }})",
        bold=True,
    )


def lkjip() -> None:
    doc = _doc()
    _p(doc, "{{ img.logo }}", align="center")
    _p(doc, "{%p for line in kop.lines %}")
    _p(doc, "{{ line }}", bold=True, align="center", size=14)
    _p(doc, "{%p endfor %}")
    doc.add_paragraph("{{ report_title }}", style="Title")
    _p(doc, "TAHUN {{ year }}", bold=True, align="center", size=20)
    _p(doc, "{{ kop.address }}", align="center", size=9)
    doc.add_page_break()
    _h(doc, "Kata Pengantar", 1)
    _p(doc, "{{ foreword }}", align="justify")
    signature(doc)
    doc.add_page_break()
    _h(doc, "Daftar Isi", 1)
    _p(doc, "{%p for item in outline %}")
    _p(doc, "{{ loop.index }}. {{ item }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if executive_summary %}")
    _h(doc, "Ikhtisar Eksekutif", 1)
    _p(
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
    _p(doc, "{%p endif %}")
    doc.add_page_break()
    _h(doc, "BAB I PENDAHULUAN", 1)
    _h(doc, "A. Gambaran Umum Organisasi", 2)
    _p(doc, "{{ agency.name }}, {{ kop.address }}.")
    _h(doc, "B. Tugas dan Fungsi", 2)
    _p(doc, "{{ tasks_intro }}", align="justify")
    _p(doc, "{%p for f in tasks_list %}")
    _p(doc, "{{ loop.index }}. {{ f }}{{ '.' if loop.last else ';' }}")
    _p(doc, "{%p endfor %}")
    _h(doc, "C. Struktur Organisasi", 2)
    _p(doc, "{{ img.structure }}")
    table(
        doc,
        ["Unit", "Jabatan", "Pejabat"],
        "s in structure",
        ["{{ s.unit }}", "{{ s.position }}", "{{ s.holder }}"],
    )
    _h(doc, "D. Isu Strategis", 2)
    _p(doc, "{{ issues_intro }}", align="justify")
    _p(doc, "{%p for i in issues_list %}")
    _p(doc, "{{ loop.index }}. {{ i }}")
    _p(doc, "{%p endfor %}")
    doc.add_page_break()
    _h(doc, "BAB II PERENCANAAN KINERJA", 1)
    _h(doc, "A. Rencana Strategis", 2)
    _p(doc, "{{ plan.title }} ({{ plan.years }}).")
    _p(doc, "{%p for g in goals %}")
    _p(doc, "Tujuan {{ loop.index }}: {{ g.statement }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for o in strategic_objectives %}")
    _p(doc, "Sasaran strategis {{ loop.index }}: {{ o.statement }}")
    _p(doc, "{%p endfor %}")
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
    _p(doc, "{{ img.categories }}")
    _p(doc, "{{ img.trend }}")
    _p(doc, "{%p for o in objectives %}")
    _h(doc, "Sasaran {{ o.no }}: {{ o.statement }}", 3)
    _p(doc, "1. Perbandingan target dan realisasi tahun {{ year }}", bold=True)
    table(
        doc,
        ["Indikator", "Satuan", "Target", "Realisasi", "Capaian"],
        "r in o.rows",
        ["{{ r.name }}", "{{ r.unit }}", "{{ r.target }}", "{{ r.actual }}", "{{ r.achievement }}"],
    )
    _p(doc, "{%p if o.chart %}")
    _p(doc, "{{ img[o.chart] }}")
    _p(doc, "{%p endif %}")
    _p(doc, "2. Perbandingan dengan tahun-tahun sebelumnya", bold=True)
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
    _p(doc, "3. Perbandingan dengan target akhir Renstra ({{ o.plan_end }})", bold=True)
    table(
        doc,
        ["Indikator", "Target akhir", "Realisasi", "Tingkat kemajuan"],
        "r in o.renstra",
        ["{{ r.name }}", "{{ r.end_target }}", "{{ r.actual }}", "{{ r.progress }}"],
    )
    _p(doc, "4. Perbandingan dengan standar nasional", bold=True)
    _p(doc, "{%p for r in o.national %}")
    _p(doc, "{{ r.name }}: standar {{ r.standard }} ({{ r.source }}), realisasi {{ r.actual }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if not o.national %}")
    _p(doc, "Tidak terdapat standar nasional untuk indikator sasaran ini.")
    _p(doc, "{%p endif %}")
    _p(doc, "5. Penyebab keberhasilan/kegagalan dan alternatif solusi", bold=True)
    _p(doc, "{{ o.causes }}", align="justify")
    _p(doc, "Solusi: {{ o.solutions }}", align="justify")
    _p(doc, "6. Efisiensi penggunaan sumber daya", bold=True)
    _p(
        doc,
        "Rata-rata capaian {{ o.average }}; pagu Rp {{ o.ceiling }}, realisasi Rp {{ o.spent }} "
        "(serapan {{ o.absorption }}); tingkat efisiensi {{ o.efficiency }}. {{ o.efficiency_remarks }}",
    )
    _p(doc, "7. Program dan kegiatan yang menunjang", bold=True)
    _p(doc, "{%p if o.programs %}")
    table(
        doc,
        ["Program / Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "Serapan"],
        "p in o.programs",
        ["{{ p.name }}", "{{ p.ceiling }}", "{{ p.spent }}", "{{ p.absorption }}"],
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if o.supporting_programs %}")
    _p(doc, "{{ o.supporting_programs }}", align="justify")
    _p(doc, "{%p elif not o.programs %}")
    _p(doc, "-")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    _h(doc, "B. Realisasi Anggaran", 2)
    budget_table(doc)
    doc.add_page_break()
    _h(doc, "BAB IV PENUTUP", 1)
    _h(doc, "A. Kesimpulan", 2)
    _p(doc, "{{ conclusion }}", align="justify")
    _h(doc, "B. Langkah ke Depan", 2)
    _p(doc, "{{ next_steps }}", align="justify")
    signature(doc)
    doc.add_page_break()
    _h(doc, "LAMPIRAN", 1)
    _h(doc, "{{ pk.name }}", 2)
    pk_tables(doc)
    doc.save(HERE / "lkjip.docx")


def periodic() -> None:
    doc = _doc()
    kop(doc)
    doc.add_paragraph("{{ report_title }}", style="Title")
    _h(doc, "I. Pendahuluan", 1)
    _p(doc, "{{ intro }}", align="justify")
    _h(doc, "II. Capaian Kinerja", 1)
    _p(
        doc,
        "{{ indicator_count }} indikator; rata-rata capaian {{ average }}; belum dilaporkan: {{ not_reported }}.",
    )
    _p(doc, "{%p for o in objectives %}")
    _h(doc, "Sasaran {{ o.no }}: {{ o.statement }}", 2)
    _p(doc, "Rata-rata capaian {{ o.average }}, serapan anggaran {{ o.absorption }}.")
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
    _p(doc, "{%p endfor %}")
    _p(doc, "{{ img.categories }}")
    _h(doc, "III. Realisasi Anggaran", 1)
    budget_table(doc)
    _h(doc, "IV. Penutup", 1)
    _p(doc, "{{ closing }}")
    signature(doc)
    doc.save(HERE / "periodic.docx")


def pk() -> None:
    doc = _doc()
    kop(doc)
    doc.add_paragraph("PERJANJIAN KINERJA TAHUN {{ year }}", style="Title")
    _p(doc, "{{ agency.name }}", align="center")
    pk_tables(doc)
    signature(doc)
    doc.save(HERE / "pk.docx")


def build_all() -> None:
    lkjip()
    periodic()
    pk()
