"""The flowchart (diagram alir) of an SOP version drawn as SVG, one drawing per sheet.

Only the five symbols of PermenPAN-RB 35/2012 are used (docs/domain.md §8.3): the capsule terminator
(a step that carries MULAI or SELESAI, or a start/end row), the rectangle (a process), the diamond
(a decision, its exits labelled Ya and Tidak), the arrow (flow line) and the pentagon off-page
connector where the flow continues on another sheet. Each shape carries a ``class`` (``sym-
terminator``, ``sym-process``, ``sym-decision``, ``sym-connector``, ``flow``) so tests can count
them. Units are millimetres, so the drawing prints at its exact size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from kinerja.procedures.models import Lane, Step

BOX_W_MAX = 20.0  # mm
BOX_H = 7.0
DIAMOND_H = 8.5
CONNECTOR = 4.0
SHAPE_STYLE = 'fill="#fff" stroke="#000" stroke-width="0.3"'
TEXT_STYLE = 'font-family="DejaVu Sans, Arial, sans-serif" text-anchor="middle"'


@dataclass
class Sheet:
    """One flowchart sheet: its steps and the SVG of its lanes."""

    index: int
    steps: list[Step]
    svg: str = ""  # the whole sheet's lanes as one drawing
    row_height: float = 20.0
    slices: list[str] = field(default_factory=list)  # the drawing cut into one piece per row
    incoming: dict[int, str] = field(default_factory=dict)  # step number -> connector label
    outgoing: dict[int, list[str]] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[Step, str]]:
        return list(zip(self.steps, self.slices, strict=True))


def paginate(steps: list[Step], per_page: int) -> list[list[Step]]:
    per_page = max(1, per_page)
    return [steps[i : i + per_page] for i in range(0, len(steps), per_page)] or [[]]


def _letters() -> Iterator[str]:
    n = 0
    while True:
        n += 1
        label, k = "", n
        while k:
            k, rest = divmod(k - 1, 26)
            label = chr(65 + rest) + label
        yield label


@dataclass
class _Geometry:
    lane_width: float
    row_height: float
    lane_index: dict[int, int]
    row_of: dict[int, int]

    def cx(self, step: Step) -> float:
        return (self.lane_index[step.lane_id] + 0.5) * self.lane_width

    def cy(self, step: Step) -> float:
        return (self.row_of[step.number] + 0.5) * self.row_height

    @property
    def box_w(self) -> float:
        return min(BOX_W_MAX, self.lane_width * 0.62)

    def half_h(self, step: Step) -> float:
        return DIAMOND_H / 2 if step.is_decision else BOX_H / 2


def _text(x: float, y: float, text: str, size: float, cls: str, extra: str = "") -> str:
    return (
        f'<text class="{cls}" x="{x:.2f}" y="{y:.2f}" {TEXT_STYLE} font-size="{size}" {extra}>'
        f"{escape(text)}</text>"
    )


def _shape(step: Step, g: _Geometry) -> str:
    x, y, w = g.cx(step), g.cy(step), g.box_w
    number = _text(x, y + 0.9, str(step.number), 2.6, "num")
    if step.is_decision:
        hw, hh = w / 2, DIAMOND_H / 2
        points = (
            f"{x:.2f},{y - hh:.2f} {x + hw:.2f},{y:.2f} {x:.2f},{y + hh:.2f} {x - hw:.2f},{y:.2f}"
        )
        return (
            f'<polygon class="sym sym-decision" data-step="{step.number}" points="{points}" '
            f"{SHAPE_STYLE}/>" + number
        )
    terminator = step.starts or step.is_terminal or step.kind in (Step.Kind.START, Step.Kind.END)
    kind = "sym-terminator" if terminator else "sym-process"
    rx = BOX_H / 2 if terminator else 0.4
    label = number
    if terminator:
        word = "MULAI" if (step.starts or step.kind == Step.Kind.START) else "SELESAI"
        if step.starts and step.is_terminal:
            word = "MULAI/SELESAI"
        label = _text(x, y + 0.8, word, 2.2 if len(word) < 8 else 1.6, "term", 'font-weight="bold"')
    return (
        f'<rect class="sym {kind}" data-step="{step.number}" x="{x - w / 2:.2f}" '
        f'y="{y - BOX_H / 2:.2f}" width="{w:.2f}" height="{BOX_H:.2f}" rx="{rx:.2f}" '
        f"{SHAPE_STYLE}/>" + label
    )


def _path(
    points: list[tuple[float, float]], label: str = "", at: tuple[float, float] | None = None
) -> str:
    """A flow line through ``points`` with an arrowhead at its end, drawn as a small triangle
    (which every SVG renderer draws alike)."""
    d = "M " + " L ".join(f"{x:.2f} {y:.2f}" for x, y in points)
    (x1, y1), (x2, y2) = points[-2], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    size = 1.3
    bx, by = x2 - ux * size, y2 - uy * size
    head = (
        f"{x2:.2f},{y2:.2f} {bx - uy * size / 2:.2f},{by + ux * size / 2:.2f} "
        f"{bx + uy * size / 2:.2f},{by - ux * size / 2:.2f}"
    )
    out = (
        f'<g class="flow"><path d="{d}" fill="none" stroke="#000" stroke-width="0.3"/>'
        f'<polygon points="{head}" fill="#000"/></g>'
    )
    if label and at:
        out += _text(at[0], at[1], label, 2.4, "exit", 'font-style="italic"')
    return out


def _connector(x: float, y: float, label: str, direction: str) -> str:
    """A pentagon ("home plate") pointing down, centred on x, top at y."""
    s = CONNECTOR
    points = (
        f"{x - s / 2:.2f},{y:.2f} {x + s / 2:.2f},{y:.2f} {x + s / 2:.2f},{y + s * 0.6:.2f} "
        f"{x:.2f},{y + s:.2f} {x - s / 2:.2f},{y + s * 0.6:.2f}"
    )
    return (
        f'<polygon class="sym sym-connector" data-direction="{direction}" points="{points}" '
        f"{SHAPE_STYLE}/>" + _text(x, y + s * 0.5, label, 2.4, "conn")
    )


def _edge(src: Step, dst: Step, g: _Geometry, label: str = "") -> str:
    """An arrow between two steps on the same sheet, routed with right angles."""
    sx, sy, dx, dy = g.cx(src), g.cy(src), g.cx(dst), g.cy(dst)
    if g.row_of[dst.number] > g.row_of[src.number]:
        start = (sx, sy + g.half_h(src))
        end = (dx, dy - g.half_h(dst))
        if src.is_decision and label == "Tidak" and abs(sx - dx) > 0.1:
            # The Tidak exit leaves by the side towards its target.
            side = 1 if dx > sx else -1
            start = (sx + side * g.box_w / 2, sy)
            return _path([start, (dx, sy), end], label, (start[0] + side * 2.5, sy - 0.8))
        mid = dy - g.half_h(dst) - min(3.0, g.row_height / 4)
        points = [start, end] if abs(sx - dx) < 0.1 else [start, (sx, mid), (dx, mid), end]
        return _path(points, label, (sx + 2.5, start[1] + 2.5))
    # A flow back up (a loop): out by the side, up a channel beside the target, then into the
    # target from above, where it joins the target's incoming line.
    side = 1 if dx >= sx else -1
    start = (sx + side * (g.box_w / 2), sy)
    channel = sx + g.box_w / 2 + 2.0 if abs(dx - sx) < 0.1 else dx + side * (g.box_w / 2 + 2.0)
    above = dy - g.half_h(dst) - 1.8
    end = (dx, dy - g.half_h(dst))
    return _path(
        [start, (channel, sy), (channel, above), (dx, above), end],
        label,
        (start[0] + side * 3.0, sy - 0.8),
    )


#: An off-page connector: the flow from a step to a step of another sheet, with its exit label
#: and its letter.
_Crossing = tuple[Step, Step, str, str]


def draw_sheets(
    steps: list[Step], lanes: list[Lane], per_page: int, lanes_width_mm: float, row_height_mm: float
) -> list[Sheet]:
    """Split ``steps`` into sheets of ``per_page`` and draw each sheet's lanes as SVG."""
    pages = paginate(steps, per_page)
    page_of = {s.number: i for i, chunk in enumerate(pages) for s in chunk}
    lane_index = {lane.pk: i for i, lane in enumerate(lanes)}
    crossing = _crossing_flows(steps, page_of)
    lane_width = lanes_width_mm / max(1, len(lanes))
    sheets = []
    for index, chunk in enumerate(pages):
        row_of = {s.number: r for r, s in enumerate(chunk)}
        g = _Geometry(lane_width, row_height_mm, lane_index, row_of)
        height = row_height_mm * max(1, len(chunk))
        parts = _lane_lines(len(lanes), lane_width, height)
        parts += _edges(chunk, g)
        for src, dst, label, letter in crossing:
            if page_of[src.number] == index:
                parts += _outgoing(src, dst, label, letter, g)
            if page_of[dst.number] == index:
                parts += _incoming(dst, letter, g)
        parts += [mark for step in chunk for mark in _joint_marks(step, g)]
        parts += [_shape(step, g) for step in chunk]
        sheets.append(_sheet(index, chunk, "".join(parts), lanes_width_mm, row_height_mm))
    return sheets


