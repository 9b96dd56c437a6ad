"""The action seam: a provider never completes a task by a number it was given.

Issue 10: dkukmtk.kasubbag completed a KTT_BLG task by posting its id to his own round's "mark"
button; a GET of the documents' action page created a document holding another office's case id.
The provider now names its own record (agency, case); the engine finds the task of that case,
checks the agency and that the user may complete the task by the task page's rule.
"""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from kinerja.cases import services
from kinerja.cases.models import Case, Task
from kinerja.core import actions
from kinerja.core.periods import Period
from kinerja.documents.models import Document
from kinerja.organisation.models import Agency
from kinerja.performance.models import CollectionRound
from kinerja.performance.services.collection import rounds
from tests.cases.conftest import monday, seed_sops  # noqa: F401  (shared fixtures)
from tests.officials import DKUKMTK, KTT


def at_action(case: Case, name: str) -> Task:
    """Walk the case (each task done by its own holder) to the open task bound to ``name``."""
    for _ in range(20):
        task = case.tasks.get(status=Task.Status.OPEN)
        if task.step.action == name:
            return task
        holder = (task.worker or task.candidates.order_by("full_name").first()).user
        outcome = "ya" if task.step.is_decision else None
        services.complete_task(task.pk, holder, outcome=outcome)
    raise AssertionError(f"the case never reaches {name}")


def holder_of(task: Task):
    return (task.worker or task.candidates.order_by("full_name").first()).user


@pytest.fixture
def ktt_case(seed_sops, official):  # noqa: F811
    return services.start_case(seed_sops["003"], "2024", official(KTT.kepala))


@pytest.fixture
def dkukmtk_case(seed_sops, official):  # noqa: F811
    return services.start_case(seed_sops["001"], "2024", official(DKUKMTK.sekretaris))


@pytest.fixture
def dkukmtk_round(offices, official):
    return rounds.open_round(
        offices["DKUKMTK-BLG"], Period.parse("2025-Q3"), official(DKUKMTK.kasubbag)
    )


