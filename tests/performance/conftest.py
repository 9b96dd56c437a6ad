"""Performance fixtures: the demo Renstra, targets, PK, budget and actuals of the seed offices.

Loaded once per test database; ``perf`` reloads them if a transactional test flushed them.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kinerja.core.periods import Period
from kinerja.organisation.models import Agency, Unit
from kinerja.performance import demo
from kinerja.performance.models import Indicator
from kinerja.performance.services.collection import rounds, workbooks


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo.load()


@pytest.fixture
def perf(offices):
    if not Indicator.objects.filter(objective__plan__agency__code="DKUKMTK-BLG").exists():
        demo.load()
    return offices


@pytest.fixture
def dkukmtk(perf):
    return Agency.objects.get(code="DKUKMTK-BLG")


@pytest.fixture
def q3_round(dkukmtk, kasubbag):
    return rounds.open_round(dkukmtk, Period.parse("2025-Q3"), kasubbag)


@pytest.fixture
def unit_kop(dkukmtk):
    return Unit.objects.get(agency=dkukmtk, code="BID-KOP")


class Form:
    """A generated form, opened the way a user's Excel would, filled by header and code."""

    def __init__(self, data: bytes):
        self.wb = load_workbook(io.BytesIO(data))
        self.ws = self.wb[workbooks.DATA]
        self.headers = [c.value for c in self.ws[1]]

    def row_of(self, code: str) -> int:
        for row in range(2, self.ws.max_row + 1):
            if self.ws.cell(row=row, column=1).value == code:
                return row
        raise KeyError(code)

    def set(self, code: str, header: str, value, *, as_text: bool = False) -> None:
        cell = self.ws.cell(row=self.row_of(code), column=self.headers.index(header) + 1)
        cell.value = value
        if as_text:
            cell.data_type = "s"

    def set_budget(self, row: int, header: str, value) -> None:
        ws = self.wb[workbooks.BUDGET]
        headers = [c.value for c in ws[1]]
        ws.cell(row=row, column=headers.index(header) + 1).value = value

    def bytes(self) -> io.BytesIO:
        buffer = io.BytesIO()
        self.wb.save(buffer)
        buffer.seek(0)
        return buffer


@pytest.fixture
def form_for():
    def make(collection_round, unit) -> Form:
        return Form(workbooks.form_bytes(collection_round, unit))

    return make
