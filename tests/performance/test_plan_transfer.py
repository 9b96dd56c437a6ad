"""Plan import/export: round trip, located errors with nothing written, injection-safe export."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from kinerja.core.xlsx import InvalidFile
from kinerja.performance.models import Indicator, StrategicPlan, Target
from kinerja.performance.services.planning.transfer import exporting, importing

pytestmark = pytest.mark.django_db


def _export(agency) -> io.BytesIO:
    buffer = io.BytesIO()
    exporting.export_plan(StrategicPlan.objects.get(agency=agency)).save(buffer)
    buffer.seek(0)
    return buffer


def test_round_trip_changes_nothing(dkukmtk):
    before = list(
        Target.objects.filter(indicator__objective__plan__agency=dkukmtk)
        .values_list("value", flat=True)
        .order_by("pk")
    )
    summary = importing.import_plan(dkukmtk, _export(dkukmtk))
    assert summary.indicators == 11 and summary.targets == 66
    after = list(
        Target.objects.filter(indicator__objective__plan__agency=dkukmtk)
        .values_list("value", flat=True)
        .order_by("pk")
    )
    assert before == after


def test_pk_and_action_plan_round_trip(dkukmtk):
    from kinerja.performance.models import ActionPlanTarget, AgreementIndicator

    wb = load_workbook(_export(dkukmtk))
    pk_rows = list(wb["PK"].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[1]) for r in pk_rows} == {(2024, 1), (2025, 1), (2025, 2)}
    assert (
        wb["Rencana Aksi"].max_row - 1
        == ActionPlanTarget.objects.filter(action_plan__agency=dkukmtk).count()
    )
    headers = [c.value for c in wb["Rencana Aksi"][1]]
    wb["Rencana Aksi"].cell(row=2, column=headers.index("Kegiatan") + 1).value = "Bimtek RAT"
    wb["PK"].cell(row=2, column=8).value = "77,5"
    wb["Rencana Aksi"].cell(row=3, column=headers.index("Triwulan") + 1).value = 5
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with pytest.raises(InvalidFile) as caught:
        importing.import_plan(dkukmtk, buffer)
    assert [(i.sheet, i.row) for i in caught.value.issues] == [("Rencana Aksi", 3)]
    wb["Rencana Aksi"].cell(row=3, column=headers.index("Triwulan") + 1).value = 2
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    importing.import_plan(dkukmtk, buffer)
    first = pk_rows[0]
    row = AgreementIndicator.objects.get(
        agreement__agency=dkukmtk,
        agreement__year=first[0],
        agreement__version=first[1],
        indicator__code=first[6],
        indicator__objective__code=first[5],
    )
    assert row.value == 77.5
    assert (
        ActionPlanTarget.objects.filter(
            action_plan__agency=dkukmtk, activities="Bimtek RAT"
        ).count()
        == 1
    )


def test_bad_cells_located_nothing_written(dkukmtk):
    wb = load_workbook(_export(dkukmtk))
    wb["Indikator"]["E2"] = "kadang-kadang"  # polarity
    wb["Target"]["D3"] = "tinggi"  # not a number
    wb["Target"]["C4"] = 2031  # outside the plan
    wb["Indikator"]["C3"] = "Nama baru yang tidak boleh tersimpan"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with pytest.raises(InvalidFile) as caught:
        importing.import_plan(dkukmtk, buffer)
    located = {(i.sheet, i.row) for i in caught.value.issues}
    assert {("Indikator", 2), ("Target", 3), ("Target", 4)} <= located
    assert not Indicator.objects.filter(name__startswith="Nama baru").exists()


def test_injection_is_text_in_export(dkukmtk, tmp_path):
    evil = '=HYPERLINK("http://jahat.example","klik")'
    Indicator.objects.filter(objective__plan__agency=dkukmtk, code="K-1").update(definition=evil)
    path = tmp_path / "plan.xlsx"
    call_command("plan", "export", str(path), "--agency", dkukmtk.code)
    ws = load_workbook(path)["Indikator"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == evil]
    assert cells and all(c.data_type == "s" for c in cells)
    call_command("plan", "import", str(path), "--agency", dkukmtk.code)
    assert Indicator.objects.get(objective__plan__agency=dkukmtk, code="K-1").definition == evil
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError):
        call_command("plan", "import", str(bad), "--agency", dkukmtk.code)
