"""The command line: kinerja case start|show, task list|complete, remind."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from kinerja.cases import services
from kinerja.cases.models import Case, Notification, Task
from kinerja.cases.reminders import send_reminders
from tests.cases.helpers import open_task
from tests.officials import DINKES, DKUKMTK


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_case_start_show_task_list_and_complete(seed_sops, tmp_path):
    sop = seed_sops["002"]
    case_id = int(
        run(
            "case",
            "start",
            "--sop",
            str(sop.pk),
            "--agency",
            "DINKES-BLG",
            "--period",
            "2024-Q3",
            "--as",
            DINKES.sekretaris,
        ).strip()
    )
    case = Case.objects.get(pk=case_id)
    assert case.period == "2024-Q3" and "Triwulan III 2024" in case.title
    data = json.loads(run("case", "show", str(case_id), "--json"))
    assert data["status"] == "open" and data["tasks"][0]["step"] == 1
    assert "Pengumpulan" in run("case", "show", str(case_id))
    rows = json.loads(run("task", "list", "--user", DINKES.sekretaris, "--json"))
    assert [r["case"] for r in rows] == [case_id]
    task_id = rows[0]["id"]
    evidence = tmp_path / "disposisi.txt"
    evidence.write_text("disposisi")
    out = run(
        "task",
        "complete",
        str(task_id),
        "--as",
        DINKES.sekretaris,
        "--note",
        "ok",
        "--file",
        str(evidence),
    )
    assert "completed" in out
    assert Task.objects.get(pk=task_id).files.count() == 1
    with pytest.raises(CommandError, match="sudah diselesaikan"):
        run("task", "complete", str(task_id), "--as", DINKES.sekretaris)
    assert len(json.loads(run("task", "list", "--case", str(case_id), "--json"))) == 2
    assert "Merekap" in run("task", "list")


def test_commands_refuse_what_the_pages_refuse(seed_sops):
    with pytest.raises(CommandError):
        run(
            "case",
            "start",
            "--sop",
            "pengumpulan-data-kinerja",
            "--agency",
            "DINKES-BLG",
            "--period",
            "2024",
            "--as",
            DKUKMTK.kepala,
        )
    with pytest.raises(CommandError):
        run(
            "case",
            "start",
            "--sop",
            "pengumpulan-data-kinerja",
            "--agency",
            "DINKES-BLG",
            "--period",
            "2024-Q5",
            "--as",
            DINKES.sekretaris,
        )
    case_id = run(
        "case",
        "start",
        "--sop",
        "pengumpulan-data-kinerja",
        "--agency",
        "DINKES-BLG",
        "--period",
        "2024",
        "--as",
        DINKES.sekretaris,
    ).strip()
    task = Case.objects.get(pk=case_id).tasks.get()
    with pytest.raises(CommandError, match="pemegang"):
        run("task", "complete", str(task.pk), "--as", DINKES.staf)


def test_tidak_from_the_command_line(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday)
    for _ in range(6):
        task = open_task(case)
        services.complete_task(task.pk, (task.worker or task.candidates.first()).user, now=monday)
    task = open_task(case)
    with pytest.raises(CommandError):
        run("task", "complete", str(task.pk), "--as", DINKES.kasubag, "--outcome", "tidak")
    run(
        "task",
        "complete",
        str(task.pk),
        "--as",
        DINKES.kasubag,
        "--outcome",
        "tidak",
        "--reason",
        "Kurang",
    )
    assert open_task(case).step.number == 6


def test_remind_is_idempotent(seed_sops, official, monday, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = official(DINKES.sekretaris)
    user.email = "sekretaris@example.org"
    user.save()
    case = services.start_case(seed_sops["002"], "2024", user, now=monday)
    task = open_task(case)  # 15 minutes, due 08:15 WITA
    _created, sent = send_reminders(now=monday + dt.timedelta(minutes=1))
    kinds = set(Notification.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == {"arrived", "due_soon"}
    assert sent == 2 and len(mail.outbox) == 2
    assert send_reminders(now=monday + dt.timedelta(minutes=2)) == (0, 0)
    _created, sent = send_reminders(now=monday + dt.timedelta(minutes=30))
    kinds = set(Notification.objects.filter(task=task).values_list("kind", flat=True))
    assert "overdue" in kinds
    superior = Notification.objects.filter(task=task, kind="overdue_sup").get()
    assert superior.user.username == DINKES.kepala
    assert send_reminders(now=monday + dt.timedelta(minutes=40)) == (0, 0)
    assert "Terlambat" in mail.outbox[-1].subject or "Terlambat" in mail.outbox[-2].subject
    assert "new reminders" in run("remind")
