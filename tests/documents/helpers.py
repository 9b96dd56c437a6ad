from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import segno
from docx import Document as Docx
from PIL import Image


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", tmp.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def docx_headings(data: bytes) -> list[str]:
    doc = Docx(io.BytesIO(data))
    return [
        p.text
        for p in doc.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]


def read(fieldfile) -> bytes:
    with fieldfile.open("rb") as handle:
        return handle.read()


def _pages_with_square_images(path: Path) -> list[str]:
    """The pages (numbers, as text) on which ``pdfimages -list`` shows a square image."""
    listing = subprocess.run(  # noqa: S603
        ["pdfimages", "-list", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]  # two header lines
    pages: list[str] = []
    for row in listing:
        page, _num, _type, width, height, *_rest = row.split()
        if width == height and page not in pages:
            pages.append(page)
    return pages


def qr_matrices(pdf: bytes) -> list[list[list[bool]]]:
    """Every square image of the PDF as a matrix of dark pixels (pdfimages, native size).

    Only the pages that hold a square image are extracted: writing every picture of a long
    report as PNG (each page's KONSEP mark, the charts) took minutes and found nothing more."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = []
        for page in _pages_with_square_images(path):
            prefix = Path(tmp) / f"page-{int(page):05d}"
            subprocess.run(  # noqa: S603
                ["pdfimages", "-png", "-f", page, "-l", page, str(path), str(prefix)],  # noqa: S607
                check=True,
            )
            for png in sorted(Path(tmp).glob(f"{prefix.name}-*.png")):
                with Image.open(png) as image:
                    gray = image.convert("L")
                    width, height = gray.size
                    if width != height:
                        continue
                    pixels = gray.load()
                    out.append([[pixels[x, y] < 128 for x in range(width)] for y in range(height)])
        return out


def has_qr_of(pdf: bytes, payload: str) -> bool:
    """Whether the PDF holds the QR code of ``payload`` (re-encoded independently with segno)."""
    matrix = [[bool(cell) for cell in row] for row in segno.make(payload, error="m").matrix]
    size = len(matrix) + 8
    want = (
        [[False] * size for _ in range(4)]
        + [[False] * 4 + row + [False] * 4 for row in matrix]
        + [[False] * size for _ in range(4)]
    )
    return want in qr_matrices(pdf)
