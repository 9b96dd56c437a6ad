"""The charts of a procedure's cases on the pages, inline SVG: the SLA figures per step
(:func:`sla_chart`) and the timeline of one case's steps (:func:`gantt`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from django.utils import html
from django.utils.safestring import SafeString, mark_safe

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
