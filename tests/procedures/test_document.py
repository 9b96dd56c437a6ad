"""The SOP document: every step's text is in the PDF, and the flowchart draws the right number of
each of the five symbols (counted in the SVG)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from kinerja.procedures.document import context, render_html, render_pdf
from kinerja.procedures.flowchart import paginate

pytestmark = pytest.mark.django_db

# agency: (terminators, processes, decisions, flowchart sheets at 8 steps per sheet)
SYMBOLS = {
    "DKUKMTK-BLG": (2, 9, 0, 2),
    "DINKES-BLG": (2, 5, 2, 2),
    "KTT_BLG": (2, 8, 0, 2),
    "ADPIM-KALBAR": (2, 7, 0, 2),
}


def tool(name: str, *args: str) -> str:
    """Output of a poppler tool, called by its full path."""
    return subprocess.run(  # noqa: S603
        [shutil.which(name), *args], capture_output=True, text=True, check=True
    ).stdout


def squash(text: str) -> str:
    """Whitespace collapsed, hyphens dropped (pdftotext joins "e-\nreview" into "ereview")."""
    return " ".join(text.replace("-", "").split())


def shapes(html: str, kind: str) -> set[str]:
    """The steps drawn with symbol ``kind`` (each row repeats its sheet's drawing: count once)."""
    pattern = rf'class="sym sym-{kind}" data-step="(\d+)"'
    return set(re.findall(pattern, html))


@pytest.mark.parametrize("code", list(SYMBOLS))
def test_symbols_in_the_flowchart(seed_sops, code):
    version = seed_sops[code]
    html = render_html(version)
    terminators, processes, decisions, sheets = SYMBOLS[code]
    assert len(shapes(html, "terminator")) == terminators
    assert len(shapes(html, "process")) == processes
    assert len(shapes(html, "decision")) == decisions
    assert html.count('data-testid="flow-sheet"') == sheets
    assert html.count('data-testid="identity-sheet"') == 1
    # The header row (with every lane) is repeated on every sheet.
    assert html.count('data-testid="lane"') == sheets * version.lanes.count()
    # Arrows and off-page connectors, counted in each sheet's whole drawing.
    doc = context(version)
    pages = paginate(list(version.ordered_steps()), 8)
    page_of = {s.number: i for i, chunk in enumerate(pages) for s in chunk}
    flows = crossing = 0
    for step in version.ordered_steps():
        for target in step.next_steps():
            if page_of[target.number] == page_of[step.number]:
                flows += 1
            else:
                crossing += 1
    svg = "".join(sheet.svg for sheet in doc["sheets"])
    assert svg.count('class="sym sym-connector" data-direction="out"') == crossing
    assert svg.count('class="sym sym-connector" data-direction="in"') == crossing
    assert svg.count('<g class="flow">') == flows + 2 * crossing
    assert crossing >= 1  # every seed runs onto a second sheet at 8 steps per sheet


def test_decision_exits_are_labelled(seed_sops):
    svg = "".join(s.svg for s in context(seed_sops["DINKES-BLG"])["sheets"])
    assert len(re.findall(r'class="exit"[^>]*>Ya<', svg)) == 2
    assert len(re.findall(r'class="exit"[^>]*>Tidak<', svg)) == 2


def test_steps_per_page_is_configurable(seed_sops):
    version = seed_sops["DKUKMTK-BLG"]
    assert render_html(version, 4).count('data-testid="flow-sheet"') == 3
    assert render_html(version, 20).count('data-testid="flow-sheet"') == 1
    assert 'data-direction="out"' not in "".join(s.svg for s in context(version, 20)["sheets"])


@pytest.mark.parametrize("code", list(SYMBOLS))
def test_pdf_contains_every_step(seed_sops, code, tmp_path):
    version = seed_sops[code]
    pdf = render_pdf(version)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "sop.pdf"
    path.write_bytes(pdf)
    text = squash(tool("pdftotext", str(path), "-"))
    for step in version.ordered_steps():
        assert squash(step.text) in text, step.number
        assert squash(step.time_text) in text
    assert squash(version.name) in text
    assert squash(version.signer_name) in text
    assert version.total_time().display() in text
    pages = tool("pdfinfo", str(path))
    assert re.search(r"Pages:\s+3", pages)
    assert re.search(r"Page size:\s+841\.89 x 595\.2", pages)  # A4 landscape
