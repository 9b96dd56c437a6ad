"""A corpus of bad files, made in code (nothing large is committed): XLSX, ZIP, DOCX and SOP YAML.

Each maker takes a good file (an export, a generated form, a seed SOP, the product's template) and
spoils one thing, so that the file is refused for that one reason. ``bench/bad_files.py`` times the
same files through the same entry points.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Callable

MB = 1024 * 1024

# -- ZIP plumbing -------------------------------------------------------------------------------


def rewrite(
    data: bytes,
    replace: dict[str, bytes | Callable[[zipfile.ZipFile], None]] | None = None,
    add: dict[str, bytes] | None = None,
) -> bytes:
    """``data`` (a ZIP) with parts replaced or added; a callable writes its part itself."""
    replace, add = dict(replace or {}), dict(add or {})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            value = replace.pop(info.filename, None)
            if value is None:
                target.writestr(info, source.read(info))
            elif callable(value):
                value(target)
            else:
                target.writestr(info.filename, value)
        for name, value in {**replace, **add}.items():
            if callable(value):
                value(target)
            else:
                target.writestr(name, value)
    return out.getvalue()


def _padded_part(name: str, head: bytes, tail: bytes, megabytes: int):
    """A part of ``megabytes`` MB of blanks inside an XML comment: valid XML a parser would read
    to the end, compressed about a thousand times."""

    def write(target: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as part:
            part.write(head + b"<!--")
            blank = b" " * MB
            for _ in range(megabytes):
                part.write(blank)
            part.write(b"-->" + tail)

    return write


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` whose directory (and local header) declare ``size`` as the unpacked size of the
    part ``name`` (not a ZIP64 part): a ZIP that lies about a part."""
    import struct

    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
        offset = archive.start_dir
    while out[offset : offset + 4] == b"PK\x01\x02":
        length, extra, comment = struct.unpack_from("<HHH", out, offset + 28)
        if out[offset + 46 : offset + 46 + length].decode() == name:
            struct.pack_into("<I", out, offset + 24, size)
            struct.pack_into("<I", out, info.header_offset + 22, size)
            return bytes(out)
        offset += 46 + length + extra + comment
    raise KeyError(name)


