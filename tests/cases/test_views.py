"""Pages: inbox, start, task, case, SLA; each refuses an outsider."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.cases import services
from kinerja.cases.models import Case, Task
from kinerja.core.hooks import open_task_count
from tests.cases.helpers import open_task, walk
from tests.officials import DINKES, DKUKMTK, KTT


@pytest.fixture
def case_002(seed_sops, official, monday):
    return services.start_case(seed_sops["002"], "2024-Q3", official(DINKES.sekretaris), now=monday)


def test_inbox_lists_my_tasks_and_the_header_count(client_for, case_002, official):
    client = client_for(DINKES.sekretaris)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 200
    task = open_task(case_002)
    assert f'data-task-id="{task.pk}"'.encode() in response.content
    assert b'data-testid="overdue"' in response.content  # March 2025 is long past
    assert open_task_count(official(DINKES.sekretaris)) == 1
    assert b'data-testid="task-count">1<' in response.content
    # The Kepala Dinas heads the agency: the Sekretaris' task shows under "units I head".
    response = client_for(DINKES.kepala).get(reverse("cases:inbox"))
    assert b'data-testid="headed"' in response.content


def test_task_page_shows_standard_warning_and_completes(client_for, case_002):
    task = open_task(case_002)
    client = client_for(DINKES.sekretaris)
    page = client.get(reverse("cases:task", args=[task.pk])).content.decode()
    assert 'data-testid="sop-warning"' in page and "penyusunan LAKIP tidak maksimal" in page
    assert "Perjanjian Kinerja, Rencana aksi" in page and "Disposisi" in page
    response = client.post(
        reverse("cases:complete", args=[task.pk]),
        {"note": "Disposisi dibuat", "files": SimpleUploadedFile("d.txt", b"disposisi")},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.files.count() == 1
    # A second submission gets a clear message, not an error.
    response = client.post(reverse("cases:complete", args=[task.pk]), {"note": "lagi"}, follow=True)
    assert "sudah diselesaikan" in response.content.decode()


def test_case_page_flowchart_highlights_the_current_step(client_for, case_002):
    page = client_for(DINKES.kasubag).get(reverse("cases:case", args=[case_002.pk])).content
    assert b'data-step="1" data-state="current"' in page
    assert b'data-testid="gantt"' in page and b'data-testid="timeline"' in page


def test_outsider_is_refused_everywhere(client_for, case_002):
    client = client_for(DKUKMTK.kepala)
    task = open_task(case_002)
    for url in (
        reverse("cases:case", args=[case_002.pk]),
        reverse("cases:task", args=[task.pk]),
        reverse("cases:sla", args=[case_002.sop_version.sop_id]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("cases:complete", args=[task.pk]), {}).status_code == 404
    assert (
        client.post(reverse("cases:cancel", args=[case_002.pk]), {"reason": "x"}).status_code == 404
    )


def test_start_page(client_for, seed_sops):
    client = client_for(DKUKMTK.sekretaris)
    version = seed_sops["001"].effective_version()
    assert client.get(reverse("cases:start")).status_code == 200
    response = client.post(reverse("cases:start"), {"sop": version.pk, "period": "2024"})
    case = Case.objects.latest("pk")
    assert response.url == reverse("cases:case", args=[case.pk])
    response = client.post(reverse("cases:start"), {"sop": version.pk, "period": "2024-Q9"})
    assert response.status_code == 200 and case == Case.objects.latest("pk")
    # Plain staff start nothing.
    assert b"start-form" not in client_for(DKUKMTK.staf).get(reverse("cases:start")).content


def test_decide_tidak_through_the_page_needs_a_reason(client_for, case_002, official, monday):
    for _ in range(6):
        task = open_task(case_002)
        services.complete_task(task.pk, (task.worker or task.candidates.first()).user, now=monday)
    task = open_task(case_002)
    client = client_for(DINKES.kasubag)
    client.post(reverse("cases:complete", args=[task.pk]), {"outcome": "tidak", "reason": ""})
    assert open_task(case_002).pk == task.pk
    client.post(
        reverse("cases:complete", args=[task.pk]),
        {"outcome": "tidak", "reason": "Data TW II kurang"},
    )
    back = open_task(case_002)
    assert back.step.number == 6
    page = client_for(DINKES.staf).get(reverse("cases:task", args=[back.pk])).content.decode()
    assert 'data-testid="return-reason"' in page and "Data TW II kurang" in page


def test_delegate_and_take_through_the_pages(client_for, seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday)
    services.complete_task(open_task(case).pk, official(DINKES.sekretaris), now=monday)
    task = open_task(case)
    client = client_for(DINKES.kabid_kesmas)
    client.post(reverse("cases:take", args=[task.pk]))
    task.refresh_from_db()
    assert task.assignee.user.username == DINKES.kabid_kesmas
    kasi = official(DINKES.kasi_kesga).employee
    client.post(reverse("cases:delegate", args=[task.pk]), {"to": kasi.pk, "instruction": "Rekap"})
    task.refresh_from_db()
    assert task.delegated_to == kasi


def test_sla_page(client_for, seed_sops, official, monday):
    case = services.start_case(seed_sops["003"], "2024", official(KTT.kepala), now=monday)
    walk(case, step_minutes=200)
    page = client_for(KTT.kepala).get(reverse("cases:sla", args=[seed_sops["003"].pk])).content
    assert b'data-testid="sla-chart"' in page
    assert page.count(b'data-testid="sla-row"') == 10
    assert b'data-testid="sla-cases">1<' in page


def test_annotate_and_cancel_pages(client_for, case_002):
    client = client_for(DINKES.kepala)
    client.post(reverse("cases:annotate", args=[case_002.pk]), {"text": "Catatan"})
    client.post(reverse("cases:cancel", args=[case_002.pk]), {"reason": "Periode salah"})
    case_002.refresh_from_db()
    assert case_002.status == "cancelled"
    assert case_002.events.filter(kind="case.annotated").exists()


def test_home_panel_tag_renders(rf, case_002, official):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = official(DINKES.sekretaris)
    html = Template("{% load cases_tags %}{% my_tasks_panel %}").render(
        Context({"request": request})
    )
    assert "home-tasks" in html


def test_notifications_menu_and_read_on_view(rf, client_for, case_002, official):
    from django.template import Context, Template

    from kinerja.cases.models import Notification

    user = official(DINKES.sekretaris)
    request = rf.get("/")
    request.user = user
    html = Template("{% load cases_tags %}{% notifications_menu %}").render(
        Context({"request": request})
    )
    assert 'data-testid="notification-count">1<' in html
    client = client_for(DINKES.sekretaris)
    task = open_task(case_002)
    page = client.get(reverse("cases:task", args=[task.pk])).content.decode()
    # the GET changes nothing; the page posts, once shown, that its notifications are read
    assert Notification.objects.filter(user=user, read_at__isnull=True).exists()
    read = reverse("cases:notifications_read")
    assert f'hx-post="{read}"' in page and f'"task": "{task.pk}"' in page
    assert client_for(DINKES.kepala).post(read, {"task": task.pk}).status_code == 204
    assert Notification.objects.filter(user=user, read_at__isnull=True).exists()  # not theirs
    assert client.post(read, {"task": task.pk}).status_code == 204
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_case_page_lists_the_equipment_checklist(client_for, case_002):
    page = client_for(DINKES.sekretaris).get(reverse("cases:case", args=[case_002.pk]))
    assert b'data-testid="checklist"' in page.content and b"Renstra" in page.content


def test_sla_in_the_database_agrees_with_python(seed_sops, official, monday):
    from django.db import connection

    from kinerja.cases.queries import sla_times, sop_sla
    from kinerja.cases.sla import step_statistics

    for minutes in (5, 40, 400):
        case = services.start_case(
            seed_sops["002"], "2024", official(DINKES.sekretaris), now=monday
        )
        walk(case, answers={7: ["tidak", "ya"]}, step_minutes=minutes)
    stats = sop_sla(seed_sops["002"])
    python = step_statistics(sla_times(seed_sops["002"]), cases=3)
    assert stats.cases == 3 and len(stats.steps) == 9
    for a, b in zip(stats.steps, python.steps, strict=True):
        assert (a.step_key, a.count, a.late) == (b.step_key, b.count, b.late)
        assert a.median == pytest.approx(b.median) and a.p90 == pytest.approx(b.p90)
    assert stats.most_often_late.step_key == python.most_often_late.step_key
    assert connection.vendor in ("postgresql", "sqlite")
