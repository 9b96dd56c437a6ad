"""The quarterly reports of every demo office (DOCX and PDF) against ``oracle``: the period's
targets, actuals to date, capaian and categories, averages, counts and the budget up to the
quarter."""

from __future__ import annotations

import pytest

from kinerja.organisation.models import Agency
from tests.reconciliation import oracle
from tests.reconciliation.cases import OFFICES, PERIODS
from tests.reconciliation.read import (
    actual_text,
    between,
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
CASES = [(code, period) for code in OFFICES for period in PERIODS]


class Expected:
    def __init__(self, agency: Agency, period: str):
        self.agency, self.period = agency, period
        self.year, self.quarter = int(period[:4]), int(period[-1])
        self.rows = oracle.rows(agency, self.year, self.quarter)
        self.objectives = oracle.objectives_of(agency, self.rows)
        self.average = oracle.average(agency, [r.capaian for r in self.rows])
        self.not_reported = sum(
            (not r.actual_text) if r.indicator.target_kind == "lookup" else r.actual is None
            for r in self.rows
        )
        self.budget = oracle.budget_total(agency, self.year, self.quarter)

    def of(self, objective) -> list[oracle.Row]:
        return [r for r in self.rows if r.indicator.objective_id == objective.pk]

    def objective_figures(self, objective) -> tuple[str, str]:
        average = oracle.average(self.agency, [r.capaian for r in self.of(objective)])
        found = oracle.objective_budget(objective, self.year, self.quarter)
        return pct(average), pct(found.absorption if found else None)

    def row(self, r: oracle.Row) -> list[str]:
        ind = r.indicator
        return [
            ind.name,
            ind.unit_of_measure,
            goal_text(r.target, ind.decimals),
            actual_text(r),
            pct(r.capaian),
            oracle.label(self.agency, r.category) if r.category else "",
        ]

    def budget_rows(self) -> list[list[str]]:
        return [
            [str(n), p.name, *_cells(oracle.program_budget(p, self.year, self.quarter))]
            for n, p in enumerate(
                oracle.programs_with_budget(self.agency, self.year, self.quarter), 1
            )
        ]


def _cells(m: oracle.Money) -> list[str]:
    return [money(m.ceiling), money(m.spent), pct(m.absorption)]


@pytest.fixture
def expected(request, perf):
    code, period = request.param
    return Expected(Agency.objects.get(code=code), period)


IDS = [f"{c}-{p}" for c, p in CASES]


@pytest.mark.parametrize("expected", CASES, indirect=True, ids=IDS)
def test_periodic_figures(expected, generated):
    """One test per document, so that each is generated once however the tests are spread."""
    report = generated[("periodic_report", expected.agency.code, expected.period)]
    check_docx(expected, report.docx)
    check_pdf(expected, report.pdf)


def check_docx(e: Expected, blocks: list) -> None:
    chapter = between(blocks, "II. Capaian Kinerja", "III. Realisasi Anggaran")
    head = f"{len(e.rows)} indikator; rata-rata capaian {pct(e.average)}; belum dilaporkan: {e.not_reported}."
    assert any(b.text == head for b in chapter if b.kind == "p")
    headings = [b.text for b in chapter if b.kind == "p" and b.style == "Heading 2"]
    assert headings == [f"Sasaran {n}: {o.statement}" for n, o in enumerate(e.objectives, 1)]
    for number, objective in enumerate(e.objectives, 1):
        nxt = headings[number] if number < len(headings) else None
        section = between(chapter, headings[number - 1], nxt)
        average, absorption = e.objective_figures(objective)
        line = f"Rata-rata capaian {average}, serapan anggaran {absorption}."
        assert any(b.text == line for b in section if b.kind == "p"), line
        (rows,) = tables(
            section,
            [
                "Indikator",
                "Satuan",
                "Target periode",
                "Realisasi s.d. periode",
                "Capaian",
                "Kategori",
            ],
        )
        assert rows == [e.row(r) for r in e.of(objective)]

    budget = between(blocks, "III. Realisasi Anggaran", "IV. Penutup")
    (lines,) = tables(budget, ["No", "Program", "Pagu (Rp)", "Realisasi (Rp)", "%"])
    assert lines == e.budget_rows()
    b = e.budget
    total = (
        f"Jumlah: pagu Rp {money(b.ceiling)}, realisasi Rp {money(b.spent)} ({pct(b.absorption)})"
    )
    assert any(x.text == total for x in budget if x.kind == "p")


def check_pdf(e: Expected, text: str) -> None:
    chapter = pdf_between(text, "II. Capaian Kinerja", "III. Realisasi Anggaran")
    assert (
        f"{len(e.rows)} indikator; rata-rata capaian {pct(e.average)}; "
        f"belum dilaporkan: {e.not_reported}."
    ) in chapter
    statements = [f"Sasaran {n}:" for n in range(1, len(e.objectives) + 1)]
    for number, objective in enumerate(e.objectives, 1):
        nxt = statements[number] if number < len(statements) else "III. Realisasi Anggaran"
        section = pdf_between(text, statements[number - 1], nxt)
        average, absorption = e.objective_figures(objective)
        assert (
            f"{objective.statement} (rata-rata {average}, serapan anggaran {absorption})" in section
        )
        for r in e.of(objective):
            figures = tuple(e.row(r)[2:5])
            assert in_sequence(section, *numeric(figures)), (r.indicator.name, figures)
            assert all(has_words(section, f) for f in figures), figures
    budget = pdf_between(text, "III. Realisasi Anggaran", "IV. Penutup")
    for row in e.budget_rows():
        assert in_sequence(budget, *row[2:]), row
    assert in_sequence(budget, "Jumlah", *_cells(e.budget))
