"""Pages: every view refuses the outsider; a unit head sees and submits only their unit's form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.core import actions
from kinerja.core.actions import ActionContext
from kinerja.core.models import AuditEntry
from kinerja.performance.models import Actual, Indicator, Objective, ObjectiveAnalysis, Submission

pytestmark = pytest.mark.django_db


def test_read_pages_render_for_agency_and_refuse_outsider(dkukmtk, client_for):
    indicator = Indicator.objects.for_agency(dkukmtk).get(code="IKU-3")
    plan = dkukmtk.strategic_plans.get()
    urls = [
        reverse("performance:index"),
        reverse("performance:agency", args=[dkukmtk.code]),
        reverse("performance:plan", args=[dkukmtk.code, plan.pk]),
        reverse("performance:indicator", args=[indicator.pk]),
        reverse("performance:achievement", args=[dkukmtk.code, "2024"]),
        reverse("performance:achievement", args=[dkukmtk.code, "2024-Q2"]),
        reverse("performance:analysis", args=[dkukmtk.code, 2024]),
    ]
    staff = client_for("dkukmtk.staf")
    for url in urls:
        assert staff.get(url).status_code == 200, url
    outsider = client_for("dinkes.kadis")
    for url in urls[1:]:
        assert outsider.get(url).status_code == 404, url
    page = staff.get(urls[4]).content.decode()
    assert "(2 × 4,6 − " in page  # the N1 explanation of IKU-3 is shown with the figure


def test_unit_head_sees_and_submits_only_own_form(q3_round, client_for):
    kabid = client_for("dkukmtk.kabid.kop")
    own = reverse("performance:unit_form", args=[q3_round.pk, "BID-KOP"])
    other = reverse("performance:unit_form", args=[q3_round.pk, "BID-UKM"])
    assert kabid.get(own).status_code == 200
    assert kabid.get(other).status_code == 404
    assert (
        kabid.get(reverse("performance:form_download", args=[q3_round.pk, "BID-UKM"])).status_code
        == 404
    )
    assert (
        kabid.get(reverse("performance:form_download", args=[q3_round.pk, "BID-KOP"])).status_code
        == 200
    )
    # the round page sends a unit head to their own form; its actions are for planners only
    response = kabid.get(reverse("performance:round", args=[q3_round.pk]))
    assert response.status_code == 302 and response.url == own
    remind = reverse("performance:round_remind", args=[q3_round.pk, "BID-UKM"])
    assert kabid.post(remind).status_code == 403
    assert client_for("dinkes.kadis").get(own).status_code == 404
    # submit through the page
    rows = {ri.code: ri for ri in q3_round.indicators.filter(unit__code="BID-KOP")}
    data = {
        f"v-{rows['IKU-1'].pk}-3": "70,5",
        f"v-{rows['K-1'].pk}-3": "12",
        f"l-{rows['K-1'].pk}": "https://contoh.go.id/bukti.pdf",
        f"s-{rows['IKU-1'].pk}": "tetap",
        f"s-{rows['K-1'].pk}": "sementara",
    }
    assert kabid.post(own, data).status_code == 302
    submission = Submission.objects.get()
    assert (
        submission.unit.code == "BID-KOP"
        and submission.submitted_by.username == "dkukmtk.kabid.kop"
    )
    assert (
        Actual.objects.get(indicator_id=rows["IKU-1"].indicator_id, year=2025, quarter=3).status
        == "tetap"
    )
    # a bad number is reported on the page and nothing is written
    data[f"v-{rows['IKU-1'].pk}-3"] = "tujuh puluh"
    response = kabid.post(own, data)
    assert response.status_code == 200 and "tujuh puluh" in response.content.decode()
    assert Submission.objects.count() == 1


def test_planner_sees_round_and_every_form(q3_round, client_for):
    kasubbag = client_for("dkukmtk.kasubbag")
    page = kasubbag.get(reverse("performance:round", args=[q3_round.pk])).content.decode()
    assert 'data-testid="unit-state-BID-KOP" data-state="waiting"' in page
    assert (
        kasubbag.get(reverse("performance:unit_form", args=[q3_round.pk, "BID-UKM"])).status_code
        == 200
    )
    assert (
        kasubbag.post(
            reverse("performance:round_remind", args=[q3_round.pk, "BID-UKM"])
        ).status_code
        == 302
    )
    assert AuditEntry.objects.filter(action="performance.round.reminded").exists()
    staff = client_for("dkukmtk.kabid.ukm")
    assert (
        staff.post(reverse("performance:round_remind", args=[q3_round.pk, "BID-UKM"])).status_code
        == 403
    )


def test_actions_registered_and_bound_to_tasks(dkukmtk, client_for):
    assert {"generate_forms", "distribute_forms", "collect", "analyze"} <= set(actions.names())
    context = ActionContext(task_id=77, case_id=1, agency_id=dkukmtk.pk, period="2025-Q3")
    url = actions.get("collect").start(context)
    assert "task=77" in url
    kasubbag = client_for("dkukmtk.kasubbag")
    assert kasubbag.get(url).status_code == 200  # the open-round form for that period
    response = kasubbag.post(url, {"period": "2025-Q3", "task": "77"})
    assert response.status_code == 302 and "task=77" in response.url
    done = []

    def listen(sender, name, task_id, output, **kwargs):
        done.append((name, task_id))

    actions.action_done.connect(listen)
    try:
        from kinerja.performance.models import CollectionRound

        found = CollectionRound.objects.get(agency=dkukmtk, period="2025-Q3")
        assert found.task_id == 77
        kasubbag.post(
            reverse("performance:round_mark", args=[found.pk, "generate_forms"]), {"task": "77"}
        )
        analyze_url = actions.get("analyze").start(context)
        assert kasubbag.get(analyze_url).status_code == 302
        objective = Objective.objects.filter(plan__agency=dkukmtk, code="SS1").get()
        with_task = reverse("performance:analysis", args=[dkukmtk.code, 2025]) + "?task=78"
        kasubbag.post(
            with_task, {"objective": objective.pk, "causes": "Pendampingan intensif", "task": "78"}
        )
    finally:
        actions.action_done.disconnect(listen)
    assert ("generate_forms", 77) in done
    assert ("analyze", 78) in done


def test_analysis_narrative_keeps_history(dkukmtk, client_for):
    kasubbag = client_for("dkukmtk.kasubbag")
    objective = Objective.objects.get(plan__agency=dkukmtk, code="SS2")
    url = reverse("performance:analysis", args=[dkukmtk.code, 2024])
    page = kasubbag.get(url).content.decode()
    assert "<svg" in page and "Renstra" in page
    for text in ("Penempatan meningkat", "Penempatan meningkat karena job fair"):
        kasubbag.post(url, {"objective": objective.pk, "causes": text})
    analysis = ObjectiveAnalysis.objects.get(objective=objective, year=2024)
    assert analysis.causes.endswith("job fair") and analysis.history.count() == 2
    assert client_for("dkukmtk.kabid.ukm").post(url, {"objective": objective.pk}).status_code == 403
