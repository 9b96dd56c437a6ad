"""Every chart of the product, drawn on the server without a plotting library.

Two kinds of output, from plain data and the agency's own category scale passed in (this module
imports no layer: ``docs/architecture.md``):

* Report charts (:func:`indicator_panels`, :func:`trend`, :func:`by_category`, :func:`org_chart`)
  are laid out once as a list of shapes on a :class:`Canvas` (units of 1/100 inch) and then
  written out in the form their document needs: SVG for the PDF (vector, sharp at any print size,
  and WeasyPrint draws it itself) and PNG at 200 dpi for the DOCX (Word needs a raster image). Both
  come from the same shapes, so the DOCX and the PDF show the same chart. Text is measured with
  the same DejaVu Sans the PDF uses, so labels are placed identically in both. Drawing the shapes
  directly is about twenty times faster than matplotlib for these simple charts, which made up
  most of the time of a report with thirty indicators (bench/documents_lkjip.py).
* Page charts (:func:`achievement_bars`, :func:`sla_chart`, :func:`gantt`) are inline SVG for the
  HTML pages (no JavaScript).

A category colour always comes from the agency's scale (:func:`band_colours`): green for its
highest band, red for its lowest, whatever its thresholds and number of bands (docs/domain.md §6).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

from django.utils import html
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, ImageDraw, ImageFont

from kinerja.core.formats import format_number_id

PNG_DPI = 200
TEXT = "#222222"
AXIS = "#444444"
GRID = "#dddddd"
TARGET, ACTUAL = "#9bb7d4", "#1f4e79"
# The ten colours of matplotlib's default cycle, so the trend keeps the colours it had.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
PT = 100 / 72  # one typographic point in canvas units
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)


@functools.cache
def _font_path(bold: bool) -> str:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    import matplotlib  # ships DejaVu Sans; only needed where the system has no DejaVu

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name)


@functools.lru_cache(maxsize=64)
def _font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_path(bold), size_px)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in canvas units at ``size`` units."""
    return _font(100, bold).getlength(text) * size / 100


