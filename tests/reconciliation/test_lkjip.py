"""The LKjIP of every demo office and year, DOCX and PDF, against ``oracle``.

Every total, average, count per category, per-sasaran average, pagu, realisasi and serapan, and
the capaian of each indicator, as printed in the Ikhtisar Eksekutif, Bab III.A, Bab III.B and
Bab IV.
"""

from __future__ import annotations

import re

import pytest

from kinerja.organisation.models import Agency
from kinerja.performance.models import Activity
from tests.reconciliation import oracle
from tests.reconciliation.cases import LKJIP_YEARS, OFFICES
from tests.reconciliation.read import (
    NONE,
    actual_text,
    between,
    flat,
    goal_text,
    has_words,
    in_sequence,
    money,
    numeric,
    pct,
    pdf_between,
    tables,
)

pytestmark = pytest.mark.django_db
CASES = [(code, year) for code in OFFICES for year in LKJIP_YEARS]


class Expected:
    """What the LKjIP of ``agency`` for ``year`` must print, from the raw tables."""

    def __init__(self, agency: Agency, year: int):
        self.agency, self.year = agency, year
        self.rows = oracle.rows(agency, year)
        self.objectives = oracle.objectives_of(agency, self.rows)
        self.average = oracle.average(agency, [r.capaian for r in self.rows])
        self.counts = oracle.counts(agency, [r.year_category for r in self.rows])
        self.budget = oracle.budget_total(agency, year)
        self.earlier = {
            y: {r.indicator.pk: r.year_capaian for r in oracle.rows(agency, y)}
            for y in (year - 2, year - 1)
        }

    def of(self, objective) -> list[oracle.Row]:
        return [r for r in self.rows if r.indicator.objective_id == objective.pk]

    def summary(self) -> str:
        b = self.budget
        return (
            f"memuat {len(self.objectives)} sasaran dengan {len(self.rows)} indikator kinerja. "
            f"Rata-rata capaian kinerja adalah {pct(self.average)}; realisasi anggaran "
            f"Rp {money(b.spent)} dari pagu Rp {money(b.ceiling)} ({pct(b.absorption)})."
        )

    def conclusion(self) -> str:
        return (
            f"Pada Tahun {self.year}, {len(self.rows)} indikator kinerja dari "
            f"{len(self.objectives)} sasaran diukur dengan rata-rata capaian {pct(self.average)}. "
            f"Realisasi anggaran mencapai {pct(self.budget.absorption)} dari pagu."
        )

    def efficiency(self, objective) -> str:
        average = oracle.average(self.agency, [r.capaian for r in self.of(objective)])
        money_of = oracle.objective_budget(objective, self.year)
        absorption = money_of.absorption if money_of else None
        return (
            f"Rata-rata capaian {pct(average)}; pagu Rp "
            f"{money(money_of.ceiling if money_of else None)}, realisasi Rp "
            f"{money(money_of.spent if money_of else None)} (serapan {pct(absorption)}); "
            f"tingkat efisiensi {pct(oracle.efficiency(average, absorption))}."
        )

    def programs(self, objective) -> list[list[str]]:
        ids = oracle.family(objective)
        found = []
        for program in oracle.programs_with_budget(self.agency, self.year):
            if program.objective_id not in ids:
                continue
            m = oracle.program_budget(program, self.year)
            found.append([f"{program.code} {program.name}", *_money_cells(m)])
            for activity in Activity.objects.filter(program=program).order_by("code"):
                a = oracle.activity_budget(activity, self.year)
                if a.ceiling or a.spent:
                    found.append([f"{activity.code} {activity.name}", *_money_cells(a)])
        return found


def _money_cells(m: oracle.Money) -> list[str]:
    return [money(m.ceiling), money(m.spent), pct(m.absorption)]


@pytest.fixture
def expected(request, perf):
    code, year = request.param
    return Expected(Agency.objects.get(code=code), year)


