"""Pages: every view refuses the outsider; a unit head sees and submits only their unit's form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.core import actions
from kinerja.core.actions import ActionContext
from kinerja.core.models import AuditEntry
from kinerja.performance.models import Actual, Indicator, Objective, ObjectiveAnalysis, Submission
from tests.html_forms import page_forms
from tests.officials import DINKES, DKUKMTK

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
    staff = client_for(DKUKMTK.staf)
    for url in urls:
        assert staff.get(url).status_code == 200, url
    outsider = client_for(DINKES.kepala)
    for url in urls[1:]:
        assert outsider.get(url).status_code == 404, url
    page = staff.get(urls[4]).content.decode()
    assert "(2 × 4,6 − " in page  # the N1 explanation of IKU-3 is shown with the figure


def test_unit_head_sees_and_submits_only_own_form(q3_round, client_for):
    kabid = client_for(DKUKMTK.kabid_kop)
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
    assert client_for(DINKES.kepala).get(own).status_code == 404
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
        submission.unit.code == "BID-KOP" and submission.submitted_by.username == DKUKMTK.kabid_kop
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
    kasubbag = client_for(DKUKMTK.kasubbag)
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
    staff = client_for(DKUKMTK.kabid_ukm)
    assert (
        staff.post(reverse("performance:round_remind", args=[q3_round.pk, "BID-UKM"])).status_code
        == 403
    )


def test_actions_registered_and_their_pages_trust_no_task_number(dkukmtk, client_for):
    """The action links carry the task's id; the pages resolve it through the engine, so a
    number that is not a task the official may complete opens nothing and makes nothing."""
    from kinerja.performance.models import CollectionRound

    assert {"generate_forms", "distribute_forms", "collect", "analyze"} <= set(actions.names())
    context = ActionContext(task_id=77, case_id=1, agency_id=dkukmtk.pk, period="2025-Q3")
    url = actions.get("collect").start(context)
    assert "task=77" in url and "period=2025-Q3" in url and "step=collect" in url
    kasubbag = client_for(DKUKMTK.kasubbag)
    assert kasubbag.get(url).status_code == 404
    assert (
        kasubbag.post(url, {"period": "2025-Q3", "task": "77", "step": "collect"}).status_code
        == 404
    )
    assert not CollectionRound.objects.filter(agency=dkukmtk, period="2025-Q3").exists()
    assert kasubbag.get(actions.get("analyze").start(context)).status_code == 404


def test_analysis_narrative_keeps_history(dkukmtk, client_for):
    kasubbag = client_for(DKUKMTK.kasubbag)
    objective = Objective.objects.get(plan__agency=dkukmtk, code="SS2")
    url = reverse("performance:analysis", args=[dkukmtk.code, 2024])
    page = kasubbag.get(url).content.decode()
    assert "<svg" in page and "Renstra" in page
    for text in ("Penempatan meningkat", "Penempatan meningkat karena job fair"):
        form = next(
            f
            for f in page_forms(kasubbag.get(url).content.decode(), url)
            if f"causes-{objective.pk}" in f["fields"]
        )
        kasubbag.post(url, {**form["fields"], f"causes-{objective.pk}": text, "what": "save"})
    analysis = ObjectiveAnalysis.objects.get(objective=objective, year=2024)
    assert analysis.causes.endswith("job fair") and analysis.history.count() == 2
    refused = {f"causes-{objective.pk}": "x", f"seen-{objective.pk}": ""}
    assert client_for(DKUKMTK.kabid_ukm).post(url, refused).status_code == 403
