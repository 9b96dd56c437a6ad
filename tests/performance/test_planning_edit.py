"""Planning edit pages: indicators, PK versions, Rencana Aksi and budget.

Named people: the planning sub-head (``dkukmtk.kasubbag``) edits; a unit head without the planning
role (``dkukmtk.kabid.kop``) is refused with 403; the head of another office (``dinkes.kadis``)
gets 404. Errors are asserted by field and by the figures they name, not by their wording.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms as django_forms
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kinerja.core.models import AuditEntry
from kinerja.core.xlsx import parse_number_id
from kinerja.organisation.models import Unit
from kinerja.performance import formulas
from kinerja.performance.forms.fields import IdNumberField, show_number
from kinerja.performance.forms.planning import parse_lookup
from kinerja.performance.models import (
    ActionPlanTarget,
    AgreementIndicator,
    BudgetCeiling,
    Goal,
    Indicator,
    Objective,
    PerformanceAgreement,
    Program,
    Spending,
    SubActivity,
    Target,
)
from kinerja.performance.services import budget, editing
from kinerja.performance.services.planning import agreements, structure
from kinerja.performance.services.planning.action_plans import quarter_target_warnings
from tests.officials import DINKES, DKUKMTK

PLANNER = DKUKMTK.kasubbag
UNIT_HEAD = DKUKMTK.kabid_kop
OUTSIDER = DINKES.kepala


def form_data(response, name: str = "form") -> dict[str, str]:
    """The POST a browser sends for the form as rendered (unchanged values)."""
    form = response.context[name]
    data: dict[str, str] = {}
    for field in form:
        value = field.value()
        if isinstance(field.field.widget, django_forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
            continue
        if value is None:
            continue
        if isinstance(value, Decimal):
            value = show_number(value)
        data[field.html_name] = str(value)
    return data


def indicator(agency, code: str) -> Indicator:
    return Indicator.objects.for_agency(agency).get(code=code)


# Permissions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_pages_for_planner_only(dkukmtk, client_for):
    ind = indicator(dkukmtk, "IKU-1")
    code = dkukmtk.code
    urls = [
        reverse("performance:indicator_edit", args=[code, ind.pk]),
        reverse("performance:indicator_add", args=[code, ind.objective_id]),
        reverse("performance:action_plan_edit", args=[code, 2025]),
        reverse("performance:budget_edit", args=[code, 2025]),
    ]
    planner, unit_head, outsider = (client_for(u) for u in (PLANNER, UNIT_HEAD, OUTSIDER))
    for url in urls:
        assert planner.get(url).status_code == 200, url
        assert unit_head.get(url).status_code == 403, url
        assert outsider.get(url).status_code == 404, url
    # the PK page is readable by the agency; its changes are not
    pk_page = reverse("performance:agreement", args=[code, 2025])
    assert unit_head.get(pk_page).status_code == 200
    assert outsider.get(pk_page).status_code == 404
    amend = reverse("performance:agreement_amend", args=[code, 2025])
    assert unit_head.post(amend, {"reason": "x"}).status_code == 403
    assert outsider.post(amend, {"reason": "x"}).status_code == 404
    assert PerformanceAgreement.objects.filter(agency=dkukmtk, year=2025).count() == 2
    retire = reverse("performance:indicator_retire", args=[code, ind.pk])
    assert unit_head.post(retire, {"retired_on": "2025-07-01", "reason": "x"}).status_code == 403
    ind.refresh_from_db()
    assert ind.retired_on is None
    # the read pages link to the edit pages only for planners
    plan_url = reverse("performance:plan", args=[code, ind.objective.plan_id])
    assert 'data-testid="edit-IKU-1"' in planner.get(plan_url).content.decode()
    assert 'data-testid="edit-IKU-1"' not in unit_head.get(plan_url).content.decode()
    agency_url = reverse("performance:agency", args=[code])
    assert 'data-testid="budget-2025"' in planner.get(agency_url).content.decode()
    assert 'data-testid="budget-2025"' not in unit_head.get(agency_url).content.decode()


# Indicators -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_indicator_edit_saves_definition_targets_and_history(dkukmtk, client_for, kasubbag):
    ind = indicator(dkukmtk, "K-1")
    url = reverse("performance:indicator_edit", args=[dkukmtk.code, ind.pk])
    client = client_for(PLANNER)
    data = form_data(client.get(url))
    data.update(
        {
            "name": "Jumlah koperasi yang dibina dan diawasi",
            "decimals": "1",
            "national_standard": "1.234,5",
            "national_standard_source": "Kemenkop",
            "t2025_value": "1250",
            "t2026_value": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    ind.refresh_from_db()
    assert ind.name == "Jumlah koperasi yang dibina dan diawasi"
    assert ind.decimals == 1 and ind.national_standard == Decimal("1234.5")
    assert Target.objects.get(indicator=ind, year=2025).value == Decimal(1250)
    assert not Target.objects.filter(indicator=ind, year=2026).exists()
    entry = AuditEntry.objects.get(action="performance.indicator.changed", object_id=str(ind.pk))
    assert entry.actor == kasubbag
    assert entry.after["name"] == "Jumlah koperasi yang dibina dan diawasi"
    assert entry.after["targets"]["2025"] == "1.250" and "2026" not in entry.after["targets"]
    assert ind.history.first().history_user == kasubbag
    page = client.get(reverse("performance:indicator", args=[ind.pk])).content.decode()
    assert "Jumlah koperasi yang dibina dan diawasi" in page
    assert 'data-testid="changes"' in page and "1.250" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "shown"),
    [
        ({"target_kind": "range", "t2025_value": "90", "t2025_upper": "80"}, "t2025_upper", "90"),
        ({"target_kind": "range", "t2025_value": "", "t2025_upper": "5"}, "t2025_value", "2025"),
        ({"decimals": "7"}, "decimals", "4"),
        ({"t2024_value": "sembilan"}, "t2024_value", "sembilan"),
        ({"polarity": "positive", "formula": "N1"}, "formula", "N1"),
        ({"target_kind": "lookup", "lookup_entries": "Baik\nCukup = 50"}, "lookup_entries", "1"),
        ({"target_kind": "lookup", "lookup_entries": "A = 1\nA = 2"}, "lookup_entries", "A"),
        ({"target_kind": "lookup", "lookup_entries": "A = x\nB = 2"}, "lookup_entries", "x"),
        ({"t2025_upper": "95"}, "t2025_upper", ""),
    ],
)
def test_indicator_errors_per_field_and_nothing_written(dkukmtk, client_for, changes, field, shown):
    ind = indicator(dkukmtk, "IKU-1")
    url = reverse("performance:indicator_edit", args=[dkukmtk.code, ind.pk])
    client = client_for(PLANNER)
    data = form_data(client.get(url))
    targets_before = list(Target.objects.filter(indicator=ind).values_list("year", "value"))
    data.update({"name": "Nama baru", **changes})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert shown in " ".join(errors[field])
    assert 'data-testid="form-errors"' in response.content.decode()
    ind.refresh_from_db()
    assert ind.name == "Persentase koperasi aktif"
    assert list(Target.objects.filter(indicator=ind).values_list("year", "value")) == targets_before
    assert not AuditEntry.objects.filter(action="performance.indicator.changed").exists()


@pytest.mark.django_db
def test_range_and_lookup_targets_saved(dkukmtk, client_for):
    client = client_for(PLANNER)
    ind = indicator(dkukmtk, "K-6")
    url = reverse("performance:indicator_edit", args=[dkukmtk.code, ind.pk])
    data = form_data(client.get(url))
    data.update({f"t{y}_value": "" for y in range(2021, 2027)})
    data.update({"target_kind": "range", "t2025_value": "80", "t2025_upper": "90,5"})
    assert client.post(url, data).status_code == 302
    target = Target.objects.get(indicator=ind, year=2025)
    assert (target.value, target.upper) == (Decimal(80), Decimal("90.5"))
    # a milestone indicator with its own table; a target outside the table is refused
    ind = indicator(dkukmtk, "K-7")
    url = reverse("performance:indicator_edit", args=[dkukmtk.code, ind.pk])
    data = form_data(client.get(url))
    data.update({f"t{y}_value": "" for y in range(2021, 2027)})
    data.update(
        {
            "target_kind": "lookup",
            "formula": "L",
            "lookup_mode": "direct",
            "lookup_entries": "Draf = 50\nPembahasan = 75\nDitetapkan = 100",
            "t2025_text": "Selesai",
        }
    )
    response = client.post(url, data)
    assert "t2025_text" in response.context["form"].errors
    data["t2025_text"] = "Ditetapkan"
    assert client.post(url, data).status_code == 302
    ind.refresh_from_db()
    assert [(e.label, e.score) for e in ind.lookup_table.entries.all()] == [
        ("Draf", 50),
        ("Pembahasan", 75),
        ("Ditetapkan", 100),
    ]
    assert ind.lookup_table.agency == dkukmtk
    assert Target.objects.get(indicator=ind, year=2025).text == "Ditetapkan"
    assert not Target.objects.filter(indicator=ind, year=2024).exists()


@pytest.mark.django_db
def test_shared_lookup_table_is_copied_not_changed(dkukmtk, client_for):
    ind = indicator(dkukmtk, "K-8")
    shared = ind.lookup_table
    entries = list(shared.entries.values_list("label", "score"))
    client = client_for(PLANNER)
    url = reverse("performance:indicator_edit", args=[dkukmtk.code, ind.pk])
    data = form_data(client.get(url))
    assert client.post(url, data).status_code == 302  # unchanged: still the shared table
    ind.refresh_from_db()
    assert ind.lookup_table == shared
    data["lookup_entries"] += "\nAAA = 99"
    assert client.post(url, data).status_code == 302
    ind.refresh_from_db()
    assert ind.lookup_table != shared and ind.lookup_table.entries.count() == len(entries) + 1
    assert list(shared.entries.values_list("label", "score")) == entries


@pytest.mark.django_db
def test_add_and_retire_indicator(dkukmtk, client_for, kasubbag):
    client = client_for(PLANNER)
    objective = indicator(dkukmtk, "K-1").objective
    url = reverse("performance:indicator_add", args=[dkukmtk.code, objective.pk])
    data = {
        "code": "K-1",
        "name": "Jumlah koperasi baru",
        "unit_of_measure": "koperasi",
        "polarity": "positive",
        "aggregation": formulas.CUMULATIVE,
        "target_kind": "number",
        "decimals": "0",
        "t2025_value": "12",
        "lookup_mode": "direct",
    }
    response = client.post(url, data)
    assert "code" in response.context["form"].errors  # K-1 exists in the objective
    data["code"] = "K-9"
    assert client.post(url, data).status_code == 302
    added = Indicator.objects.get(objective=objective, code="K-9")
    assert Target.objects.get(indicator=added, year=2025).value == 12
    assert AuditEntry.objects.filter(
        action="performance.indicator.added", object_id=str(added.pk), actor=kasubbag
    ).exists()
    # retire an indicator with data: nothing is deleted, later years leave it out
    old = indicator(dkukmtk, "K-2")
    actuals = old.actuals.count()
    assert actuals > 0
    retire = reverse("performance:indicator_retire", args=[dkukmtk.code, old.pk])
    assert (
        client.post(retire, {"retired_on": "2025-07-01", "reason": "Digabung"}).status_code == 302
    )
    old.refresh_from_db()
    assert str(old.retired_on) == "2025-07-01"
    assert Indicator.objects.filter(pk=old.pk).exists()
    assert old.actuals.count() == actuals
    assert Indicator.objects.for_agency(dkukmtk).active_in(2025).filter(pk=old.pk).exists()
    assert not Indicator.objects.for_agency(dkukmtk).active_in(2026).filter(pk=old.pk).exists()
    assert AuditEntry.objects.get(action="performance.indicator.retired").after["reason"] == (
        "Digabung"
    )


# PK ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pk_perubahan_makes_version_2_and_leaves_version_1(dkukmtk, client_for, kasubbag):
    client = client_for(PLANNER)
    v1 = PerformanceAgreement.objects.get(agency=dkukmtk, year=2024, version=1)
    v1_rows = sorted(v1.indicators.values_list("indicator_id", "value", "upper", "text"))
    v1_programs = sorted(v1.programs.values_list("program_id", "budget"))
    # a signed version cannot be edited
    edit_v1 = reverse("performance:agreement_edit", args=[dkukmtk.code, 2024, 1])
    assert client.get(edit_v1).status_code == 302
    assert client.post(edit_v1, {"first_party": v1.first_party_id}).status_code == 302
    amend = reverse("performance:agreement_amend", args=[dkukmtk.code, 2024])
    assert client.post(amend, {"reason": ""}).status_code == 302  # a reason is required
    assert PerformanceAgreement.objects.filter(agency=dkukmtk, year=2024).count() == 1
    response = client.post(amend, {"reason": "Perubahan APBD 2024"})
    edit_v2 = reverse("performance:agreement_edit", args=[dkukmtk.code, 2024, 2])
    assert response.status_code == 302 and response.url == edit_v2
    v2 = PerformanceAgreement.objects.get(agency=dkukmtk, year=2024, version=2)
    assert v2.status == "draft" and v2.reason == "Perubahan APBD 2024"
    assert sorted(v2.indicators.values_list("indicator_id", "value", "upper", "text")) == v1_rows
    # only one draft at a time
    client.post(amend, {"reason": "lagi"})
    assert PerformanceAgreement.objects.filter(agency=dkukmtk, year=2024).count() == 2
    # edit version 2: change IKU-2's target, drop K-5, change a program's budget
    iku2, k5 = indicator(dkukmtk, "IKU-2"), indicator(dkukmtk, "K-5")
    program = Program.objects.get(agency=dkukmtk, code="2.17")
    data = form_data(client.get(edit_v2))
    data[f"i{iku2.pk}_value"] = "31,5"
    data.pop(f"i{k5.pk}")
    data[f"p{program.pk}_budget"] = "700.000.000"
    assert client.post(edit_v2, data).status_code == 302
    assert AgreementIndicator.objects.get(agreement=v2, indicator=iku2).value == Decimal("31.5")
    assert not AgreementIndicator.objects.filter(agreement=v2, indicator=k5).exists()
    assert v2.programs.get(program=program).budget == Decimal(700_000_000)
    # version 1 unchanged
    assert sorted(v1.indicators.values_list("indicator_id", "value", "upper", "text")) == v1_rows
    assert sorted(v1.programs.values_list("program_id", "budget")) == v1_programs
    v1.refresh_from_db()
    assert v1.status == "signed" and v1.version == 1
    # versions listed with who made them; the comparison names what changed
    page = client.get(reverse("performance:agreement", args=[dkukmtk.code, 2024]))
    versions = page.context["versions"]
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].created_by == kasubbag.employee.full_name
    diff = {d.code: d for d in page.context["differences"]}
    assert set(diff) == {"IKU-2", "K-5", "2.17"}
    assert diff["IKU-2"].after == "31,5" and diff["K-5"].after == ""
    assert diff["2.17"].after == "700.000.000,00"
    html = page.content.decode()
    assert 'data-testid="pk-diff-IKU-2"' in html and 'data-testid="pk-version-2"' in html
    actions = set(
        AuditEntry.objects.filter(object_id=str(v2.pk), actor=kasubbag).values_list(
            "action", flat=True
        )
    )
    assert actions == {"performance.agreement.created", "performance.agreement.changed"}
    # sign version 2: from then on it is final, and the achievement uses it
    sign = reverse("performance:agreement_sign", args=[dkukmtk.code, 2024, 2])
    assert client.post(sign, {"signed_on": "2024-10-01"}).status_code == 302
    v2.refresh_from_db()
    assert v2.status == "signed" and str(v2.signed_on) == "2024-10-01"
    assert client.get(edit_v2).status_code == 302
    data[f"i{iku2.pk}_value"] = "40"
    client.post(edit_v2, data)
    assert AgreementIndicator.objects.get(agreement=v2, indicator=iku2).value == Decimal("31.5")


@pytest.mark.django_db
def test_pk_errors_per_field_and_nothing_written(dkukmtk, client_for):
    client = client_for(PLANNER)
    client.post(
        reverse("performance:agreement_amend", args=[dkukmtk.code, 2025]), {"reason": "Uji"}
    )
    draft = PerformanceAgreement.objects.get(agency=dkukmtk, year=2025, version=3)
    rows = sorted(draft.indicators.values_list("indicator_id", "value"))
    url = reverse("performance:agreement_edit", args=[dkukmtk.code, 2025, 3])
    data = form_data(client.get(url))
    iku1, k8 = indicator(dkukmtk, "IKU-1"), indicator(dkukmtk, "K-8")
    program = Program.objects.get(agency=dkukmtk, code="2.18")
    data.update(
        {
            f"i{iku1.pk}_value": "",
            f"i{k8.pk}_text": "ZZ",
            f"p{program.pk}_budget": "-5",
            "second_party_title": "Bupati",
        }
    )
    response = client.post(url, data)
    errors = response.context["form"].errors
    assert {f"i{iku1.pk}_value", f"i{k8.pk}_text", f"p{program.pk}_budget"} <= set(errors)
    draft.refresh_from_db()
    assert draft.second_party_title != "Bupati"
    assert sorted(draft.indicators.values_list("indicator_id", "value")) == rows


@pytest.mark.django_db
def test_first_pk_of_a_year_from_the_renstra(dkukmtk, client_for):
    client = client_for(PLANNER)
    response = client.post(
        reverse("performance:agreement_amend", args=[dkukmtk.code, 2026]), {"reason": "PK awal"}
    )
    assert response.status_code == 302
    pk = PerformanceAgreement.objects.get(agency=dkukmtk, year=2026)
    assert pk.version == 1 and pk.status == "draft" and pk.first_party.is_head
    key = Indicator.objects.for_agency(dkukmtk).key()
    assert set(pk.indicators.values_list("indicator__code", flat=True)) == set(
        key.values_list("code", flat=True)
    )


# Rencana Aksi -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_action_plan_saves_and_warns(dkukmtk, client_for, kasubbag):
    client = client_for(PLANNER)
    url = reverse("performance:action_plan_edit", args=[dkukmtk.code, 2025])
    k1 = indicator(dkukmtk, "K-1")  # cumulative
    data = form_data(client.get(url))
    data.update(
        {
            f"q{k1.pk}_1_value": "10",
            f"q{k1.pk}_2_value": "8",
            f"q{k1.pk}_2_activities": "Pembinaan koperasi di 3 kecamatan",
        }
    )
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    row = ActionPlanTarget.objects.get(
        action_plan__agency=dkukmtk, action_plan__year=2025, indicator=k1, quarter=2
    )
    assert row.value == 8 and row.activities == "Pembinaan koperasi di 3 kecamatan"
    assert row.history.first().history_user == kasubbag
    shown = next(i for i in response.context["form"].indicators if i.pk == k1.pk)
    warned = shown.warnings
    assert {w.quarter for w in warned} == {2}
    assert any("warning" in m.tags for m in response.context["messages"])
    entry = AuditEntry.objects.get(action="performance.action_plan.changed")
    assert entry.actor == kasubbag and entry.after["K-1 TW 2"]["target"] == "8"
    # a bad number is shown at its cell and nothing is written
    data[f"q{k1.pk}_3_value"] = "12,3,4"
    data[f"q{k1.pk}_1_value"] = "1"
    response = client.post(url, data)
    assert f"q{k1.pk}_3_value" in response.context["form"].errors
    assert ActionPlanTarget.objects.get(action_plan__year=2025, indicator=k1, quarter=1).value == 10


# Budget -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_budget_saves_indonesian_amounts_and_refuses_overspending(dkukmtk, client_for, kasubbag):
    client = client_for(PLANNER)
    url = reverse("performance:budget_edit", args=[dkukmtk.code, 2025])
    sub = SubActivity.objects.get(activity__program__agency=dkukmtk, code="2.17.01.01")
    data = form_data(client.get(url))
    data.update({f"c{sub.pk}": "1.234.567,89", f"s{sub.pk}_1": "200.000,00", f"s{sub.pk}_2": ""})
    assert client.post(url, data).status_code == 302
    assert BudgetCeiling.objects.get(sub_activity=sub, year=2025).amount == Decimal("1234567.89")
    assert Spending.objects.get(sub_activity=sub, year=2025, quarter=1).amount == 200_000
    assert not Spending.objects.filter(sub_activity=sub, year=2025, quarter=2).exists()
    entry = AuditEntry.objects.get(action="performance.budget.changed", actor=kasubbag)
    assert entry.after[f"{sub.code} pagu"] == "1234567.89"
    # spending above the ceiling, negative amounts, too many decimals: refused per cell
    for cell, value in [
        (f"s{sub.pk}_4", "2.000.000"),
        (f"c{sub.pk}", "-1"),
        (f"s{sub.pk}_3", "10,123"),
    ]:
        response = client.post(url, {**data, cell: value})
        assert response.status_code == 200
        assert cell in response.context["form"].errors, (cell, response.context["form"].errors)
    assert BudgetCeiling.objects.get(sub_activity=sub, year=2025).amount == Decimal("1234567.89")
    assert not Spending.objects.filter(sub_activity=sub, year=2025, quarter=4).exists()
    assert AuditEntry.objects.filter(action="performance.budget.changed").count() == 1
    page = client.get(url).content.decode()
    assert "1.234.567,89" in page


@pytest.mark.django_db
def test_budget_line_added_and_renamed(dkukmtk, client_for):
    client = client_for(PLANNER)
    url = reverse("performance:budget_edit", args=[dkukmtk.code, 2025])
    line = {
        "add_line": "1",
        "program_code": "2.17",
        "program_name": "Program Pemberdayaan Koperasi",
        "activity_code": "2.17.02",
        "activity_name": "Kegiatan Pengawasan Koperasi",
        "sub_code": "2.17.02.01",
        "sub_name": "Pemeriksaan koperasi",
    }
    assert client.post(url, line).status_code == 302
    sub = SubActivity.objects.get(activity__program__agency=dkukmtk, code="2.17.02.01")
    assert sub.activity.program.name == "Program Pemberdayaan Koperasi"
    assert 'data-testid="budget-2.17.02.01"' in client.get(url).content.decode()
    response = client.post(url, {**line, "sub_code": "9.99"})
    assert "sub_code" in response.context["line_form"].errors


# Pure functions ---------------------------------------------------------------------------------

numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(st.lists(numbers, min_size=4, max_size=4))
def test_cumulative_rising_targets_ending_at_the_year_target_never_warn(values):
    rising = sorted(values)
    quarters = dict(zip((1, 2, 3, 4), rising, strict=True))
    assert quarter_target_warnings(quarters, rising[-1], formulas.CUMULATIVE) == []


@given(st.lists(numbers, min_size=4, max_size=4), numbers)
def test_tw4_other_than_the_year_target_always_warns(values, year):
    quarters = dict(zip((1, 2, 3, 4), values, strict=True))
    warned = quarter_target_warnings(quarters, year, formulas.LAST)
    assert ({w.quarter for w in warned} == {4}) == (values[3] != year)
    assert all(w.quarter == 4 for w in warned)  # posisi akhir: quarters before may go any way


@given(st.lists(numbers, min_size=4, max_size=4))
def test_a_fall_in_a_cumulative_target_is_named(values):
    quarters = dict(zip((1, 2, 3, 4), values, strict=True))
    warned = {w.quarter for w in quarter_target_warnings(quarters, None, formulas.CUMULATIVE)}
    assert warned == {q for q in (2, 3, 4) if values[q - 1] < values[q - 2]}


def test_quarter_warnings_examples():
    cumulative = {1: Decimal(5), 2: Decimal(10), 3: Decimal(15), 4: Decimal(20)}
    assert quarter_target_warnings(cumulative, Decimal(20), formulas.CUMULATIVE) == []
    later = quarter_target_warnings(cumulative, Decimal(25), formulas.CUMULATIVE)
    assert [w.quarter for w in later] == [4]
    above = {1: Decimal(30), 4: Decimal(20)}
    found = quarter_target_warnings(above, Decimal(20), formulas.CUMULATIVE)
    assert sorted(w.quarter for w in found) == [1, 4]  # above the year, and a fall at TW IV
    assert quarter_target_warnings({1: None, 4: None}, Decimal(3), formulas.AVERAGE) == []


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_shown_numbers_read_back(value):
    assert parse_number_id(show_number(value)) == value
    assert IdNumberField().clean(show_number(value)) == value


def test_lookup_text_examples():
    assert parse_lookup("Draf = 50\n\nDitetapkan = 100,5") == [
        ("Draf", Decimal(50)),
        ("Ditetapkan", Decimal("100.5")),
    ]
    with pytest.raises(django_forms.ValidationError) as problem:
        parse_lookup("Draf 50\nB = x\nB = 1\nB = 2")
    assert len(problem.value.messages) == 3
    with pytest.raises(django_forms.ValidationError):
        parse_lookup("Tercapai = 100")


@pytest.mark.django_db
def test_services_refuse_and_write_nothing(dkukmtk, kasubbag):
    first, second = SubActivity.objects.filter(activity__program__agency=dkukmtk)[:2]
    before = list(BudgetCeiling.objects.filter(year=2025).values_list("pk", "amount"))
    rows = {
        first.pk: {"ceiling": Decimal(5), "spending": {1: Decimal(1)}},
        second.pk: {"ceiling": Decimal(5), "spending": {1: Decimal(6)}},
    }
    with pytest.raises(editing.PlanEditError, match=second.code):
        budget.save_budget(dkukmtk, 2025, rows, kasubbag)
    assert list(BudgetCeiling.objects.filter(year=2025).values_list("pk", "amount")) == before
    assert not Spending.objects.filter(year=2025).exists()
    other = SubActivity.objects.exclude(activity__program__agency=dkukmtk).first()
    with pytest.raises(editing.PlanEditError):
        budget.save_budget(dkukmtk, 2025, {other.pk: {"ceiling": Decimal(1)}}, kasubbag)
    signed = PerformanceAgreement.objects.get(agency=dkukmtk, year=2024, version=1)
    with pytest.raises(editing.PlanEditError):
        agreements.save_agreement(signed, {"second_party_title": "X"}, {}, {}, kasubbag)
    with pytest.raises(editing.PlanEditError):
        agreements.sign_agreement(signed, signed.signed_on, kasubbag)
    signed.refresh_from_db()
    assert signed.second_party_title != "X" and signed.indicators.exists()
    assert (
        not AuditEntry.objects.filter(action__startswith="performance.")
        .exclude(action__in=["performance.plan.imported"])
        .exists()
    )


# Goals and objectives ---------------------------------------------------------------------------


def objective(agency, code: str) -> Objective:
    return Objective.objects.get(plan__agency=agency, code=code)


def structure_rows(agency) -> list[tuple]:
    """Every goal and objective of the agency as plain values, to show that nothing was written."""
    goals = Goal.objects.filter(plan__agency=agency).order_by("pk")
    objectives = Objective.objects.filter(plan__agency=agency).order_by("pk")
    return [
        *goals.values_list("pk", "code", "statement"),
        *objectives.values_list("pk", "code", "statement", "level", "parent", "goal", "unit"),
    ]


@pytest.mark.django_db
def test_structure_pages_for_planner_only(dkukmtk, client_for):
    ss1 = objective(dkukmtk, "SS1")
    goal = Goal.objects.get(plan=ss1.plan, code="T1")
    code = dkukmtk.code
    urls = [
        reverse("performance:goal_edit", args=[code, goal.pk]),
        reverse("performance:goal_add", args=[code, ss1.plan_id]),
        reverse("performance:objective_edit", args=[code, ss1.pk]),
        reverse("performance:objective_add", args=[code, ss1.plan_id]),
    ]
    planner, unit_head, outsider = (client_for(u) for u in (PLANNER, UNIT_HEAD, OUTSIDER))
    for url in urls:
        assert planner.get(url).status_code == 200, url
        assert unit_head.get(url).status_code == 403, url
        assert outsider.get(url).status_code == 404, url
    before = structure_rows(dkukmtk)
    assert unit_head.post(urls[0], {"code": "T9", "statement": "x"}).status_code == 403
    assert outsider.post(urls[3], {"code": "S9", "statement": "x"}).status_code == 404
    assert structure_rows(dkukmtk) == before
    # the plan page links to the edit pages only for planners
    plan_url = reverse("performance:plan", args=[code, ss1.plan_id])
    shown, hidden = planner.get(plan_url).content.decode(), unit_head.get(plan_url).content.decode()
    for testid in ("edit-goal-T1", "add-goal", "edit-objective-SS1", "add-objective"):
        assert f'data-testid="{testid}"' in shown
        assert f'data-testid="{testid}"' not in hidden


@pytest.mark.django_db
def test_objective_edit_saves_shows_and_keeps_history(dkukmtk, client_for, kasubbag):
    kop = objective(dkukmtk, "SP-KOP")
    ss2 = objective(dkukmtk, "SS2")
    ukm = Unit.objects.get(agency=dkukmtk, code="BID-UKM")
    url = reverse("performance:objective_edit", args=[dkukmtk.code, kop.pk])
    client = client_for(PLANNER)
    data = form_data(client.get(url))
    data.update(
        {
            "code": "SP-KOP-1",
            "statement": "Meningkatnya koperasi sehat dan mandiri",
            "parent": str(ss2.pk),
            "unit": str(ukm.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    kop.refresh_from_db()
    assert (kop.code, kop.parent, kop.unit) == ("SP-KOP-1", ss2, ukm)
    assert kop.statement == "Meningkatnya koperasi sehat dan mandiri"
    assert kop.indicators.exists()  # nothing under it was touched
    entry = AuditEntry.objects.get(action="performance.objective.changed", object_id=str(kop.pk))
    assert entry.actor == kasubbag
    assert entry.before == {
        "code": "SP-KOP",
        "statement": entry.before["statement"],
        "parent": "SS1",
        "unit": "BID-KOP",
    }
    assert entry.after["parent"] == "SS2" and entry.after["unit"] == "BID-UKM"
    assert kop.history.first().history_user == kasubbag
    page = client.get(reverse("performance:plan", args=[dkukmtk.code, kop.plan_id])).content
    assert "Meningkatnya koperasi sehat dan mandiri" in page.decode()
    assert 'data-testid="objective-SP-KOP-1"' in page.decode()
    with translation.override("en"):
        edit_page = client.get(url).content.decode()
    assert 'data-testid="changes"' in edit_page and "SP-KOP-1" in edit_page


@pytest.mark.django_db
def test_goal_edit_and_add_and_objective_add(dkukmtk, client_for, kasubbag):
    plan = objective(dkukmtk, "SS1").plan
    goal = Goal.objects.get(plan=plan, code="T1")
    client = client_for(PLANNER)
    url = reverse("performance:goal_edit", args=[dkukmtk.code, goal.pk])
    assert client.post(url, {"code": "T1", "statement": "Tujuan baru"}).status_code == 302
    goal.refresh_from_db()
    assert goal.statement == "Tujuan baru" and goal.history.first().history_user == kasubbag
    entry = AuditEntry.objects.get(action="performance.goal.changed", object_id=str(goal.pk))
    assert entry.after == {"statement": "Tujuan baru"}
    add = reverse("performance:goal_add", args=[dkukmtk.code, plan.pk])
    assert client.post(add, {"code": "T2", "statement": "Tujuan kedua"}).status_code == 302
    t2 = Goal.objects.get(plan=plan, code="T2")
    assert t2.order > goal.order
    assert AuditEntry.objects.filter(action="performance.goal.added", object_id=str(t2.pk)).exists()
    kop = objective(dkukmtk, "SP-KOP")
    add = reverse("performance:objective_add", args=[dkukmtk.code, plan.pk])
    data = {
        "code": "SK-KOP-1",
        "statement": "Meningkatnya koperasi yang diawasi",
        "level": "kegiatan",
        "goal": str(t2.pk),
        "parent": str(kop.pk),
        "unit": str(kop.unit_id),
    }
    assert client.post(add, data).status_code == 302
    added = objective(dkukmtk, "SK-KOP-1")
    assert (added.level, added.parent, added.goal, added.unit_id) == (
        "kegiatan",
        kop,
        t2,
        kop.unit_id,
    )
    entry = AuditEntry.objects.get(action="performance.objective.added", object_id=str(added.pk))
    assert entry.actor == kasubbag and entry.after["parent"] == "SP-KOP"
    page = client.get(reverse("performance:plan", args=[dkukmtk.code, plan.pk])).content.decode()
    assert 'data-testid="goal-T2"' in page and 'data-testid="objective-SK-KOP-1"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "changes", "field"),
    [
        ("SP-KOP", {"level": "kegiatan"}, "parent"),  # its parent SS1 is not a program objective
        ("SP-KOP", {"level": "strategis"}, "parent"),  # a strategic objective has no parent
        ("SP-KOP", {"parent": ""}, "parent"),  # a program objective needs one
        # it has program objectives under it (and, as a program objective, it needs a parent)
        ("SS1", {"level": "program"}, "level"),
        ("SP-KOP", {"code": "SP-UKM"}, "code"),  # the code is taken in this plan
        ("SP-KOP", {"code": "SS2"}, "code"),
    ],
)
def test_objective_edit_refused_writes_nothing(dkukmtk, client_for, target, changes, field):
    found = objective(dkukmtk, target)
    url = reverse("performance:objective_edit", args=[dkukmtk.code, found.pk])
    client = client_for(PLANNER)
    data = form_data(client.get(url))
    data.update(changes)
    before = structure_rows(dkukmtk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert structure_rows(dkukmtk) == before
    assert not AuditEntry.objects.filter(action__startswith="performance.objective").exists()


@pytest.mark.django_db
def test_add_refuses_bad_parent_and_taken_codes(dkukmtk, client_for):
    plan = objective(dkukmtk, "SS1").plan
    client = client_for(PLANNER)
    before = structure_rows(dkukmtk)
    add = reverse("performance:objective_add", args=[dkukmtk.code, plan.pk])
    data = {"code": "SK-1", "statement": "x", "level": "kegiatan"}
    data["parent"] = str(objective(dkukmtk, "SS1").pk)  # two levels up
    response = client.post(add, data)
    assert response.status_code == 200 and list(response.context["form"].errors) == ["parent"]
    response = client.post(add, {**data, "code": "SS1", "parent": ""})
    assert set(response.context["form"].errors) == {"code", "parent"}
    response = client.post(
        reverse("performance:goal_add", args=[dkukmtk.code, plan.pk]),
        {"code": "T1", "statement": "Tujuan lain"},
    )
    assert response.status_code == 200 and list(response.context["form"].errors) == ["code"]
    other_unit = Unit.objects.exclude(agency=dkukmtk).first()
    response = client.post(
        add, {"code": "SS3", "statement": "x", "level": "strategis", "unit": str(other_unit.pk)}
    )
    assert list(response.context["form"].errors) == ["unit"]
    assert structure_rows(dkukmtk) == before
    assert (
        not AuditEntry.objects.filter(action__startswith="performance.")
        .exclude(action="performance.plan.imported")
        .exists()
    )


@pytest.mark.django_db
def test_structure_services_refuse_on_their_own(dkukmtk, kasubbag):
    kop = objective(dkukmtk, "SP-KOP")
    plan = kop.plan
    before = structure_rows(dkukmtk)
    other_unit = Unit.objects.exclude(agency=dkukmtk).first()
    refused = [
        lambda: structure.save_objective(kop, {"parent": None}, kasubbag),
        lambda: structure.save_objective(kop, {"unit": other_unit}, kasubbag),
        lambda: structure.save_objective(kop, {"code": "SS1"}, kasubbag),
        lambda: structure.add_objective(
            plan,
            {"code": "X", "statement": "x", "level": "kegiatan", "parent": kop.parent},
            kasubbag,
        ),
        lambda: structure.add_goal(plan, {"code": "T1", "statement": "x"}, kasubbag),
    ]
    for call in refused:
        with pytest.raises(editing.PlanEditError):
            call()
    assert structure_rows(dkukmtk) == before
    assert not AuditEntry.objects.filter(
        action__in=[
            "performance.objective.changed",
            "performance.objective.added",
            "performance.goal.added",
        ]
    ).exists()