@dataclass
class Canvas:
    """Shapes in canvas units (1/100 inch), y downwards; written as SVG or PNG."""

    width: float
    height: float
    shapes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str,
        stroke: str = "",
        data: dict[str, str] | None = None,
    ) -> None:
        """A rectangle; ``data`` becomes ``data-*`` attributes of the SVG (what a bar stands
        for, so that tests and readers of the SVG can check it against its value)."""
        self.shapes.append(
            (
                "rect",
                {"x": x, "y": y, "w": w, "h": h, "fill": fill, "stroke": stroke, "data": data},
            )
        )

    def line(
        self,
        points: Sequence[tuple[float, float]],
        color: str,
        width: float = 1,
        data: dict[str, str] | None = None,
    ) -> None:
        self.shapes.append(
            ("line", {"points": list(points), "color": color, "width": width, "data": data})
        )

    def dot(self, x: float, y: float, r: float, fill: str) -> None:
        self.shapes.append(("dot", {"x": x, "y": y, "r": r, "fill": fill}))

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 8 * PT,
        anchor: str = "start",
        *,
        rotate: float = 0,
        bold: bool = False,
        color: str = TEXT,
    ) -> None:
        """One line of text; ``y`` is its vertical middle, ``rotate`` in degrees (clockwise)."""
        self.shapes.append(
            (
                "text",
                {
                    "x": x,
                    "y": y,
                    "text": text,
                    "size": size,
                    "anchor": anchor,
                    "rotate": rotate,
                    "bold": bold,
                    "color": color,
                },
            )
        )

    # SVG ------------------------------------------------------------------------------------
    def svg(self) -> bytes:
        out = [
            '<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{self.width / 100:.2f}in" height="{self.height / 100:.2f}in" '
            f'viewBox="0 0 {self.width:.0f} {self.height:.0f}" font-family="DejaVu Sans">',
            f'<rect x="0" y="0" width="{self.width:.0f}" height="{self.height:.0f}" fill="#fff"/>',
        ]
        for kind, s in self.shapes:
            data = _data_attributes(s.get("data"))
            if kind == "rect":
                stroke = f' stroke="{s["stroke"]}" stroke-width="1"' if s["stroke"] else ""
                out.append(
                    f'<rect x="{s["x"]:.1f}" y="{s["y"]:.1f}" width="{s["w"]:.1f}" '
                    f'height="{s["h"]:.1f}" fill="{s["fill"]}"{stroke}{data}/>'
                )
            elif kind == "line" and len(s["points"]) == 2 and data:
                (x1, y1), (x2, y2) = s["points"]
                out.append(
                    f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                    f'stroke="{s["color"]}" stroke-width="{s["width"]:.2f}"{data}/>'
                )
            elif kind == "line":
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in s["points"])
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="{s["color"]}" '
                    f'stroke-width="{s["width"]:.2f}" stroke-linejoin="round"{data}/>'
                )
            elif kind == "dot":
                out.append(
                    f'<circle cx="{s["x"]:.1f}" cy="{s["y"]:.1f}" r="{s["r"]:.1f}" '
                    f'fill="{s["fill"]}"/>'
                )
            else:
                baseline = s["y"] + 0.36 * s["size"]  # DejaVu's x-height middle on the line
                rotate = (
                    f' transform="rotate({s["rotate"]:.1f} {s["x"]:.1f} {s["y"]:.1f})"'
                    if s["rotate"]
                    else ""
                )
                weight = ' font-weight="bold"' if s["bold"] else ""
                out.append(
                    f'<text x="{s["x"]:.1f}" y="{baseline:.1f}" font-size="{s["size"]:.1f}" '
                    f'text-anchor="{s["anchor"]}" fill="{s["color"]}"{weight}{rotate}>'
                    f"{escape(s['text'])}</text>"
                )
        out.append("</svg>")
        return "".join(out).encode()

    # PNG ------------------------------------------------------------------------------------
    def png(self, dpi: int = PNG_DPI) -> bytes:
        k = dpi / 100
        image = Image.new("RGB", (round(self.width * k), round(self.height * k)), "white")
        draw = ImageDraw.Draw(image)
        for kind, s in self.shapes:
            if kind == "rect":
                x0, y0 = s["x"] * k, s["y"] * k
                x1, y1 = x0 + s["w"] * k, y0 + s["h"] * k
                box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                draw.rectangle(box, fill=s["fill"], outline=s["stroke"] or None)
            elif kind == "line":
                points = [(x * k, y * k) for x, y in s["points"]]
                draw.line(
                    points, fill=s["color"], width=max(1, round(s["width"] * k)), joint="curve"
                )
            elif kind == "dot":
                r = s["r"] * k
                x, y = s["x"] * k, s["y"] * k
                draw.ellipse((x - r, y - r, x + r, y + r), fill=s["fill"])
            else:
                self._png_text(image, draw, s, k)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=1)
        return buffer.getvalue()

    @staticmethod
    def _png_text(
        image: Image.Image, draw: ImageDraw.ImageDraw, s: dict[str, Any], k: float
    ) -> None:
        font = _font(max(1, round(s["size"] * k)), s["bold"])
        anchor = {"start": "lm", "middle": "mm", "end": "rm"}[s["anchor"]]
        x, y = s["x"] * k, s["y"] * k
        if not s["rotate"]:
            draw.text((x, y), s["text"], font=font, fill=s["color"], anchor=anchor)
            return
        # Rotated: draw on a transparent layer centred on the anchor, turn it, lay it on.
        length = font.getlength(s["text"]) + font.size
        angle = math.radians(s["rotate"])
        half_w = math.ceil(length) + 2
        half_h = math.ceil(abs(math.sin(angle)) * length + abs(math.cos(angle)) * font.size) + 2
        layer = Image.new("L", (2 * half_w, 2 * half_h), 0)
        ImageDraw.Draw(layer).text((half_w, half_h), s["text"], font=font, fill=255, anchor=anchor)
        layer = layer.rotate(-s["rotate"], resample=Image.Resampling.BILINEAR)
        image.paste(s["color"], (round(x) - half_w, round(y) - half_h), layer)


def _data_attributes(data: dict[str, str] | None) -> str:
    return "".join(f" data-{key}={quoteattr(str(value))}" for key, value in (data or {}).items())


@dataclass
class Chart:
    """A chart ready to be written as PNG (DOCX) or SVG (PDF); each form is drawn once."""

    canvas: Canvas
    _png: bytes | None = None
    _svg: bytes | None = None

    def png(self) -> bytes:
        if self._png is None:
            self._png = self.canvas.png()
        return self._png

    def svg(self) -> bytes:
        if self._svg is None:
            self._svg = self.canvas.svg()
        return self._svg


