"""The analysis step (seed 001 step 5, action "analyze"), driven through its page as a browser.

Issue 10: saving one sasaran's analysis completed the whole SOP step (the case moved on with five
sasaran empty and the LKjIP printed "Penyebab … - / Solusi: -"), and the text typed in another
sasaran's form was lost without a word. Now: nothing typed is lost, saving never finishes the
step, finishing does when every sasaran has causes and solutions, or after a warning that names
the empty ones; each save keeps its history.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.cases import services
from kinerja.cases.models import Task
from kinerja.core import actions
from kinerja.core.models import AuditEntry
from kinerja.performance.models import Indicator, Objective, ObjectiveAnalysis
from tests.cases.conftest import seed_sops  # noqa: F401  (shared fixture)
from tests.cases.helpers import at_action
from tests.html_forms import page_forms
from tests.officials import DINKES, DKUKMTK

YEAR = 2024


@pytest.fixture
def analyze_task(perf, seed_sops, official):  # noqa: F811
    case = services.start_case(seed_sops["001"], str(YEAR), official(DKUKMTK.sekretaris))
    return at_action(case, "analyze")


@pytest.fixture
def objectives(dkukmtk) -> list[Objective]:
    """The sasaran of the year's analysis, found independently of the page's code: those with
    an indicator active in the year (the sections of Bab III)."""
    ids = (
        Indicator.objects.filter(objective__plan__agency=dkukmtk)
        .active_in(YEAR)
        .values_list("objective_id", flat=True)
    )
    found = list(Objective.objects.filter(pk__in=ids).order_by("order", "code"))
    assert len(found) >= 3
    return found


def task_page(client, task) -> str:
    """The analysis page as the task's link opens it (following the redirect)."""
    context = actions.ActionContext(task.pk, task.case_id, task.case.agency_id, task.case.period)
    response = client.get(actions.get("analyze").start(context), follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0], response.content.decode()


def form_with(forms: list[dict], field: str) -> dict:
    return next(f for f in forms if field in f["fields"])


def field_of(form: dict, objective: Objective, name: str) -> str:
    """The form's field for ``name`` (causes, solutions, ...) of that sasaran."""
    for candidate in (f"{name}-{objective.pk}", name):
        if candidate in form["fields"]:
            return candidate
    raise KeyError(name)


def type_and_press(client, url: str, html: str, typed: dict[Objective, dict[str, str]], press):
    """Type into the sasaran's boxes of the page and press the button of the form holding the
    first one, as a browser would: only that form's fields are sent."""
    forms = page_forms(html, url)
    first = next(iter(typed))
    form = next(
        f
        for f in forms
        if f"causes-{first.pk}" in f["fields"] or (f["fields"].get("objective") == str(first.pk))
    )
    data = dict(form["fields"])
    for objective, texts in typed.items():
        for name, text in texts.items():
            key = f"{name}-{objective.pk}"
            if key in data:
                data[key] = text
            elif data.get("objective") == str(objective.pk):
                data[name] = text
    button = next((b for b in form["buttons"] if b[1] == press), None)
    if button:
        data[button[0]] = button[1]
    return client.post(form["action"], data)


def filled(objective: Objective, n: int = 1) -> dict[str, str]:
    return {"causes": f"Sebab {objective.code} {n}", "solutions": f"Solusi {objective.code} {n}"}


def test_saving_one_sasaran_does_not_finish_the_step(analyze_task, objectives, client_for):
    client = client_for(DKUKMTK.kasubbag)
    url, html = task_page(client, analyze_task)
    first = objectives[0]
    type_and_press(client, url, html, {first: filled(first)}, press="save")
    saved = ObjectiveAnalysis.objects.get(objective=first, year=YEAR)
    assert saved.causes == f"Sebab {first.code} 1"
    analyze_task.refresh_from_db()
    assert analyze_task.status == Task.Status.OPEN  # five sasaran are still empty
    assert analyze_task.case.tasks.filter(status=Task.Status.OPEN).count() == 1


def test_text_typed_in_another_sasaran_is_not_lost(analyze_task, objectives, client_for):
    client = client_for(DKUKMTK.kasubbag)
    url, html = task_page(client, analyze_task)
    first, second = objectives[:2]
    type_and_press(client, url, html, {first: filled(first), second: filled(second)}, "save")
    texts = dict(
        ObjectiveAnalysis.objects.filter(objective__in=[first, second], year=YEAR).values_list(
            "objective_id", "causes"
        )
    )
    assert texts == {first.pk: f"Sebab {first.code} 1", second.pk: f"Sebab {second.code} 1"}


