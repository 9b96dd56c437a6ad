"""Reading generated documents back, and writing figures the way an Indonesian reader expects.

Text only: DOCX through python-docx (paragraphs and tables in body order), PDF through
``pdftotext -layout``. Nothing here knows how the documents are made.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from docx import Document as Docx
from docx.table import Table
from docx.text.paragraph import Paragraph

NONE = "-"


def id_number(value: Decimal | int | None, decimals: int = 2) -> str:
    """``1.234,56``: dot for thousands, comma for decimals, rounded half up."""
    if value is None:
        return NONE
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def pct(value: Decimal | None) -> str:
    return NONE if value is None else f"{id_number(value, 2)}%"


def money(value: Decimal | None) -> str:
    return NONE if value is None else id_number(value, 0)


def flat(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Block:
    kind: str  # "p" or "t"
    text: str = ""
    style: str = ""
    rows: list[list[str]] | None = None


def docx_blocks(data: bytes) -> list[Block]:
    """Paragraphs and tables of the DOCX body, in order."""
    doc = Docx(io.BytesIO(data))
    blocks = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, doc)
            blocks.append(
                Block("p", paragraph.text, paragraph.style.name if paragraph.style else "")
            )
        elif tag == "tbl":
            table = Table(child, doc)
            rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
            blocks.append(Block("t", rows=rows))
    return blocks


def between(blocks: list[Block], start: str, end: str | None = None) -> list[Block]:
    """The blocks after the heading that is exactly ``start`` up to the heading ``end``."""
    begin = next(
        i
        for i, b in enumerate(blocks)
        if b.kind == "p" and b.style.startswith("Heading") and b.text == start
    )
    for i in range(begin + 1, len(blocks)):
        b = blocks[i]
        if end is not None and b.kind == "p" and b.style.startswith("Heading") and b.text == end:
            return blocks[begin + 1 : i]
    return blocks[begin + 1 :]


def tables(blocks: list[Block], header: list[str]) -> list[list[list[str]]]:
    """The tables of ``blocks`` whose first row is ``header``, without it."""
    return [b.rows[1:] for b in blocks if b.kind == "t" and b.rows and b.rows[0] == header]


def text_of(blocks: list[Block]) -> str:
    return "\n".join(
        b.text if b.kind == "p" else "\n".join(" | ".join(r) for r in b.rows) for b in blocks
    )


def pdf_between(text: str, start: str, end: str | None = None) -> str:
    """The PDF text from the line that starts with ``start`` to the line that starts with
    ``end``, flattened to single spaces."""
    lines = text.splitlines()
    begin = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
    stop = len(lines)
    if end is not None:
        stop = next(
            (i for i in range(begin + 1, len(lines)) if lines[i].strip().startswith(end)), stop
        )
    # a hyphenated word broken at the end of a line ("rata-" / "rata") is one word again
    return re.sub(r"(?<=[a-z])- (?=[a-z])", "-", flat("\n".join(lines[begin:stop])))


def has_words(text: str, figure: str) -> bool:
    """Whether every word of ``figure`` is in ``text``: a grade such as "Berita acara
    ditetapkan" wraps inside its table cell, and its words end up between other columns'."""
    words = set(text.split())
    return all(word in words for word in figure.split())


def in_sequence(text: str, *figures: str) -> bool:
    """Whether ``figures`` stand next to each other (only spaces between) in flattened text."""
    pattern = r"(?<![\d.,])" + r"\s+".join(re.escape(f) for f in figures) + r"(?![\d,]\d)"
    return re.search(pattern, text) is not None


# How the reports print a target and an actual ------------------------------------------


def goal_text(goal, decimals: int) -> str:
    if goal.text:
        return goal.text
    if goal.value is None:
        return NONE
    if goal.upper is not None:
        return f"{id_number(goal.value, decimals)} – {id_number(goal.upper, decimals)}"
    return id_number(goal.value, decimals)


def actual_text(row) -> str:
    if row.actual_text and row.actual is None:
        return row.actual_text
    return id_number(row.actual, row.indicator.decimals)


def numeric(figures: tuple[str, ...]) -> tuple[str, ...]:
    """The figures that are numbers: a grade ("Berita acara ditetapkan") wraps in its table cell,
    so it is looked for on its own, and the numbers around it in sequence."""
    return tuple(f for f in figures if re.fullmatch(r"[\d.,–% -]+", f))
