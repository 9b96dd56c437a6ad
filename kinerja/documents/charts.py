"""Charts rendered on the server (matplotlib, Agg backend) as PNG for both DOCX and PDF."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "kinerja"})


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=90, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    plt.close(fig)
    return buffer.getvalue()


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def target_vs_actual(
    labels: list[str], targets: list[float | None], actuals: list[float | None], title: str
) -> bytes:
    fig, ax = plt.subplots(figsize=(6.2, 2.8))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.32)
    positions = range(len(labels))
    ax.bar(
        [p - 0.2 for p in positions],
        [t or 0 for t in targets],
        0.4,
        label="Target",
        color="#9bb7d4",
    )
    ax.bar(
        [p + 0.2 for p in positions],
        [a or 0 for a in actuals],
        0.4,
        label="Realisasi",
        color="#1f4e79",
    )
    ax.set_xticks(list(positions), [_short(label) for label in labels], rotation=20, ha="right")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def trend(years: list[int], series: dict[str, list[float | None]], title: str) -> bytes:
    fig, ax = plt.subplots(figsize=(6.2, 2.4))
    fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.12)
    for label, values in series.items():
        points = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
        if points:
            ax.plot(
                [p[0] for p in points], [p[1] for p in points], marker="o", label=_short(label, 40)
            )
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel("Capaian (%)")
    ax.set_title(title)
    ax.legend(fontsize=6, loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def by_category(counts: dict[str, int], labels: dict[str, str], title: str) -> bytes:
    fig, ax = plt.subplots(figsize=(6.2, 2.2))
    fig.subplots_adjust(left=0.2, right=0.97, top=0.86, bottom=0.12)
    codes = list(counts)
    ax.barh([labels.get(c, c) for c in codes], [counts[c] for c in codes], color="#2e75b6")
    for index, code in enumerate(codes):
        ax.text(counts[code] + 0.05, index, str(counts[code]), va="center")
    ax.set_title(title)
    ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def org_chart(nodes: list[tuple[int, int | None, str]], title: str = "") -> bytes:
    """A structure chart: ``nodes`` are (id, parent id, label) of the head positions, root first.

    Levels are laid out top-down; each node is centred over its children.
    """
    children: dict[int | None, list[int]] = {}
    labels = {}
    for node, parent, label in nodes:
        children.setdefault(parent, []).append(node)
        labels[node] = label
    roots = [n for n, p, _l in nodes if p is None or p not in labels]
    positions: dict[int, tuple[float, int]] = {}
    next_x = [0.0]

    def place(node: int, depth: int) -> float:
        kids = children.get(node, [])
        if not kids:
            x = next_x[0]
            next_x[0] += 1
        else:
            xs = [place(kid, depth + 1) for kid in kids]
            x = sum(xs) / len(xs)
        positions[node] = (x, depth)
        return x

    for root in roots:
        place(root, 0)
    width = max(next_x[0], 1)
    depth = max((d for _x, d in positions.values()), default=0) + 1
    fig, ax = plt.subplots(figsize=(min(2.0 + 1.6 * width, 7.5), 0.9 + 0.95 * depth))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.02)
    ax.set_xlim(-0.6, width - 0.4)
    ax.set_ylim(-depth + 0.4, 0.6)
    ax.axis("off")
    for node, (x, d) in positions.items():
        for kid in children.get(node, []):
            kx, kd = positions[kid]
            ax.plot(
                [x, x, kx, kx], [-d - 0.25, -d - 0.5, -d - 0.5, -kd + 0.25], color="#444", lw=0.8
            )
    for node, (x, d) in positions.items():
        ax.text(
            x,
            -d,
            _wrap(labels[node]),
            ha="center",
            va="center",
            fontsize=5.5,
            bbox={"boxstyle": "square,pad=0.35", "fc": "#eef3f8", "ec": "#1f4e79", "lw": 0.8},
        )
    if title:
        ax.set_title(title, fontsize=8)
    return _png(fig)


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
