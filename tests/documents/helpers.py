from __future__ import annotations

import io
import subprocess
import tempfile

from docx import Document as Docx


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