# Helpers ----------------------------------------------------------------------------------------


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def fit_lines(text: str, width: float, size: float, lines: int = 3) -> list[str]:
    """``text`` broken into at most ``lines`` lines no wider than ``width`` units; what does not
    fit ends in an ellipsis."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        cut = len(line)
        while cut > 1 and text_width(line[:cut], size) > width:  # a word too long for a line
            cut -= 1
        if cut < len(line):
            line, rest = line[:cut], line[cut:]
            words.insert(0, rest)
            out.append(line)
            continue
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line = f"{line} {words.pop(0)}"
        out.append(line)
    if words and out:
        last = out[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (steps of 1, 2, 2.5 or 5 times a power of
    ten), at least two."""
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    if high < low:
        low, high = high, low
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-12)
    first = math.floor(low / step + 1e-9)
    ticks = [first * step]
    while ticks[-1] < high - step * 1e-9:
        ticks.append((first + len(ticks)) * step)
    return ticks if len(ticks) >= 2 else [ticks[0], (first + 1) * step]


def _tick_label(value: float, ticks: list[float]) -> str:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1
    decimals = 0 if step >= 1 and all(float(t).is_integer() for t in ticks) else 2
    if decimals and step >= 0.1:
        decimals = 1
    return format_number_id(value, decimals)


def _title(canvas: Canvas, text: str, y: float = 16) -> None:
    canvas.text(canvas.width / 2, y, text, 9.6 * PT, "middle")


def _value_axis(
    canvas: Canvas,
    ticks: list[float],
    left: float,
    right: float,
    top: float,
    bottom: float,
    panel: str = "",
) -> Callable[[float], float]:
    """Draw the vertical value axis of ``ticks`` (grid line, tick, label each); returns the
    mapping of a value to its y. Each grid line carries its value (``data-tick``) in the SVG."""
    low, high = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    for tick in ticks:
        y = y_of(tick)
        data = {"tick": _plain(tick)} | ({"panel": panel} if panel else {})
        canvas.line([(left, y), (right, y)], GRID, 0.6, data)
        canvas.line([(left - 4, y), (left, y)], AXIS, 0.8)
        canvas.text(left - 7, y, _tick_label(tick, ticks), 8 * PT, "end")
    return y_of


def _plain(value: float) -> str:
    """A value as plain text for a data attribute: ``3.5``, ``64``."""
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def _legend(canvas: Canvas, x: float, y: float, items: Sequence[tuple[str, str]]) -> None:
    size = 7 * PT
    for index, (label, colour) in enumerate(items):
        row = y + index * 14
        canvas.rect(x, row - 4, 16, 8, colour)
        canvas.text(x + 21, row, label, size)


# The agency's category scale ----------------------------------------------------------------


