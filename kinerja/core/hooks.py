"""Places where a higher layer plugs into a lower one without the lower importing it.

The procedures layer registers the open-task counter shown in the page header; the core only
knows that somebody may have registered one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_task_counter: Callable[[Any], int] | None = None


def register_task_counter(func: Callable[[Any], int]) -> None:
    global _task_counter
    _task_counter = func


def open_task_count(user: Any) -> int | None:
    if _task_counter is None or not getattr(user, "is_authenticated", False):
        return None
    return _task_counter(user)


# Panels: a higher layer contributes a piece of a page that a lower layer's template shows, e.g.
# the procedures layer's "my tasks" panel on the home page. A panel renders itself to HTML.
_panels: dict[str, list[Callable[[Any], str]]] = {}


def register_panel(slot: str, render: Callable[..., str]) -> None:
    """``render(request) -> html`` is shown wherever a template says ``{% panels slot %}``;
    ``{% panels slot agency=agency %}`` calls ``render(request, agency=agency)``."""
    if render not in _panels.setdefault(slot, []):
        _panels[slot].append(render)


def render_panels(slot: str, request: Any, **context: Any) -> str:
    return "".join(render(request, **context) for render in _panels.get(slot, []))


# Letter numbers: the documents layer keeps the agency's letter register; a lower layer (the
# invitation of a meeting) asks it for the next number through this hook.
# ``issue(agency_id, *, classification, actor, subject, task_id) -> the printed number``.
_letter_issuer: Callable[..., str] | None = None


def register_letter_issuer(func: Callable[..., str]) -> None:
    global _letter_issuer
    _letter_issuer = func


def letter_issuer() -> Callable[..., str] | None:
    """The registered issuer, or None when no layer keeps a letter register."""
    return _letter_issuer
