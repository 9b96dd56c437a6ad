"""Walking a case through the services as the officials who receive its tasks."""

from __future__ import annotations

import datetime as dt

from kinerja.cases import services
from kinerja.cases.models import Case, Task


def open_task(case: Case) -> Task:
    return case.tasks.get(status=Task.Status.OPEN)


def actor_of(task: Task):
    """The login of the official who must act: the holder, or the first the task is offered to."""
    employee = task.worker or task.candidates.order_by("full_name").first()
    return employee.user


def walk(case: Case, answers: dict[int, list[str]] | None = None, start=None, step_minutes=20):
    """Complete every task in turn until the case ends. ``answers``: per decision step number,
    the outcomes to give in order (default ya). Returns the list of (step number, username)."""
    answers = {k: list(v) for k, v in (answers or {}).items()}
    at = start or case.started_at
    trail = []
    for _ in range(60):
        case.refresh_from_db()
        if case.status != Case.Status.OPEN:
            return trail
        task = open_task(case)
        at = max(at, task.created_at) + dt.timedelta(minutes=step_minutes)
        user = actor_of(task)
        outcome = reason = None
        if task.step.is_decision:
            queue = answers.get(task.step.number) or []
            outcome = queue.pop(0) if queue else "ya"
            reason = "Belum lengkap" if outcome == "tidak" else ""
        services.complete_task(
            task.pk,
            user,
            outcome=outcome,
            reason=reason or "",
            note=f"Selesai langkah {task.step.number}",
            now=at,
        )
        trail.append((task.step.number, user.username, outcome))
    raise AssertionError("case did not end")


def at_action(case: Case, name: str) -> Task:
    """Walk the case, each task done by its own holder (ya at a decision), to the open task
    whose step binds the action ``name``."""
    for _ in range(60):
        task = open_task(case)
        if task.step.action == name:
            return task
        outcome = "ya" if task.step.is_decision else None
        services.complete_task(task.pk, actor_of(task), outcome=outcome)
    raise AssertionError(f"the case never reaches a step bound to {name}")
