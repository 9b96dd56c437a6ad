"""Pangkat and golongan/ruang of civil servants (PP 99/2000; docs/domain.md §9.2)."""

from __future__ import annotations

import re

RANKS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tk. I",
    "I/c": "Juru",
    "I/d": "Juru Tk. I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tk. I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tk. I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tk. I",
    "III/c": "Penata",
    "III/d": "Penata Tk. I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tk. I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
RANK_CHOICES = [(code, f"{name} ({code})") for code, name in RANKS.items()]

_RANK_RE = re.compile(r"^\s*(IV|III|II|I)\s*/?\s*([a-e])\s*$", re.IGNORECASE)


def normalise_rank(text: str) -> str:
    """Read ``IV/b``, ``iv b``, ``IV-b`` or ``Pembina Tk. I`` into the code ``IV/b``.

    Raises ``ValueError`` for anything that is not a golongan of the table.
    """
    cleaned = text.replace("-", "/").strip()
    match = _RANK_RE.match(cleaned)
    if match:
        code = f"{match.group(1).upper()}/{match.group(2).lower()}"
        if code in RANKS:
            return code
    folded = " ".join(cleaned.replace(".", " ").lower().split())
    for code, name in RANKS.items():
        if folded == " ".join(name.replace(".", " ").lower().split()):
            return code
    raise ValueError(text)


def rank_label(code: str) -> str:
    """``Pembina Tk. I (IV/b)`` as a signature block prints it; empty for no rank."""
    return f"{RANKS[code]} ({code})" if code in RANKS else ""
