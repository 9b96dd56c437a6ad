"""The data-collection workbook of a unit (XLSX) and its import: all or nothing, bad cells located.

Layout: "Petunjuk" (instructions in Indonesian), "Data" (one row per indicator: locked identity,
targets and earlier quarters' actuals; unlocked input cells with data validation), "Anggaran" (the
unit's budget lines) and a hidden "_meta" sheet naming the round, the unit and a fingerprint of the
structure. Sheet protection only deters casual edits, so the importer checks the structure itself.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.archives import ArchiveRefused, check_archive
from kinerja.core.formats import ROMAN_MONTHS
from kinerja.core.uploads import validate_upload
from kinerja.core.xlsx import (
    InvalidFile,
    Issue,
    Row,
    SheetReader,
    write_sheet,
    write_value,
)
from kinerja.organisation.models import Unit
from kinerja.performance.models import (
    Actual,
    BudgetCeiling,
    CollectionRound,
    RoundIndicator,
    Spending,
    SubActivity,
    Submission,
)
from kinerja.performance.services.collection import rounds, submissions
from kinerja.performance.services.collection.submissions import (
    EVIDENCE_TYPES,
    SpendingInput,
    ValueInput,
)
from kinerja.performance.services.collection.workbook_values import ValuesWorkbook, open_values

DATA, BUDGET, GUIDE, META = "Data", "Anggaran", "Petunjuk", "_meta"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
STATUS_CHOICES = {"sementara": "sementara", "proyeksi": "proyeksi", "tetap": "tetap"}
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
FILE_SEPARATORS = (";", "\n")


def _tw(quarter: int) -> str:
    return f"TW {ROMAN_MONTHS[quarter - 1]}"


def data_headers(collection_round: CollectionRound, frozen: list[RoundIndicator]) -> list[str]:
    first = collection_round.quarters[0]
    headers = ["Kode", "Indikator", "Satuan", "Target Tahun", "Target s.d. Periode"]
    headers += [f"Realisasi {_tw(q)} (lalu)" for q in range(1, first)]
    components = any(ri.has_components for ri in frozen)
    for q in collection_round.quarters:
        headers.append(f"Realisasi {_tw(q)}")
        if components:
            headers += [f"Pembilang {_tw(q)}", f"Penyebut {_tw(q)}"]
    return [*headers, *TAIL]


def budget_headers(collection_round: CollectionRound) -> list[str]:
    return ["Kode", "Sub Kegiatan", "Pagu", "Realisasi s.d. sebelumnya"] + [
        f"Realisasi {_tw(q)}" for q in collection_round.quarters
    ]


def fingerprint(collection_round: CollectionRound, unit: Unit) -> str:
    frozen = rounds.round_indicators(collection_round, unit)
    subs = [s.code for s in rounds.sub_activities_of(unit)]
    return _fingerprint(collection_round, unit, frozen, subs)


def _fingerprint(
    collection_round: CollectionRound, unit: Unit, frozen: list[RoundIndicator], subs: list[str]
) -> str:
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
    cell = ws.cell(row=index, column=headers.index(f"Realisasi {_tw(quarter)}") + 1)
    own_check = _actual_check(ri)
    if own_check is not None:
        ws.add_data_validation(own_check)
        own_check.add(cell)
    elif not ri.has_components:
        number_check.add(cell)
    inputs = [cell]
    if ri.has_components:
        for label in ("Pembilang", "Penyebut"):
            part = ws.cell(row=index, column=headers.index(f"{label} {_tw(quarter)}") + 1)
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


# --- import ---------------------------------------------------------------------------------


def _meta(wb: ValuesWorkbook, issues: list[Issue]) -> dict[str, str]:
    if META not in wb.sheetnames:
        issues.append(Issue(META, None, None, _("This is not a Kinerja data-collection form.")))
        return {}
    ws = wb[META]
    return {
        str(k): "" if v is None else str(v)
        for k, v in ws.iter_rows(min_row=1, max_row=10, max_col=2, values_only=True)
        if k
    }


def read_form(
    collection_round: CollectionRound,
    source: str | IO[bytes],
    evidence_files: Mapping[str, UploadedFile] | None = None,
) -> tuple[Unit, list[ValueInput], list[SpendingInput]]:
    """Read and check a filled form; raise InvalidFile with every located issue.

    ``evidence_files`` are the files uploaded with the form, by name: the column Berkas Bukti
    names them. A named file that is missing, or of a type or size not accepted, is an issue of
    its cell; a file that no row names is an issue too."""
    wb = open_values(source)  # the values only, streamed: a form is read once, top to bottom
    try:
        return _read(collection_round, wb, dict(evidence_files or {}))
    finally:
        wb.close()


def _evidence_files(
    row: Row, files: dict[str, UploadedFile], checked: dict[str, str | None]
) -> list[UploadedFile]:
    """The uploaded files the row's Berkas Bukti cell names; an issue of the cell for each name
    that was not uploaded or is not an accepted evidence file. ``checked`` remembers each
    file's verdict (None when good), so a file named by several rows is checked once."""
    cell = row.text("Berkas Bukti", max_length=500)
    for separator in FILE_SEPARATORS[1:]:
        cell = cell.replace(separator, FILE_SEPARATORS[0])
    found = []
    for name in (n.strip() for n in cell.split(FILE_SEPARATORS[0])):
        if not name:
            continue
        upload = files.get(name)
        if upload is None:
            row.issue(
                "Berkas Bukti",
                _("The evidence file '%(name)s' was not uploaded with the form.") % {"name": name},
            )
            continue
        if name not in checked:
            try:
                validate_upload(upload, EVIDENCE_TYPES)
            except ValidationError as exc:
                checked[name] = " ".join(exc.messages)
            else:
                checked[name] = None
        if checked[name] is not None:
            row.issue("Berkas Bukti", f"{name}: {checked[name]}")
            continue
        found.append(upload)
    return found