def test_dkukmtk_2024_prints_the_budget_the_office_entered(perf, generated):
    agency = Agency.objects.get(code="DKUKMTK-BLG")
    entered = oracle.budget_total(agency, 2024)
    assert entered.ceiling == 3_202_500_000  # summed from BudgetCeiling rows, nothing else
    report = generated[("lkjip", "DKUKMTK-BLG", "2024")]
    pdf = flat(report.pdf)
    assert "26.302.500.000" not in pdf and "25.620.000.000" not in pdf
    assert "Rp 3.202.500.000" in pdf  # the Ikhtisar Eksekutif
    assert in_sequence(
        pdf, "Jumlah", "3.202.500.000", money(entered.spent), pct(entered.absorption)
    )
    docx = between(report.docx, "B. Realisasi Anggaran", "BAB IV PENUTUP")
    assert any("pagu Rp 3.202.500.000" in b.text for b in docx if b.kind == "p")


@pytest.mark.parametrize("expected", CASES, indirect=True, ids=[f"{c}-{y}" for c, y in CASES])
def test_lkjip_figures(expected, generated):
    """One test per document, so that each is generated once however the tests are spread."""
    report = generated[("lkjip", expected.agency.code, str(expected.year))]
    check_docx(expected, report.docx)
    check_pdf(expected, report.pdf)