class Band(Protocol):
    """A band of a category scale: ``lower`` is its exclusive lower bound, None the bottom band
    (``kinerja.performance.formulas.Band``)."""

    @property
    def code(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def lower(self) -> Decimal | None: ...


class Scale(Protocol):
    """An agency's category scale (``kinerja.performance.formulas.Scale``): its bands, and the
    band a value falls in."""

    @property
    def bands(self) -> Sequence[Band]: ...

    def category(self, value: Decimal | int | str | None) -> Band | None: ...


# From the best band to the worst; a scale with another number of bands spreads over them.
BAND_COLOURS = ("#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#c62828")
NO_BAND = "#9e9e9e"


def band_colours(scale: Scale) -> dict[str, str]:
    """A colour for each band of ``scale``: green for the highest, red for the lowest."""
    ordered = sorted(
        scale.bands, key=lambda b: (b.lower is None, -(b.lower if b.lower is not None else 0))
    )
    last = len(BAND_COLOURS) - 1
    steps = max(len(ordered) - 1, 1)
    return {
        band.code: BAND_COLOURS[round(index * last / steps)] for index, band in enumerate(ordered)
    }


# Report charts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One indicator in :func:`indicator_panels`: its name, unit, target (``upper`` for a range)
    and actual; None where there is no number (a grade, or not reported)."""

    label: str
    unit: str
    target: float | None
    upper: float | None
    actual: float | None

    @property
    def drawable(self) -> bool:
        return self.target is not None or self.actual is not None


PANEL_COLUMNS = 3


def indicator_panels(panels: Sequence[Panel], title: str) -> Chart | None:
    """Target and actual of each indicator, one small chart per indicator with its own axis and
    unit, so that a 3,5 % is not drawn beside a 64 % on one scale. Every axis starts at zero (or
    below it, for a negative value): bar heights are proportional to the values. Indicators
    without a number (grades) are left out; None when none is left."""
    drawn = [p for p in panels if p.drawable]
    if not drawn:
        return None
    columns = min(PANEL_COLUMNS, len(drawn))
    rows = math.ceil(len(drawn) / columns)
    width, height, head = 620.0, 205.0, 34.0
    canvas = Canvas(width, head + rows * height)
    cell = width / columns
    for index, panel in enumerate(drawn):
        x0 = (index % columns) * cell
        y0 = head + (index // columns) * height
        _panel(canvas, panel, str(index + 1), x0, y0, cell, height)
    _title(canvas, title)
    size = 7 * PT
    x = width - 150
    for label, colour in (("Target", TARGET), ("Realisasi", ACTUAL)):
        canvas.rect(x, 12, 16, 8, colour)
        canvas.text(x + 21, 16, label, size)
        x += 21 + text_width(label, size) + 14
    return Chart(canvas)


def _panel(
    canvas: Canvas, panel: Panel, name: str, x0: float, y0: float, w: float, h: float
) -> None:
    size = 7 * PT
    for row, line in enumerate(fit_lines(panel.label, w - 20, size, lines=2)):
        canvas.text(x0 + w / 2, y0 + 8 + row * 11, line, size, "middle")
    left, right, top, bottom = x0 + 46, x0 + w - 10, y0 + 44, y0 + h - 24
    values = [v for v in (panel.target, panel.upper, panel.actual) if v is not None]
    # from zero (bars are compared by their height), with a little room above for the labels
    low, high = min([0.0, *values]), max([0.0, *values])
    ticks = nice_ticks(low, high * 1.08 if high > 1e-6 else (0.0 if low < 0 else 1.0), 4)
    y_of = _value_axis(canvas, ticks, left, right, top, bottom, name)
    canvas.text(left - 7, top - 14, f"({panel.unit})" if panel.unit else "", 6.5 * PT, "start")
    zero = y_of(0)
    bar = min((right - left) / 5, 34)
    middle = (left + right) / 2
    bars = (
        ("Target", panel.target, TARGET, middle - bar - 4),
        ("Realisasi", panel.actual, ACTUAL, middle + 4),
    )
    for label, value, colour, x in bars:
        canvas.text(x + bar / 2, bottom + 10, label, 6.5 * PT, "middle")
        if value is None:
            canvas.text(x + bar / 2, zero - 8, "–", 7 * PT, "middle")
            continue
        y = y_of(value)
        data = {"panel": name, "value": _plain(value), "series": label}
        canvas.rect(x, min(y, zero), bar, abs(zero - y), colour, data=data)
        text = format_number_id(value, _decimals(value))
        if label == "Target" and panel.upper is not None:
            text = f"{text}–{format_number_id(panel.upper, _decimals(panel.upper))}"
            top_y = y_of(panel.upper)
            canvas.line([(x + bar / 2, y), (x + bar / 2, top_y)], AXIS, 1.2)
            canvas.line([(x + bar / 2 - 6, top_y), (x + bar / 2 + 6, top_y)], AXIS, 1.2)
            y = min(y, top_y)
        canvas.text(x + bar / 2, min(y, zero) - 7, text, 7 * PT, "middle")
    canvas.line([(left, top - 4), (left, bottom), (right, bottom)], AXIS, 0.8)
    if ticks[0] < 0:
        canvas.line([(left, zero), (right, zero)], AXIS, 0.8)


def _decimals(value: float) -> int:
    """Up to two decimals, none for a whole number: 64, 3,5, 49,09."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def trend(years: list[int], series: dict[str, list[float | None]], title: str) -> Chart:
    """Lines: the average achievement of each objective over the years.

    Years for which no series has a value are left out of the axis, and the value axis starts at
    zero, so that neither an empty year nor a cut axis misleads."""
    canvas = Canvas(620, 240)
    left, right, top, bottom = 62.0, 478.0, 34.0, 208.0
    shown = _years_with_values(years, series)
    values = [v for vs in series.values() for i in shown if (v := _at(vs, i)) is not None]
    ticks = nice_ticks(0.0, max([100.0, *values]))  # 100: the target, always in view
    y_of = _value_axis(canvas, ticks, left, right, top, bottom)

    def x_of(position: int) -> float:
        return left + 20 + position * (right - left - 40) / max(len(shown) - 1, 1)

    for position, index in enumerate(shown):
        canvas.line([(x_of(position), bottom), (x_of(position), bottom + 4)], AXIS, 0.8)
        canvas.text(x_of(position), bottom + 13, str(years[index]), 8 * PT, "middle")
    canvas.line([(left, top - 6), (left, bottom), (right, bottom)], AXIS, 0.8)
    canvas.text(16, (top + bottom) / 2, "Capaian (%)", 8 * PT, "middle", rotate=-90)
    legend = []
    for number, (label, vs) in enumerate(series.items()):
        colour = PALETTE[number % len(PALETTE)]
        points = [
            (x_of(position), y_of(v))
            for position, index in enumerate(shown)
            if (v := _at(vs, index)) is not None
        ]
        if points:
            _series_line(canvas, points, colour)
            legend.append((_short(label, 40), colour))
    _legend(canvas, right + 14, top + 2, legend[:14])
    _title(canvas, title)
    return Chart(canvas)


def _at(values: list[float | None], index: int) -> float | None:
    """The value of a series at ``index``; None past its end."""
    return values[index] if index < len(values) else None


def _years_with_values(years: list[int], series: dict[str, list[float | None]]) -> list[int]:
    """The positions in ``years`` for which at least one series has a value."""
    return [i for i in range(len(years)) if any(_at(vs, i) is not None for vs in series.values())]


def _series_line(canvas: Canvas, points: list[tuple[float, float]], colour: str) -> None:
    """One series of the trend: a line through its points (when more than one) and a dot on each."""
    if len(points) > 1:
        canvas.line(points, colour, 1.5)
    for x, y in points:
        canvas.dot(x, y, 3, colour)


def by_category(counts: dict[str, int], scale: Scale, title: str) -> Chart:
    """Horizontal bars: how many indicators fall in each category of the agency's ``scale``,
    first category on top, each bar in its band's colour (:func:`band_colours`). Each bar carries
    its band code and count (``data-category``, ``data-count``)."""
    labels = {band.code: band.label for band in scale.bands}
    colours = band_colours(scale)
    canvas = Canvas(620, 220)
    names = [labels.get(code, code) for code in counts]
    left = min(max([text_width(n, 8 * PT) for n in names] + [60]) + 16, 260)
    right, top, bottom = 600.0, 32.0, 196.0
    ticks = nice_ticks(0, max([*counts.values(), 1]))
    ticks = [t for t in ticks if float(t).is_integer()] or [0.0, 1.0]
    high = ticks[-1] or 1

    def x_of(value: float) -> float:
        return left + value / high * (right - left)

    for tick in ticks:
        x = x_of(tick)
        canvas.line([(x, bottom), (x, bottom + 4)], AXIS, 0.8)
        canvas.text(x, bottom + 12, format_number_id(tick, 0), 8 * PT, "middle")
    row = (bottom - top) / max(len(counts), 1)
    for index, (code, count) in enumerate(counts.items()):
        middle = top + row * (index + 0.5)
        data = {"category": code, "count": str(count)}
        colour = colours.get(code, NO_BAND)
        canvas.rect(left, middle - row * 0.4, x_of(count) - left, row * 0.8, colour, data=data)
        canvas.text(left - 6, middle, labels.get(code, code), 8 * PT, "end")
        canvas.text(x_of(count) + 4, middle, str(count), 8 * PT)
    canvas.line([(left, top - 4), (left, bottom), (right, bottom)], AXIS, 0.8)
    _title(canvas, title)
    return Chart(canvas)


@dataclass
class _Tree:
    """The layout of :func:`org_chart`: each node's label and children, and its place as (column,
    level); a parent's column is the mean of its children's, leaves take the next free column."""

    labels: dict[int, str] = field(default_factory=dict)
    children: dict[int | None, list[int]] = field(default_factory=dict)
    places: dict[int, tuple[float, int]] = field(default_factory=dict)
    columns: float = 0.0

    @classmethod
    def laid_out(cls, nodes: list[tuple[int, int | None, str]]) -> _Tree:
        tree = cls()
        for node, parent, label in nodes:
            tree.children.setdefault(parent, []).append(node)
            tree.labels[node] = label
        for root in [n for n, p, _l in nodes if p is None or p not in tree.labels]:
            tree.place(root, 0)
        return tree

    def place(self, node: int, depth: int) -> float:
        kids = self.children.get(node, [])
        if not kids:
            x = self.columns
            self.columns += 1
        else:
            xs = [self.place(kid, depth + 1) for kid in kids]
            x = sum(xs) / len(xs)
        self.places[node] = (x, depth)
        return x

    @property
    def levels(self) -> int:
        return max((d for _x, d in self.places.values()), default=0) + 1


def org_chart(nodes: list[tuple[int, int | None, str]], title: str = "") -> Chart:
    """A structure chart: ``nodes`` are (id, parent id, label) of the head positions, root first.

    Levels are laid out top-down; each node is centred over its children.
    """
    tree = _Tree.laid_out(nodes)
    width = max(tree.columns, 1)
    depth = tree.levels
    canvas = Canvas(min(200 + 160 * width, 750), 90 + 95 * depth)
    top = 24.0 if title else 8.0
    column = (canvas.width - 16) / width
    level = (canvas.height - top - 8) / depth

    def at(x: float, d: int) -> tuple[float, float]:
        return 8 + column * (x + 0.5), top + level * (d + 0.5)

    size = 5.5 * PT
    wrapped = {node: _wrap(label).split("\n") for node, label in tree.labels.items()}
    widest = max(
        (text_width(line, size) for lines in wrapped.values() for line in lines), default=0
    )
    box_w = min(column - 10, widest + 12)
    most = max((len(lines) for lines in wrapped.values()), default=1)
    box_h = min(level * 0.7, most * size * 1.25 + 10)
    for node, (x, d) in tree.places.items():
        px, py = at(x, d)
        for kid in tree.children.get(node, []):
            kx, ky = at(*tree.places[kid])
            middle = (py + ky) / 2
            canvas.line(
                [(px, py + box_h / 2), (px, middle), (kx, middle), (kx, ky - box_h / 2)], AXIS, 0.8
            )
    for node, (x, d) in tree.places.items():
        _org_box(canvas, at(x, d), (box_w, box_h), wrapped[node], size)
    if title:
        _title(canvas, title, 12)
    return Chart(canvas)


def _org_box(
    canvas: Canvas,
    centre: tuple[float, float],
    box: tuple[float, float],
    lines: list[str],
    size: float,
) -> None:
    """One position of the structure chart: a framed box with its lines centred in it."""
    (cx, cy), (box_w, box_h) = centre, box
    canvas.rect(cx - box_w / 2, cy - box_h / 2, box_w, box_h, "#eef3f8", "#1f4e79")
    first = cy - (len(lines) - 1) * size * 1.25 / 2
    for index, line in enumerate(lines):
        canvas.text(cx, first + index * size * 1.25, line, size, "middle")


def _wrap(text: str, width: int = 22) -> str:
    lines: list[str] = []
    for part in text.split("\n"):
        words = part.split()
        line = ""
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        if line:
            lines.append(line)
    return "\n".join(lines[:5])


# Page charts (inline SVG) ---------------------------------------------------------------------


def achievement_bars(
    items: list[tuple[str, Decimal | None]], title: str, scale: Scale
) -> SafeString:
    """Horizontal bars of achievements (%) from zero, each in the colour of its band on the
    agency's ``scale``, with a dashed line at 100. Each bar carries its value and band code
    (``data-value``, ``data-category``)."""
    width, bar, gap, left = 520, 18, 6, 70
    top = 24
    values = [v for _label, v in items if v is not None]
    scale_max = max([Decimal(120), *values])
    span = width - left - 60
    height = top + len(items) * (bar + gap) + 10
    x100 = left + span * float(100 / scale_max)
    colours = band_colours(scale)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'data-chart="achievement" aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * (bar + gap)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{html.escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{left}" y="{y + 13}" font-size="12" fill="#888">–</text>')
            continue
        w = max(0.0, span * float(value / scale_max))
        band = scale.category(value)
        colour = colours.get(band.code, NO_BAND) if band else NO_BAND
        parts.append(
            f'<rect x="{left}" y="{y}" width="{w:.2f}" height="{bar}" fill="{colour}" '
            f'data-value="{value}" data-category="{html.escape(band.code if band else "")}"/>'
        )
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + 13}" font-size="12">'
            f"{html.escape(format_number_id(value, 2))}</text>"
        )
    parts.append(
        f'<line x1="{x100:.1f}" y1="{top - 6}" x2="{x100:.1f}" y2="{height}" stroke="#333" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{x100 - 12:.1f}" y="{top - 10}" font-size="11">100</text></svg>'
    )
    return mark_safe("".join(parts))


