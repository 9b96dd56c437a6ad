"""The registry of actions an SOP step can be bound to, by name.

The procedures engine must not import the apps that do the work (docs/architecture.md): a step names an
action ("collect", "draft_report", "sign", ...) and the app that provides it registers it here at
start-up (in its ``AppConfig.ready``). Both sides depend only on this module:

* the provider registers an :class:`Action` whose ``start`` returns the URL where the official does
  the work for a task (:func:`work_url`: the task id and period in the query string);
* the provider page resolves that ``?task=`` through :func:`resolve_task` (never trusting the
  number): the engine answers with the task's :class:`ActionContext` only if the user may complete
  that open task, else 404;
* when the work is finished the provider calls :func:`done` with its own record's identity (agency
  and case), never a task id: the engine finds the open task of that case bound to the action,
  checks that it belongs to the same agency and that the user may complete it by the task page's
  rule, and completes it with the output the provider reports.

An action's name is registered once: a second, different :class:`Action` under the same name is
refused, and so is a second task resolver (:class:`~kinerja.core.hooks.HookAlreadyRegistered`);
the same ones registered again at a second ``ready()`` change nothing. Labels are lazy
translations (``gettext_lazy``): they are shown in the user's language, not the one active at
start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

from django.dispatch import Signal
from django.http import Http404
from django.urls import reverse

from kinerja.core.hooks import SingleHook

if TYPE_CHECKING:  # django-stubs-ext is a test dependency; the alias is for the type checker
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ActionContext:
    """What the engine tells a provider about the task: ids only, never model objects."""

    task_id: int
    case_id: int
    agency_id: int
    period: str  # a Period code: "2024", "2024-S1", "2024-Q3"
    user_id: int | None = None


class ActionStart(Protocol):
    """The URL where the official does the work of the task ``context`` describes."""

    def __call__(self, context: ActionContext, /) -> str: ...


class TaskResolver(Protocol):
    """The engine's answer to a provider page's ``?task=`` (see :func:`resolve_task`)."""

    def __call__(self, task_id: Any, user: Any, name: str, /) -> ActionContext: ...


@dataclass(frozen=True)
class Action:
    name: str
    label: StrOrPromise  # shown on the task, e.g. gettext_lazy("Collect the units' figures")
    start: ActionStart  # returns the URL where the work is done
    description: StrOrPromise = ""


@dataclass(frozen=True)
class ActionOutput:
    """What an action produced: a label and a link to the record (a round, a report version)."""

    label: str
    url: str = ""
    object_type: str = ""
    object_id: str = ""


def work_url(viewname: str, context: ActionContext, *args: object, **extra: str | int) -> str:
    """The provider's page for a task: ``reverse(viewname, args)`` with the task id and period
    in the query string, plus ``extra`` parameters. The page resolves the task id again through
    :func:`resolve_task`; it never takes it on trust."""
    query = urlencode({"task": context.task_id, "period": context.period, **extra})
    return f"{reverse(viewname, args=args)}?{query}"


_registry: dict[str, Action] = {}

# Sent by :func:`done` when a provider finished the work of an action for one of its records:
# action_done.send(sender=<name>, name=..., agency_id=..., case_id=..., user=..., output=...).
# The engine's receiver returns the id of the task it completed, or None.
action_done = Signal()

# The engine's answer to "which task is this ?task=, for this user and this action": registered
# by the procedures layer (kinerja.cases) at start-up.
_task_resolver: SingleHook[TaskResolver] = SingleHook("task resolver")


class UnknownAction(KeyError):
    pass


def register(action: Action) -> None:
    """Make ``action`` known by its name; a different action under a known name raises."""
    if action.name in _registry and _registry[action.name] != action:
        raise ValueError(f"action {action.name!r} is registered twice")
    _registry[action.name] = action


def get(name: str) -> Action:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownAction(name) from None


def names() -> list[str]:
    """The names of the registered actions, sorted: what an SOP step may be bound to."""
    return sorted(_registry)


def register_task_resolver(func: TaskResolver) -> None:
    _task_resolver.register(func)


def resolve_task(task_id: Any, user: Any, name: str) -> ActionContext:
    """The task a provider page was opened for (the ``?task=`` of :func:`work_url`), as the engine
    sees it for ``user``: an open task bound to the action ``name`` that the user may complete by
    the task page's rule. Anything else (unknown, another office's, closed, bound to another
    action, not the user's to complete) raises Http404."""
    resolver = _task_resolver.func
    if resolver is None:
        raise Http404
    return resolver(task_id, user, name)


def done(
    name: str,
    *,
    agency_id: int,
    case_id: int | None,
    user: Any,
    output: ActionOutput,
) -> int | None:
    """A provider reports that the work of the action ``name`` is finished for one of its records.

    ``agency_id`` and ``case_id`` are the record's own: the agency it belongs to and the case it
    was made for (None when it was made outside any case: nothing is completed). The engine
    completes the open task of that case whose step binds ``name``, if the case belongs to the
    agency and ``user`` may complete the task by the task page's rule; it returns that task's id,
    or None when no task was completed (the task then waits for its holder)."""
    if not case_id:
        return None
    responses = action_done.send(
        sender=name, name=name, agency_id=agency_id, case_id=case_id, user=user, output=output
    )
    # The engine's receiver answers with the id of the task it completed, or None (django-stubs
    # types every receiver's answer as str | None: receivers may answer anything).
    answers: list[object] = [answer for _receiver, answer in responses]
    return next((a for a in answers if isinstance(a, int) and a), None)
