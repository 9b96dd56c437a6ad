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


def qr_matrices(pdf: bytes) -> list[list[list[bool]]]:
    """Every square image of the PDF as a matrix of dark pixels (pdfimages, native size)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(  # noqa: S603
            ["pdfimages", "-png", str(path), str(Path(tmp) / "img")],  # noqa: S607
            check=True,
        )
        out = []
        for png in sorted(Path(tmp).glob("img-*.png")):
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
