"""Checks every uploaded ZIP container (XLSX, DOCX, ZIP) passes before anything parses it.

An XLSX or DOCX is a ZIP archive of XML parts. A small upload can unpack to gigabytes (a
decompression bomb), hold hundreds of thousands of entries, carry a DTD whose entities expand
without end, or list millions of shared strings that openpyxl keeps in memory. :func:`check_archive`
refuses such a file from its ZIP directory and one bounded streaming pass, before openpyxl,
python-docx, docxtpl or LibreOffice sees it, with a message for the person who uploaded it:

* the number of entries, read from the end record before Python parses the central directory;
* each part's and the whole archive's uncompressed size as the directory declares them (Python's
  ``zipfile`` never inflates a part beyond its declared size: a part that lies fails its CRC);
* the compression ratio of every part larger than :data:`RATIO_FLOOR`;
* for an XLSX or a DOCX, a DTD or an entity declaration in any part (an Office file has none);
* for an XLSX, the number of shared strings (``<si>`` items in any part) and of rows in each
  worksheet (openpyxl scans a whole sheet that does not declare its size before it reads a row).

Every reader of an upload calls it: :func:`kinerja.core.xlsx.open_workbook`, the forms' values
reader and ZIP unpacking, the Word template and DOCX version uploads. The limits are settings
(``KINERJA_ARCHIVE_*``, docs/configuration.md).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MB = 1024 * 1024
# A part smaller than this may be compressed any number of times: it cannot hurt, and small
# repetitive XML parts (styles, an empty sheet) compress very well.
RATIO_FLOOR = 1 * MB
CHUNK = 256 * 1024
KINDS = ("xlsx", "docx", "zip")

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
# A shared string item, with or without a namespace prefix: <si>, <si ...>, <x:si>
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_OVERLAP = 64  # bytes kept between chunks so that a tag split by a chunk boundary is found
# The most data rows an import reads from one sheet (kinerja.core.xlsx.SheetReader); a sheet with
# more than this and a few header rows is refused before it is parsed.
MAX_ROWS = 20_000
SHEET_ROWS = MAX_ROWS + 10


@dataclass(frozen=True)
class Limits:
    total_bytes: int
    part_bytes: int
    entries: int
    ratio: int
    shared_strings: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            total_bytes=settings.KINERJA_ARCHIVE_MAX_MB * MB,
            part_bytes=settings.KINERJA_ARCHIVE_PART_MAX_MB * MB,
            entries=settings.KINERJA_ARCHIVE_MAX_ENTRIES,
            ratio=settings.KINERJA_ARCHIVE_MAX_RATIO,
            shared_strings=settings.KINERJA_XLSX_MAX_SHARED_STRINGS,
        )


class ArchiveRefused(ValueError):
    """The archive is refused before parsing; ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _not_an_archive(kind: str, name: str, error: Exception) -> ArchiveRefused:
    if kind == "xlsx":
        message = _("The file is not an Excel workbook (.xlsx): %(error)s") % {
            "error": error.__class__.__name__
        }
    elif kind == "docx":
        message = _("The file is not a Word document (DOCX).")
    else:
        message = _("%(name)s is not a ZIP file.") % {"name": name or "ZIP"}
    return ArchiveRefused(message)


