"""Listeners: actions finishing their work, holders of positions changing."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save

from kinerja.core import actions


def on_action_done(
    sender, name: str, agency_id: int, case_id: int, user, output, **kwargs
) -> int | None:
    """A provider finished the work of an action for its record (agency, case): complete the
    case's open task bound to it, if the user may (``services.complete_action``)."""
    from kinerja.cases.services import complete_action

    task = complete_action(name, agency_id=agency_id, case_id=case_id, user=user, output=output)
    return task.pk if task is not None else None


def on_holding_saved(sender, instance, **kwargs) -> None:
    """A position changed hands: open tasks follow the position (decision 10)."""
    from kinerja.cases.services import reassign_open_tasks

    agency = instance.position.agency
    transaction.on_commit(lambda: reassign_open_tasks(agency))


def connect() -> None:
    from kinerja.organisation.models import PositionHolding

    actions.action_done.connect(on_action_done, dispatch_uid="cases.action_done")
    post_save.connect(on_holding_saved, sender=PositionHolding, dispatch_uid="cases.holding")
