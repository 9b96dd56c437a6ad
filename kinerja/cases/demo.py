"""Demo cases in progress, so that a newcomer's first look shows work moving between officials.

Each seed office gets one run of its SOP, started a few working days ago through the same services
the pages use, with its first steps completed by the officials who hold them. Loading twice
changes nothing: a case that exists for the office and period is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from kinerja.cases import services
from kinerja.cases.models import Case, Task
from kinerja.procedures.models import Sop

# agency, period, who starts it, how many steps are already done
DEMO_CASES = [
    ("DKUKMTK-BLG", "2025", "dkukmtk.sekretaris", 4),
    ("DINKES-BLG", "2025-Q3", "dinkes.sekretaris", 2),
    ("KTT_BLG", "2025", "ktt.camat", 1),
    ("ADPIM-KALBAR", "2025", "adpim.kasubag", 3),
]


def load() -> None:
    User = get_user_model()
    started = timezone.now() - dt.timedelta(days=3)
    for code, period, starter, done in DEMO_CASES:
        sop = Sop.objects.filter(agency__code=code).order_by("pk").first()
        if sop is None or sop.effective_version() is None:
            continue
        if Case.objects.filter(agency__code=code, period=period, sop_version__sop=sop).exists():
            continue
        case = services.start_case(sop, period, User.objects.get(username=starter), now=started)
        at = started
        for _ in range(done):
            task = case.tasks.filter(status=Task.Status.OPEN).order_by("pk").first()
            if task is None:
                break
            employee = task.worker or task.candidates.order_by("full_name").first()
            at = max(at, task.created_at) + dt.timedelta(minutes=45)
            outcome = "ya" if task.step.is_decision else None
            services.complete_task(
                task.pk,
                employee.user,
                outcome=outcome,
                note=f"Langkah {task.step.number} selesai (data demo).",
                now=at,
            )
