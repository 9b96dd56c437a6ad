"""Keep functions small enough to read: `make test` runs this on `kinerja/`.

A function fails the check when its cyclomatic complexity (radon's measure) is above
``MAX_COMPLEXITY``, or when it is longer than ``MAX_LINES`` lines and its docstring does not say why
with a line starting "Long because:". Migrations are generated code and are left out.

``scripts/complexity-debt.txt`` lists the functions that fail and are tolerated for now, one
``path name`` per line; the list only shrinks. A listed function that passes is reported so that
its line is removed.

    python scripts/check_complexity.py            # the whole of kinerja/, exit 1 on a failure
    python scripts/check_complexity.py kinerja/procedures --report   # figures, never fails
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from radon.complexity import cc_visit

MAX_COMPLEXITY = 15
MAX_LINES = 60
REASON = "Long because:"
DEBT = Path(__file__).with_name("complexity-debt.txt")


@dataclass(frozen=True)
class Measure:
    path: Path
    line: int
    name: str
    complexity: int
    length: int
    reason: bool

    @property
    def key(self) -> str:
        return f"{self.path.as_posix()} {self.name}"

    def problems(self) -> list[str]:
        found = []
        if self.complexity > MAX_COMPLEXITY:
            found.append(f"complexity {self.complexity} > {MAX_COMPLEXITY}")
        if self.length > MAX_LINES and not self.reason:
            found.append(f"{self.length} lines > {MAX_LINES} with no '{REASON}' in its docstring")
        return found


def python_files(roots: list[Path]) -> list[Path]:
    files = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(root.rglob("*.py"))
        files += [path for path in candidates if "migrations" not in path.parts]
    return files


def measure(path: Path) -> list[Measure]:
    source = path.read_text(encoding="utf-8")
    complexity = {(block.lineno, block.name): block.complexity for block in _blocks(source)}
    measures = []
    for node, qualname in _functions(ast.parse(source)):
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        docstring = ast.get_docstring(node) or ""
        measures.append(
            Measure(
                path=path,
                line=node.lineno,
                name=qualname,
                complexity=complexity.get((node.lineno, node.name), 1),
                length=length,
                reason=REASON in docstring,
            )
        )
    return measures


def _functions(
    tree: ast.AST, prefix: str = ""
) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]]:
    """Every function with its qualified name (``Class.method``, ``outer.inner``)."""
    found: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append((node, prefix + node.name))
            found += _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            found += _functions(node, f"{prefix}{node.name}.")
        else:
            found += _functions(node, prefix)
    return found


def _blocks(source: str):
    """Every function and method radon measures, nested ones and closures included."""
    pending = list(cc_visit(source))
    while pending:
        block = pending.pop()
        yield block
        pending += getattr(block, "methods", []) + getattr(block, "closures", [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("kinerja")])
    parser.add_argument("--report", action="store_true", help="print figures; never fail")
    args = parser.parse_args(argv)
    measures = [m for path in python_files(args.paths) for m in measure(path)]
    debt = _debt()
    failing = [(m, m.problems()) for m in measures if m.problems() and m.key not in debt]
    paid = sorted(debt & {m.key for m in measures if not m.problems()})
    if args.report:
        over = sum(1 for m in measures if m.complexity >= MAX_COMPLEXITY)
        print(f"functions: {len(measures)}")
        print(f"complexity >= {MAX_COMPLEXITY}: {over} ({100 * over / max(len(measures), 1):.1f}%)")
        print(
            f"complexity > {MAX_COMPLEXITY}: {sum(m.complexity > MAX_COMPLEXITY for m in measures)}"
        )
        print(f"complexity >= 30: {sum(m.complexity >= 30 for m in measures)}")
        print(f"longer than {MAX_LINES} lines: {sum(m.length > MAX_LINES for m in measures)}")
        print(
            f"  of which without a reason: {sum(m.length > MAX_LINES and not m.reason for m in measures)}"
        )
    for m, problems in sorted(failing, key=lambda item: (str(item[0].path), item[0].line)):
        print(f"{m.path}:{m.line} {m.name}: {'; '.join(problems)}")
    for key in paid:
        print(f"{key}: passes now; remove its line from {DEBT.name}")
    return 0 if args.report or not (failing or paid) else 1


def _debt() -> set[str]:
    if not DEBT.exists():
        return set()
    lines = DEBT.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


if __name__ == "__main__":
    sys.exit(main())
