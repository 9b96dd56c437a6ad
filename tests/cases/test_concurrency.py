"""Two officials completing the same task at the same moment: one completion, one clear message."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from kinerja.cases import services
from kinerja.cases.models import Task
from tests.cases.helpers import open_task
from tests.officials import DKUKMTK

pytestmark = pytest.mark.postgresql  # row locks: deselected on SQLite (tests/conftest.py)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_completions_yield_one(seed_sops, official, monday):
    case = services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris), now=monday)
    task = open_task(case)
    users = [official(DKUKMTK.sekretaris), official(DKUKMTK.admin)]
    barrier = threading.Barrier(2)
    results: list[object] = []

    def complete(user) -> None:
        try:
            barrier.wait()
            services.complete_task(task.pk, user, note=user.username, now=monday)
            results.append("done")
        except services.TaskNotOpen as exc:
            results.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results, key=lambda r: r != "done")[0] == "done"
    assert len(results) == 2 and results.count("done") == 1
    message = next(r for r in results if r != "done")
    assert "sudah diselesaikan" in message
    assert Task.objects.filter(case=case, step__number=1, status="done").count() == 1
    assert Task.objects.filter(case=case, step__number=2).count() == 1
