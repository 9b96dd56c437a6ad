"""The figures of the pages (achievement, analysis, budget) and of the API against ``oracle``."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest
from django.test import Client

from kinerja.api.models import ApiToken
from kinerja.organisation.models import Agency
from tests.officials import ADPIM, DINKES, DKUKMTK, KTT
from tests.reconciliation import oracle
from tests.reconciliation.cases import OFFICES
from tests.reconciliation.read import id_number, money

pytestmark = pytest.mark.django_db

HEADS = {  # the head of each office reads and plans its own performance data
    "DKUKMTK-BLG": DKUKMTK.kepala,
    "DINKES-BLG": DINKES.kepala,
    "KTT_BLG": KTT.kepala,
    "ADPIM-KALBAR": ADPIM.kepala,
}
PAGE_PERIODS = ("2023", "2024", "2024-Q2")
BUDGET_YEARS = (2023, 2024, 2025)


def page(client: Client, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def text(node) -> str:
    return " ".join(node.text_content().split())


def find(tree, testid: str, figure: str = "", tag: str = "*") -> list:
    """Elements by ``data-testid`` (a trailing ``*`` matches a prefix), then ``data-figure``."""
    if testid.endswith("*"):
        path = f'//*[starts-with(@data-testid, "{testid[:-1]}")]'
    else:
        path = f'//*[@data-testid="{testid}"]'
    if figure:
        path += f'//*[@data-figure="{figure}"]'
    return tree.xpath(path + ("" if tag == "*" else f"//{tag}"))


def one(tree, testid: str, figure: str = "") -> str:
    (found,) = find(tree, testid, figure)
    return text(found)


def angka(value: Decimal | None, decimals: int = 2) -> str:
    """A figure as the pages print it (``|angka``), "–" when there is none."""
    return "–" if value is None else id_number(value, decimals)


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{id_number(value, 2)}%"


def shown_target(goal: oracle.Goal) -> str:
    if goal.text:
        return goal.text
    if goal.upper is not None:
        return f"{angka(goal.value)}–{angka(goal.upper)}"
    return angka(goal.value)


def shown_actual(row: oracle.Row) -> str:
    return row.actual_text or angka(row.actual)


def parse(period: str) -> tuple[int, int]:
    return int(period[:4]), int(period[-1]) if "Q" in period else 4


CASES = [(code, period) for code in OFFICES for period in PAGE_PERIODS]


@pytest.mark.parametrize("case", CASES, ids=[f"{c}-{p}" for c, p in CASES])
def test_achievement_page(perf, client_for, case):
    code, period = case
    agency = Agency.objects.get(code=code)
    year, quarter = parse(period)
    rows = oracle.rows(agency, year, quarter)
    tree = page(client_for(HEADS[code]), f"/kinerja/{code}/capaian/{period}/")

    (summary,) = find(tree, "summary")
    counts = oracle.counts(agency, [r.category for r in rows])
    tags = summary.xpath('.//*[@class="tag"]')
    assert [text(t) for t in tags] == [f"{c}: {n}" for c, n in counts.items()]
    average = oracle.average(agency, [r.capaian for r in rows])
    assert one(tree, "average") == angka(average)
    budget = oracle.budget_total(agency, year, quarter)
    assert one(tree, "budget", "ceiling") == money(budget.ceiling)
    assert one(tree, "budget", "spent") == money(budget.spent)
    assert one(tree, "budget", "absorption") == percent(budget.absorption)

    assert len(find(tree, "row-*")) == len(rows)
    for r in rows:
        assert len(find(tree, f"row-{r.indicator.code}")) == 1
        cells = find(tree, f"row-{r.indicator.code}", tag="td")
        figures = [text(c) for c in cells[2:7]]
        capaian = angka(r.capaian) if r.capaian is not None else figures[2]
        assert figures == [
            shown_target(r.target),
            shown_actual(r),
            capaian,
            angka(r.year_capaian),
            oracle.label(agency, r.category) if r.category else "",
        ], r.indicator.code


ANALYSIS_CASES = [(code, year) for code in OFFICES for year in (2023, 2024)]


@pytest.mark.parametrize("case", ANALYSIS_CASES, ids=[f"{c}-{y}" for c, y in ANALYSIS_CASES])
def test_analysis_page(perf, client_for, case):
    code, year = case
    agency = Agency.objects.get(code=code)
    rows = oracle.rows(agency, year)
    tree = page(client_for(HEADS[code]), f"/kinerja/{code}/analisis/{year}/")
    for objective in oracle.objectives_of(agency, rows):
        mine = [r for r in rows if r.indicator.objective_id == objective.pk]
        average = oracle.average(agency, [r.capaian for r in mine])
        found = oracle.objective_budget(objective, year)
        absorption = found.absorption if found else None
        summary = f"summary-{objective.code}"
        assert one(tree, summary, "average") == angka(average)
        assert one(tree, summary, "ceiling") == angka(found.ceiling if found else None, 0)
        assert one(tree, summary, "spent") == angka(found.spent if found else None, 0)
        assert one(tree, summary, "absorption") == percent(absorption)
        assert one(tree, summary, "efficiency") == angka(oracle.efficiency(average, absorption))
        for r in mine:
            assert one(tree, f"end-{r.indicator.code}") == shown_target(r.end)
            progress = one(tree, f"progress-{r.indicator.code}", "progress")
            assert progress == angka(r.progress), r.indicator.code


BUDGET_CASES = [(code, year) for code in OFFICES for year in BUDGET_YEARS]


@pytest.mark.parametrize("case", BUDGET_CASES, ids=[f"{c}-{y}" for c, y in BUDGET_CASES])
def test_budget_page(perf, client_for, case):
    code, year = case
    agency = Agency.objects.get(code=code)
    tree = page(client_for(HEADS[code]), f"/kinerja/{code}/anggaran/{year}/")
    programs = oracle.programs_with_budget(agency, year)
    assert programs
    shown = find(tree, "program-*")
    assert [row.get("data-testid") for row in shown] == [f"program-{p.code}" for p in programs]
    for program in programs:
        m = oracle.program_budget(program, year)
        cells = [text(c) for c in find(tree, f"program-{program.code}", tag="td")]
        assert cells[1:] == [money(m.ceiling), money(m.spent), percent(m.absorption)]
    total = oracle.budget_total(agency, year)
    cells = [text(c) for c in find(tree, "budget-total", tag="th")]
    assert cells[1:] == [money(total.ceiling), money(total.spent), percent(total.absorption)]


API_CASES = [(code, period) for code in OFFICES for period in ("2024", "2024-Q2")]


@pytest.mark.parametrize("case", API_CASES, ids=[f"{c}-{p}" for c, p in API_CASES])
def test_api_achievement(perf, official, case):
    code, period = case
    agency = Agency.objects.get(code=code)
    year, quarter = parse(period)
    rows = oracle.rows(agency, year, quarter)
    raw = ApiToken.issue(official(HEADS[code]), "reconciliation")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get(f"/api/v1/agencies/{code}/achievement/", {"period": period})
    assert response.status_code == 200
    data = response.json()

    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    by_code = {i["code"]: i for i in data["indicators"]}
    assert len(by_code) == len(rows) == len(data["indicators"])
    for r in rows:
        got = by_code[r.indicator.code]
        assert dec(got["actual"]) == r.actual, r.indicator.code
        assert dec(got["target"]) == r.target.value
        assert dec(got["value"]) == r.capaian
        assert dec(got["year_value"]) == r.year_capaian
        assert got["category"] == r.category
        assert dec(got["end_target"]) == r.end.value
        assert dec(got["progress"]) == r.progress, r.indicator.code
    assert data["summary"]["counts"] == oracle.counts(agency, [r.category for r in rows])
    assert dec(data["summary"]["average"]) == oracle.average(agency, [r.capaian for r in rows])
    budget = oracle.budget_total(agency, year, quarter)
    got = data["budget"]
    assert (dec(got["ceiling"]), dec(got["spent"]), dec(got["absorption"])) == (
        budget.ceiling,
        budget.spent,
        budget.absorption,
    )
    programs = oracle.programs_with_budget(agency, year, quarter)
    assert [p["code"] for p in got["programs"]] == [p.code for p in programs]
    for shown, program in zip(got["programs"], programs, strict=True):
        m = oracle.program_budget(program, year, quarter)
        assert (dec(shown["ceiling"]), dec(shown["spent"])) == (m.ceiling, m.spent)
