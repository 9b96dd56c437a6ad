"""Time the PDF of each seed SOP (run on demand, never inside the tests).

    KINERJA_VAR_DIR=/tmp/kvar-bench .venv/bin/python bench/sop_render.py [--png docs/]

Loads the demo offices and the four seed SOPs into the configured database (idempotent), then
renders each SOP's PDF five times and prints the best and median wall time. With ``--png DIR`` it
also writes ``DIR/sop-<agency>-<page>.png`` (pdftoppm, 80 dpi) of every page.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--png", help="Folder to write PNG pages into.")
    args = parser.parse_args()
    if args.png:
        Path(args.png).mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from django.core.management import call_command

    from kinerja.organisation.demo import load as load_offices
    from kinerja.procedures.demo import load as load_sops
    from kinerja.procedures.document import render_pdf
    from kinerja.procedures.models import Sop

    call_command("migrate", verbosity=0)
    load_offices()
    load_sops()
    render_pdf(Sop.objects.first().effective_version())  # warm up fonts and templates
    print(f"{'agency':<14} {'steps':>5} {'pages':>5} {'best s':>8} {'median s':>9}")
    for sop in Sop.objects.select_related("agency").order_by("agency__code"):
        version = sop.effective_version()
        if version is None:
            continue
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            pdf = render_pdf(version)
            times.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sop.pdf"
            path.write_bytes(pdf)
            info = subprocess.run(  # noqa: S603
                ["pdfinfo", str(path)],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
            if args.png:
                prefix = Path(args.png) / f"sop-{sop.agency.code}"
                subprocess.run(  # noqa: S603
                    ["pdftoppm", "-r", "80", "-png", str(path), str(prefix)],  # noqa: S607
                    check=True,
                )
        print(
            f"{sop.agency.code:<14} {version.steps.count():>5} {pages:>5} "
            f"{min(times):>8.3f} {statistics.median(times):>9.3f}"
        )


if __name__ == "__main__":
    main()
