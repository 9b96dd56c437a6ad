"""Places where a higher layer plugs into a lower one without the lower importing it.

Three hooks, each with a named signature (a :class:`~typing.Protocol`):

* the open-task counter shown in the page header (:class:`TaskCounter`, registered by the
  procedures layer): the core only knows that somebody may have registered one;
* panels (:class:`PanelRenderer`): a piece of a page that a higher layer contributes to a lower
  layer's template, shown where the template says ``{% panels "slot" %}``; the slots are the
  members of :class:`Slot`;
* the letter issuer (:class:`LetterIssuer`, registered by the documents layer): the next number of
  the agency's letter register, asked for by the meeting invitation of the cases layer.

A hook with one provider refuses a second, different function (:class:`HookAlreadyRegistered`):
two layers answering the same question is a wiring mistake, not a choice for the last one to win.
Registering the same function again (a second ``AppConfig.ready``, as tests may cause) is harmless.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from django.http import HttpRequest


class Slot(StrEnum):
    """Where panels are shown: the value is what a template writes in ``{% panels "..." %}``."""

    HOME = "home"  # organisation/home.html: the user's tasks
    HEADER = "header"  # base.html, beside the user menu: notifications
    AGENCY_ADMIN = "agency_admin"  # organisation/agency_detail.html: administration links
    MEETING = "meeting"  # cases/attendance_sheet.html: the meeting's documents


class TaskCounter(Protocol):
    """The number of open tasks of an authenticated ``user``."""

    def __call__(self, user: Any, /) -> int: ...


class PanelRenderer(Protocol):
    """A panel's HTML for ``request``; ``context`` holds the objects the template passes
    (``{% panels "agency_admin" agency=agency %}`` calls ``render(request, agency=agency)``)."""

    def __call__(self, request: HttpRequest, **context: Any) -> str: ...


class LetterIssuer(Protocol):
    """Issue the next number of the letter register of ``agency_id`` and return it as printed."""

    def __call__(
        self,
        agency_id: int,
        /,
        *,
        classification: str | None = None,
        actor: Any = None,
        subject: str = "",
        task_id: int | None = None,
    ) -> str: ...


class HookAlreadyRegistered(RuntimeError):
    """A second, different function was registered for a hook that has one provider."""


F = TypeVar("F")


class SingleHook(Generic[F]):
    """A hook one layer provides: a second, different function is refused."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._func: F | None = None

    def register(self, func: F) -> None:
        if self._func is not None and self._func != func:
            raise HookAlreadyRegistered(
                f"{self.name}: {self._func!r} is registered already, {func!r} is refused"
            )
        self._func = func

    @property
    def func(self) -> F | None:
        """The registered function, or None when no layer provides it."""
        return self._func


_task_counter: SingleHook[TaskCounter] = SingleHook("task counter")
_letter_issuer: SingleHook[LetterIssuer] = SingleHook("letter issuer")
_panels: dict[Slot, list[PanelRenderer]] = {}


def register_task_counter(func: TaskCounter) -> None:
    _task_counter.register(func)


def open_task_count(user: Any) -> int | None:
    """The open tasks of ``user``; None for an anonymous user or when no layer counts them."""
    counter = _task_counter.func
    if counter is None or not getattr(user, "is_authenticated", False):
        return None
    return counter(user)


def register_panel(slot: Slot, render: PanelRenderer) -> None:
    """Show ``render`` wherever a template says ``{% panels slot %}``, after the panels
    registered before it; registering the same renderer again changes nothing."""
    renderers = _panels.setdefault(Slot(slot), [])
    if render not in renderers:
        renderers.append(render)


def render_panels(slot: Slot | str, request: HttpRequest, **context: Any) -> str:
    """The HTML of the panels of ``slot``; an unknown slot name raises ValueError (a template's
    typo shows instead of an empty place)."""
    return "".join(render(request, **context) for render in _panels.get(Slot(slot), []))


def register_letter_issuer(func: LetterIssuer) -> None:
    _letter_issuer.register(func)


def letter_issuer() -> LetterIssuer | None:
    """The registered issuer, or None when no layer keeps a letter register."""
    return _letter_issuer.func