def first_sheet(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def part_of(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


# -- XLSX ---------------------------------------------------------------------------------------


def xlsx_bomb(good: bytes, megabytes: int = 100) -> bytes:
    """The first sheet unpacks to ``megabytes`` MB (the issue's bomb: 0.3 MB to 100 MB)."""
    sheet = first_sheet(good)
    original = part_of(good, sheet)
    head, _sep, _rest = original.partition(b"?>")
    return rewrite(
        good,
        {sheet: _padded_part(sheet, head + b"?>", original[len(head) + 2 :].lstrip(), megabytes)},
    )


def xlsx_many_small_parts(good: bytes, parts: int = 3000) -> bytes:
    return rewrite(good, add={f"xl/extra/part{n}.xml": b"<x/>" for n in range(parts)})


def xlsx_xxe(good: bytes) -> bytes:
    """The first sheet declares an external entity to a local file and uses it in a cell."""
    sheet = first_sheet(good)
    original = part_of(good, sheet)
    dtd = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    head, _sep, rest = original.partition(b"?>")
    return rewrite(good, {sheet: head + b"?>" + dtd + rest.replace(b"<v>", b"<v>&xxe;", 1)})


def xlsx_laughs(good: bytes) -> bytes:
    """Billion laughs: ten levels of entities, each ten of the one below."""
    sheet = first_sheet(good)
    original = part_of(good, sheet)
    levels = ['<!ENTITY l0 "ha">'] + [
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    dtd = ("<!DOCTYPE worksheet [" + "".join(levels) + "]>").encode()
    head, _sep, rest = original.partition(b"?>")
    return rewrite(good, {sheet: head + b"?>" + dtd + rest.replace(b"<v>", b"<v>&l9;", 1)})


def unit_rows_sheet(rows: int) -> bytes:
    """The structure's Unit sheet with ``rows`` good units (Kode, Nama, Jenis, Kode Induk,
    Urutan), written directly as XML (fast to make)."""
    body = io.BytesIO()
    body.write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    header = ("Kode", "Nama", "Jenis", "Kode Induk", "Urutan")
    for r in range(1, rows + 2):
        values = header if r == 1 else (f"U{r}", f"Unit contoh {r}", "bidang", "", None)
        cells = "".join(
            f'<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for c, v in zip("ABCDE", values, strict=True)
            if v
        )
        if r > 1:
            cells += f'<c r="E{r}"><v>{r}</v></c>'
        body.write(f'<row r="{r}">{cells}</row>'.encode())
    body.write(b"</sheetData></worksheet>")
    return body.getvalue()


def xlsx_shared_strings(good: bytes, count: int) -> bytes:
    """``good`` with a shared-strings table of ``count`` distinct texts."""
    items = "".join(f"<si><t>teks {n}</t></si>" for n in range(count))
    table = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">{items}</sst>'
    )
    return rewrite(good, add={"xl/sharedStrings.xml": table.encode()})


def zip_renamed(files: dict[str, bytes] | None = None) -> bytes:
    """A ZIP that is not an Office file (a folder of text files renamed to .xlsx or .docx)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in (files or {"catatan.txt": b"bukan buku kerja"}).items():
            archive.writestr(name, value)
    return out.getvalue()


def zip_with_large_part(inside: dict[str, bytes], name: str, megabytes: int) -> bytes:
    """A ZIP of ``inside`` and one more part ``name`` of ``megabytes`` MB of blanks."""
    return rewrite(zip_renamed(inside), add={name: _padded_part(name, b"", b"", megabytes)})


NOT_A_ZIP = b"PK\x03\x04" + b"\x00\xff bukan arsip " * 64


# -- DOCX ---------------------------------------------------------------------------------------

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def docx_with_external_image(good: bytes, url: str) -> bytes:
    """``good`` with a picture whose data is linked (not embedded) from ``url``: a relationship
    with TargetMode="External", as Word writes for Insert > Picture > Link to File."""
    rels_name = "word/_rels/document.xml.rels"
    rels = part_of(good, rels_name)
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdEvil" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        b'Target="' + url.encode() + b'" TargetMode="External"/></Relationships>',
    )
    document = part_of(good, "word/document.xml")
    picture = (
        b'<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/'
        b'drawingml/2006/wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/>'
        b'<wp:docPr id="999" name="tautan"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
        b'drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
        b'2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/'
        b'picture"><pic:nvPicPr><pic:cNvPr id="999" name="tautan"/><pic:cNvPicPr/></pic:nvPicPr>'
        b'<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships" r:link="rIdEvil"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        b'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
        b"</a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    field = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        b' INCLUDEPICTURE "' + url.encode() + b'" \\d </w:instrText></w:r><w:r>'
        b'<w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    document = document.replace(b"<w:sectPr", picture + field + b"<w:sectPr", 1)
    return rewrite(good, {rels_name: rels, "word/document.xml": document})


def docx_bomb(good: bytes, megabytes: int = 100) -> bytes:
    return rewrite(
        good,
        {"word/styles.xml": _padded_part("word/styles.xml", b"", b"<w:styles/>", megabytes)},
    )


# -- SOP YAML -----------------------------------------------------------------------------------


def yaml_laughs(levels: int = 12) -> str:
    """The YAML billion laughs: each anchor a list of ten of the one before."""
    lines = ["format: kinerja-sop/1", "name: Bom", "a0: &a0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    lines.append(f"lanes: *a{levels - 1}")
    lines.append(f"steps: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def yaml_recursive() -> str:
    """An anchor that contains itself: a cycle in the YAML graph."""
    return "format: kinerja-sop/1\nname: Siklus\nlanes: &loop [*loop]\nsteps: []\n"


def yaml_padded(good: str, megabytes: float = 5) -> str:
    """``good`` (a seed SOP) with its Dasar Hukum grown to ``megabytes`` MB: every entry within the
    format's field limits, so that only the file's size is wrong (the issue's 5 MB SOP, whose PDF
    ran to 941 pages)."""
    entry = "  - Peraturan Daerah tentang hal yang sangat panjang " + "dan seterusnya " * 60 + "\n"
    count = int(megabytes * MB / len(entry)) + 1
    return good.replace("legal_basis:\n", "legal_basis:\n" + entry * count, 1)


def yaml_many_steps(good: str, steps: int, lanes: int = 1, identity_entries: int = 0) -> str:
    """An SOP of ``steps`` steps in ``lanes`` lanes, each step's texts at their longest, and
    ``identity_entries`` entries of 500 characters in each list of the identity sheet."""
    lines = ["format: kinerja-sop/1", "agency: DKUKMTK-BLG", "key: panjang", "name: SOP panjang"]
    entry = ("Peraturan tentang hal yang panjang sekali " * 13)[:500].strip()
    for field in ("legal_basis", "qualifications", "equipment", "warnings", "records"):
        lines.append(f"{field}:")
        lines += [f"  - {entry}"] * identity_entries
    lines.append("lanes:")
    for n in range(lanes):
        lines.append(f"  - {{key: l{n}, name: Pelaksana {n}, positions: [KADIS]}}")
    lines.append("steps:")
    long_text = "Melaksanakan kegiatan " * 40
    for n in range(1, steps + 1):
        lines += [
            f"  - number: {n}",
            f"    text: {long_text[:1000].strip()}",
            f"    lane: l{n % lanes}",
            f"    inputs: {long_text[:500].strip()}",
            f"    output: {long_text[:500].strip()}",
            f"    note: {long_text[:500].strip()}",
            "    time: 1 Jam",
        ]
        if n == 1:
            lines.append("    start: true")
        if n == steps:
            lines.append("    end: true")
    return "\n".join(lines) + "\n"