def test_finishing_with_empty_sasaran_warns_naming_them_then_finishes_on_confirmation(
    analyze_task, objectives, client_for
):
    client = client_for(DKUKMTK.kasubbag)
    url, html = task_page(client, analyze_task)
    first = objectives[0]
    response = type_and_press(client, url, html, {first: filled(first)}, press="finish")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="empty-warning"' in page
    for objective in objectives[1:]:
        assert objective.code in page.split('data-testid="empty-warning"')[1].split("</ul>")[0]
    assert ObjectiveAnalysis.objects.get(objective=first, year=YEAR).solutions  # kept
    analyze_task.refresh_from_db()
    assert analyze_task.status == Task.Status.OPEN
    confirm = next(f for f in page_forms(page, url) if f["fields"].get("confirm") == "1")
    client.post(confirm["action"], confirm["fields"])
    analyze_task.refresh_from_db()
    assert analyze_task.status == Task.Status.DONE
    entry = AuditEntry.objects.get(action="performance.analysis.finished")
    assert entry.after["empty"] == [o.code for o in objectives[1:]]
    assert entry.actor.username == DKUKMTK.kasubbag


def test_the_step_finishes_when_every_sasaran_has_its_analysis(
    analyze_task, objectives, client_for
):
    client = client_for(DKUKMTK.kasubbag)
    url, html = task_page(client, analyze_task)
    typed = {o: filled(o) for o in objectives}
    response = type_and_press(client, url, html, typed, press="finish")
    assert response.status_code == 302
    analyze_task.refresh_from_db()
    assert analyze_task.status == Task.Status.DONE
    assert ObjectiveAnalysis.objects.filter(objective__in=objectives, year=YEAR).count() == len(
        objectives
    )
    assert not AuditEntry.objects.get(action="performance.analysis.finished").after["empty"]


def test_a_form_shown_before_somebody_else_saved_does_not_overwrite_their_text(
    analyze_task, objectives, client_for
):
    first = objectives[0]
    kasubbag, kadis = client_for(DKUKMTK.kasubbag), client_for(DKUKMTK.kepala)
    url, stale = task_page(kasubbag, analyze_task)
    page = reverse("performance:analysis", args=["DKUKMTK-BLG", YEAR])
    type_and_press(kadis, page, kadis.get(page).content.decode(), {first: filled(first, 2)}, "save")
    response = type_and_press(kasubbag, url, stale, {first: filled(first, 3)}, press="save")
    html = response.content.decode()
    assert f'data-testid="conflict-{first.code}"' in html
    assert f"Sebab {first.code} 3" in html  # the typed text is shown again, not lost
    assert ObjectiveAnalysis.objects.get(objective=first, year=YEAR).causes == (
        f"Sebab {first.code} 2"
    )
    # saved again from the page that shows both, it goes through
    type_and_press(kasubbag, url, html, {first: filled(first, 3)}, press="save")
    assert ObjectiveAnalysis.objects.get(objective=first, year=YEAR).causes == (
        f"Sebab {first.code} 3"
    )


def test_each_save_keeps_its_history_and_audit_entry(analyze_task, objectives, client_for):
    client = client_for(DKUKMTK.kasubbag)
    first = objectives[0]
    for n in (1, 2):
        url, html = task_page(client, analyze_task)
        type_and_press(client, url, html, {first: filled(first, n)}, press="save")
    analysis = ObjectiveAnalysis.objects.get(objective=first, year=YEAR)
    assert [h.causes for h in analysis.history.order_by("history_date")] == [
        f"Sebab {first.code} 1",
        f"Sebab {first.code} 2",
    ]
    entries = AuditEntry.objects.filter(
        action="performance.analysis.saved", object_id=str(analysis.pk)
    ).order_by("pk")
    assert [e.after["causes"] for e in entries] == [f"Sebab {first.code} {n}" for n in (1, 2)]
    # an unchanged save writes nothing
    url, html = task_page(client, analyze_task)
    type_and_press(client, url, html, {first: filled(first, 2)}, press="save")
    assert analysis.history.count() == 2


def test_only_planners_and_the_task_holder_write_the_analysis(dkukmtk, objectives, client_for):
    page = reverse("performance:analysis", args=["DKUKMTK-BLG", YEAR])
    first = objectives[0]
    data = {f"causes-{first.pk}": "x", f"seen-{first.pk}": "", "what": "save"}
    assert client_for(DKUKMTK.kabid_ukm).post(page, data).status_code == 403
    assert client_for(DINKES.kepala).post(page, data).status_code == 404
    assert not ObjectiveAnalysis.objects.filter(objective=first, year=YEAR).exists()