BLUE, GREY, RED, GREEN = "#2d6aa3", "#c7d0db", "#c8102e", "#1e7b45"


class StepFigures(Protocol):
    """The SLA figures of one step (``kinerja.cases.sla.StepStats``), in minutes."""

    @property
    def step_key(self) -> str: ...

    @property
    def standard(self) -> float | None: ...

    @property
    def median(self) -> float: ...

    @property
    def p90(self) -> float: ...

    @property
    def on_time_share(self) -> float: ...


def _hours(minutes: float | None) -> float:
    return (minutes or 0) / 60


def sla_chart(steps: Sequence[StepFigures]) -> SafeString:
    """Per step: the standard (grey), the median actual (blue, red when late), p90 tick."""
    if not steps:
        return mark_safe("")
    row, left, width = 26, 70, 520
    top = max(max(_hours(s.standard), _hours(s.p90), _hours(s.median)) for s in steps) or 1
    height = row * len(steps) + 30
    parts = [
        f'<svg class="chart" data-testid="sla-chart" viewBox="0 0 {left + width + 90} {height}" '
        f'width="100%" role="img" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, s in enumerate(steps):
        y = 10 + i * row
        scale = width / top
        std_w = _hours(s.standard) * scale
        med_w = _hours(s.median) * scale
        p90_x = left + _hours(s.p90) * scale
        late = s.standard is not None and s.median > s.standard
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(s.step_key)}.</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{std_w:.1f}" height="18" fill="{GREY}">'
            f"<title>standard {_hours(s.standard):.2f} h</title></rect>"
        )
        parts.append(
            f'<rect x="{left}" y="{y + 5}" width="{med_w:.1f}" height="8" '
            f'fill="{RED if late else BLUE}"><title>median {_hours(s.median):.2f} h</title></rect>'
        )
        parts.append(
            f'<line x1="{p90_x:.1f}" x2="{p90_x:.1f}" y1="{y}" y2="{y + 18}" stroke="#1d2733" '
            f'stroke-width="2"><title>p90 {_hours(s.p90):.2f} h</title></line>'
        )
        parts.append(
            f'<text x="{left + width + 8}" y="{y + 14}" font-size="11">'
            f"{round(s.on_time_share * 100)}%</text>"
        )
    parts.append(
        f'<text x="{left}" y="{height - 4}" font-size="11" fill="#5b6877">0 h</text>'
        f'<text x="{left + width - 40}" y="{height - 4}" font-size="11" fill="#5b6877">'
        f"{top:.1f} h</text></svg>"
    )
    return mark_safe("".join(parts))


