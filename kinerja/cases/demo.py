"""Demo cases in progress, so that a newcomer's first look shows work moving between officials.

Each seed office gets one run of its SOP, started a few working days ago through the same services
the pages use, with its first steps completed by the officials who hold them. Loading twice
changes nothing: a case that exists for the office and period is left as it is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.utils import timezone

from kinerja.cases import services
from kinerja.cases.models import Case, Task
from kinerja.core.demo_data import NON_EMPTY, list_of, read_demo_data, record
from kinerja.procedures.models import Sop

DATA_FILE = Path(__file__).parent / "demo_data" / "cases.yaml"
CASES_SCHEMA = record(
    {
        "cases": list_of(
            record(
                {
                    "agency": NON_EMPTY,
                    "period": NON_EMPTY,
                    "starter": NON_EMPTY,
                    "done": {"type": "integer", "minimum": 0},
                }
            )
        )
    }
)


class DemoCase(NamedTuple):
    """One case of the demo: its office, its period, who starts it, how many steps are done."""

    agency: str
    period: str
    starter: str
    done: int


def demo_cases() -> list[DemoCase]:
    """The demo's cases, one per seed office, from ``demo_data/cases.yaml``."""
    return [DemoCase(**row) for row in read_demo_data(DATA_FILE, CASES_SCHEMA)["cases"]]


def load() -> None:
    """Start each demo case not started yet and complete its first steps."""
    started = timezone.now() - dt.timedelta(days=3)
    for row in demo_cases():
        sop = Sop.objects.filter(agency__code=row.agency).order_by("pk").first()
        if sop is None or sop.effective_version() is None:
            continue
        if Case.objects.filter(
            agency__code=row.agency, period=row.period, sop_version__sop=sop
        ).exists():
            continue
        starter = get_user_model().objects.get(username=row.starter)
        case = services.start_case(sop, row.period, starter, now=started)
        _complete_steps(case, row.done, started)


def _complete_steps(case: Case, done: int, started: dt.datetime) -> None:
    """Complete the case's first ``done`` steps, each 45 minutes after the one before, by the
    official who holds it (a decision takes "ya")."""
    at = started
    for _ in range(done):
        task = case.tasks.filter(status=Task.Status.OPEN).order_by("pk").first()
        if task is None:
            break
        employee = task.worker or task.candidates.order_by("full_name").first()
        if employee is None or employee.user is None:
            raise ValueError(f"Demo case {case.pk}: no login can do step {task.step.number}.")
        at = max(at, task.created_at) + dt.timedelta(minutes=45)
        outcome = "ya" if task.step.is_decision else None
        services.complete_task(
            task.pk,
            employee.user,
            outcome=outcome,
            note=f"Langkah {task.step.number} selesai (data demo).",
            now=at,
        )
