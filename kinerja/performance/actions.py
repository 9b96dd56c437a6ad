"""The actions SOP steps can bind to: generate_forms, distribute_forms, collect, analyze.

Each start callable returns the URL where the official does the work, carrying the task id;
the services call :func:`kinerja.core.actions.done` when the work for that task is finished.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kinerja.core import actions
from kinerja.core.actions import Action, ActionContext


def _round_start(step: str) -> actions.ActionStart:
    def start(context: ActionContext) -> str:
        return actions.work_url("performance:round_start", context, context.agency_id, step=step)

    return start


def _analyze_start(context: ActionContext) -> str:
    return actions.work_url("performance:analysis_start", context, context.agency_id)


ACTIONS = [
    Action(
        "generate_forms",
        _("Generate the data-collection forms"),
        _round_start("generate_forms"),
        _("Opens the collection round for the period and makes each unit's form."),
    ),
    Action(
        "distribute_forms",
        _("Distribute the forms to the units"),
        _round_start("distribute_forms"),
        _("Marks the forms as sent; each unit head sees their form."),
    ),
    Action(
        "collect",
        _("Collect the units' figures"),
        _round_start("collect"),
        _("Done when every unit of the round has submitted."),
    ),
    Action(
        "analyze",
        _("Analyse and evaluate the data"),
        _analyze_start,
        _("Done when the analysis of the period is saved."),
    ),
]


def register_all() -> None:
    for action in ACTIONS:
        actions.register(action)
