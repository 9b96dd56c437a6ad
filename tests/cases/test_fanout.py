"""A step of an ``each`` lane: one task per position, the case moves on once when all are done,
a Tidak sends it back to every unit, and each task is reassigned on its own."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from kinerja.cases import services
from kinerja.cases.models import Case, Task
from kinerja.organisation.models import Employee, PositionHolding
from kinerja.procedures.services import import_sop
from tests.procedures.lakip_org import build

MONDAY = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

FANOUT = """\
format: kinerja-sop/1
agency: DPUPR-BLG
key: data-bidang
name: Pengumpulan Data Bidang
lanes:
  - {key: sek, name: Sekretaris, positions: [SEKRETARIS]}
  - {key: bidang, name: Bidang-bidang, each: true, positions: [KABID-CK, KABID-BM, KABID-SDA]}
steps:
  - {number: 1, text: Meminta data, lane: sek, start: true, time: 1 Hari}
  - {number: 2, text: Menyampaikan data, lane: bidang, time: 2 Hari}
  - {number: 3, text: Memeriksa data, lane: sek, kind: decision, yes: 4, no: 2, time: 1 Hari}
  - {number: 4, text: Mengarsipkan, lane: sek, end: true, time: 1 Jam}
"""


@pytest.fixture
def org(offices):
    return build(offices["DKUKMTK-BLG"].region)


@pytest.fixture
def case(org):
    version = import_sop(FANOUT, effective=True).version
    case = services.start_case(version, "2024", org.user("sekretaris"), now=MONDAY)
    first = case.tasks.get()
    services.complete_task(first.pk, org.user("sekretaris"), now=MONDAY)
    return case


def step_tasks(case: Case, number: int, status: str = Task.Status.OPEN) -> list[Task]:
    return list(case.tasks.filter(step__number=number, status=status).order_by("pk"))


def test_one_task_per_position_in_the_file_order(org, case):
    tasks = step_tasks(case, 2)
    assert [t.position.code for t in tasks] == ["KABID-CK", "KABID-BM", "KABID-SDA"]
    assert [t.assignee.user for t in tasks] == [org.user(f"kabid{n}") for n in (3, 1, 2)]
    assert not any(t.shared for t in tasks) and len({t.batch for t in tasks}) == 1


def test_the_case_waits_for_every_unit_then_moves_once(org, case):
    tasks = step_tasks(case, 2)
    for task in tasks[:2]:
        services.complete_task(task.pk, task.assignee.user, now=MONDAY)
        assert not case.tasks.filter(step__number=3).exists()
    client = Client()
    client.force_login(org.user("kabid3"))
    page = client.get(reverse("cases:task", args=[tasks[2].pk]))
    assert page.status_code == 200 and b'data-testid="siblings"' in page.content
    services.complete_task(tasks[2].pk, tasks[2].assignee.user, now=MONDAY)
    assert len(step_tasks(case, 3)) == 1


def test_the_last_task_decides_under_the_lock(org, case):
    """Logic level of the race: whichever of the last two completions runs second sees the
    batch done; the first one sees the other still open and leaves the case where it is."""
    first, second, third = step_tasks(case, 2)
    services.complete_task(first.pk, first.assignee.user, now=MONDAY)
    assert services._batch_waits(second) and services._batch_waits(third)
    services.complete_task(second.pk, second.assignee.user, now=MONDAY)
    assert not services._batch_waits(Task.objects.get(pk=third.pk))
    services.complete_task(third.pk, third.assignee.user, now=MONDAY)
    assert case.tasks.filter(step__number=3).count() == 1


def test_tidak_sends_the_step_back_to_every_unit(org, case):
    done = step_tasks(case, 2)
    for task in done:
        services.complete_task(task.pk, task.assignee.user, now=MONDAY)
    (decision,) = step_tasks(case, 3)
    services.complete_task(
        decision.pk, org.user("sekretaris"), outcome="tidak", reason="Kurang", now=MONDAY
    )
    again = step_tasks(case, 2)
    assert [t.assignee_id for t in again] == [t.assignee_id for t in done]
    assert len({t.batch for t in again}) == 1 and again[0].batch != done[0].batch
    assert all(t.returned_from_id == decision.pk and t.return_reason == "Kurang" for t in again)


def test_each_task_is_reassigned_on_its_own(org, case):
    tasks = step_tasks(case, 2)
    moved = tasks[1]  # KABID-BM, held by kabid1
    PositionHolding.objects.filter(position=moved.position).update(end=dt.date(2025, 3, 3))
    new = Employee.objects.create(agency=org.dinas, full_name="Kabid BM Baru")
    PositionHolding.objects.create(position=moved.position, employee=new, start=dt.date(2025, 3, 4))
    assert services.reassign_open_tasks(org.dinas, now=MONDAY + dt.timedelta(days=1)) == 1
    assert [Task.objects.get(pk=t.pk).assignee_id for t in tasks] == [
        tasks[0].assignee_id,
        new.pk,
        tasks[2].assignee_id,
    ]


@pytest.mark.postgresql  # row locks: deselected on SQLite (tests/conftest.py)
@pytest.mark.django_db(transaction=True)
def test_the_last_two_completed_at_once_move_the_case_once(org, case):
    first, *last_two = step_tasks(case, 2)
    services.complete_task(first.pk, first.assignee.user, now=MONDAY)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def finish(task: Task) -> None:
        try:
            barrier.wait()
            services.complete_task(task.pk, task.assignee.user, now=MONDAY)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finish, args=(t,)) for t in last_two]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert case.tasks.filter(step__number=3).count() == 1
