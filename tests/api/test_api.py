"""HTTP API v1: tokens, visibility by agency, the same data and rules as the CLI and the pages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from kinerja.api.models import ApiToken
from kinerja.api.serializers import CaseSerializer, TaskSerializer
from kinerja.cases import services
from kinerja.cases.models import Task
from kinerja.cases.serialize import case_to_dict, task_to_dict
from kinerja.core.models import AuditEntry
from kinerja.documents.services.letters import issue_letter_number
from tests.cases.helpers import actor_of, open_task
from tests.officials import DINKES, DKUKMTK


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttling counts live in the cache; no test inherits another's


def api(raw_token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw_token}")


@pytest.fixture
def token_for(official):
    def make(username: str) -> str:
        return ApiToken.issue(official(username), "test")[1]

    return make


def test_token_from_the_command_line_acts_as_its_official_until_revoked(offices):
    raw = run("token", "create", "--user", DKUKMTK.kepala, "--name", "e-Monev").strip()
    assert raw.startswith("kin_")
    token = ApiToken.objects.get(user__username=DKUKMTK.kepala)
    assert token.key_hash != raw and raw not in token.key_hash  # only the hash is stored
    assert AuditEntry.objects.filter(action="api.token.create", object_id=str(token.pk)).exists()
    assert DKUKMTK.kepala in run("token", "list")

    response = api(raw).get("/api/v1/agencies/")
    assert response.status_code == 200
    assert [a["code"] for a in response.json()] == ["DKUKMTK-BLG"]
    token.refresh_from_db()
    assert token.last_used_at is not None

    run("token", "revoke", token.prefix)
    assert api(raw).get("/api/v1/agencies/").status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer kin_00000000_wrong", "Bearer not-a-token", "Bearer a b"],
)
def test_requests_without_a_valid_token_are_refused(offices, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get("/api/v1/tasks/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_achievement_is_the_same_as_the_command_line_json(perf, token_for):
    raw = token_for(DKUKMTK.kepala)
    response = api(raw).get("/api/v1/agencies/DKUKMTK-BLG/achievement/", {"period": "2024"})
    assert response.status_code == 200
    expected = json.loads(
        run("achievement", "--agency", "DKUKMTK-BLG", "--period", "2024", "--json", "--no-store")
    )
    assert response.json() == expected
    assert expected["indicators"], "the demo has indicators with actuals for 2024"


def test_achievement_of_another_agency_is_not_visible(offices, token_for):
    client = api(token_for(DKUKMTK.kepala))
    response = client.get("/api/v1/agencies/DINKES-BLG/achievement/", {"period": "2024"})
    assert response.status_code == 404


def test_a_bad_period_is_a_located_error(offices, token_for):
    client = api(token_for(DKUKMTK.kepala))
    response = client.get("/api/v1/agencies/DKUKMTK-BLG/achievement/", {"period": "2024-Q5"})
    assert response.status_code == 400
    assert "period" in response.json()


def test_letter_register_lists_issued_numbers_of_the_agency(offices, kadis, token_for):
    letter = issue_letter_number(offices["DKUKMTK-BLG"], "000.8.3.3", actor=kadis)
    client = api(token_for(DKUKMTK.kepala))
    rows = client.get("/api/v1/agencies/DKUKMTK-BLG/letters/", {"year": letter.year}).json()
    assert letter.number in [r["number"] for r in rows]
    assert client.get("/api/v1/agencies/DKUKMTK-BLG/letters/", {"year": "x"}).status_code == 400
    outsider = api(token_for(DINKES.kepala))
    assert outsider.get("/api/v1/agencies/DKUKMTK-BLG/letters/").status_code == 404


def test_inbox_and_completion_follow_the_same_rules_as_the_pages(seed_sops, token_for, monday):
    case = services.start_case(seed_sops["002"], "2024-Q3", actor_of_start(seed_sops), now=monday)
    task = open_task(case)
    holder = actor_of(task)
    holder_client = api(token_for(holder.username))

    inbox = holder_client.get("/api/v1/tasks/").json()
    assert task.pk in [t["id"] for t in inbox]
    assert holder_client.get(f"/api/v1/tasks/{task.pk}/").json()["step"] == task.step.number

    # Someone of the same agency who does not hold the task may not complete it.
    other = api(token_for(DINKES.kepala if holder.username != DINKES.kepala else DINKES.kasubag))
    assert other.post(f"/api/v1/tasks/{task.pk}/complete/", {}, "application/json").status_code in (
        403,
        409,
    )
    # An official of another agency does not even see it.
    assert api(token_for(DKUKMTK.kepala)).get(f"/api/v1/tasks/{task.pk}/").status_code == 404

    done = holder_client.post(
        f"/api/v1/tasks/{task.pk}/complete/", {"note": "lewat API"}, "application/json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == Task.Status.DONE and done.json()["note"] == "lewat API"
    again = holder_client.post(f"/api/v1/tasks/{task.pk}/complete/", {}, "application/json")
    assert again.status_code == 409 and again.json()["detail"]

    shown = holder_client.get(f"/api/v1/cases/{case.pk}/").json()
    assert shown["tasks"][0]["id"] == task.pk
    assert shown["events"], "the case's history is part of it"


def actor_of_start(seed_sops):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=DINKES.sekretaris)


def test_session_callers_need_the_csrf_token_to_write(seed_sops, official, monday):
    case = services.start_case(seed_sops["002"], "2024-Q3", actor_of_start(seed_sops), now=monday)
    task = open_task(case)
    client = Client(enforce_csrf_checks=True)
    client.force_login(actor_of(task))
    assert client.get("/api/v1/tasks/").status_code == 200
    response = client.post(f"/api/v1/tasks/{task.pk}/complete/", {}, "application/json")
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_the_schema_describes_exactly_what_is_sent(seed_sops, monday, token_for):
    case = services.start_case(seed_sops["002"], "2024-Q3", actor_of_start(seed_sops), now=monday)
    data = case_to_dict(case)
    assert set(CaseSerializer().fields) == set(data)
    assert set(TaskSerializer().fields) == set(task_to_dict(open_task(case)))

    schema = api(token_for(DINKES.sekretaris)).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    described = json.loads(schema.content)
    assert described["openapi"].startswith("3.")
    assert "/api/v1/tasks/{id}/complete/" in described["paths"]
    assert set(described["components"]["schemas"]["Task"]["properties"]) == set(
        task_to_dict(open_task(case))
    )