def _read(
    collection_round: CollectionRound, wb: ValuesWorkbook, files: dict[str, UploadedFile]
) -> tuple[Unit, list[ValueInput], list[SpendingInput]]:
    """The unit, figures and spending of an opened workbook; raise InvalidFile with every located
    issue, in the order of the sheets and their rows."""
    unit, frozen, subs, issues = _identify(collection_round, wb)
    data = _DataSheet(collection_round, frozen, files, issues)
    data.read(SheetReader(wb, DATA, data_headers(collection_round, frozen), issues, preload=True))
    data.place_strangers(unit)
    data.check_rows_kept()
    data.check_files_named()
    spending = _read_budget(wb, collection_round, subs, issues)
    if issues:
        raise InvalidFile(issues)
    return unit, data.values, spending


def _identify(
    collection_round: CollectionRound, wb: ValuesWorkbook
) -> tuple[Unit, list[RoundIndicator], list[SubActivity], list[Issue]]:
    """The unit the ``_meta`` sheet names, its frozen indicators and budget lines, and the issues
    found so far. Raise InvalidFile when the workbook is not a form of this round for one of its
    units; a structure that changed since the form was made is an issue, not the end."""
    issues: list[Issue] = []
    meta = _meta(wb, issues)
    if issues:
        raise InvalidFile(issues)
    if (
        meta.get("round") != str(collection_round.pk)
        or meta.get("period") != collection_round.period
    ):
        raise InvalidFile(
            [
                Issue(
                    META,
                    None,
                    None,
                    _("This form belongs to another round (%(period)s), not to %(round)s.")
                    % {"period": meta.get("period", "?"), "round": collection_round.period},
                )
            ]
        )
    unit = Unit.objects.filter(
        agency_id=collection_round.agency_id, code=meta.get("unit", "")
    ).first()
    if unit is None or not rounds.round_indicators(collection_round, unit):
        raise InvalidFile(
            [Issue(META, None, None, _("The unit of this form is not part of the round."))]
        )
    frozen = rounds.round_indicators(collection_round, unit)
    # the unit's budget lines, read once: for the fingerprint and for the budget sheet
    subs = list(SubActivity.objects.filter(unit=unit))
    if meta.get("structure") != _fingerprint(
        collection_round, unit, frozen, [s.code for s in subs]
    ):
        issues.append(
            Issue(
                META, None, None, _("The form was made for another structure; download it again.")
            )
        )
    return unit, frozen, subs, issues


