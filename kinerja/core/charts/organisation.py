"""The structure chart of an organisation's head positions (:func:`org_chart`), for the reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja.core.charts.base import AXIS, PT, Canvas, Chart, draw_title, text_width


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
        draw_title(canvas, title, 12)
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
