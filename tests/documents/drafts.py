"""Reading back what a document claims on its face: the KONSEP mark, the QR, the UU ITE footer.

Every check opens the real file again: python-docx for the DOCX (headers and footers included),
pdftotext and pdfimages (poppler) for the PDF. The QR is recognised by re-encoding the expected
address independently with segno and looking for that exact module matrix among the images.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile

import segno
from docx import Document as Docx
from PIL import Image

from tests.documents.helpers import docx_text, qr_matrices

DRAFT_WORD = "KONSEP"
VALIDITY_CLAIM = "UU ITE"
# Lines that are marks, not content: the draft's note, the final's footer and address.
MARKS = (DRAFT_WORD, "bukan dokumen final", VALIDITY_CLAIM, "/dokumen/verifikasi/")


def docx_all_text(data: bytes) -> str:
    """Body paragraphs, tables, and every header and footer of every section."""
    doc = Docx(io.BytesIO(data))
    lines = [docx_text(data)]
    for section in doc.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                lines.extend(p.text for p in part.paragraphs)
    return "\n".join(lines)


def docx_header_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    return "\n".join(
        p.text
        for section in doc.sections
        if not section.header.is_linked_to_previous
        for p in section.header.paragraphs
    )


def _expected_matrix(payload: str) -> list[list[bool]]:
    matrix = [[bool(cell) for cell in row] for row in segno.make(payload, error="m").matrix]
    size = len(matrix) + 8
    return (
        [[False] * size for _ in range(4)]
        + [[False] * 4 + row + [False] * 4 for row in matrix]
        + [[False] * size for _ in range(4)]
    )


def docx_images(data: bytes) -> list[bytes]:
    doc = Docx(io.BytesIO(data))
    return [
        part.blob
        for part in doc.part.package.iter_parts()
        if part.content_type.startswith("image/")
    ]


def docx_has_qr_of(data: bytes, payload: str) -> bool:
    want = _expected_matrix(payload)
    for blob in docx_images(data):
        with Image.open(io.BytesIO(blob)) as image:
            gray = image.convert("L")
            width, height = gray.size
            if width != height or width != len(want):
                continue
            pixels = gray.load()
            if [[pixels[x, y] < 128 for x in range(width)] for y in range(height)] == want:
                return True
    return False


def square_images(pdf: bytes) -> int:
    """How many square raster images the PDF holds (a QR is one; charts are vector drawings)."""
    return len(qr_matrices(pdf))


def without_marks(text: str, token: str = "") -> list[str]:
    """The words of a PDF's text without the draft mark, the validity footer, the verification
    address (``token``: the version's, for the part of the address wrapped onto its own line) and
    the page numbers: what must be identical between the draft and the signed file."""
    kept = []
    for line in text.splitlines():
        if any(mark in line for mark in MARKS) or (token and token in line):
            continue
        if re.fullmatch(r"\s*\d+\s*", line):
            continue
        kept.extend(line.split())
    return kept


def _pdftotext(pdf: bytes, *options: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        return subprocess.run(  # noqa: S603
            ["pdftotext", *options, tmp.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def pdf_words(pdf: bytes, token: str = "") -> list[str]:
    """The words of the PDF (the KONSEP watermark is a picture, not text)."""
    return without_marks(_pdftotext(pdf, "-layout"), token)


def reading_text(pdf: bytes) -> str:
    """The PDF's text in reading order (blocks kept apart, unlike ``-layout``)."""
    return _pdftotext(pdf)


def first_revision(signed: bytes) -> bytes:
    """The PDF as it was before the signature: a PAdES signature is an incremental update, so
    the file that was signed is the signed file up to its first end-of-file marker."""
    end = signed.index(b"%%EOF") + len(b"%%EOF")
    while end < len(signed) and signed[end : end + 1] in (b"\r", b"\n"):
        end += 1
    return signed[:end]
