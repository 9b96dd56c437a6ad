"""Data-collection workbooks: generate, fill as a user would, import; every bad cell rejected."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from kinerja.core.models import AuditEntry
from kinerja.core.periods import Period
from kinerja.core.xlsx import InvalidFile
from kinerja.organisation.models import Unit
from kinerja.performance.models import Actual, Indicator, Spending, Submission
from kinerja.performance.services.collection import rounds, submissions, workbook_import, workbooks

pytestmark = pytest.mark.django_db

LINK = "https://contoh.go.id/bukti/k1.pdf"


@pytest.fixture(autouse=True)
def _english_messages():
    """The assertions read the English source messages, which the Indonesian catalogue (the
    default language) now translates."""
    with translation.override("en"):
        yield


def fill_good(form):
    form.set("IKU-1", "Realisasi TW III", "85,5%")
    form.set("K-1", "Realisasi TW III", "1234")
    form.set("IKU-1", "Status Data", "tetap")
    form.set("K-1", "Tautan Bukti", LINK)
    form.set_budget(2, "Realisasi TW III", "1.500.000,50")
    return form


def test_generated_form_structure(q3_round, unit_kop, form_for):
    form = form_for(q3_round, unit_kop)
    assert form.wb.sheetnames == ["Petunjuk", "Data", "Anggaran", "_meta"]
    assert form.wb["_meta"].sheet_state == "hidden"
    assert form.ws.protection.sheet
    assert "Petunjuk pengisian:" in [c.value for c in form.wb["Petunjuk"]["A"]]
    assert [form.ws.cell(row=r, column=1).value for r in (2, 3)] == ["IKU-1", "K-1"]
    assert form.headers[:5] == [
        "Kode",
        "Indikator",
        "Satuan",
        "Target Tahun",
        "Target s.d. Periode",
    ]
    assert "Realisasi TW I (lalu)" in form.headers and "Realisasi TW III" in form.headers
    value_cell = form.ws.cell(row=2, column=form.headers.index("Realisasi TW III") + 1)
    assert value_cell.protection.locked is False
    assert form.ws.cell(row=2, column=2).protection.locked is True
    validations = form.ws.data_validations.dataValidation
    assert any(v.type == "decimal" and v.formula2 == "100" for v in validations)
    assert any(v.type == "list" for v in validations)
    assert form.wb["Anggaran"].max_row >= 2


def test_import_stores_values_indonesian_typing(q3_round, unit_kop, form_for, kabid):
    form = fill_good(form_for(q3_round, unit_kop))
    submission = workbook_import.import_form(q3_round, form.bytes(), kabid)
    assert submission.version == 1 and submission.source == "upload"
    iku1 = Actual.objects.get(
        indicator__code="IKU-1", indicator__unit=unit_kop, year=2025, quarter=3
    )
    assert iku1.value == Decimal("85.5") and iku1.status == "tetap"
    k1 = Actual.objects.get(indicator__code="K-1", indicator__unit=unit_kop, year=2025, quarter=3)
    assert k1.value == Decimal(1234)
    assert k1.evidence.get().url == LINK
    spent = Spending.objects.get(submission=submission)
    assert spent.amount == Decimal("1500000.50") and spent.quarter == 3
    assert AuditEntry.objects.filter(action="performance.actual.submitted").exists()
    # the next round's form shows this quarter as an earlier actual
    q4 = rounds.open_round(q3_round.agency, Period.parse("2025-Q4"))
    reopened = load_workbook(io.BytesIO(workbooks.form_bytes(q4, unit_kop)))["Data"]
    headers = [c.value for c in reopened[1]]
    assert reopened.cell(row=2, column=headers.index("Realisasi TW III (lalu)") + 1).value == 85.5


def test_every_bad_cell_located_and_nothing_written(q3_round, unit_kop, form_for):
    form = fill_good(form_for(q3_round, unit_kop))
    form.set("IKU-1", "Realisasi TW III", "banyak")
    form.set("K-1", "Realisasi TW III", "-3")
    form.set("IKU-1", "Status Data", "kira-kira")
    form.set_budget(2, "Realisasi TW III", "satu juta")
    before = Actual.objects.count(), Spending.objects.count()
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q3_round, form.bytes())
    text = [str(i) for i in caught.value.issues]
    located = {(i.sheet, i.row, (i.column or "")[:1]) for i in caught.value.issues}
    col = workbooks.data_headers(q3_round, rounds.round_indicators(q3_round, unit_kop))
    tw3 = chr(ord("A") + col.index("Realisasi TW III"))
    assert ("Data", 2, tw3) in located and ("Data", 3, tw3) in located
    assert any(i.sheet == "Anggaran" and i.row == 2 for i in caught.value.issues)
    assert any("banyak" in t for t in text) and any("kira-kira" in t for t in text)
    assert (Actual.objects.count(), Spending.objects.count()) == before
    assert not Submission.objects.exists()


def test_percentage_above_allowed(q3_round, unit_kop, form_for):
    form = fill_good(form_for(q3_round, unit_kop))
    form.set("IKU-1", "Realisasi TW III", "120,5%")
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q3_round, form.bytes())
    (issue,) = caught.value.issues
    assert issue.row == 2 and "120.5" in issue.message and "100" in issue.message


def test_row_of_another_unit_and_tampered_structure(q3_round, unit_kop, form_for):
    form = fill_good(form_for(q3_round, unit_kop))
    form.ws.cell(row=3, column=1).value = "IKU-2"  # an indicator of Bidang UKM
    form.ws.cell(row=2, column=2).value = "Persentase koperasi hebat"  # a locked cell
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q3_round, form.bytes())
    messages = " ".join(str(i) for i in caught.value.issues)
    assert "IKU-2" in messages and "another unit" in messages
    assert "locked cell" in messages
    assert "missing: K-1" in messages

    form = fill_good(form_for(q3_round, unit_kop))
    form.ws.delete_cols(4)
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q3_round, form.bytes())
    assert any(i.row == 1 and i.sheet == "Data" for i in caught.value.issues)
    assert not Submission.objects.exists()


def test_form_of_another_round(q3_round, unit_kop, form_for):
    form = fill_good(form_for(q3_round, unit_kop))
    q4 = rounds.open_round(q3_round.agency, Period.parse("2025-Q4"))
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q4, form.bytes())
    assert "another round" in str(caught.value.issues[0])


def test_not_a_workbook(q3_round):
    with pytest.raises(InvalidFile):
        workbook_import.import_form(q3_round, io.BytesIO(b"not a spreadsheet"))


def test_formula_injection_stored_as_text_and_escaped(q3_round, unit_kop, form_for, dkukmtk):
    evil = '=HYPERLINK("http://jahat.example","klik")'
    form = fill_good(form_for(q3_round, unit_kop))
    form.set("IKU-1", "Penjelasan", evil, as_text=True)
    workbook_import.import_form(q3_round, form.bytes())
    actual = Actual.objects.get(
        indicator__code="IKU-1", indicator__unit=unit_kop, year=2025, quarter=3
    )
    assert actual.explanation == evil
    Indicator.objects.filter(pk=actual.indicator_id).update(name=evil)
    q4 = rounds.open_round(dkukmtk, Period.parse("2025-Q4"))
    ws = load_workbook(io.BytesIO(workbooks.form_bytes(q4, unit_kop)))["Data"]
    assert ws["B2"].value == evil and ws["B2"].data_type == "s"


def test_resubmission_keeps_every_version(q3_round, unit_kop, form_for):
    first = workbook_import.import_form(q3_round, fill_good(form_for(q3_round, unit_kop)).bytes())
    form = fill_good(form_for(q3_round, unit_kop))
    form.set("K-1", "Realisasi TW III", "15")
    second = workbook_import.import_form(q3_round, form.bytes())
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert [v["value"] for v in first.values["values"]] == ["85.5", "1234"]
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    actual = Actual.objects.get(
        indicator__code="K-1", indicator__unit=unit_kop, year=2025, quarter=3
    )
    assert actual.value == 15 and actual.history.count() == 2


def test_closed_window_and_logged_reopening(q3_round, unit_kop, form_for, kasubbag):
    q3_round.fill_until = dt.date(2025, 10, 10)
    q3_round.save()
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q3_round, fill_good(form_for(q3_round, unit_kop)).bytes())
    assert "closed" in str(caught.value.issues[0])
    with pytest.raises(rounds.RoundError):
        rounds.reopen(q3_round, q3_round.agency.today() + dt.timedelta(days=3), " ")
    rounds.reopen(
        q3_round, q3_round.agency.today() + dt.timedelta(days=3), "Data BPS terlambat", kasubbag
    )
    entry = AuditEntry.objects.get(action="performance.round.reopened")
    assert entry.summary == "Data BPS terlambat" and entry.actor == kasubbag
    assert (
        workbook_import.import_form(
            q3_round, fill_good(form_for(q3_round, unit_kop)).bytes()
        ).version
        == 1
    )


def test_required_evidence_blocks_submission(q3_round, unit_kop, form_for):
    form = fill_good(form_for(q3_round, unit_kop))
    form.set("K-1", "Tautan Bukti", None)
    with pytest.raises(InvalidFile) as caught:
        workbook_import.import_form(q3_round, form.bytes())
    (issue,) = caught.value.issues
    assert issue.row == 3 and "link" in issue.message


def test_decline_needs_explanation(q3_round, unit_kop):
    iku1 = Indicator.objects.get(code="IKU-1", unit=unit_kop)
    Actual.objects.create(indicator=iku1, year=2025, quarter=2, value=Decimal(66))
    low = submissions.ValueInput(iku1.pk, 3, Decimal(40))
    with pytest.raises(submissions.SubmissionRejected) as caught:
        submissions.submit(q3_round, unit_kop, [low])
    assert "explanation" in caught.value.problems[0].message
    low.explanation = "Banyak koperasi tidak menyampaikan RAT."
    assert submissions.submit(q3_round, unit_kop, [low]).version == 1


def test_round_freezes_definitions_and_drops_retired(dkukmtk, unit_kop):
    k1 = Indicator.objects.get(code="K-1", unit=unit_kop)
    k1.retired_on = dt.date(2025, 5, 31)
    k1.save()
    q1 = rounds.open_round(dkukmtk, Period.parse("2025-Q1"))
    q3 = rounds.open_round(dkukmtk, Period.parse("2025-Q3"))
    assert q1.indicators.filter(indicator=k1).exists()
    assert not q3.indicators.filter(indicator=k1).exists()
    iku1 = Indicator.objects.get(code="IKU-1", unit=unit_kop)
    iku1.name = "Nama baru"
    iku1.save()
    assert q3.indicators.get(indicator=iku1).name == "Persentase koperasi aktif"


def test_cli_round_and_forms(dkukmtk, tmp_path, capsys):
    call_command("round", "open", "--agency", "DKUKMTK-BLG", "--period", "2025-Q3")
    from kinerja.performance.models import CollectionRound

    opened = CollectionRound.objects.get(agency=dkukmtk, period="2025-Q3")
    call_command("forms", "generate", str(opened.pk), "--out", str(tmp_path))
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == len(rounds.units_of(opened)) == 4
    kop = next(f for f in files if "BID-KOP" in f.name)
    wb = load_workbook(kop)
    headers = [c.value for c in wb["Data"][1]]
    wb["Data"].cell(row=2, column=headers.index("Realisasi TW III") + 1).value = "tidak tahu"
    wb.save(kop)
    with pytest.raises(CommandError):
        call_command("forms", "import", str(opened.pk), str(kop))
    assert "tidak tahu" in capsys.readouterr().err
    wb["Data"].cell(row=2, column=headers.index("Realisasi TW III") + 1).value = "70,25"
    wb.save(kop)
    call_command("forms", "import", str(opened.pk), str(kop))
    assert Unit.objects.get(pk=Submission.objects.get().unit_id).code == "BID-KOP"


def test_decline_within_one_semester_submission(dkukmtk, unit_kop):
    s1 = rounds.open_round(dkukmtk, Period.parse("2025-S1"))
    iku1 = Indicator.objects.get(code="IKU-1", unit=unit_kop)
    items = [
        submissions.ValueInput(iku1.pk, 1, Decimal(66)),
        submissions.ValueInput(iku1.pk, 2, Decimal(30)),
    ]
    with pytest.raises(submissions.SubmissionRejected) as caught:
        submissions.submit(s1, unit_kop, items)
    assert [p.quarter for p in caught.value.problems] == [2]


def test_component_indicator_through_the_form(perf, form_for):
    from kinerja.organisation.models import Agency
    from kinerja.performance.services import achievement

    dinkes = Agency.objects.get(code="DINKES-BLG")
    kesga = Unit.objects.get(agency=dinkes, code="SEKSI-KESGA")
    opened = rounds.open_round(dinkes, Period.parse("2025-Q3"))
    form = form_for(opened, kesga)
    assert "Pembilang TW III" in form.headers and "Penyebut TW III" in form.headers
    form.set("IKU-1", "Pembilang TW III", "7")
    form.set("IKU-1", "Penyebut TW III", "1024")
    workbook_import.import_form(opened, form.bytes())
    akb = Indicator.objects.get(objective__plan__agency=dinkes, code="IKU-1")
    actual = Actual.objects.get(indicator=akb, year=2025, quarter=3)
    assert (actual.numerator, actual.denominator, actual.value) == (7, 1024, None)
    (result,) = achievement.compute(dinkes, Period.parse("2025-Q3"), [akb])
    assert result.actual.value == Decimal(7) / Decimal(1024) * 1000
    assert result.result.formula == "N1" and result.result.computed


def test_resubmission_rewrites_every_field_and_keeps_its_history(q3_round, unit_kop, kasubbag):
    """The second version updates the stored rows in bulk (on PostgreSQL one UPDATE ... FROM
    VALUES) and writes a "~" historical row per actual, with the submitting user."""
    k1 = Indicator.objects.get(code="K-1", unit=unit_kop)
    first = submissions.submit(
        q3_round,
        unit_kop,
        [
            submissions.ValueInput(
                k1.pk, 3, Decimal("12.5"), evidence_link="https://bukti.example/k1"
            )
        ],
        kasubbag,
    )
    second = submissions.submit(
        q3_round,
        unit_kop,
        [
            submissions.ValueInput(
                k1.pk, 3, None, numerator=Decimal(3), denominator=Decimal(4), status="tetap"
            )
        ],
        kasubbag,
    )
    third = submissions.submit(
        q3_round,
        unit_kop,
        [submissions.ValueInput(k1.pk, 3, Decimal("7.25"), explanation="Turun karena banjir")],
        kasubbag,
    )
    actual = Actual.objects.get(indicator=k1, year=2025, quarter=3)
    assert (actual.value, actual.numerator, actual.denominator) == (Decimal("7.25"), None, None)
    assert (actual.status, actual.explanation) == ("sementara", "Turun karena banjir")
    assert actual.submission_id == third.pk
    history = list(actual.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~", "~"]
    assert [h.submission_id for h in history] == [first.pk, second.pk, third.pk]
    assert history[1].value is None and history[1].numerator == 3 and history[1].status == "tetap"
    assert history[2].value == Decimal("7.25") and history[2].explanation == "Turun karena banjir"
    assert {h.history_user_id for h in history} == {kasubbag.pk}
    assert AuditEntry.objects.filter(action="performance.actual.submitted").count() == 3


def test_new_actuals_get_the_history_row_simple_history_writes(q3_round, unit_kop, kasubbag):
    """The PostgreSQL fast path (one INSERT ... RETURNING feeding the historical INSERT) writes
    the same historical row as simple-history's bulk_create_with_history."""
    from simple_history.utils import bulk_create_with_history

    from kinerja.performance.services.collection.submissions import _insert_rows

    k1 = Indicator.objects.get(code="K-1", unit=unit_kop)
    fast = Actual(indicator=k1, year=2025, quarter=1, value=Decimal("1.5"), text="", status="tetap")
    slow = Actual(indicator=k1, year=2025, quarter=2, value=Decimal("1.5"), text="", status="tetap")
    (created,) = _insert_rows([fast], kasubbag)
    bulk_create_with_history([slow], Actual, default_user=kasubbag)
    assert created.pk == Actual.objects.get(indicator=k1, year=2025, quarter=1).pk
    skip = {"history_id", "history_date", "id", "quarter", "updated_at"}
    rows = [
        {k: v for k, v in Actual.history.filter(id=pk).values().get().items() if k not in skip}
        for pk in (created.pk, Actual.objects.get(indicator=k1, year=2025, quarter=2).pk)
    ]
    assert rows[0] == rows[1]
    assert rows[0]["history_type"] == "+" and rows[0]["history_user_id"] == kasubbag.pk