@dataclass
class _DataSheet:
    """The reading of the Data sheet: one ValueInput per indicator row and quarter, and an issue
    at its cell for everything wrong."""

    collection_round: CollectionRound
    frozen: list[RoundIndicator]
    files: dict[str, UploadedFile]
    issues: list[Issue]
    values: list[ValueInput] = field(default_factory=list)
    # the codes of the unit's rows, in the order of the sheet
    seen: list[str] = field(default_factory=list)
    # rows whose code is not this unit's, told apart (another unit's or unknown) in one query,
    # with the number of issues before them
    strangers: list[tuple[Row, str, int]] = field(default_factory=list)
    # each uploaded file's verdict (None when good), so a file named by several rows is checked once
    checked: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {ri.code: ri for ri in self.frozen}
        self.components = any(ri.has_components for ri in self.frozen)
        self.reader: SheetReader | None = None

    def read(self, reader: SheetReader) -> None:
        self.reader = reader
        for row in reader.rows():
            code = row.text("Kode")
            ri = self.by_code.get(code)
            if ri is None:
                self.strangers.append((row, code, len(self.issues)))
                continue
            self.seen.append(code)
            self._read_row(row, ri)

    def _read_row(self, row: Row, ri: RoundIndicator) -> None:
        """The figures of one indicator's row, a ValueInput per quarter of the round."""
        if row.text("Indikator", max_length=500) != ri.name:
            row.issue("Indikator", _("A locked cell was changed."))
        status = row.choice("Status Data", STATUS_CHOICES, required=False) or "sementara"
        explanation = row.text("Penjelasan", max_length=4000)
        link = row.text("Tautan Bukti", max_length=500)
        note = row.text("Keterangan Bukti", max_length=4000)
        if link and not link.lower().startswith(("http://", "https://")):
            row.issue("Tautan Bukti", _("A link starts with http:// or https://."))
        uploads = _evidence_files(row, self.files, self.checked)
        for q in self.collection_round.quarters:
            item = ValueInput(ri.indicator_id, q, status=status, explanation=explanation)
            self._read_actual(row, ri, item)
            if self.components:
                self._read_components(row, ri, item)
            if not item.empty:
                item.evidence_link, item.evidence_text = link, note
                item.evidence_files = uploads
            self.values.append(item)

    def _read_actual(self, row: Row, ri: RoundIndicator, item: ValueInput) -> None:
        """The quarter's actual: one of the indicator's choices, or a number within its bounds."""
        header = f"Realisasi {_tw(item.quarter)}"
        if ri.choices:
            text = row.text(header)
            if text and text not in ri.choices:
                row.issue(
                    header,
                    _("'%(value)s' is not one of: %(allowed)s.")
                    % {"value": text, "allowed": ", ".join(ri.choices)},
                )
            item.text = text
            return
        item.value = row.decimal(header)
        if item.value is None:
            return
        if item.value < 0 and not ri.allows_negative:
            row.issue(header, _("A negative value is not allowed."))
        elif ri.max_value is not None and item.value > ri.max_value:
            row.issue(
                header,
                _("%(value)s is above the largest value allowed for this unit, %(max)s.")
                % {
                    "value": f"{item.value.normalize():f}",
                    "max": f"{ri.max_value.normalize():f}",
                },
            )

    def _read_components(self, row: Row, ri: RoundIndicator, item: ValueInput) -> None:
        """The quarter's numerator and denominator (columns the sheet has when any indicator has
        components); given for an indicator without components, they are an issue."""
        item.numerator = row.decimal(f"Pembilang {_tw(item.quarter)}")
        item.denominator = row.decimal(f"Penyebut {_tw(item.quarter)}")
        if not ri.has_components and (item.numerator or item.denominator):
            row.issue(f"Pembilang {_tw(item.quarter)}", _("This indicator has no components."))

    def place_strangers(self, unit: Unit) -> None:
        """An issue for each row whose code is not the unit's (another unit's, or unknown), put
        back in its row's place among the issues."""
        if not self.strangers:
            return
        others = set(
            self.collection_round.indicators.exclude(unit=unit)
            .filter(code__in=[code for _row, code, _at in self.strangers])
            .values_list("code", flat=True)
        )
        for row, code, position in reversed(self.strangers):
            row.issue(
                "Kode",
                _("Row %(code)s belongs to another unit.") % {"code": code}
                if code in others
                else _("Row %(code)s is not an indicator of this form.") % {"code": code or "?"},
            )
            self.issues.insert(position, self.issues.pop())

    def check_rows_kept(self) -> None:
        """An issue when the unit's rows were added, removed or moved."""
        if self.reader is None or self.reader.ws is None:
            return
        if self.seen != [ri.code for ri in self.frozen]:
            missing = [ri.code for ri in self.frozen if ri.code not in self.seen]
            self.issues.append(
                Issue(
                    DATA,
                    None,
                    None,
                    _("Rows were added, removed or moved (missing: %(codes)s).")
                    % {"codes": ", ".join(missing) or "-"},
                )
            )

    def check_files_named(self) -> None:
        """An issue for each uploaded file that no row names."""
        for name in sorted(set(self.files) - set(self.checked)):
            self.issues.append(
                Issue(
                    DATA,
                    None,
                    "Berkas Bukti",
                    _("The file '%(name)s' was uploaded but no row names it.") % {"name": name},
                )
            )


