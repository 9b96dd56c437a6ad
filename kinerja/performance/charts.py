"""Charts of the performance pages, as inline SVG (no JavaScript, no plotting library)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kinerja.core.formats import format_number_id
from kinerja.performance import formulas

# From the best band to the worst; a scale with another number of bands spreads over them.
BAND_COLOURS = ("#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#c62828")
NO_BAND = "#9e9e9e"


def band_colours(scale: formulas.Scale) -> dict[str, str]:
    """A colour for each band of ``scale``: green for the highest, red for the lowest."""
    ordered = sorted(
        scale.bands, key=lambda b: (b.lower is None, -(b.lower if b.lower is not None else 0))
    )
    last = len(BAND_COLOURS) - 1
    steps = max(len(ordered) - 1, 1)
    return {
        band.code: BAND_COLOURS[round(index * last / steps)] for index, band in enumerate(ordered)
    }


def achievement_bars(
    items: list[tuple[str, Decimal | None]], title: str, scale: formulas.Scale
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
        f'data-chart="achievement" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * (bar + gap)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{left}" y="{y + 13}" font-size="12" fill="#888">–</text>')
            continue
        w = max(0.0, span * float(value / scale_max))
        band = scale.category(value)
        colour = colours.get(band.code, NO_BAND) if band else NO_BAND
        parts.append(
            f'<rect x="{left}" y="{y}" width="{w:.2f}" height="{bar}" fill="{colour}" '
            f'data-value="{value}" data-category="{escape(band.code if band else "")}"/>'
        )
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + 13}" font-size="12">'
            f"{escape(format_number_id(value, 2))}</text>"
        )
    parts.append(
        f'<line x1="{x100:.1f}" y1="{top - 6}" x2="{x100:.1f}" y2="{height}" stroke="#333" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{x100 - 12:.1f}" y="{top - 10}" font-size="11">100</text></svg>'
    )
    return mark_safe("".join(parts))
