"""Each seed SOP walked end to end through the pages by the officials who hold its positions.

The test body reads the database only to know whom to log in as next; every action goes through
the real pages. A screenshot of each finished case page goes to test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kinerja.cases.models import Case, Task
from tests.cases.conftest import seed_sops  # noqa: F401 - fixture
from tests.officials import ADPIM, DINKES, DKUKMTK, KTT

pytestmark = pytest.mark.browser


def _next_task(case_id: int) -> Task | None:
    return (
        Task.objects.filter(case_id=case_id, status=Task.Status.OPEN)
        .select_related("step", "assignee__user", "delegated_to__user")
        .first()
    )


def _actor(task: Task) -> str:
    employee = task.worker or task.candidates.order_by("full_name").first()
    return employee.user.username


def _start(page, login, starter: str, sop, period: str) -> int:
    login(starter)
    page.goto("/kasus/mulai/")
    page.select_option("select[name=sop]", str(sop.effective_version().pk))
    page.fill("input[name=period]", period)
    page.get_by_test_id("start-submit").click()
    page.wait_for_url(re.compile(r"/kasus/\d+/$"))
    return int(re.search(r"/kasus/(\d+)/", page.url).group(1))


def _walk(
    page, login, case_id: int, answers: dict[int, list[str]] | None = None, meeting=False
) -> list[tuple[int, str]]:
    answers = {k: list(v) for k, v in (answers or {}).items()}
    trail = []
    current_user = None
    for _ in range(40):
        task = _next_task(case_id)
        if task is None:
            break
        username = _actor(task)
        if username != current_user:
            login(username)
            current_user = username
        page.goto("/kasus/")
        page.locator(
            f'[data-testid=inbox] [data-task-id="{task.pk}"] [data-testid=task-link]'
        ).click()
        expect(page.get_by_test_id("sop-warning").first).to_be_visible()
        if page.get_by_test_id("take").count():
            page.get_by_test_id("take").click()
        if meeting and task.step.action == "meeting":
            page.get_by_test_id("action-link").click()  # the action ``meeting`` (cases)
            page.fill("input[name=starts_at]", "2026-12-01T09:00")
            page.fill("input[name=place]", "Ruang Rapat Biro")
            page.fill("textarea[name=agenda]", "Pembahasan draft LAKIP")
            for box in page.locator("input[name=invited]").all()[:4]:
                box.check()
            page.get_by_test_id("meeting-submit").click()
            # The invitation page: issue its number from the letter register (005 = undangan).
            expect(page.get_by_test_id("attendance")).to_be_visible()
            page.get_by_test_id("issue-number").click()
            expect(page.get_by_test_id("invitation-number")).to_contain_text(
                re.compile(r"005/\d{3}/")
            )
            page.get_by_test_id("back-to-task").click()
            expect(page.get_by_test_id("task-invitation-number")).to_contain_text(
                re.compile(r"005/\d{3}/")
            )
        if meeting and task.step.records_minutes:
            page.get_by_test_id("record-minutes").click()
            page.locator("input[name=attended]").first.check()
            page.fill("textarea[name=minutes]", "Draft LAKIP dibahas dan disepakati.")
            page.get_by_test_id("minutes-submit").click()
            page.wait_for_url(re.compile(rf"/kasus/{case_id}/$"))
            trail.append((task.step.number, username))
            continue
        if task.step.is_decision:
            queue = answers.get(task.step.number) or []
            outcome = queue.pop(0) if queue else "ya"
            page.get_by_test_id(f"outcome-{outcome}").check()
            if outcome == "tidak":
                page.get_by_test_id("reason").fill("Data belum lengkap")
        if task.return_reason:
            expect(page.get_by_test_id("return-reason")).to_contain_text(task.return_reason)
        page.get_by_test_id("note").fill(f"Langkah {task.step.number} selesai")
        page.get_by_test_id("complete").click()
        page.wait_for_url(re.compile(rf"/kasus/{case_id}/$"))
        trail.append((task.step.number, username))
    return trail


def _finish(page, case_id: int, artifacts, name: str) -> None:
    page.goto(f"/kasus/{case_id}/")
    expect(page.get_by_test_id("case-status")).to_have_attribute("data-status", "finished")
    expect(page.get_by_test_id("gantt")).to_be_visible()
    page.screenshot(path=artifacts / name, full_page=True)
    assert Case.objects.get(pk=case_id).status == Case.Status.FINISHED


def test_sop_001_through_the_pages(page, login, seed_sops, artifacts):  # noqa: F811
    case_id = _start(page, login, DKUKMTK.sekretaris, seed_sops["001"], "2024")
    trail = _walk(page, login, case_id)
    assert [n for n, _ in trail] == list(range(1, 12))
    assert trail[8] == (9, DKUKMTK.kepala)
    _finish(page, case_id, artifacts, "case-sop-001.png")


def test_sop_002_with_a_tidak_through_the_pages(page, login, seed_sops, artifacts):  # noqa: F811
    case_id = _start(page, login, DINKES.sekretaris, seed_sops["002"], "2024-Q3")
    # The flowchart highlights the current step.
    expect(page.locator('[data-testid=flow-step][data-step="1"]')).to_have_attribute(
        "data-state", "current"
    )
    trail = _walk(page, login, case_id, answers={7: ["tidak", "ya"], 8: ["tidak", "ya"]})
    assert [n for n, _ in trail] == [1, 2, 3, 4, 5, 6, 7, 6, 7, 8, 7, 8, 9]
    _finish(page, case_id, artifacts, "case-sop-002.png")
    expect(page.locator("[data-testid=event][data-kind='task.returned']")).to_have_count(2)


def test_sop_003_through_the_pages(page, login, seed_sops, artifacts):  # noqa: F811
    case_id = _start(page, login, KTT.kepala, seed_sops["003"], "2024")
    trail = _walk(page, login, case_id)
    assert [n for n, _ in trail] == list(range(1, 11))
    _finish(page, case_id, artifacts, "case-sop-003.png")


def test_sop_004_with_its_meeting_through_the_pages(page, login, seed_sops, artifacts):  # noqa: F811
    case_id = _start(page, login, ADPIM.kasubag, seed_sops["004"], "2024")
    trail = _walk(page, login, case_id, meeting=True)
    assert [n for n, _ in trail] == list(range(1, 10))
    _finish(page, case_id, artifacts, "case-sop-004.png")
    expect(page.locator('[data-testid=output][data-step="5"]')).to_contain_text("Notulensi")
