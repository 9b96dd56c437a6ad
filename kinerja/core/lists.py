"""Lists an official types into one text field, one item per line (a Perbup's functions, a
Renstra's strategic issues)."""

from __future__ import annotations

import re

# What an office types before an item: "a.", "1)", "(b)", "iv.", "-", "•", "*".
_MARKER = re.compile(r"^\s*(?:\(?[a-z0-9]{1,4}[.)]|[-•*])\s+")


def text_items(text: str) -> list[str]:
    """The items of ``text``, one per line, without their numbering or bullet and without the
    ";" or "; dan" a regulation ends each item with; blank lines dropped."""
    items = []
    for line in text.splitlines():
        item = _MARKER.sub("", line).strip()
        item = re.sub(r"\s*;\s*(?:dan|atau)?\s*$", "", item).rstrip(".").strip()
        if item:
            items.append(item)
    return items
