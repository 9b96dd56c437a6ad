"""The PK of every demo office (DOCX and PDF) against the rows of its latest signed version."""

from __future__ import annotations

import re

import pytest

from kinerja.organisation.models import Agency
from kinerja.performance.models import AgreementIndicator, AgreementProgram
from tests.reconciliation import oracle
from tests.reconciliation.cases import OFFICES, PK_YEARS
from tests.reconciliation.read import flat, goal_text, has_words, money, tables

pytestmark = pytest.mark.django_db
CASES = [(code, year) for code in OFFICES for year in PK_YEARS]


def expected_rows(agency: Agency, year: int) -> tuple[list[list[str]], list[list[str]]]:
    pk = oracle.agreement(agency, year)
    assert pk is not None and pk.status == "signed"
    indicators = [
        [
            str(n),
            row.indicator.objective.statement,
            row.indicator.name,
            f"{goal_text(oracle.Goal(row.value, row.upper, row.text), row.indicator.decimals)} "
            f"{row.indicator.unit_of_measure}".strip(),
        ]
        for n, row in enumerate(
            AgreementIndicator.objects.filter(agreement=pk)
            .select_related("indicator__objective")
            .order_by("indicator__objective__order", "indicator__order", "indicator__code"),
            1,
        )
    ]
    programs = [
        [str(n), row.program.name, money(row.budget), row.note]
        for n, row in enumerate(
            AgreementProgram.objects.filter(agreement=pk)
            .select_related("program")
            .order_by("program__code"),
            1,
        )
    ]
    return indicators, programs


@pytest.mark.parametrize("case", CASES, ids=[f"{c}-{y}" for c, y in CASES])
def test_pk_docx_and_pdf_rows(perf, generated, case):
    code, year = case
    indicators, programs = expected_rows(Agency.objects.get(code=code), year)
    assert indicators and programs
    document = generated[("pk", code, str(year))]
    blocks = document.docx
    assert tables(blocks, ["No", "Sasaran Strategis", "Indikator Kinerja", "Target"]) == [
        indicators
    ]
    assert tables(blocks, ["No", "Program", "Anggaran (Rp)", "Keterangan"]) == [programs]

    text = flat(document.pdf)
    for row in indicators:
        assert has_words(text, row[3]), row
    table = text[text.index("Anggaran (Rp)") :]
    amounts = re.findall(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d,])", table)
    assert amounts[: len(programs)] == [row[2] for row in programs]
