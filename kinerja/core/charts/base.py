"""What every chart is drawn with: the :class:`Canvas` of shapes written as SVG (PDF) or PNG
(DOCX), the :class:`Chart` holding both, the colours, text measuring, axes and ticks, and the
colours of the agency's category scale (:func:`band_colours`)."""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

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


def shorten(text: str, width: int = 28) -> str:
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


def draw_title(canvas: Canvas, text: str, y: float = 16) -> None:
    canvas.text(canvas.width / 2, y, text, 9.6 * PT, "middle")


def value_axis(
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
        data = {"tick": plain_number(tick)} | ({"panel": panel} if panel else {})
        canvas.line([(left, y), (right, y)], GRID, 0.6, data)
        canvas.line([(left - 4, y), (left, y)], AXIS, 0.8)
        canvas.text(left - 7, y, _tick_label(tick, ticks), 8 * PT, "end")
    return y_of


def plain_number(value: float) -> str:
    """A value as plain text for a data attribute: ``3.5``, ``64``."""
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"


def draw_legend(canvas: Canvas, x: float, y: float, items: Sequence[tuple[str, str]]) -> None:
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
