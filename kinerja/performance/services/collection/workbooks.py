"""The data-collection workbook of a unit (XLSX): generating the form a unit fills.

Layout: "Petunjuk" (instructions in Indonesian), "Data" (one row per indicator: locked identity,
targets and earlier quarters' actuals; unlocked input cells with data validation), "Anggaran" (the
unit's budget lines) and a hidden "_meta" sheet naming the round, the unit and a fingerprint of the
structure. Sheet protection only deters casual edits, so the importer
(:mod:`.workbook_import`) checks the structure itself.
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.formats import ROMAN_MONTHS
from kinerja.core.xlsx import write_sheet, write_value
from kinerja.organisation.models import Unit
from kinerja.performance.models import (
    Actual,
    BudgetCeiling,
    CollectionRound,
    RoundIndicator,
    Spending,
)
from kinerja.performance.services.collection import rounds

DATA, BUDGET, GUIDE, META = "Data", "Anggaran", "Petunjuk", "_meta"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
SHEET_PASSWORD = "kinerja"  # noqa: S105 - deters casual edits only; the importer checks structure
TAIL = [
    "Status Data",
    "Penjelasan",
    "Bukti Wajib",
    "Tautan Bukti",
    "Keterangan Bukti",
    "Berkas Bukti",
]
INPUTS = ("Status Data", "Penjelasan", "Tautan Bukti", "Keterangan Bukti", "Berkas Bukti")
EVIDENCE_KINDS_ID = {"file": "berkas", "link": "tautan", "text": "keterangan"}


def quarter_label(quarter: int) -> str:
    """The quarter as the workbook's headers name it: "TW I" to "TW IV"."""
    return f"TW {ROMAN_MONTHS[quarter - 1]}"


def data_headers(collection_round: CollectionRound, frozen: list[RoundIndicator]) -> list[str]:
    first = collection_round.quarters[0]
    headers = ["Kode", "Indikator", "Satuan", "Target Tahun", "Target s.d. Periode"]
    headers += [f"Realisasi {quarter_label(q)} (lalu)" for q in range(1, first)]
    components = any(ri.has_components for ri in frozen)
    for q in collection_round.quarters:
        headers.append(f"Realisasi {quarter_label(q)}")
        if components:
            headers += [f"Pembilang {quarter_label(q)}", f"Penyebut {quarter_label(q)}"]
    return [*headers, *TAIL]


def budget_headers(collection_round: CollectionRound) -> list[str]:
    return ["Kode", "Sub Kegiatan", "Pagu", "Realisasi s.d. sebelumnya"] + [
        f"Realisasi {quarter_label(q)}" for q in collection_round.quarters
    ]


def fingerprint(collection_round: CollectionRound, unit: Unit) -> str:
    frozen = rounds.round_indicators(collection_round, unit)
    subs = [s.code for s in rounds.sub_activities_of(unit)]
    return fingerprint_of(collection_round, unit, frozen, subs)


def fingerprint_of(
    collection_round: CollectionRound, unit: Unit, frozen: list[RoundIndicator], subs: list[str]
) -> str:
    """The fingerprint of the form's structure from the unit's frozen indicators and the codes of
    its budget lines, already read: the round, the unit, the Data headers and the row codes."""
    text = "|".join(
        [str(collection_round.pk), unit.code, *data_headers(collection_round, frozen)]
        + [ri.code for ri in frozen]
        + subs
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _target_text(value: Decimal | None, upper: Decimal | None, text: str) -> str | Decimal | None:
    if text:
        return text
    if value is not None and upper is not None:
        return f"{value.normalize():f} - {upper.normalize():f}"
    return value


def generate_form(collection_round: CollectionRound, unit: Unit) -> Workbook:
    """The unit's workbook for the round: the guide, the Data and Anggaran sheets to fill and the
    hidden ``_meta`` sheet; the Data sheet is the one shown first."""
    frozen = rounds.round_indicators(collection_round, unit)
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    _write_guide(guide, collection_round, unit)
    _write_data_sheet(wb.create_sheet(DATA), collection_round, frozen)
    _write_budget_sheet(wb.create_sheet(BUDGET), collection_round, unit)
    _write_meta_sheet(wb.create_sheet(META), collection_round, unit)
    wb.active = 1
    return wb


def _data_rows(
    collection_round: CollectionRound, frozen: list[RoundIndicator], headers: list[str]
) -> list[list[Any]]:
    """One row per indicator: its locked identity and targets, the actuals of the year's earlier
    quarters, the evidence it requires, and empty input cells."""
    first = collection_round.quarters[0]
    earlier = {
        (a.indicator_id, a.quarter): a
        for a in Actual.objects.filter(
            indicator_id__in=[ri.indicator_id for ri in frozen], year=collection_round.year
        )
    }
    rows = []
    for ri in frozen:
        row: list[Any] = [
            ri.code,
            ri.name,
            ri.unit_of_measure,
            _target_text(ri.year_target, ri.year_target_upper, ri.target_text),
            _target_text(ri.period_target, ri.period_target_upper, ri.target_text),
        ]
        for q in range(1, first):
            a = earlier.get((ri.indicator_id, q))
            row.append(None if a is None else (a.text or a.value))
        row += [None] * (len(headers) - len(row))
        row[headers.index("Bukti Wajib")] = ", ".join(
            EVIDENCE_KINDS_ID.get(k, k) for k in ri.required_evidence
        )
        rows.append(row)
    return rows


def _write_data_sheet(
    ws: Worksheet, collection_round: CollectionRound, frozen: list[RoundIndicator]
) -> None:
    """The Data sheet: the indicators' rows, Excel's checks on every input cell, the input cells
    unlocked and the rest protected."""
    headers = data_headers(collection_round, frozen)
    write_sheet(ws, headers, _data_rows(collection_round, frozen, headers))
    ws.column_dimensions["B"].width = 60
    number_check = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Isian tidak valid",
        error="Isi dengan angka (boleh 1.234,56 atau 85,5%).",
    )
    status_check = DataValidation(
        type="list", formula1='"sementara,proyeksi,tetap"', allow_blank=True, showErrorMessage=True
    )
    ws.add_data_validation(number_check)
    ws.add_data_validation(status_check)
    for index, ri in enumerate(frozen, start=2):
        for q in collection_round.quarters:
            _quarter_inputs(ws, headers, index, ri, q, number_check)
        status_cell = ws.cell(row=index, column=headers.index("Status Data") + 1)
        write_value(status_cell, "sementara")
        status_check.add(status_cell)
        for name in INPUTS:
            cell = ws.cell(row=index, column=headers.index(name) + 1)
            _unlock(cell)
            if name != "Status Data":
                cell.number_format = "@"
    _evidence_checks(ws, headers, len(frozen))
    _protect(ws)


