"""The demo's cases in progress: one per seed office, loaded twice without change."""

from __future__ import annotations

from kinerja.cases.demo import demo_cases, load
from kinerja.cases.models import Case, Task


def test_demo_cases_are_in_progress_and_load_once(seed_sops):
    load()
    load()
    assert Case.objects.count() == len(demo_cases())
    for code, period, _starter, done in demo_cases():
        case = Case.objects.get(agency__code=code, period=period)
        assert case.status == Case.Status.OPEN
        assert case.tasks.filter(status=Task.Status.DONE).count() == done
        assert case.tasks.filter(status=Task.Status.OPEN).count() == 1
