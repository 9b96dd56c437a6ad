"""Reading and writing the spreadsheets offices live in, with errors located by sheet, row, column.

Every importer in Kinerja reads through :class:`SheetReader` and collects :class:`Issue` objects;
if any exist it raises :class:`InvalidFile` before writing anything. Every exporter writes text
through :func:`write_value`, which never lets a cell become a formula (spreadsheet injection).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.archives import MAX_ROWS, ArchiveRefused, check_archive


@dataclass(frozen=True)
class Issue:
    """One problem in an uploaded file, where it is and what is wrong, in the user's language."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def location(self) -> str:
        parts = [_("sheet %(name)s") % {"name": self.sheet}] if self.sheet else []
        if self.row is not None:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        location = self.location()
        return f"{location}: {self.message}" if location else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class InvalidFile(Exception):
    """The file cannot be imported; nothing was written. ``issues`` says every reason."""

    def __init__(self, issues: list[Issue]):
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


def _refused(message: str) -> InvalidFile:
    return InvalidFile([Issue("", None, None, message)])


def check_upload(source: str | IO[bytes]) -> None:
    """Refuse (InvalidFile) an XLSX that is not a sound, bounded ZIP archive, before any parser
    reads it: :func:`kinerja.core.archives.check_archive`."""
    try:
        check_archive(source, kind="xlsx")
    except ArchiveRefused as exc:
        raise _refused(exc.message) from None


