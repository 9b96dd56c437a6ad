"""Imports read and check their whole file outside any transaction and write it inside one short
transaction: a few bulk statements a model, not a few a row (on SQLite a writer locks the whole
database; a long import made a login wait 22 s and fail)."""

from __future__ import annotations

import contextlib
import io

import pytest
from django.db import connection
from openpyxl import load_workbook

from kinerja.core.models import AuditEntry
from kinerja.core.periods import Period
from kinerja.core.xlsx import InvalidFile
from kinerja.organisation.models import Agency, Position, Unit
from kinerja.organisation.services.structure import export_structure, import_structure
from kinerja.performance.models import Indicator, StrategicPlan, Submission, Target
from kinerja.performance.services.collection import rounds, workbook_import, workbooks
from kinerja.performance.services.planning.transfer import exporting, importing

pytestmark = pytest.mark.django_db
CODE = "DKUKMTK-BLG"


@contextlib.contextmanager
def statements():
    """Every SQL statement run, with whether it ran inside a transaction the code opened (the
    test's own transaction around it does not count)."""
    base = len(connection.atomic_blocks)
    seen: list[tuple[bool, str]] = []

    def record(execute, sql, params, many, context):
        seen.append((len(connection.atomic_blocks) > base, sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def inside(seen) -> list[str]:
    return [sql for within, sql in seen if within]


def _structure_with(units: int, prefix: str) -> io.BytesIO:
    buffer = io.BytesIO()
    export_structure(Agency.objects.get(code=CODE)).save(buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    for n in range(units):
        wb["Unit"].append([f"{prefix}-{n}", f"Unit uji {n}", "seksi", "BID-KOP", n])
        wb["Jabatan"].append(
            [f"J-{prefix}-{n}", f"Jabatan uji {n}", f"{prefix}-{n}", "struktural", "Ya"]
        )
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_structure_import_writes_in_a_number_of_statements_that_does_not_grow(perf):
    agency = Agency.objects.get(code=CODE)
    with statements() as small:
        import_structure(agency, _structure_with(3, "KECIL"))
    with statements() as large:
        import_structure(agency, _structure_with(300, "UJI"))
    assert Unit.objects.filter(agency=agency, code__startswith="UJI-").count() == 300
    assert Position.objects.get(agency=agency, code="J-UJI-299").unit.code == "UJI-299"
    assert Unit.objects.get(agency=agency, code="UJI-7").parent.code == "BID-KOP"
    assert Unit.history.filter(code="UJI-299").exists()  # each new row has its history
    # a few statements a model (SQLite splits a bulk statement every 999 parameters), not a few a
    # row: 600 rows were written
    assert len(inside(small)) < 30 and len(inside(large)) < 50, inside(large)
    # the file was read and checked before the transaction began
    assert len(small) > len(inside(small))


def test_an_unchanged_structure_writes_only_its_audit_entry(perf):
    agency = Agency.objects.get(code=CODE)
    buffer = io.BytesIO()
    export_structure(agency).save(buffer)
    histories = Unit.history.count() + Position.history.count()
    import_structure(agency, io.BytesIO(buffer.getvalue()))
    assert Unit.history.count() + Position.history.count() == histories


def _plan_with(indicators: int) -> io.BytesIO:
    plan = StrategicPlan.objects.filter(agency__code=CODE).first()
    buffer = io.BytesIO()
    exporting.export_plan(plan).save(buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = wb["Indikator"]
    model = [c.value for c in sheet[2]]
    for n in range(indicators):
        sheet.append([model[0], f"UJI-{n}", f"Indikator uji {n}", *model[3:]])
        for year in range(plan.start_year, plan.end_year + 1):
            wb["Target"].append([model[0], f"UJI-{n}", year, 10 + n])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_plan_import_writes_in_a_number_of_statements_that_does_not_grow(perf):
    agency = Agency.objects.get(code=CODE)
    with statements() as small:
        importing.import_plan(agency, _plan_with(2))
    with statements() as large:
        importing.import_plan(agency, _plan_with(120))
    assert Indicator.objects.filter(code="UJI-119", objective__plan__agency=agency).exists()
    assert Target.objects.filter(indicator__code="UJI-119").count() == (
        StrategicPlan.objects.filter(agency=agency).first().end_year
        - StrategicPlan.objects.filter(agency=agency).first().start_year
        + 1
    )
    assert len(inside(small)) < 60 and len(inside(large)) < 80, len(inside(large))


def test_a_refused_form_never_takes_the_write_lock(perf, kasubbag):
    """A form whose figures the round refuses is refused before the submission's transaction."""
    agency = Agency.objects.get(code=CODE)
    unit = Unit.objects.get(agency=agency, code="BID-KOP")
    found = rounds.open_round(agency, Period.parse("2025-Q3"), kasubbag)
    data = workbooks.form_bytes(found, unit)  # nothing filled in: "No figures were given."
    before = (Submission.objects.count(), AuditEntry.objects.count())
    with statements() as seen, pytest.raises(InvalidFile):
        workbook_import.import_form(found, io.BytesIO(data))
    assert inside(seen) == []
    assert (Submission.objects.count(), AuditEntry.objects.count()) == before
