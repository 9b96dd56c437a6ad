"""The actions SOP steps bind to (kinerja.core.actions): the documents layer's six.

Each ``start`` returns the page where the official does the work, carrying the task id; the views
call :func:`kinerja.core.actions.done` when that work is finished.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kinerja.core import actions
from kinerja.core.actions import Action, ActionContext, ActionOutput

NAMES = ("draft_report", "review_report", "initial", "sign", "number_letter", "archive")


def _start(name: str):
    def start(context: ActionContext) -> str:
        return actions.work_url(
            "documents:action_start", context, context.agency_id, name, case=context.case_id
        )

    return start


ACTIONS = [
    Action(
        "draft_report",
        str(_("Draft the report")),
        _start("draft_report"),
        str(_("Done when a version of the report is generated or uploaded.")),
    ),
    Action(
        "review_report",
        str(_("Review the report")),
        _start("review_report"),
        str(_("Comment per section; done when the reviewer finishes the review.")),
    ),
    Action(
        "initial",
        str(_("Initial the report (paraf)")),
        _start("initial"),
        str(_("Done when your initial is on the latest version.")),
    ),
    Action(
        "sign",
        str(_("Sign the report")),
        _start("sign"),
        str(_("Electronic signature of the head; done when the PDF is signed.")),
    ),
    Action(
        "number_letter",
        str(_("Number the cover letter")),
        _start("number_letter"),
        str(_("Done when the cover letter has its number from the register.")),
    ),
    Action(
        "archive",
        str(_("Archive the documents")),
        _start("archive"),
        str(_("Archives the final documents of the case and offers the e-review package.")),
    ),
]


def register_all() -> None:
    for action in ACTIONS:
        actions.register(action)


def finish(name: str, task_id: int | None, label: str, url: str, obj=None, user=None) -> None:
    """Tell the engine the action's work for ``task_id`` is done (after the commit)."""
    if not task_id:
        return
    output = ActionOutput(
        label,
        url=url,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    transaction.on_commit(
        lambda: actions.done(name, int(task_id), output, user_id=getattr(user, "pk", None))
    )
