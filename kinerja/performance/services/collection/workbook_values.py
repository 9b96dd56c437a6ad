"""The cell values of a filled data-collection form, read without building an openpyxl workbook.

Importing a form reads three small sheets once. openpyxl's read-only workbook first builds a whole
workbook (a default sheet, every style object, the dimensions of every sheet) and that cost more
than the rest of an import. :class:`ValuesWorkbook` reads only what values need: the workbook's
sheet list and date system, its relationships, the shared strings, the number format of each
cell style (to tell dates from numbers) and the sheets asked for, streamed row by row. A cell gets
the value ``openpyxl.load_workbook(..., data_only=True)`` gives it (same rules, openpyxl's own
helpers): shared and inline strings, numbers as int or float, booleans, errors as their text,
formulas as their cached result, date-formatted numbers as dates.

It offers the part of a workbook :class:`kinerja.core.xlsx.SheetReader` uses: ``sheetnames``,
``workbook[name].iter_rows(min_row=, max_row=, max_col=, values_only=True)`` and ``close()``.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

from django.utils.translation import gettext as _
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring, iterparse

from kinerja.core.xlsx import InvalidFile, Issue, check_upload

MAIN = f"{{{SHEET_MAIN_NS}}}"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ROW, CELL, VALUE, INLINE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}is"
TEXT, RUN, PHONETIC = f"{MAIN}t", f"{MAIN}r", f"{MAIN}rPh"


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{relationship id: (type, part path)} of ``part``."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", f"{name}.rels")
    if path not in archive.namelist():
        return {}
    found = {}
    for rel in fromstring(archive.read(path)).iter(PACKAGE_RELS):
        target = rel.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(target))
    return found


def _text(element: Element) -> str:
    """The text of an inline string (``<is>``) as openpyxl reads it: its ``<t>`` and its runs'
    ``<t>``, without phonetic runs."""
    parts = [element.findtext(TEXT) or ""]
    parts += [run.findtext(TEXT) or "" for run in element.iter(RUN)]
    return "".join(parts)


class ValuesWorkbook:
    """The values of an XLSX workbook, sheet by sheet (see the module's docstring)."""

    def __init__(self, source: str | IO[bytes]):
        self._archive = zipfile.ZipFile(source)
        root_rels = _rels(self._archive, "")
        workbook = next(
            (path for kind, path in root_rels.values() if kind.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        tree = fromstring(self._archive.read(workbook))
        properties = tree.find(f"{MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH
        rels = _rels(self._archive, workbook)
        self._paths: dict[str, str] = {}
        for sheet in tree.iter(f"{MAIN}sheet"):
            kind, path = rels.get(sheet.get(REL_ID, ""), ("", ""))
            if kind.endswith("/worksheet"):
                self._paths[sheet.get("name", "")] = path
        self.sheetnames = list(self._paths)
        self._strings_path = next(
            (path for kind, path in rels.values() if kind.endswith("/sharedStrings")), None
        )
        self._styles_path = next(
            (path for kind, path in rels.values() if kind.endswith("/styles")), None
        )
        self._strings: list[str] | None = None
        self._date_styles: tuple[set[int], set[int]] | None = None

    def __getitem__(self, name: str) -> ValuesSheet:
        return ValuesSheet(self, name, self._paths[name])

    def close(self) -> None:
        self._archive.close()

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            if self._strings_path:
                with self._archive.open(self._strings_path) as src:
                    self._strings = read_string_table(src)
        return self._strings

    @property
    def date_styles(self) -> tuple[set[int], set[int]]:
        """(styles whose number format is a date, those that are a duration), by style index."""
        if self._date_styles is None:
            dates: set[int] = set()
            durations: set[int] = set()
            if self._styles_path:
                tree = fromstring(self._archive.read(self._styles_path))
                custom = {
                    int(f.get("numFmtId", "0")): f.get("formatCode", "")
                    for f in tree.iter(f"{MAIN}numFmt")
                }
                xfs = tree.find(f"{MAIN}cellXfs")
                for index, xf in enumerate([] if xfs is None else xfs.iter(f"{MAIN}xf")):
                    number = int(xf.get("numFmtId", "0"))
                    code = custom.get(number) or BUILTIN_FORMATS.get(number) or "General"
                    if is_date_format(code):
                        dates.add(index)
                    if is_timedelta_format(code):
                        durations.add(index)
            self._date_styles = dates, durations
        return self._date_styles


class ValuesSheet:
    def __init__(self, workbook: ValuesWorkbook, title: str, path: str):
        self.parent = workbook
        self.title = title
        self._path = path

    def iter_rows(
        self,
        min_row: int = 1,
        max_row: int | None = None,
        max_col: int | None = None,
        values_only: bool = True,
    ) -> Iterator[tuple[Any, ...]]:
        """The rows' values from ``min_row``; a row missing from the file is an empty tuple."""
        if not values_only:
            raise ValueError("ValuesSheet only reads values")
        expected = min_row
        for number, values in self._rows():
            if number < min_row:
                continue
            if max_row is not None and number > max_row:
                return
            while expected < number:
                yield ()
                expected += 1
            yield tuple(values[:max_col] if max_col else values)
            expected = number + 1

    def _rows(self) -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from self._parse()
        except (zipfile.BadZipFile, EOFError, ParseError, IndexError, ValueError) as exc:
            raise _not_a_workbook(exc) from None

    def _parse(self) -> Iterator[tuple[int, list[Any]]]:
        counter = 0
        with self.parent._archive.open(self._path) as src:
            for _event, element in iterparse(src):
                if element.tag != ROW:
                    continue
                counter = int(element.get("r") or counter + 1)
                values: list[Any] = []
                for cell in element.iter(CELL):
                    reference = cell.get("r")
                    column = (
                        column_index_from_string(reference.rstrip("0123456789"))
                        if reference
                        else len(values) + 1
                    )
                    if column > len(values):
                        values.extend([None] * (column - len(values)))
                    values[column - 1] = self._value(cell)
                element.clear()
                yield counter, values

    def _value(self, cell: Element) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(INLINE)
            return None if inline is None else _text(inline)
        raw = cell.findtext(VALUE) or None
        if raw is None:
            return None
        if kind == "n":
            number: int | float = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
            style = int(cell.get("s", "0") or 0)
            dates, durations = self.parent.date_styles
            if style in dates:
                try:
                    return from_excel(number, self.parent.epoch, timedelta=style in durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.parent.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text result) and "e" (an error such as #N/A)


def _not_a_workbook(exc: Exception) -> InvalidFile:
    return InvalidFile(
        [
            Issue(
                "",
                None,
                None,
                _("The file is not an Excel workbook (.xlsx): %(error)s")
                % {"error": exc.__class__.__name__},
            )
        ]
    )


def open_values(source: str | IO[bytes]) -> ValuesWorkbook:
    """Open ``source``; raise InvalidFile (located at the file) if it is not an XLSX workbook,
    or not one within the limits of :func:`kinerja.core.xlsx.check_upload` (checked before any
    part is parsed). A sheet found broken while it is read raises InvalidFile too."""
    check_upload(source)
    try:
        return ValuesWorkbook(source)
    except (
        zipfile.BadZipFile,
        EOFError,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        ParseError,
    ) as exc:
        raise _not_a_workbook(exc) from None