def open_workbook(source: str | IO[bytes], *, read_only: bool = True) -> Workbook:
    """An uploaded workbook, checked first (:func:`check_upload`) and opened read-only
    (streamed, values only): the caller closes it."""
    check_upload(source)
    try:
        return load_workbook(source, read_only=read_only, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ValueError ... from a corrupt upload
        raise _refused(
            _("The file is not an Excel workbook (.xlsx): %(error)s")
            % {"error": exc.__class__.__name__}
        ) from None


class SheetReader:
    """Reads the rows of one sheet by header name, collecting issues instead of raising.

    ``headers`` are the expected column titles of row ``header_row``; a missing, renamed or
    reordered header is an issue (the structure was edited), and rows are then not read.

    With ``preload`` the sheet is parsed once (header and rows together, at most ``MAX_ROWS``
    + 1 data rows kept) instead of once for the header and again for the rows: a read-only
    (streamed) workbook parses the sheet's XML on every pass.
    """

    def __init__(
        self,
        workbook: Workbook,
        sheet: str,
        headers: list[str],
        issues: list[Issue],
        *,
        header_row: int = 1,
        required: bool = True,
        preload: bool = False,
    ):
        self.sheet = sheet
        self.headers = headers
        self.issues = issues
        self.header_row = header_row
        self.ws: Worksheet | None = None
        self._positions: dict[str, int] = {}
        for index, header in enumerate(headers):
            self._positions.setdefault(header, index)
        self._preloaded: list[tuple[Any, ...]] | None = None
        if sheet not in workbook.sheetnames:
            if required:
                issues.append(Issue(sheet, None, None, _("The sheet is missing.")))
            return
        ws = workbook[sheet]
        # Only the expected columns are read: a cell far to the right (XFD) would otherwise
        # widen every row of a streamed sheet to 16 384 values.
        self.width = len(headers)
        if preload:
            self._preloaded = list(
                ws.iter_rows(
                    min_row=header_row,
                    max_row=header_row + MAX_ROWS + 1,
                    max_col=self.width,
                    values_only=True,
                )
            )
            header_values = self._preloaded[0] if self._preloaded else ()
        else:
            header_values = next(
                ws.iter_rows(
                    min_row=header_row, max_row=header_row, max_col=self.width, values_only=True
                ),
                (),
            )
        found = [_text(c) for c in header_values]
        for index, expected in enumerate(headers):
            actual = found[index] if index < len(found) else ""
            if actual.strip().lower() != expected.lower():
                issues.append(
                    Issue(
                        sheet,
                        header_row,
                        get_column_letter(index + 1),
                        _("Expected the column header '%(expected)s', found '%(actual)s'.")
                        % {"expected": expected, "actual": actual},
                    )
                )
                return
        self.ws = ws

    def rows(self) -> Iterator[Row]:
        if self.ws is None:
            return
        source = (
            self.ws.iter_rows(
                min_row=self.header_row + 1,
                max_row=self.header_row + MAX_ROWS + 1,
                max_col=self.width,
                values_only=True,
            )
            if self._preloaded is None
            else self._preloaded[1:]
        )
        for number, values in enumerate(source, start=self.header_row + 1):
            if number - self.header_row > MAX_ROWS:
                self.issues.append(Issue(self.sheet, number, None, _("Too many rows.")))
                return
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield Row(self, number, values)


class Row:
    """One data row; getters read a column by header, append an issue and return None if bad."""

    def __init__(self, reader: SheetReader, number: int, values: tuple[Any, ...]):
        self.reader = reader
        self.number = number
        self.values = values

    def _index(self, header: str) -> int:
        index = self.reader._positions.get(header)
        return self.reader.headers.index(header) if index is None else index

    def raw(self, header: str) -> Any:
        index = self._index(header)
        return self.values[index] if index < len(self.values) else None

    def issue(self, header: str | None, message: str) -> None:
        column = get_column_letter(self._index(header) + 1) + f" ({header})" if header else None
        self.reader.issues.append(Issue(self.reader.sheet, self.number, column, message))

    def text(self, header: str, *, required: bool = False, max_length: int = 255) -> str:
        value = _text(self.raw(header)).strip()
        if required and not value:
            self.issue(header, _("This field is required."))
        elif len(value) > max_length:
            self.issue(header, _("At most %(max)d characters.") % {"max": max_length})
            return value[:max_length]
        return value

    def choice(self, header: str, mapping: dict[str, str], *, required: bool = True) -> str | None:
        value = self.text(header)
        if not value:
            if required:
                self.issue(header, _("This field is required."))
            return None
        key = " ".join(value.lower().replace(".", "").split())
        if key in mapping:
            return mapping[key]
        allowed = ", ".join(sorted({k for k in mapping}))
        self.issue(
            header,
            _("'%(value)s' is not one of: %(allowed)s.") % {"value": value, "allowed": allowed},
        )
        return None

    def yes_no(self, header: str, *, default: bool = False) -> bool:
        value = self.text(header).lower()
        if not value:
            return default
        if value in ("ya", "yes", "y", "1", "true", "benar"):
            return True
        if value in ("tidak", "no", "n", "0", "false", "salah"):
            return False
        self.issue(header, _("Write Ya or Tidak, not '%(value)s'.") % {"value": value})
        return default

    def date(self, header: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(header)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.issue(header, _("This field is required."))
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed = parse_date_text(str(value))
        if parsed is None:
            self.issue(
                header,
                _("'%(value)s' is not a date (write 2024-01-15 or 15/01/2024).") % {"value": value},
            )
        return parsed

    def decimal(self, header: str, *, money: bool = False) -> Decimal | None:
        """The cell as a number (:func:`parse_number_id`), None when empty; an issue when it is
        not a number the importer can read for sure."""
        raw = self.raw(header)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            return parse_number_id(raw, money=money)
        except NumberError as exc:
            self.issue(header, exc.message)
            return None

    def integer(self, header: str, *, default: int = 0) -> int:
        value = self.raw(header)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        try:
            number = parse_number_id(value)
        except NumberError as exc:
            self.issue(header, exc.message)
            return default
        if number != int(number):
            self.issue(header, _("'%(value)s' is not a whole number.") % {"value": value})
            return default
        return int(number)


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("d", "m", "y")),
)


def parse_date_text(text: str) -> dt.date | None:
    text = text.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


# 1.234.567,89 and 1.234,5: dots group thousands, the comma starts the decimals.
_ID_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
# 1234,5 and 1234: no grouping, the comma starts the decimals.
_ID_PLAIN = re.compile(r"^[+-]?\d+(,\d+)?$")
# 1234.56: the plain (English, spreadsheet) way, a dot starts the decimals.
_DOT_DECIMAL = re.compile(r"^[+-]?\d+\.\d+$")
# 4.880 and 12.500: a single dot before exactly three digits may group thousands (4880) or start
# the decimals (4,88). Refused, never guessed. 0.500 cannot be a thousands group: it is 0,5.
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")
_EXPONENT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)[eE][+-]?\d+$")
# What the model fields hold: DecimalField(max_digits=20, decimal_places=4) for figures and
# (18, 2) for money; an integer part of 16 digits fits both.
MAX_DIGITS = 18
MAX_INTEGER_DIGITS = 16


class NumberError(ValueError):
    """A number that cannot be read; ``message`` says why in the user's language, naming the
    whole input; ``code``: invalid, ambiguous, exponent or digits."""

    def __init__(self, value: Any, code: str, message: str):
        super().__init__(message)
        self.value, self.code, self.message = value, code, message


