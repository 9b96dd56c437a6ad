"""Times on the command line carry their zone: the agency's clock with WIB/WITA/WIT in tables,
ISO 8601 with the offset in --json (issue 12). Dinas Kesehatan Balangan works in WITA."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command

from kinerja.cases import services
from kinerja.organisation.models import Agency
from tests.cases.helpers import open_task
from tests.officials import DINKES


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _case(seed_sops, official, monday):
    assert Agency.objects.get(code="DINKES-BLG").time_zone == "Asia/Makassar"
    case = services.start_case(seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday)
    task = open_task(case)  # step 1: 15 Menit, from Monday 08:00 WITA
    assert task.due_at == monday + dt.timedelta(minutes=15)
    return case, task


def test_task_list_prints_the_due_time_in_wita(seed_sops, official, monday):
    case, task = _case(seed_sops, official, monday)
    assert task.due_at.astimezone(dt.UTC).hour == 0  # stored as 00:15 UTC
    table = run("task", "list", "--case", str(case.pk))
    assert "2025-03-03 08:15 WITA" in table
    assert "00:15" not in table
    (row,) = json.loads(run("task", "list", "--case", str(case.pk), "--json"))
    assert row["due_at"] == "2025-03-03T08:15:00+08:00"
    assert row["created_at"] == "2025-03-03T08:00:00+08:00"
    assert dt.datetime.fromisoformat(row["due_at"]) == task.due_at


def test_case_show_prints_times_in_wita(seed_sops, official, monday):
    case, _task = _case(seed_sops, official, monday)
    shown = run("case", "show", str(case.pk))
    assert "2025-03-03 08:00 WITA" in shown  # started
    assert "2025-03-03 08:15 WITA" in shown  # due
    data = json.loads(run("case", "show", str(case.pk), "--json"))
    assert data["started_at"] == "2025-03-03T08:00:00+08:00"
    assert data["tasks"][0]["due_at"] == "2025-03-03T08:15:00+08:00"
    assert all(e["at"].endswith("+08:00") for e in data["events"])


def test_task_list_in_wib_for_an_office_in_pontianak(seed_sops, official):
    from tests.officials import ADPIM

    start = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    case = services.start_case(seed_sops["004"], "2024", official(ADPIM.kasubag), now=start)
    task = open_task(case)
    local = task.due_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"{local:%Y-%m-%d %H:%M} WIB" in run("task", "list", "--case", str(case.pk))
    (row,) = json.loads(run("task", "list", "--case", str(case.pk), "--json"))
    assert row["due_at"].endswith("+07:00")