def test_another_offices_task_id_posted_to_my_round_completes_nothing(
    ktt_case, dkukmtk_round, client_for, django_capture_on_commit_callbacks
):
    """The attack of the issue: his own round, the other office's task in the form."""
    task = at_action(ktt_case, "generate_forms")
    url = reverse("performance:round_mark", args=[dkukmtk_round.pk, "generate_forms"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(DKUKMTK.kasubbag).post(url, {"task": task.pk})
    assert response.status_code == 302  # his own round is marked: that much is his
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    assert not ktt_case.events.filter(kind="task.completed", task=task).exists()


def test_another_offices_task_id_posted_to_my_analysis_completes_nothing(
    ktt_case, offices, client_for, django_capture_on_commit_callbacks
):
    from kinerja.performance.models import Objective

    task = at_action(ktt_case, "analyze")
    objective = Objective.objects.filter(plan__agency=offices["DKUKMTK-BLG"]).first()
    url = reverse("performance:analysis", args=["DKUKMTK-BLG", 2024])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(DKUKMTK.kasubbag).post(
            url,
            {
                "task": task.pk,
                "objective": objective.pk,
                "causes": "Pendampingan",
                "what": "finish",
                "confirm": "1",
            },
        )
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    assert response.status_code == 404  # the task is not one he may complete


def test_another_offices_task_id_posted_to_my_document_completes_nothing(
    ktt_case, offices, official, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    task = at_action(ktt_case, "draft_report")
    from kinerja.documents.services import versions

    mine = versions.create_document(
        offices["DKUKMTK-BLG"], "lkjip", 2024, actor=official(DKUKMTK.kasubbag)
    )
    url = reverse("documents:post", args=[mine.pk, "generate"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(DKUKMTK.kasubbag).post(url, {"task": task.pk})
    assert mine.versions.count() == 1  # his own document got its version
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_an_official_of_the_same_office_who_does_not_hold_the_task_completes_nothing(
    dkukmtk_case, official, client_for
):
    """The Kepala Dinas may mark a round (a planning official), but the SOP gives the step to
    the Kasubbag: marking it does not complete his task for him."""
    task = at_action(dkukmtk_case, "generate_forms")
    assert holder_of(task).username == DKUKMTK.kasubbag
    found = rounds.open_round(
        dkukmtk_case.agency,
        Period.parse("2024"),
        official(DKUKMTK.kasubbag),
        case_id=task.case_id,
    )
    url = reverse("performance:round_mark", args=[found.pk, "generate_forms"])
    assert client_for(DKUKMTK.kepala).post(url).status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    found.refresh_from_db()
    assert found.forms_generated_at is not None


def test_the_engine_checks_agency_case_and_holder(dkukmtk_case, ktt_case, official):
    output = actions.ActionOutput("Formulir", url="/x/")
    ktt_task = at_action(ktt_case, "generate_forms")
    dkukmtk = Agency.objects.get(code="DKUKMTK-BLG")
    # a record of DKUKMTK that claims the KTT case
    assert (
        actions.done(
            "generate_forms",
            agency_id=dkukmtk.pk,
            case_id=ktt_case.pk,
            user=official(KTT.kasubbag),
            output=output,
        )
        is None
    )
    # the right agency and case, but a user who may not complete the task
    assert (
        actions.done(
            "generate_forms",
            agency_id=ktt_case.agency_id,
            case_id=ktt_case.pk,
            user=official(DKUKMTK.kasubbag),
            output=output,
        )
        is None
    )
    ktt_task.refresh_from_db()
    assert ktt_task.status == Task.Status.OPEN
    # the holder, for the record of the case's own agency: completed, with the output
    done = actions.done(
        "generate_forms",
        agency_id=ktt_case.agency_id,
        case_id=ktt_case.pk,
        user=holder_of(ktt_task),
        output=output,
    )
    ktt_task.refresh_from_db()
    assert done == ktt_task.pk and ktt_task.status == Task.Status.DONE
    assert ktt_task.action_output["label"] == "Formulir"
    assert ktt_task.completed_by == holder_of(ktt_task)


def test_resolve_task_answers_404_unless_the_user_may_complete_that_open_task(
    dkukmtk_case, ktt_case, official
):
    task = at_action(dkukmtk_case, "generate_forms")
    kasubbag = official(DKUKMTK.kasubbag)
    context = actions.resolve_task(str(task.pk), kasubbag, "generate_forms")
    assert (context.task_id, context.case_id, context.agency_id, context.period) == (
        task.pk,
        dkukmtk_case.pk,
        dkukmtk_case.agency_id,
        "2024",
    )
    refused = [
        (task.pk, official(KTT.kasubbag), "generate_forms"),  # another office
        (task.pk, official(DKUKMTK.kepala), "generate_forms"),  # same office, not the holder
        (task.pk, kasubbag, "collect"),  # bound to another action
        ("x", kasubbag, "generate_forms"),
        (at_action(ktt_case, "generate_forms").pk, kasubbag, "generate_forms"),
    ]
    services.complete_task(task.pk, kasubbag)
    refused.append((task.pk, kasubbag, "generate_forms"))  # no longer open
    for task_id, user, name in refused:
        with pytest.raises(Http404):
            actions.resolve_task(task_id, user, name)


def test_the_round_steps_of_a_case_complete_through_the_pages(dkukmtk_case, client_for):
    """generate_forms, distribute_forms: the action link, the round opened by a POST for the
    task's case and period, the mark buttons; each task completed with the round as output."""
    kasubbag = client_for(DKUKMTK.kasubbag)
    task = at_action(dkukmtk_case, "generate_forms")
    link = actions.get("generate_forms").start(
        actions.resolve_task(task.pk, holder_of(task), "generate_forms")
    )
    page = kasubbag.get(link)
    assert page.status_code == 200 and b"open-round-form" in page.content
    assert not CollectionRound.objects.filter(agency=dkukmtk_case.agency, period="2024").exists()
    response = kasubbag.post(
        reverse("performance:round_start", args=[dkukmtk_case.agency_id]),
        {"task": task.pk, "step": "generate_forms", "period": "2019-Q1"},
    )
    found = CollectionRound.objects.get(agency=dkukmtk_case.agency, period="2024")
    assert response.url == reverse("performance:round", args=[found.pk])
    assert found.case_id == dkukmtk_case.pk  # the task's case and period, not the posted one
    kasubbag.post(reverse("performance:round_mark", args=[found.pk, "generate_forms"]))
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.action_output["object_id"] == str(found.pk)
    following = at_action(dkukmtk_case, "distribute_forms")
    link = actions.get("distribute_forms").start(
        actions.resolve_task(following.pk, holder_of(following), "distribute_forms")
    )
    assert kasubbag.get(link).url == reverse("performance:round", args=[found.pk])
    kasubbag.post(reverse("performance:round_mark", args=[found.pk, "distribute_forms"]))
    following.refresh_from_db()
    assert following.status == Task.Status.DONE


def test_a_round_opened_outside_the_case_serves_it_only_after_a_post(dkukmtk_case, client_for):
    kasubbag = client_for(DKUKMTK.kasubbag)
    task = at_action(dkukmtk_case, "generate_forms")
    found = rounds.open_round(dkukmtk_case.agency, Period.parse("2024"))
    url = reverse("performance:round_start", args=[dkukmtk_case.agency_id])
    page = kasubbag.get(url, {"task": task.pk, "step": "generate_forms", "period": "2024"})
    assert b"serve-case-form" in page.content
    found.refresh_from_db()
    assert found.case_id is None  # the GET changed nothing
    kasubbag.post(url, {"task": task.pk, "step": "generate_forms"})
    found.refresh_from_db()
    assert found.case_id == dkukmtk_case.pk


# --- issue 10, door 2: a GET created a document with another office's case id ------------------


def test_the_documents_action_page_changes_nothing_on_get_and_takes_the_case_from_the_task(
    dkukmtk_case, ktt_case, client_for
):
    task = at_action(dkukmtk_case, "draft_report")
    kasubbag = client_for(DKUKMTK.kasubbag)
    url = reverse("documents:action_start", args=[dkukmtk_case.agency_id, "draft_report"])
    before = Document.objects.count()
    page = kasubbag.get(url, {"task": task.pk, "case": ktt_case.pk, "period": "2019"})
    assert page.status_code == 200 and b'data-testid="action-start"' in page.content
    assert Document.objects.count() == before
    response = kasubbag.post(url, {"task": task.pk, "case": ktt_case.pk})
    made = Document.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert (made.agency_id, made.case_id, made.period) == (
        dkukmtk_case.agency_id,
        dkukmtk_case.pk,
        "2024",
    )
    # a second visit goes to that document; nothing new
    assert kasubbag.get(url, {"task": task.pk}).url == response.url
    assert Document.objects.count() == before + 1


def test_the_documents_action_page_refuses_a_task_that_is_not_the_users(
    dkukmtk_case, ktt_case, client_for
):
    ktt_task = at_action(ktt_case, "draft_report")
    own = at_action(dkukmtk_case, "draft_report")
    kasubbag = client_for(DKUKMTK.kasubbag)
    mine = reverse("documents:action_start", args=[dkukmtk_case.agency_id, "draft_report"])
    theirs = reverse("documents:action_start", args=[ktt_case.agency_id, "draft_report"])
    before = Document.objects.count()
    assert kasubbag.get(mine, {"task": ktt_task.pk}).status_code == 404
    assert kasubbag.post(mine, {"task": ktt_task.pk}).status_code == 404
    assert kasubbag.post(theirs, {"task": ktt_task.pk}).status_code == 404
    assert kasubbag.post(mine, {"task": own.pk}).status_code == 302
    assert client_for(DKUKMTK.kepala).post(mine, {"task": own.pk}).status_code == 404
    assert (
        kasubbag.post(mine.replace("draft_report", "collect"), {"task": own.pk}).status_code == 404
    )
    assert Document.objects.count() == before + 1
