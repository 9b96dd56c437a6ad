"""The inbox page after its tuning: same content, header count and notifications, few queries."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.cases import services
from kinerja.cases.access import inbox_scope
from kinerja.cases.assignment import positions_held
from kinerja.cases.models import Case, Notification, Task
from kinerja.organisation.access import agency_ids_of
from kinerja.organisation.models import AgencyRole
from tests.officials import DINKES, KTT


def _start_cases(seed_sops, official, monday, n: int) -> list[Case]:
    sekretaris = official(DINKES.sekretaris)
    return [
        services.start_case(seed_sops["002"], f"{2020 + i}-Q1", sekretaris, now=monday)
        for i in range(n)
    ]


def test_inbox_rows_count_notifications_and_cases_agree(client_for, seed_sops, official, monday):
    cases = _start_cases(seed_sops, official, monday, 3)
    user = official(DINKES.sekretaris)
    Notification.objects.filter(user=user, task__case=cases[0]).update(read_at=monday)
    page = client_for(DINKES.sekretaris).get(reverse("cases:inbox")).content.decode()
    mine = Task.objects.filter(status="open", assignee__user=user)
    assert mine.count() == 3
    inbox = page.split('data-testid="inbox"')[1].split("</table>")[0]
    assert sorted(map(int, re.findall(r'data-task-id="(\d+)"', inbox))) == sorted(
        mine.values_list("pk", flat=True)
    )
    assert 'data-testid="task-count">3<' in page
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    assert unread == 2 and f'data-testid="notification-count">{unread}<' in page
    for case in cases:
        assert f'href="/kasus/{case.pk}/" data-testid="case-link">{case.title}<' in page
    listed = page.split('data-testid="notifications"')[1].split("</ul>")[0]
    assert listed.count("<li>") == Notification.objects.filter(user=user).count() == 3


def test_inbox_reads_the_user_once_and_stays_within_its_query_budget(
    client_for, seed_sops, official, monday
):
    _start_cases(seed_sops, official, monday, 5)
    client = client_for(DINKES.sekretaris)
    client.get(reverse("cases:inbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:inbox"))
    _start_cases(seed_sops, official, monday, 5)  # twice the rows: no more queries
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("cases:inbox"))
    assert len(more) == len(few) <= 13
    employee_reads = [q for q in more if 'FROM "organisation_employee"' in q["sql"]]
    assert len(employee_reads) == 1


def test_inbox_scope_answers_like_the_separate_accessors(offices, official):
    admin = official(DINKES.admin)
    AgencyRole.objects.create(user=admin, agency=offices["DKUKMTK-BLG"], role="admin")
    for username in (DINKES.sekretaris, DINKES.kepala, DINKES.admin, KTT.kepala):
        user = official(username)
        scope = inbox_scope(user)
        assert scope.agency_ids == agency_ids_of(user)
        employee = user.employee if hasattr(user, "employee") else None
        held = positions_held(employee, employee.agency.today()) if employee else []
        assert {p.pk for p in scope.positions} == {p.pk for p in held}
    assert inbox_scope(admin).administered == {
        offices["DINKES-BLG"].pk,
        offices["DKUKMTK-BLG"].pk,
    }