def _quarter_inputs(
    ws: Worksheet,
    headers: list[str],
    index: int,
    ri: RoundIndicator,
    quarter: int,
    number_check: DataValidation,
) -> None:
    """Unlock the input cells of one indicator and quarter (the actual, and its numerator and
    denominator for an indicator with components) and give each its check."""
    cell = ws.cell(row=index, column=headers.index(f"Realisasi {quarter_label(quarter)}") + 1)
    own_check = _actual_check(ri)
    if own_check is not None:
        ws.add_data_validation(own_check)
        own_check.add(cell)
    elif not ri.has_components:
        number_check.add(cell)
    inputs = [cell]
    if ri.has_components:
        for label in ("Pembilang", "Penyebut"):
            part = ws.cell(row=index, column=headers.index(f"{label} {quarter_label(quarter)}") + 1)
            number_check.add(part)
            inputs.append(part)
    for c in inputs:
        _unlock(c)


def _actual_check(ri: RoundIndicator) -> DataValidation | None:
    """Excel's check of one actual cell when the indicator needs its own: a list of its choices,
    or the range its largest value and its sign allow; None where the common number check does."""
    if ri.choices:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(ri.choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
        )
    if ri.max_value is None and not ri.allows_negative:
        return None
    low = "-99999999999999" if ri.allows_negative else "0"
    high = "99999999999999" if ri.max_value is None else f"{ri.max_value.normalize():f}"
    if ri.max_value is None:
        error = "Isi dengan angka (boleh negatif, mis. -1,5)."
    elif ri.allows_negative:
        error = f"Isi angka paling besar {high} (boleh negatif)."
    else:
        error = f"Isi angka 0 sampai {high}."
    return DataValidation(
        type="decimal",
        operator="between",
        formula1=low,
        formula2=high,
        allow_blank=True,
        showErrorMessage=True,
        error=error,
    )


def _write_budget_sheet(ws: Worksheet, collection_round: CollectionRound, unit: Unit) -> None:
    """The Anggaran sheet: the unit's sub-activities with their pagu and what was spent before the
    round's quarters, and one unlocked amount cell per quarter of the round."""
    year, first = collection_round.year, collection_round.quarters[0]
    subs = rounds.sub_activities_of(unit)
    ceilings = dict(
        BudgetCeiling.objects.filter(sub_activity__in=subs, year=year).values_list(
            "sub_activity_id", "amount"
        )
    )
    spent = dict(
        Spending.objects.filter(sub_activity__in=subs, year=year, quarter__lt=first)
        .values("sub_activity_id")
        .annotate(total=Sum("amount"))
        .values_list("sub_activity_id", "total")
    )
    bheaders = budget_headers(collection_round)
    write_sheet(
        ws,
        bheaders,
        [
            [s.code, s.name, ceilings.get(s.pk), spent.get(s.pk, Decimal(0))]
            + [None] * len(collection_round.quarters)
            for s in subs
        ],
    )
    ws.column_dimensions["B"].width = 60
    money_check = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    ws.add_data_validation(money_check)
    for index in range(2, len(subs) + 2):
        for column in range(5, len(bheaders) + 1):
            cell = ws.cell(row=index, column=column)
            _unlock(cell)
            money_check.add(cell)
    _protect(ws)


