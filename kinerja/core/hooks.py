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


def register_panel(slot: str, render: Callable[[Any], str]) -> None:
    """``render(request) -> html`` is shown wherever a template says ``{% panels slot %}``."""
    if render not in _panels.setdefault(slot, []):
        _panels[slot].append(render)


def render_panels(slot: str, request: Any) -> str:
    return "".join(render(request) for render in _panels.get(slot, []))
