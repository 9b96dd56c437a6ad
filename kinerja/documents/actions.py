"""The actions SOP steps bind to (kinerja.core.actions): the documents layer's six.

Each ``start`` returns the page where the official does the work (``documents:action_start``,
which resolves the task through ``core.actions.resolve_task`` and makes the document of the task's
case on a POST); the views report the work through :func:`finish` with the document's own agency
and case, never a task id.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kinerja.core import actions
from kinerja.core.actions import Action, ActionContext, ActionOutput

NAMES = ("draft_report", "review_report", "initial", "sign", "number_letter", "archive")


def _start(name: str) -> actions.ActionStart:
    def start(context: ActionContext) -> str:
        return actions.work_url(
            "documents:action_start", context, context.agency_id, name, case=context.case_id
        )

    return start


ACTIONS = [
    Action(
        "draft_report",
        _("Draft the report"),
        _start("draft_report"),
        _("Done when a version of the report is generated or uploaded."),
    ),
    Action(
        "review_report",
        _("Review the report"),
        _start("review_report"),
        _("Comment per section; done when the reviewer finishes the review."),
    ),
    Action(
        "initial",
        _("Initial the report (paraf)"),
        _start("initial"),
        _("Done when your initial is on the latest version."),
    ),
    Action(
        "sign",
        _("Sign the report"),
        _start("sign"),
        _("Electronic signature of the head; done when the PDF is signed."),
    ),
    Action(
        "number_letter",
        _("Number the cover letter"),
        _start("number_letter"),
        _("Done when the cover letter has its number from the register."),
    ),
    Action(
        "archive",
        _("Archive the documents"),
        _start("archive"),
        _("Archives the final documents of the case and offers the e-review package."),
    ),
]


def register_all() -> None:
    for action in ACTIONS:
        actions.register(action)


def finish(
    name: str,
    *,
    agency_id: int,
    case_id: int | None,
    user,
    label: str,
    url: str,
    obj=None,
) -> int | None:
    """Report that the work of ``name`` is done for a record of ``agency_id`` made for
    ``case_id`` (a document's own agency and case): the engine completes that case's open task
    bound to ``name`` if ``user`` may complete it. Returns the completed task's id, or None."""
    output = ActionOutput(
        label,
        url=url,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    return actions.done(name, agency_id=agency_id, case_id=case_id, user=user, output=output)