def _declared_entries(handle: IO[bytes]) -> int | None:
    """The entry count of the archive's end record, read without parsing the directory."""
    try:
        end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # stable since Python 2
    except (AttributeError, OSError, ValueError, TypeError):
        return None
    if not end:
        return None
    return int(end[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]


def check_archive(
    source: str | PurePath | bytes | IO[bytes],
    *,
    kind: str = "zip",
    name: str = "",
    limits: Limits | None = None,
) -> None:
    """Raise :class:`ArchiveRefused` unless ``source`` is a ZIP archive within the limits.

    ``kind`` is ``xlsx``, ``docx`` or ``zip`` (a ZIP of uploads: sizes and entries only; the
    files inside are checked when they are opened). A file object is left at its start."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    limits = limits or Limits.from_settings()
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    if isinstance(source, str | PurePath):
        with open(source, "rb") as handle:
            _check(handle, kind, name or PurePath(source).name, limits)
        return
    try:
        source.seek(0)
        _check(source, kind, name or getattr(source, "name", "") or "", limits)
    finally:
        source.seek(0)


def _check(handle: IO[bytes], kind: str, name: str, limits: Limits) -> None:
    declared = _declared_entries(handle)
    if declared is not None and declared > limits.entries:
        raise _too_many_entries(declared, limits)
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_an_archive(kind, name, exc) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.entries:
            raise _too_many_entries(len(entries), limits)
        total = 0
        for entry in entries:
            if entry.file_size > limits.part_bytes:
                raise ArchiveRefused(
                    _(
                        "The part %(part)s unpacks to %(size)s MB; at most %(limit)d MB is "
                        "allowed for one part."
                    )
                    % {
                        "part": entry.filename,
                        "size": _mb(entry.file_size),
                        "limit": limits.part_bytes // MB,
                    }
                )
            if entry.file_size > RATIO_FLOOR and entry.file_size > limits.ratio * max(
                entry.compress_size, 1
            ):
                raise ArchiveRefused(
                    _(
                        "The part %(part)s is compressed %(ratio)d times (%(size)s MB from "
                        "%(packed)s MB); at most %(limit)d times is allowed."
                    )
                    % {
                        "part": entry.filename,
                        "ratio": entry.file_size // max(entry.compress_size, 1),
                        "size": _mb(entry.file_size),
                        "packed": _mb(entry.compress_size, 2),
                        "limit": limits.ratio,
                    }
                )
            total += entry.file_size
        if total > limits.total_bytes:
            raise ArchiveRefused(
                _("The file unpacks to %(size)s MB; at most %(limit)d MB is allowed.")
                % {"size": _mb(total), "limit": limits.total_bytes // MB}
            )
        if kind in ("xlsx", "docx"):
            _scan_parts(archive, entries, kind, name, limits)


def _mb(size: int, places: int = 1) -> str:
    """Megabytes as the reader writes them (``100,0`` in Indonesian)."""
    return number_format(size / MB, places)


def _too_many_entries(count: int, limits: Limits) -> ArchiveRefused:
    return ArchiveRefused(
        _("The file holds %(count)d parts; at most %(limit)d are allowed.")
        % {"count": count, "limit": limits.entries}
    )


def _scan_parts(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], kind: str, name: str, limits: Limits
) -> None:
    """One streaming pass over every part: no DTD anywhere, and (XLSX) the shared strings
    counted up to the limit. Each part inflates at most to its declared size (checked above)."""
    shared = 0
    for entry in entries:
        if entry.is_dir():
            continue
        carry = b""
        rows = 0
        try:
            with archive.open(entry) as part:
                while chunk := part.read(CHUNK):
                    window = carry + chunk
                    if _DTD.search(window):
                        raise ArchiveRefused(
                            _(
                                "The part %(part)s declares a DTD or entities; an Office file "
                                "has none, so it is refused."
                            )
                            % {"part": entry.filename}
                        )
                    if kind == "xlsx":
                        shared += sum(
                            1 for m in _SHARED_STRING.finditer(window) if m.end() > len(carry)
                        )
                        if shared > limits.shared_strings:
                            raise ArchiveRefused(
                                _(
                                    "The workbook holds more than %(limit)d shared texts; "
                                    "split the file."
                                )
                                % {"limit": limits.shared_strings}
                            )
                    if kind == "xlsx":
                        rows += sum(1 for m in _ROW.finditer(window) if m.end() > len(carry))
                        if rows > SHEET_ROWS:
                            raise ArchiveRefused(
                                _(
                                    "The sheet %(sheet)s has more than %(limit)d rows; split "
                                    "the file."
                                )
                                % {"sheet": _sheet_name(archive, entry.filename), "limit": MAX_ROWS}
                            )
                    carry = window[-_OVERLAP:]
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            # a CRC that does not match, an encrypted part, an unknown compression method
            raise _not_an_archive(kind, name, exc) from None


def _sheet_name(archive: zipfile.ZipFile, part: str) -> str:
    """The name a workbook gives its worksheet ``part`` (the part's name when it cannot tell)."""
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        sources = {}
        for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            info = archive.getinfo(name)
            data = archive.read(info) if info.file_size < MB else b""
            if _DTD.search(data):
                return part
            sources[name] = ElementTree.fromstring(data)  # noqa: S314 - no DTD, under 1 MB
        targets = {
            rel.get("Id"): "xl/" + (rel.get("Target") or "").lstrip("/").removeprefix("xl/")
            for rel in sources["xl/_rels/workbook.xml.rels"]
        }
        for sheet in sources["xl/workbook.xml"].iter(f"{main}sheet"):
            if targets.get(sheet.get(relation)) == part:
                return sheet.get("name") or part
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        pass
    return part
