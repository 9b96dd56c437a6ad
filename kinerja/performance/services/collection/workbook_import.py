"""Reading and importing a filled data-collection workbook (see :mod:`.workbooks` for its layout):
all or nothing, bad cells located.

The form comes as an XLSX with the evidence files beside it, or as one ZIP holding both
(:func:`unpack`). :func:`read_form` checks the hidden ``_meta`` sheet (the round, the unit and the
fingerprint of the structure), then every cell of the Data and Anggaran sheets, and raises
InvalidFile with every issue at its cell; :func:`import_form` stores the figures as the unit's next
submission, or refuses them all.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kinerja.core.archives import ArchiveRefused, check_archive
from kinerja.core.uploads import validate_upload
from kinerja.core.xlsx import InvalidFile, Issue, Row, SheetReader
from kinerja.organisation.models import Unit
from kinerja.performance.models import CollectionRound, RoundIndicator, SubActivity, Submission
from kinerja.performance.services.collection import rounds, submissions
from kinerja.performance.services.collection.submissions import (
    EVIDENCE_TYPES,
    SpendingInput,
    ValueInput,
)
from kinerja.performance.services.collection.workbook_values import ValuesWorkbook, open_values
from kinerja.performance.services.collection.workbooks import (
    BUDGET,
    DATA,
    META,
    budget_headers,
    data_headers,
    fingerprint_of,
    quarter_label,
)

STATUS_CHOICES = {"sementara": "sementara", "proyeksi": "proyeksi", "tetap": "tetap"}
FILE_SEPARATORS = (";", "\n")


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
    if meta.get("structure") != fingerprint_of(
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
        header = f"Realisasi {quarter_label(item.quarter)}"
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
        item.numerator = row.decimal(f"Pembilang {quarter_label(item.quarter)}")
        item.denominator = row.decimal(f"Penyebut {quarter_label(item.quarter)}")
        if not ri.has_components and (item.numerator or item.denominator):
            row.issue(
                f"Pembilang {quarter_label(item.quarter)}", _("This indicator has no components.")
            )

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
            header = f"Realisasi {quarter_label(q)}"
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
        if p.quarter is not None and f"Realisasi {quarter_label(p.quarter)}" in headers:
            header = f"Realisasi {quarter_label(p.quarter)}"
            column = f"{get_column_letter(headers.index(header) + 1)} ({header})"
        issues.append(Issue(DATA if row else "", row, column, p.message))
    return issues
