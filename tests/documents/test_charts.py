"""The charts of ``kinerja.core.charts``: the report charts drawn as the same shapes in SVG (PDF)
and PNG (DOCX), the tick and label helpers, and the category colours from the agency's own scale."""

from __future__ import annotations

import io
import itertools
import math
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kinerja.core.charts import achievement, base, organisation
from kinerja.performance import formulas

SVG = "{http://www.w3.org/2000/svg}"


def _tree(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG, not untrusted input


def _texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in _tree(svg).iter(f"{SVG}text")]


def _panel_bars(svg: bytes) -> dict[str, list[ET.Element]]:
    """The value bars of each panel (legend swatches carry no data-value)."""
    panels: dict[str, list[ET.Element]] = {}
    for rect in _tree(svg).iter(f"{SVG}rect"):
        if rect.get("data-value") is not None:
            panels.setdefault(rect.get("data-panel"), []).append(rect)
    return panels


def _zero_line(svg: bytes, panel: str) -> float:
    (tick,) = [
        t
        for t in _tree(svg).iter(f"{SVG}line")
        if t.get("data-panel") == panel and t.get("data-tick") == "0"
    ]
    return float(tick.get("y1"))


def test_each_indicator_has_its_own_axis_from_zero_so_small_values_are_visible():
    chart = achievement.indicator_panels(
        [
            achievement.Panel("Persentase koperasi aktif", "%", 64.0, None, 49.09),
            achievement.Panel("Persentase UMKM naik kelas", "%", 3.5, None, 3.77),
            achievement.Panel("Jumlah kasus", "kasus", 0.0, None, 2.0),
        ],
        "Target dan realisasi 2024",
    )
    svg = chart.svg()
    texts = _texts(svg)
    assert "Target dan realisasi 2024" in texts and {"Target", "Realisasi"} <= set(texts)
    assert {"3,5", "3,77", "64", "49,09"} <= set(texts)  # every value is written on its bar
    panels = _panel_bars(svg)
    assert len(panels) == 3
    for name, bars in panels.items():
        zero = _zero_line(svg, name)
        heights = {}
        for bar in bars:
            top, height = float(bar.get("y")), float(bar.get("height"))
            assert math.isclose(top + height, zero, abs_tol=0.15)  # every bar stands on zero
            heights[float(bar.get("data-value"))] = height
        drawn = {v: h for v, h in heights.items() if v}
        ratios = [h / v for v, h in drawn.items()]
        assert all(math.isclose(r, ratios[0], rel_tol=0.02) for r in ratios), heights
        assert max(drawn.values()) > 60  # the taller bar fills most of its panel
    with Image.open(io.BytesIO(chart.png())) as image:
        assert round(image.info["dpi"][0]) == base.PNG_DPI
        colours = {c for _n, c in image.convert("RGB").getcolors(1_000_000)}
        assert (0x1F, 0x4E, 0x79) in colours and (0x9B, 0xB7, 0xD4) in colours
    assert chart.svg() is svg  # drawn once, shared by every use in a generation


def test_a_range_target_shows_both_bounds_and_no_panel_without_numbers():
    chart = achievement.indicator_panels(
        [
            achievement.Panel("Rata-rata lama proses", "hari", 2.0, 3.0, 3.4),
            achievement.Panel("Predikat SAKIP", "predikat", None, None, None),
        ],
        "T",
    )
    assert "2–3" in _texts(chart.svg())
    assert len(_panel_bars(chart.svg())) == 1
    assert (
        achievement.indicator_panels([achievement.Panel("Predikat", "", None, None, None)], "T")
        is None
    )


def test_trend_leaves_out_years_without_data_and_starts_at_zero():
    chart = achievement.trend([2022, 2023, 2024], {"Sasaran 1": [None, 80.0, 95.5]}, "Tren")
    texts = _texts(chart.svg())
    assert "2022" not in texts and {"2023", "2024"} <= set(texts)
    ticks = [
        float(t.get("data-tick"))
        for t in _tree(chart.svg()).iter(f"{SVG}line")
        if t.get("data-tick")
    ]
    assert min(ticks) == 0 and max(ticks) >= 95.5


def test_trend_category_and_structure_charts_carry_their_labels():
    trend = achievement.trend([2022, 2023, 2024], {"Sasaran 1": [80.0, None, 95.5]}, "Tren")
    assert {"2022", "2024", "Sasaran 1", "Capaian (%)"} <= set(_texts(trend.svg()))
    assert len(list(_tree(trend.svg()).iter(f"{SVG}circle"))) == 2
    categories = achievement.by_category(
        {"ST": 3, "T": 0}, formulas.PERMENDAGRI_86_2017, "Kategori"
    )
    assert {"Sangat Tinggi", "Tinggi", "3", "0"} <= set(_texts(categories.svg()))
    org = organisation.org_chart([(1, None, "Kepala Dinas\nBudi"), (2, 1, "Sekretaris\nAni")])
    assert {"Kepala Dinas", "Budi", "Sekretaris", "Ani"} <= set(_texts(org.svg()))
    for chart in (trend, categories, org):
        with Image.open(io.BytesIO(chart.png())) as image:
            image.verify()


