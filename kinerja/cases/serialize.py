"""Plain dictionaries of cases and tasks, for ``--json`` output and the pages' data.

Times are ISO 8601 on the clock of the case's agency, with its offset (``+08:00`` in WITA).
"""

from __future__ import annotations

from typing import Any

from kinerja.cases.models import Case, Task
from kinerja.core.formats import isoformat_zone


def task_to_dict(task: Task) -> dict[str, Any]:
    worker = task.worker
    zone = task.case.agency.time_zone

    def _iso(value) -> str | None:
        return isoformat_zone(value, zone)

    return {
        "id": task.pk,
        "case": task.case_id,
        "step": task.step.number,
        "activity": task.step.text,
        "kind": task.step.kind,
        "status": task.status,
        "position": task.position.name if task.position is not None else None,
        "team": task.team.name if task.team is not None else None,
        "holder": task.assignee.full_name if task.assignee is not None else None,
        "held_as": task.holding_kind,
        "delegated_to": task.delegated_to.full_name if task.delegated_to is not None else None,
        "worker": worker.full_name if worker else None,
        "offered_to": [e.full_name for e in task.candidates.all()] if task.shared else [],
        "created_at": _iso(task.created_at),
        "due_at": _iso(task.due_at),
        "time_standard": task.step.time_text,
        "completed_at": _iso(task.completed_at),
        "completed_by": task.completed_as.full_name if task.completed_as is not None else None,
        "on_time": task.on_time,
        "outcome": task.outcome or None,
        "reason": task.reason or None,
        "return_reason": task.return_reason or None,
        "note": task.note or None,
        "files": [f.name for f in task.files.all()],
        "action": task.step.action or None,
        "action_output": task.action_output,
        **_together(task),
    }


def _together(task: Task) -> dict[str, Any]:
    """The task's batch (a step of an ``each`` lane) and the people it is done together with."""
    return {
        "batch": str(task.batch) if task.batch else None,
        "joint_with": [e.full_name for e in task.joint_with.all()],
    }


def case_to_dict(case: Case, with_tasks: bool = True) -> dict[str, Any]:
    zone = case.agency.time_zone

    def _iso(value) -> str | None:
        return isoformat_zone(value, zone)

    data: dict[str, Any] = {
        "id": case.pk,
        "title": case.title,
        "agency": case.agency.code,
        "sop": case.sop_version.sop_id,
        "sop_number": case.sop_version.number,
        "sop_version": case.sop_version.version,
        "period": case.period,
        "status": case.status,
        "started_at": _iso(case.started_at),
        "finished_at": _iso(case.finished_at),
        "cancelled_at": _iso(case.cancelled_at),
        "cancel_reason": case.cancel_reason or None,
        "parent_task": case.parent_task_id,
    }
    if with_tasks:
        tasks = case.tasks.select_related(
            "step", "position", "team", "assignee", "delegated_to", "completed_as"
        ).prefetch_related("candidates", "files", "joint_with")
        data["tasks"] = [task_to_dict(t) for t in tasks]
        data["events"] = [
            {
                "at": _iso(e.at),
                "kind": e.kind,
                "who": e.employee.full_name if e.employee is not None else None,
                "task": e.task_id,
                "outcome": e.outcome or None,
                "text": e.text or None,
            }
            for e in case.events.select_related("employee")
        ]
    return data