def _read_budget(
    wb: ValuesWorkbook,
    collection_round: CollectionRound,
    unit_subs: list[SubActivity],
    issues: list[Issue],
) -> list[SpendingInput]:
    subs = {s.code: s for s in unit_subs}
    reader = SheetReader(wb, BUDGET, budget_headers(collection_round), issues, preload=True)
    found = []
    for row in reader.rows():
        code = row.text("Kode")
        sub = subs.get(code)
        if sub is None:
            row.issue("Kode", _("Budget line %(code)s is not this unit's.") % {"code": code or "?"})
            continue
        for q in collection_round.quarters:
            header = f"Realisasi {_tw(q)}"
            amount = row.decimal(header, money=True)
            if amount is not None:
                if amount < 0:
                    row.issue(header, _("A negative amount is not allowed."))
                found.append(SpendingInput(sub.pk, q, amount))
    return found


def unpack(
    upload: UploadedFile, extra: list[UploadedFile] | None = None
) -> tuple[UploadedFile, dict[str, UploadedFile]]:
    """The form and the evidence files of an upload: an XLSX with the evidence files beside it
    (``extra``), or one ZIP holding the XLSX and the files. Raise InvalidFile when the archive
    does not hold exactly one form, an entry is too large, or two files share a name."""
    archive_name = upload.name or "upload.zip"
    files: list[UploadedFile] = list(extra or [])
    if PurePath(archive_name).suffix.lower() != ".zip":
        form = upload
    else:
        form, inside = _unzip(upload, archive_name)
        files = inside + files
    by_name: dict[str, UploadedFile] = {}
    issues = []
    for f in files:
        name = PurePath(f.name or "").name
        if name in by_name:
            issues.append(
                Issue(
                    "", None, None, _("Two evidence files are named '%(name)s'.") % {"name": name}
                )
            )
        by_name[name] = f
    if issues:
        raise InvalidFile(issues)
    return form, by_name


