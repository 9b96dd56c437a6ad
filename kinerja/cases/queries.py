"""Named reporting queries (STYLE.md lesson 10): the SLA of an SOP, the inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from kinerja.cases.models import Case, Task
from kinerja.cases.sla import SopStats, TaskTime, step_statistics
from kinerja.procedures.models import Sop


def sla_times(sop: Sop) -> list[TaskTime]:
    """Every completed task of the SOP's finished cases, as (step, standard, actual)."""
    rows = Task.objects.filter(
        case__sop_version__sop=sop,
        case__status=Case.Status.FINISHED,
        status=Task.Status.DONE,
        actual_minutes__isnull=False,
    ).values_list("step__number", "step__text", "standard_minutes", "actual_minutes")
    return [TaskTime(str(n), std, act, text) for n, text, std, act in rows.iterator(2000)]


def sop_sla(sop: Sop) -> SopStats:
    cases = Case.objects.filter(sop_version__sop=sop, status=Case.Status.FINISHED).count()
    return step_statistics(sla_times(sop), cases=cases)


def inbox_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks as the inbox lists them. Few joins (planning a wide join costs more than running
    it); the people, positions and agencies come in small prefetch queries."""
    return (
        tasks.select_related("case", "step")
        .prefetch_related("case__agency", "position", "assignee", "delegated_to", "team")
        .order_by("due_at", "pk")
    )