def _joint_marks(step: Step, g: _Geometry) -> list[str]:
    """A joint step (``with``): its box stands in its own lane; each other lane gets a dashed
    mark on the same row, joined to the box by a dashed line (no symbol of its own)."""
    marks = []
    x, y = g.cx(step), g.cy(step)
    for lane in step.with_lanes.all():
        index = g.lane_index.get(lane.pk)
        if index is None:
            continue
        mx = (index + 0.5) * g.lane_width
        w = g.box_w * 0.6
        side = 1 if mx > x else -1
        marks.append(
            f'<g class="joint" data-step="{step.number}" data-lane="{escape(lane.key)}">'
            f'<line x1="{x + side * g.box_w / 2:.2f}" y1="{y:.2f}" x2="{mx - side * w / 2:.2f}" '
            f'y2="{y:.2f}" stroke="#000" stroke-width="0.3" stroke-dasharray="1,0.8"/>'
            f'<rect class="joint-mark" x="{mx - w / 2:.2f}" y="{y - BOX_H / 2 + 1:.2f}" '
            f'width="{w:.2f}" height="{BOX_H - 2:.2f}" rx="0.4" fill="none" stroke="#000" '
            f'stroke-width="0.3" stroke-dasharray="1,0.8"/></g>'
        )
    return marks


