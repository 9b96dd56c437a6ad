"""The analysis page's achievement bars: coloured by the agency's own category scale, from zero."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from kinerja.performance.models import CategoryBand, CategoryScale, PerformanceSettings
from tests.officials import DKUKMTK

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _charts(html: str) -> list[ET.Element]:
    return [
        ET.fromstring(svg)  # noqa: S314 - our own page's SVG
        for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
        if 'data-chart="achievement"' in svg
    ]


@pytest.fixture
def own_scale(dkukmtk):
    """A scale like LKjIP Kab. Maluku Tengah's (docs/domain.md §6): above 85 is the top band."""
    scale = CategoryScale.objects.create(name="Skala Maluku Tengah")
    for order, (code, label, lower) in enumerate(
        [
            ("M", "Memuaskan", 85),
            ("SB", "Sangat Baik", 75),
            ("B", "Baik", 65),
            ("CB", "Cukup Baik", 50),
            ("AK", "Agak Kurang", 30),
            ("K", "Kurang", None),
        ]
    ):
        CategoryBand.objects.create(scale=scale, code=code, label=label, lower=lower, order=order)
    PerformanceSettings.objects.filter(agency=dkukmtk).update(scale=scale)
    return scale


def test_bars_take_the_colour_of_the_agencys_own_band(client_for, own_scale):
    html = client_for(DKUKMTK.kasubbag).get("/kinerja/DKUKMTK-BLG/analisis/2024/").content
    charts = _charts(html.decode())
    assert charts
    bars = [r for chart in charts for r in chart.iter(f"{SVG}rect") if r.get("data-value")]
    assert bars
    colour_of: dict[str, set[str]] = {}
    for bar in bars:
        value = Decimal(bar.get("data-value"))
        code = bar.get("data-category")
        expected = next(
            b.code for b in own_scale.bands.order_by("order") if b.lower is None or value > b.lower
        )
        assert code == expected, (value, code)
        colour_of.setdefault(code, set()).add(bar.get("fill"))
    assert all(len(fills) == 1 for fills in colour_of.values())  # one colour per band
    assert len({next(iter(f)) for f in colour_of.values()}) == len(colour_of)  # and distinct
    # 85,45 (K-1) is "Memuaskan" on this scale: the top band's colour, not a middle one
    top = [b for b in bars if Decimal(b.get("data-value")) > 85]
    assert top and all(b.get("data-category") == "M" for b in top)


def test_bar_lengths_are_proportional_from_zero(client_for, dkukmtk):
    html = client_for(DKUKMTK.kasubbag).get("/kinerja/DKUKMTK-BLG/analisis/2024/").content
    charts = _charts(html.decode())
    assert charts
    for chart in charts:
        bars = [r for r in chart.iter(f"{SVG}rect") if r.get("data-value")]
        starts = {float(b.get("x")) for b in bars}
        assert len(starts) <= 1  # every bar starts at the zero line
        ratios = [
            float(b.get("width")) / float(b.get("data-value"))
            for b in bars
            if float(b.get("data-value")) > 0
        ]
        assert all(math.isclose(r, ratios[0], rel_tol=0.01) for r in ratios)