def _write_meta_sheet(ws: Worksheet, collection_round: CollectionRound, unit: Unit) -> None:
    """The hidden ``_meta`` sheet: the round, the unit, the period and the structure's
    fingerprint, which the importer checks before it reads a figure."""
    for index, (key, value) in enumerate(
        [
            ("round", collection_round.pk),
            ("unit", unit.code),
            ("period", collection_round.period),
            ("structure", fingerprint(collection_round, unit)),
        ],
        start=1,
    ):
        write_value(ws.cell(row=index, column=1), key)
        write_value(ws.cell(row=index, column=2), value)
    ws.sheet_state = "hidden"
    _protect(ws)


def _evidence_checks(ws: Worksheet, headers: list[str], rows: int) -> None:
    """Excel's own checks on the evidence columns (the importer checks the same again)."""
    if not rows:
        return

    def column(name: str) -> str:
        return str(get_column_letter(headers.index(name) + 1))

    link = column("Tautan Bukti")
    link_check = DataValidation(
        type="custom",
        formula1=f'OR(LEFT({link}2,7)="http://",LEFT({link}2,8)="https://")',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Tautan tidak valid",
        error="Tautan bukti diawali http:// atau https://.",
    )
    note_check = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1="4000",
        allow_blank=True,
        showErrorMessage=True,
        error="Keterangan bukti paling banyak 4000 karakter.",
    )
    files_check = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1="500",
        allow_blank=True,
        showInputMessage=True,
        promptTitle="Berkas bukti",
        prompt="Nama berkas bukti yang diunggah bersama formulir; pisahkan dengan titik koma (;).",
        showErrorMessage=True,
        error="Paling banyak 500 karakter.",
    )
    for check, name in ((link_check, "Tautan Bukti"), (note_check, "Keterangan Bukti")):
        ws.add_data_validation(check)
        check.add(f"{column(name)}2:{column(name)}{rows + 1}")
    ws.add_data_validation(files_check)
    files_check.add(f"{column('Berkas Bukti')}2:{column('Berkas Bukti')}{rows + 1}")


def _unlock(cell: Cell) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = INPUT_FILL


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.password = SHEET_PASSWORD


def _write_guide(ws: Worksheet, collection_round: CollectionRound, unit: Unit) -> None:
    period = collection_round.period_obj
    lines = [
        f"FORMULIR PENGUMPULAN DATA KINERJA {period.label().upper()}",
        collection_round.agency.name,
        f"Unit kerja: {unit.name} ({unit.code})",
        f"Batas pengisian: {collection_round.fill_until:%d-%m-%Y}",
        "",
        "Petunjuk pengisian:",
        "1. Isi hanya sel berwarna kuning pada lembar 'Data' dan 'Anggaran'. Sel lain dikunci.",
        "2. Realisasi diisi per triwulan (nilai triwulan itu saja, bukan kumulatif). Realisasi "
        "s.d. triwulan dihitung oleh aplikasi dari tipe perhitungan indikator.",
        "3. Angka boleh ditulis cara Indonesia: 1.234,56 atau 85,5%.",
        "4. Persentase tidak boleh melebihi batas yang ditetapkan untuk indikator.",
        "5. Status Data: sementara, proyeksi, atau tetap.",
        "6. Bila capaian lebih rendah dari triwulan sebelumnya, isi kolom Penjelasan.",
        "7. Kolom Bukti Wajib menyebut bukti dukung yang diwajibkan. Isi Tautan Bukti "
        "(diawali http:// atau https://) atau Keterangan Bukti; untuk berkas, tulis nama "
        "berkasnya di kolom Berkas Bukti (beberapa berkas dipisahkan titik koma) lalu unggah "
        "berkas itu bersama formulir ini, atau unggah satu berkas ZIP berisi formulir dan "
        "berkas-berkas bukti. Berkas: PDF, PNG, JPG, XLSX, atau DOCX.",
        "8. Jangan menambah, menghapus, atau memindahkan baris, kolom, dan lembar. Formulir yang "
        "strukturnya diubah akan ditolak seluruhnya.",
        "9. Lembar 'Anggaran': isi realisasi anggaran (Rp) per triwulan untuk setiap sub kegiatan.",
        "10. Unggah kembali formulir ini melalui halaman putaran atau serahkan kepada Subbagian "
        "Perencanaan. Anda dapat mengirim ulang sampai batas pengisian.",
    ]
    for index, line in enumerate(lines, start=1):
        cell = ws.cell(row=index, column=1)
        write_value(cell, line)
        cell.alignment = Alignment(wrap_text=False)
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 120
    _protect(ws)


def form_filename(collection_round: CollectionRound, unit: Unit) -> str:
    return f"formulir-{collection_round.agency.code}-{collection_round.period}-{unit.code}.xlsx"


def generate_all(collection_round: CollectionRound, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for unit in rounds.units_of(collection_round):
        path = out / form_filename(collection_round, unit)
        generate_form(collection_round, unit).save(path)
        paths.append(path)
    return paths


def form_bytes(collection_round: CollectionRound, unit: Unit) -> bytes:
    buffer = io.BytesIO()
    generate_form(collection_round, unit).save(buffer)
    return buffer.getvalue()