def gantt(
    rows: Sequence[tuple[str, dt.datetime, dt.datetime | None, dt.datetime | None]],
    now: dt.datetime,
) -> SafeString:
    """Rows of (label, arrived, due, completed): the standard span grey, the actual blue/red."""
    if not rows:
        return mark_safe("")
    start = min(r[1] for r in rows)
    end = max([now] + [d for r in rows for d in r[2:] if d is not None])
    span = max((end - start).total_seconds(), 60)
    row, left, width = 22, 60, 640
    height = row * len(rows) + 10

    def x(moment: dt.datetime) -> float:
        return left + (moment - start).total_seconds() / span * width

    parts = [
        f'<svg class="chart" data-testid="gantt" viewBox="0 0 {left + width + 10} {height}" '
        f'width="100%" role="img" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, arrived, due, done) in enumerate(rows):
        y = 5 + i * row
        parts.append(f'<text x="0" y="{y + 13}" font-size="11">{html.escape(label)}</text>')
        if due is not None:
            parts.append(
                f'<rect x="{x(arrived):.1f}" y="{y}" width="{max(x(due) - x(arrived), 1):.1f}" '
                f'height="16" fill="{GREY}"><title>standard</title></rect>'
            )
        finish = done or now
        late = due is not None and finish > due
        parts.append(
            f'<rect x="{x(arrived):.1f}" y="{y + 5}" width="{max(x(finish) - x(arrived), 2):.1f}" '
            f'height="6" fill="{RED if late else (GREEN if done else BLUE)}">'
            f"<title>actual</title></rect>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
