"""The achievement charts: target and actual per indicator (:func:`indicator_panels`), the
trend over the years (:func:`trend`) and the count per category (:func:`by_category`) for the
reports, and the achievement bars of the analysis page (:func:`achievement_bars`, inline SVG)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import html
from django.utils.safestring import SafeString, mark_safe

from kinerja.core.charts.base import (
    ACTUAL,
    AXIS,
    NO_BAND,
    PALETTE,
    PT,
    TARGET,
    Canvas,
    Chart,
    Scale,
    band_colours,
    draw_legend,
    draw_title,
    fit_lines,
    nice_ticks,
    plain_number,
    shorten,
    text_width,
    value_axis,
)
from kinerja.core.formats import format_number_id

# Report charts (SVG for the PDF, PNG for the DOCX) -------------------------------------------


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
    draw_title(canvas, title)
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
    y_of = value_axis(canvas, ticks, left, right, top, bottom, name)
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
        data = {"panel": name, "value": plain_number(value), "series": label}
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
    y_of = value_axis(canvas, ticks, left, right, top, bottom)

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
            legend.append((shorten(label, 40), colour))
    draw_legend(canvas, right + 14, top + 2, legend[:14])
    draw_title(canvas, title)
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
    draw_title(canvas, title)
    return Chart(canvas)


# Page chart (inline SVG) ----------------------------------------------------------------------


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
