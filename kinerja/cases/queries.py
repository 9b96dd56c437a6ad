"""Named reporting queries (docs/conventions.md, do 10): the SLA of an SOP, the inbox."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet, prefetch_related_objects

from kinerja.cases.models import Case, Task
from kinerja.cases.sla import SopStats, StepStats, TaskTime, most_often_late, step_statistics
from kinerja.organisation.models import Employee
from kinerja.procedures.models import Sop


def sla_times(sop: Sop) -> list[TaskTime]:
    """Every completed task of the SOP's finished cases, as (step, standard, actual)."""
    rows = Task.objects.filter(
        case__sop_version__sop=sop,
        case__status=Case.Status.FINISHED,
        status=Task.Status.DONE,
        actual_minutes__isnull=False,
    ).values_list("step__number", "step__text", "standard_minutes", "actual_minutes")
    return [
        TaskTime(str(n), std, act, text)
        for n, text, std, act in rows.iterator(2000)
        if act is not None  # always, by the filter; says so to the type checker
    ]


_SLA_SQL = """
SELECT s.number, min(s.text), min(t.standard_minutes), count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY t.actual_minutes),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY t.actual_minutes),
       sum(CASE WHEN t.standard_minutes IS NULL
                  OR t.actual_minutes <= t.standard_minutes + 1e-9 THEN 1 ELSE 0 END)
  FROM cases_task t
  JOIN cases_case c ON c.id = t.case_id
  JOIN procedures_sopversion v ON v.id = c.sop_version_id
  JOIN procedures_step s ON s.id = t.step_id
 WHERE v.sop_id = %s AND c.status = 'finished' AND t.status = 'done'
   AND t.actual_minutes IS NOT NULL
 GROUP BY s.number
 ORDER BY s.number
"""


def sop_sla(sop: Sop) -> SopStats:
    """Per step of the SOP (all versions, by step number): median, p90, share on time.

    On PostgreSQL the database computes the percentiles (``percentile_cont`` interpolates as
    :func:`kinerja.cases.sla.percentile` does); elsewhere the rows come to Python.
    """
    cases = Case.objects.filter(sop_version__sop=sop, status=Case.Status.FINISHED).count()
    if connection.vendor != "postgresql":
        return step_statistics(sla_times(sop), cases=cases)
    with connection.cursor() as cursor:
        cursor.execute(_SLA_SQL, [sop.pk])
        rows = cursor.fetchall()
    steps = [
        StepStats(
            step_key=str(number),
            label=text,
            count=count,
            standard=standard,
            median=float(p50),
            p90=float(p90),
            on_time_share=on_time / count,
            late=count - on_time,
        )
        for number, text, standard, count, p50, p90, on_time in rows
    ]
    return SopStats(steps=steps, cases=cases, most_often_late=most_often_late(steps))


def inbox_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks as the inbox lists them, with only the columns a row shows. Few joins (planning a
    wide join costs more than running it): evaluate with :func:`load_rows`."""
    return tasks.select_related("case", "step").only(*INBOX_FIELDS).order_by("due_at", "pk")


def load_rows(tasks: QuerySet[Task], employee: Employee | None = None) -> list[Task]:
    """Evaluate ``inbox_rows(...)``; the people, positions and agencies come in small prefetch
    queries, except the official's own record and agency, already read for this request."""
    rows = list(tasks)
    if employee is not None:
        for task in rows:
            if task.assignee_id == employee.pk:
                task.assignee = employee
            if task.delegated_to_id == employee.pk:
                task.delegated_to = employee
            if task.case.agency_id == employee.agency_id:
                task.case.agency = employee.agency
    prefetch_related_objects(rows, "case__agency", "position", "assignee", "delegated_to", "team")
    return rows


# The columns a task row shows (cases_tags.task_rows): the rest of a task, its case and its
# step (descriptions, notes, outputs) stays in the database.
INBOX_FIELDS = (
    "case__title",
    "case__agency_id",
    "step__number",
    "step__text",
    "status",
    "due_at",
    "return_reason",
    "shared",
    "assignee_id",
    "delegated_to_id",
    "team_id",
    "position_id",
    "completed_at",
)

# What a notification line needs (cases_tags.notification_items), as ``values_list`` rows: kind,
# task id, step number and text.
NOTE_FIELDS = ("kind", "task_id", "task__step__number", "task__step__text")
