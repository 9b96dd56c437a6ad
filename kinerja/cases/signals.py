"""Listeners: actions finishing their work, holders of positions changing."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save

from kinerja.core import actions

log = logging.getLogger(__name__)


def on_action_done(sender, name: str, task_id: int, output, user_id=None, **kwargs) -> None:
    """An action provider finished the work of a task: complete it with the action's output."""
    from kinerja.cases.models import Task
    from kinerja.cases.services import TaskNotOpen, complete_task

    task = Task.objects.select_related("step").filter(pk=task_id).first()
    if task is None or task.step.action != name:
        log.warning("action %s reported for task %s which does not use it", name, task_id)
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        complete_task(task_id, user, output=output, via_action=True)
    except TaskNotOpen:
        log.info("task %s was already completed when action %s finished", task_id, name)


def on_holding_saved(sender, instance, **kwargs) -> None:
    """A position changed hands: open tasks follow the position (decision 10)."""
    from kinerja.cases.services import reassign_open_tasks

    agency = instance.position.agency
    transaction.on_commit(lambda: reassign_open_tasks(agency))


def connect() -> None:
    from kinerja.organisation.models import PositionHolding

    actions.action_done.connect(on_action_done, dispatch_uid="cases.action_done")
    post_save.connect(on_holding_saved, sender=PositionHolding, dispatch_uid="cases.holding")
