"""The demo's built-in SOPs: the four seed SOPs, loaded into their offices as effective versions.

Idempotent: a seed whose text equals the SOP's latest version changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from kinerja.organisation.models import Agency
from kinerja.procedures.services import import_sop

SEEDS_DIR = Path(__file__).parent / "seeds"


def seed_files() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.yaml"))


def load(stdout=None) -> list:
    for path in seed_files():
        text = path.read_text(encoding="utf-8")
        code = next(
            line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith("agency:")
        )
        if not Agency.objects.filter(code=code).exists():
            continue
        import_sop(text, effective=True, check_permission=False)
    return []