def test_text_with_markup_characters_is_escaped():
    scale = formulas.Scale("S", (formulas.Band("A", '<Baik> & "Sangat"', None),))
    chart = achievement.by_category({"A": 1}, scale, "T")
    assert '<Baik> & "Sangat"' in _texts(chart.svg())


# A scale like LKjIP Kab. Maluku Tengah's (docs/domain.md §6): above 85 is the top band.
OWN_SCALE = formulas.Scale(
    "Skala Maluku Tengah",
    (
        formulas.Band("M", "Memuaskan", Decimal(85)),
        formulas.Band("SB", "Sangat Baik", Decimal(75)),
        formulas.Band("B", "Baik", Decimal(65)),
        formulas.Band("CB", "Cukup Baik", Decimal(50)),
        formulas.Band("AK", "Agak Kurang", Decimal(30)),
        formulas.Band("K", "Kurang", None),
    ),
)


def _bar_colours(svg: str) -> dict[str, str]:
    tree = ET.fromstring(svg)  # noqa: S314 - our own SVG, not untrusted input
    return {r.get("data-value"): r.get("fill") for r in tree.iter(f"{SVG}rect")}


def test_the_agencys_own_scale_colours_the_bars():
    """88 is "Tinggi" (second band) on the Permendagri 86/2017 thresholds (above 90 is the top),
    but the top band on a scale whose top band starts above 85: its bar turns the top colour."""
    items = [("IKU 1", Decimal("88"))]
    national = _bar_colours(achievement.achievement_bars(items, "T", formulas.PERMENDAGRI_86_2017))
    own = _bar_colours(achievement.achievement_bars(items, "T", OWN_SCALE))
    assert national["88"] == base.BAND_COLOURS[1]
    assert own["88"] == base.BAND_COLOURS[0]
    counts = {"M": 1, "SB": 0, "B": 0, "CB": 0, "AK": 0, "K": 2}
    fills = {
        r.get("data-category"): r.get("fill")
        for r in _tree(achievement.by_category(counts, OWN_SCALE, "T").svg()).iter(f"{SVG}rect")
        if r.get("data-category")
    }
    assert fills["M"] == base.BAND_COLOURS[0] and fills["K"] == base.BAND_COLOURS[-1]


def test_nice_ticks_examples():
    assert base.nice_ticks(0, 72) == [0, 20, 40, 60, 80]
    assert base.nice_ticks(80, 90) == [80, 82.5, 85, 87.5, 90]
    assert base.nice_ticks(5, 5) == [4, 4.5, 5, 5.5, 6]


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
)
def test_nice_ticks_cover_the_range_in_equal_round_steps(a, b):
    low, high = min(a, b), max(a, b)
    ticks = base.nice_ticks(low, high)
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
    size = 7 * base.PT
    out = base.fit_lines(text, width, size, lines)
    assert len(out) <= lines
    for line in out:
        assert base.text_width(line, size) <= width + 1e-6 or len(line.rstrip("…")) <= 1
    if out and not out[-1].endswith("…"):
        assert " ".join(out).replace(" ", "") == text.replace(" ", "")


def test_fit_lines_ends_what_does_not_fit_with_an_ellipsis():
    out = base.fit_lines("Persentase capaian layanan perizinan berusaha terintegrasi", 60, 10, 2)
    assert len(out) == 2 and out[-1].endswith("…")


_amount = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 2)))


@given(st.lists(st.tuples(_amount, _amount), min_size=1, max_size=7))
def test_panel_bars_stand_on_zero_and_are_proportional_to_their_values(pairs):
    panels = [
        achievement.Panel(f"Indikator {i}", "unit", t, None, a) for i, (t, a) in enumerate(pairs)
    ]
    chart = achievement.indicator_panels(panels, "T")
    drawable = [p for p in panels if p.target is not None or p.actual is not None]
    if not drawable:
        assert chart is None
        return
    svg = chart.svg()
    bars = _panel_bars(svg)
    for name, rects in bars.items():
        zero = _zero_line(svg, name)
        values = [float(r.get("data-value")) for r in rects]
        heights = [float(r.get("height")) for r in rects]
        for rect in rects:
            assert math.isclose(
                float(rect.get("y")) + float(rect.get("height")), zero, abs_tol=0.15
            )
        top = max(values)
        if top > 0:
            tallest = max(heights)
            for value, height in zip(values, heights, strict=True):
                assert math.isclose(height, tallest * value / top, abs_tol=0.15)
    assert sum(len(r) for r in bars.values()) == sum(
        (p.target is not None) + (p.actual is not None) for p in drawable
    )


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.floats(0, 250, allow_nan=False)), min_size=3, max_size=3),
        min_size=1,
        max_size=4,
    )
)
def test_trend_axis_holds_only_years_with_data_and_starts_at_zero(series):
    years = [2022, 2023, 2024]
    chart = achievement.trend(years, {f"Sasaran {i}": s for i, s in enumerate(series)}, "Tren")
    texts = _texts(chart.svg())
    with_data = [str(y) for i, y in enumerate(years) if any(s[i] is not None for s in series)]
    assert [t for t in texts if t in {"2022", "2023", "2024"}] == with_data
    ticks = [
        float(t.get("data-tick"))
        for t in _tree(chart.svg()).iter(f"{SVG}line")
        if t.get("data-tick") is not None
    ]
    assert min(ticks) == 0
    assert max(ticks) >= max((v for s in series for v in s if v is not None), default=0)