def check_docx(e: Expected, blocks: list) -> None:

    summary = between(blocks, "Ikhtisar Eksekutif", "BAB I PENDAHULUAN")
    assert any(e.summary() in b.text for b in summary if b.kind == "p")
    (categories,) = tables(summary, ["Kategori", "Jumlah indikator"])
    assert categories == [[oracle.label(e.agency, c), str(n)] for c, n in e.counts.items()]

    chapter = between(blocks, "BAB III AKUNTABILITAS KINERJA", "B. Realisasi Anggaran")
    (all_rows,) = tables(
        chapter, ["No", "Indikator", "Satuan", "Target", "Realisasi", "Capaian", "Kategori"]
    )
    printed = {row[1]: row for row in all_rows}
    assert len(all_rows) == len(e.rows) == len(printed)
    for r in e.rows:
        ind = r.indicator
        assert printed[ind.name][2:] == [
            ind.unit_of_measure,
            goal_text(r.year_target, ind.decimals),
            actual_text(r),
            pct(r.year_capaian),
            oracle.label(e.agency, r.year_category) if r.year_category else NONE,
        ], ind.name

    headings = [b.text for b in chapter if b.kind == "p" and b.style == "Heading 3"]
    assert headings == [f"Sasaran {n}: {o.statement}" for n, o in enumerate(e.objectives, 1)]
    for number, objective in enumerate(e.objectives, 1):
        nxt = headings[number] if number < len(headings) else None
        section = between(chapter, headings[number - 1], nxt)
        rows = e.of(objective)
        (first,) = tables(section, ["Indikator", "Satuan", "Target", "Realisasi", "Capaian"])
        assert first == [
            [
                r.indicator.name,
                r.indicator.unit_of_measure,
                goal_text(r.year_target, r.indicator.decimals),
                actual_text(r),
                pct(r.year_capaian),
            ]
            for r in rows
        ]
        years = [e.year - 2, e.year - 1, e.year]
        (history,) = tables(section, ["Indikator", *[f"Capaian {y}" for y in years]])
        assert history == [
            [
                r.indicator.name,
                pct(e.earlier[years[0]].get(r.indicator.pk)),
                pct(e.earlier[years[1]].get(r.indicator.pk)),
                pct(r.year_capaian),
            ]
            for r in rows
        ]
        (renstra,) = tables(section, ["Indikator", "Target akhir", "Realisasi", "Tingkat kemajuan"])
        assert renstra == [
            [
                r.indicator.name,
                goal_text(r.end, r.indicator.decimals),
                actual_text(r),
                pct(r.progress),
            ]
            for r in rows
        ]
        assert any(e.efficiency(objective) in b.text for b in section if b.kind == "p")
        programs = e.programs(objective)
        found = tables(section, ["Program / Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "Serapan"])
        assert found == ([programs] if programs else [])

    budget = between(blocks, "B. Realisasi Anggaran", "BAB IV PENUTUP")
    (lines,) = tables(budget, ["No", "Program", "Pagu (Rp)", "Realisasi (Rp)", "%"])
    assert lines == [
        [str(n), p.name, *_money_cells(oracle.program_budget(p, e.year))]
        for n, p in enumerate(oracle.programs_with_budget(e.agency, e.year), 1)
    ]
    b = e.budget
    total = (
        f"Jumlah: pagu Rp {money(b.ceiling)}, realisasi Rp {money(b.spent)} ({pct(b.absorption)})"
    )
    assert any(total == b.text for b in budget if b.kind == "p")

    closing = between(blocks, "BAB IV PENUTUP", "LAMPIRAN")
    assert any(e.conclusion() in b.text for b in closing if b.kind == "p")


def check_pdf(e: Expected, text: str) -> None:
    assert e.summary() in pdf_between(text, "Ikhtisar Eksekutif", "BAB I PENDAHULUAN")
    summary = _raw(text, "Ikhtisar Eksekutif", "BAB I PENDAHULUAN")
    for code, count in e.counts.items():
        name = re.escape(oracle.label(e.agency, code))
        assert re.search(rf"(?m)^\s*{name}\s+{count}\s*$", summary), (code, count)

    # the trend chart spans the years that have a capaian, no empty year
    years = [
        y for y in (e.year - 2, e.year - 1) if any(v is not None for v in e.earlier[y].values())
    ]
    years.append(e.year)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(e.year)
    chapter = pdf_between(text, "A. Capaian Kinerja Organisasi", "Sasaran 1:")
    assert re.findall(r"Rata-rata capaian per sasaran (\S+)", chapter) == [span]

    table = pdf_between(text, "A. Capaian Kinerja Organisasi", "Sasaran 1:")
    for r in e.rows:
        ind = r.indicator
        figures = (goal_text(r.year_target, ind.decimals), actual_text(r), pct(r.year_capaian))
        assert in_sequence(table, *numeric(figures)), (ind.name, figures)
        assert all(has_words(table, f) for f in figures), (ind.name, figures)

    statements = [f"Sasaran {n}:" for n in range(1, len(e.objectives) + 1)]
    for number, objective in enumerate(e.objectives, 1):
        nxt = statements[number] if number < len(statements) else "B. Realisasi Anggaran"
        section = pdf_between(text, statements[number - 1], nxt)
        assert objective.statement in section
        assert e.efficiency(objective) in section
        for r in e.of(objective):
            ind = r.indicator
            end = (goal_text(r.end, ind.decimals), actual_text(r), pct(r.progress))
            assert in_sequence(section, *numeric(end)), (ind.name, end)
            assert all(has_words(section, f) for f in end), (ind.name, end)
        for row in e.programs(objective):
            assert in_sequence(section, *row[1:]), row

    budget = pdf_between(text, "B. Realisasi Anggaran", "BAB IV PENUTUP")
    for program in oracle.programs_with_budget(e.agency, e.year):
        assert in_sequence(budget, *_money_cells(oracle.program_budget(program, e.year)))
    assert in_sequence(budget, "Jumlah", *_money_cells(e.budget))
    assert e.conclusion() in pdf_between(text, "BAB IV PENUTUP", "LAMPIRAN")


def _raw(text: str, start: str, end: str) -> str:
    """The raw (not flattened) PDF lines from the heading ``start`` to ``end``."""
    lines = text.splitlines()
    begin = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
    stop = next(i for i in range(begin + 1, len(lines)) if lines[i].strip().startswith(end))
    return "\n".join(lines[begin:stop])