def _digits_problem(value: Any, number: Decimal, *, typed: bool = True) -> NumberError | None:
    """Too many digits for the model fields; a cell's binary fraction (0.30000000000000004) is
    not held against it, only its integer part (``typed`` False)."""
    if not number.is_finite():
        return NumberError(value, "invalid", _("'%(value)s' is not a number.") % {"value": value})
    _sign, digits, exponent = number.as_tuple()
    whole = max(0, len(digits) + int(exponent)) if any(digits) else 0
    fraction = max(0, -int(exponent)) if typed else 0
    if whole > MAX_INTEGER_DIGITS or whole + fraction > MAX_DIGITS:
        return NumberError(
            value,
            "digits",
            _(
                "'%(value)s' has too many digits: at most %(total)d, and at most %(whole)d "
                "before the decimal comma."
            )
            % {"value": value, "total": MAX_DIGITS, "whole": MAX_INTEGER_DIGITS},
        )
    return None


def parse_number_id(value: Any, *, money: bool = False) -> Decimal:
    """Read a number typed the Indonesian way or the plain way; raise :class:`NumberError` (a
    ValueError) with a message naming the whole input.

    ``1.234,56`` -> 1234.56, ``85,5`` -> 85.5, ``85,5%`` -> 85.5, ``1.234.567`` -> 1234567,
    ``1234.5`` -> 1234.5. Refused: ``4.880`` (a single dot before exactly three digits: 4880 or
    4,88? use the decimal comma), exponents (``1e-308``: write the number out), and more digits
    than the model fields hold. A number from a spreadsheet cell is taken as it is (within the
    same number of digits).

    ``money``: a rupiah amount, which has at most two decimals (sen), so ``200.000`` can only be
    two hundred thousand; a leading ``Rp`` is allowed."""
    if isinstance(value, bool):
        raise NumberError(value, "invalid", _("'%(value)s' is not a number.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        return _cell_number(value)
    shown = str(value).strip()
    text = _bare_number_text(shown, money=money)
    _refuse_exponent(shown, text)
    if not money:
        _refuse_ambiguous(shown, text)
    if _ID_GROUPED.match(text) or _ID_PLAIN.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif not _DOT_DECIMAL.match(text):
        raise NumberError(shown, "invalid", _("'%(value)s' is not a number.") % {"value": shown})
    number = Decimal(text)  # the patterns above admit only what Decimal reads
    problem = _digits_problem(shown, number)
    if problem is not None:
        raise problem
    return number


def _cell_number(value: int | float | Decimal) -> Decimal:
    """A number a spreadsheet cell holds, taken as it is if its integer part fits the fields."""
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    problem = _digits_problem(value, number, typed=False)
    if problem is not None:
        raise problem
    return number


def _bare_number_text(shown: str, *, money: bool) -> str:
    """The typed number without its spaces and its ``Rp`` (money) or ``%`` (otherwise)."""
    text = shown.replace("\u00a0", "").replace(" ", "")
    if money and text[:2].lower() == "rp":
        return text[2:]
    if text.endswith("%"):
        return text[:-1]
    return text


def _refuse_exponent(shown: str, text: str) -> None:
    if _EXPONENT.match(text):
        raise NumberError(
            shown,
            "exponent",
            _(
                "'%(value)s' is written with an exponent; write the number out in full, e.g. "
                "0,0015 or 1.500.000."
            )
            % {"value": shown},
        )


def _refuse_ambiguous(shown: str, text: str) -> None:
    """``4.880``: a thousands group or the decimals? Refused with both ways of writing it."""
    if not _AMBIGUOUS.match(text):
        return
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("+-")
    raise NumberError(
        shown,
        "ambiguous",
        _(
            "'%(value)s' can be read two ways: use the decimal comma, e.g. %(decimal)s, or "
            "write the whole number without a dot, e.g. %(whole)s."
        )
        % {
            "value": shown,
            "decimal": sign + digits.replace(".", ","),
            "whole": sign + digits.replace(".", ""),
        },
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def write_value(cell: Cell, value: Any) -> None:
    """Write ``value`` so that text is always stored as text, never evaluated as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def write_sheet(
    ws: Worksheet, headers: list[str], rows: list[list[Any]], widths: list[int] | None = None
) -> None:
    """A header row in the house style, then the rows, every text cell stored as text."""
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        write_value(cell, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = (
            widths[index - 1] if widths else max(12, len(header) + 4)
        )
    for row_number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            write_value(ws.cell(row=row_number, column=index), value)
    ws.freeze_panes = "A2"