def _unzip(upload: UploadedFile, archive_name: str) -> tuple[UploadedFile, list[UploadedFile]]:
    limit = settings.KINERJA_MAX_UPLOAD_MB * 1024 * 1024
    try:
        check_archive(upload, kind="zip", name=archive_name)
    except ArchiveRefused as exc:
        raise InvalidFile([Issue("", None, None, exc.message)]) from None
    try:
        upload.seek(0)
        archive = zipfile.ZipFile(upload)
        entries = [
            e
            for e in archive.infolist()
            if not e.is_dir()
            and not e.filename.startswith("__MACOSX/")
            and not PurePath(e.filename).name.startswith(".")
        ]
    except zipfile.BadZipFile:
        raise InvalidFile(
            [Issue("", None, None, _("%(name)s is not a ZIP file.") % {"name": archive_name})]
        ) from None
    issues = [
        Issue(
            "",
            None,
            None,
            _("%(name)s: the file is %(size).1f MB; at most %(limit)d MB is allowed.")
            % {
                "name": e.filename,
                "size": e.file_size / 1024 / 1024,
                "limit": limit // 1024 // 1024,
            },
        )
        for e in entries
        if e.file_size > limit
    ]
    forms_inside = [e for e in entries if e.filename.lower().endswith(".xlsx")]
    if len(forms_inside) != 1:
        issues.append(
            Issue(
                "",
                None,
                None,
                _("%(name)s must hold exactly one XLSX form; it holds %(count)d.")
                % {"name": archive_name, "count": len(forms_inside)},
            )
        )
    if issues:
        raise InvalidFile(issues)
    form: UploadedFile = SimpleUploadedFile(
        PurePath(forms_inside[0].filename).name, archive.read(forms_inside[0])
    )
    files: list[UploadedFile] = [
        SimpleUploadedFile(PurePath(e.filename).name, archive.read(e))
        for e in entries
        if e is not forms_inside[0]
    ]
    return form, files


def import_form(
    collection_round: CollectionRound,
    source: str | IO[bytes],
    user: Any = None,
    *,
    file: UploadedFile | None = None,
    evidence_files: Mapping[str, UploadedFile] | None = None,
) -> Submission:
    """Import a filled form (with the evidence files its Berkas Bukti column names) as the
    unit's next submission; raise InvalidFile and write nothing."""
    unit, values, spending = read_form(collection_round, source, evidence_files)
    # Figures the round refuses are refused here, before the submission's transaction takes the
    # write lock (submit checks them again under its lock). The round as stored now: its window
    # may have been reopened since the caller read it.
    current = CollectionRound.objects.select_related("agency").get(pk=collection_round.pk)
    problems = submissions.check(current, unit, values, spending)
    if problems:
        raise InvalidFile(_locate(collection_round, unit, problems))
    try:
        return submissions.submit(
            collection_round,
            unit,
            values,
            user,
            spending=spending,
            source=Submission.Source.UPLOAD,
            file=file,
        )
    except submissions.SubmissionRejected as exc:
        raise InvalidFile(_locate(collection_round, unit, exc.problems)) from None


def _locate(
    collection_round: CollectionRound, unit: Unit, problems: list[submissions.Problem]
) -> list[Issue]:
    """The problems of a refused submission as issues of the workbook: the Data sheet, the row of
    their indicator and the column of their quarter where they have them."""
    frozen = rounds.round_indicators(collection_round, unit)
    rows = {ri.indicator_id: index for index, ri in enumerate(frozen, start=2)}
    headers = data_headers(collection_round, frozen)
    issues = []
    for p in problems:
        row = None if p.indicator_id is None else rows.get(p.indicator_id)
        column = None
        if p.quarter is not None and f"Realisasi {_tw(p.quarter)}" in headers:
            header = f"Realisasi {_tw(p.quarter)}"
            column = f"{get_column_letter(headers.index(header) + 1)} ({header})"
        issues.append(Issue(DATA if row else "", row, column, p.message))
    return issues
