"""Figures of the HTML templates: long lines, total lines and repeated fragments.

    python scripts/template_figures.py [--tokens N] [--list] [ROOT]

A repeated fragment is a run of N template tokens (HTML tags, template tags, variables,
words; whitespace is ignored, so the figure does not depend on the layout) that occurs in
two places or more; overlapping runs count as one. ``--list`` names the files of each.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

TOKEN = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^>]*>|[^\s<{]+", re.S)


def tokens(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", t) for t in TOKEN.findall(text)]


def repeated_runs(
    streams: dict[Path, list[str]], size: int
) -> tuple[int, dict[tuple[str, ...], set[Path]]]:
    """The number of runs of repeated tokens, and the files of each repeated window."""
    places: dict[tuple[str, ...], list[tuple[Path, int]]] = defaultdict(list)
    for path, toks in streams.items():
        for i in range(len(toks) - size + 1):
            places[tuple(toks[i : i + size])].append((path, i))
    repeated = {k: v for k, v in places.items() if len(v) > 1}
    marked = {path: [False] * len(toks) for path, toks in streams.items()}
    for where in repeated.values():
        for path, i in where:
            marked[path][i : i + size] = [True] * size
    runs = sum(
        1 for m in marked.values() for j, flag in enumerate(m) if flag and (j == 0 or not m[j - 1])
    )
    return runs, {k: {p for p, _ in v} for k, v in repeated.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", type=Path)
    parser.add_argument("--tokens", type=int, default=20)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    files = sorted(args.root.glob("kinerja/*/templates/**/*.html"))
    lines = [line for f in files for line in f.read_text().splitlines()]
    total = len(lines)
    over200 = sum(len(line) > 200 for line in lines)
    over120 = sum(len(line) > 120 for line in lines)
    print(
        f"{len(files)} templates, {total} lines; over 200 characters: {over200} "
        f"({100 * over200 / total:.1f}%), over 120: {over120} ({100 * over120 / total:.1f}%)"
    )
    streams = {f: tokens(f.read_text()) for f in files}
    runs, repeated = repeated_runs(streams, args.tokens)
    print(f"repeated fragments of {args.tokens}+ tokens: {runs} runs")
    if args.list:
        shown: set[frozenset[Path]] = set()
        for window, paths in repeated.items():
            key = frozenset(paths)
            if key not in shown:
                shown.add(key)
                names = ", ".join(str(p.relative_to(args.root)) for p in sorted(paths))
                print(f"  {names}: {' '.join(window)[:100]}")


if __name__ == "__main__":
    main()
