"""The report charts: the same shapes as SVG (PDF) and PNG (DOCX); the tick and label helpers."""

from __future__ import annotations

import io
import itertools
import math
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kinerja.documents import charts

SVG = "{http://www.w3.org/2000/svg}"


def _tree(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG, not untrusted input


def _texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in _tree(svg).iter(f"{SVG}text")]


def test_target_vs_actual_svg_and_png_show_the_same_chart():
    chart = charts.target_vs_actual(
        ["Persentase UMKM naik kelas", "Jumlah koperasi sehat"],
        [72.0, 40.0],
        [63.5, None],
        "Target dan realisasi 2024",
    )
    svg = chart.svg()
    texts = _texts(svg)
    assert "Target dan realisasi 2024" in texts
    assert {"Target", "Realisasi"} <= set(texts)
    assert any("Persentase UMKM" in t for t in texts)
    bars = [r for r in _tree(svg).iter(f"{SVG}rect") if r.get("fill") == charts.ACTUAL]
    assert len(bars) == 2  # the actual of the first indicator and the legend's swatch; None: no bar
    with Image.open(io.BytesIO(chart.png())) as image:
        assert image.size == (1240, 560)  # 6.2 x 2.8 inch at 200 dpi
        assert round(image.info["dpi"][0]) == charts.PNG_DPI
        assert image.convert("RGB").getcolors(1_000_000)  # drawn, not blank
        colours = {c for _n, c in image.convert("RGB").getcolors(1_000_000)}
        assert (0x1F, 0x4E, 0x79) in colours and (0x9B, 0xB7, 0xD4) in colours
    assert chart.svg() is svg  # drawn once, shared by every use in a generation


def test_trend_category_and_structure_charts_carry_their_labels():
    trend = charts.trend([2022, 2023, 2024], {"Sasaran 1": [80.0, None, 95.5]}, "Tren")
    assert {"2022", "2023", "2024", "Sasaran 1", "Capaian (%)"} <= set(_texts(trend.svg()))
    assert len(list(_tree(trend.svg()).iter(f"{SVG}circle"))) == 2
    categories = charts.by_category(
        {"ST": 3, "T": 0}, {"ST": "Sangat Tinggi", "T": "Tinggi"}, "Kategori"
    )
    assert {"Sangat Tinggi", "Tinggi", "3", "0"} <= set(_texts(categories.svg()))
    org = charts.org_chart([(1, None, "Kepala Dinas\nBudi"), (2, 1, "Sekretaris\nAni")])
    assert {"Kepala Dinas", "Budi", "Sekretaris", "Ani"} <= set(_texts(org.svg()))
    for chart in (trend, categories, org):
        with Image.open(io.BytesIO(chart.png())) as image:
            image.verify()


def test_text_with_markup_characters_is_escaped():
    chart = charts.by_category({"A": 1}, {"A": '<Baik> & "Sangat"'}, "T")
    assert '<Baik> & "Sangat"' in _texts(chart.svg())


def test_nice_ticks_examples():
    assert charts.nice_ticks(0, 72) == [0, 20, 40, 60, 80]
    assert charts.nice_ticks(80, 90) == [80, 82.5, 85, 87.5, 90]
    assert charts.nice_ticks(5, 5) == [4, 4.5, 5, 5.5, 6]


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
)
def test_nice_ticks_cover_the_range_in_equal_round_steps(a, b):
    low, high = min(a, b), max(a, b)
    ticks = charts.nice_ticks(low, high)
    assert 2 <= len(ticks) <= 12
    steps = [y - x for x, y in itertools.pairwise(ticks)]
    step = steps[0]
    assert step > 0 and all(math.isclose(s, step, rel_tol=1e-6) for s in steps)
    # covers the range, up to a millionth of a step (invisible on the chart)
    assert ticks[0] <= low + step * 1e-6 and ticks[-1] >= high - step * 1e-6
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))


@given(
    st.text(alphabet="abcdefghij KLMNOP", min_size=0, max_size=120),
    st.floats(20, 400),
    st.integers(1, 4),
)
def test_fit_lines_never_exceeds_the_width_nor_the_line_count(text, width, lines):
    size = 7 * charts.PT
    out = charts.fit_lines(text, width, size, lines)
    assert len(out) <= lines
    for line in out:
        assert charts.text_width(line, size) <= width + 1e-6 or len(line.rstrip("…")) <= 1
    if out and not out[-1].endswith("…"):
        assert " ".join(out).replace(" ", "") == text.replace(" ", "")


def test_fit_lines_ends_what_does_not_fit_with_an_ellipsis():
    out = charts.fit_lines("Persentase capaian layanan perizinan berusaha terintegrasi", 60, 10, 2)
    assert len(out) == 2 and out[-1].endswith("…")