def _crossing_flows(steps: list[Step], page_of: dict[int, int]) -> list[_Crossing]:
    """The flows that cross sheets, one letter each (A, B, ... Z, AA, ...), in step order."""
    letters = _letters()
    crossing: list[_Crossing] = []
    for step in steps:
        for target, label in _exits(step):
            if target is not None and page_of[target.number] != page_of[step.number]:
                crossing.append((step, target, label, next(letters)))
    return crossing


def _lane_lines(count: int, lane_width: float, height: float) -> list[str]:
    """The vertical lines between ``count`` lanes."""
    return [
        f'<line class="lane-line" x1="{i * lane_width:.2f}" y1="0" '
        f'x2="{i * lane_width:.2f}" y2="{height:.2f}" stroke="#000" stroke-width="0.3"/>'
        for i in range(1, count)
    ]


def _edges(chunk: list[Step], g: _Geometry) -> list[str]:
    """The arrows between steps of the same sheet."""
    return [
        _edge(step, target, g, label)
        for step in chunk
        for target, label in _exits(step)
        if target is not None and target.number in g.row_of
    ]


def _outgoing(src: Step, dst: Step, label: str, letter: str, g: _Geometry) -> list[str]:
    """Where a flow leaves the sheet: an arrow from ``src`` to a connector lettered ``letter``
    (a Tidak exit leaves by the side towards its target's lane, any other exit downwards)."""
    x, y = g.cx(src), g.cy(src) + g.half_h(src)
    if label == "Tidak" and src.is_decision:
        side = 1 if g.lane_index[dst.lane_id] >= g.lane_index[src.lane_id] else -1
        sx = x + side * (g.box_w / 2)
        x2 = x + side * (g.box_w / 2 + CONNECTOR)
        cy = g.cy(src)
        return [
            _path([(sx, cy), (x2, cy), (x2, y + 1.5)], label, (sx + side * 2.5, cy - 0.8)),
            _connector(x2, y + 2.0, letter, "out"),
        ]
    bottom = min(y + 2.5, (g.row_of[src.number] + 1) * g.row_height - CONNECTOR - 0.5)
    return [
        _path([(x, y), (x, bottom)], label, (x + 4.0, y + 2.5)),
        _connector(x, bottom + 0.3, letter, "out"),
    ]


def _incoming(dst: Step, letter: str, g: _Geometry) -> list[str]:
    """Where a flow enters the sheet: a connector lettered ``letter`` above ``dst`` and an arrow
    into it."""
    x, y = g.cx(dst), g.cy(dst) - g.half_h(dst)
    top = max(0.5, y - CONNECTOR - 3.0)
    return [_connector(x, top, letter, "in"), _path([(x, top + CONNECTOR), (x, y)])]


def _sheet(index: int, chunk: list[Step], drawing: str, width: float, row_height: float) -> Sheet:
    """The sheet of ``chunk``: its whole drawing, and the drawing cut into one slice per row."""
    height = row_height * max(1, len(chunk))
    sheet = Sheet(index=index, steps=chunk, row_height=row_height)
    sheet.svg = _svg(drawing, width, height, 0.0, height)
    sheet.slices = [
        _svg(drawing, width, row_height, r * row_height, row_height, part=True)
        for r in range(len(chunk))
    ]
    return sheet


def _svg(
    drawing: str, width: float, height: float, top: float, view_h: float, part: bool = False
) -> str:
    cls = "lanes lanes-row" if part else "lanes"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" width="{width:.2f}mm" '
        f'height="{height:.2f}mm" viewBox="0 {top:.2f} {width:.2f} {view_h:.2f}">'
        f"{drawing}</svg>"
    )


def _exits(step: Step) -> list[tuple[Step | None, str]]:
    if step.is_decision:
        return [(step.yes_step, "Ya"), (step.no_step, "Tidak")]
    if step.is_terminal:
        return []
    return [(step.next_step, "")]


def symbol_counts(steps: list[Step]) -> dict[str, int]:
    """How many of each symbol the flowchart of ``steps`` must show (for tests and checks)."""
    terminators = sum(
        1
        for s in steps
        if not s.is_decision
        and (s.starts or s.is_terminal or s.kind in (Step.Kind.START, Step.Kind.END))
    )
    decisions = sum(1 for s in steps if s.is_decision)
    return {
        "terminator": terminators,
        "decision": decisions,
        "process": len(steps) - terminators - decisions,
    }
