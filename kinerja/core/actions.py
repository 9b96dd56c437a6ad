"""The registry of actions an SOP step can be bound to, by name.

The procedures engine must not import the apps that do the work (ARCHITECTURE.md): a step names an
action ("collect", "draft_report", "sign", ...) and the app that provides it registers it here at
start-up (in its ``AppConfig.ready``). Both sides depend only on this module:

* the provider registers an :class:`Action` whose ``start`` returns the URL where the official does
  the work for a task (creating what it needs, e.g. opening a collection round), and calls
  :func:`done` when that work is finished;
* the engine shows the action's link on the task and listens to :data:`action_done` to complete
  the task with the output the provider reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.dispatch import Signal
from django.urls import reverse


@dataclass(frozen=True)
class ActionContext:
    """What the engine tells a provider about the task: ids only, never model objects."""

    task_id: int
    case_id: int
    agency_id: int
    period: str  # a Period code: "2024", "2024-S1", "2024-Q3"
    user_id: int | None = None


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # shown on the task, e.g. "Buka formulir pengumpulan data"
    start: Callable[[ActionContext], str]  # returns the URL where the work is done
    description: str = ""


@dataclass(frozen=True)
class ActionOutput:
    """What an action produced: a label and a link to the record (a round, a report version)."""

    label: str
    url: str = ""
    object_type: str = ""
    object_id: str = ""


def work_url(viewname: str, context: ActionContext, *args, **extra: str) -> str:
    """The provider's page for a task: ``reverse(viewname, args)`` with the task id and period
    in the query string, plus ``extra`` parameters."""
    query = urlencode({"task": context.task_id, "period": context.period, **extra})
    return f"{reverse(viewname, args=args)}?{query}"


_registry: dict[str, Action] = {}

# Sent by a provider when the work of an action for a task is finished:
# action_done.send(sender=<provider>, name=..., task_id=..., user_id=..., output=ActionOutput(...))
action_done = Signal()


class UnknownAction(KeyError):
    pass


def register(action: Action) -> None:
    if action.name in _registry and _registry[action.name] != action:
        raise ValueError(f"action {action.name!r} is registered twice")
    _registry[action.name] = action


def get(name: str) -> Action:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownAction(name) from None


def names() -> list[str]:
    return sorted(_registry)


def done(
    name: str, task_id: int, output: ActionOutput, user_id: int | None = None, sender: object = None
) -> None:
    """A provider reports that the action ``name`` finished its work for ``task_id``."""
    action_done.send(
        sender=sender or name, name=name, task_id=task_id, user_id=user_id, output=output
    )
