"""Renstra import from XLSX: every sheet is read first; with any issue nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.upsert import Upsert, by_key
from kinerja.core.xlsx import (
    InvalidFile,
    Issue,
    Row,
    SheetReader,
    open_workbook,
)
from kinerja.organisation.models import Agency, Position, Unit
from kinerja.performance.models import (
    ActionPlan,
    ActionPlanTarget,
    Activity,
    AgreementIndicator,
    BudgetCeiling,
    Goal,
    Indicator,
    Objective,
    PerformanceAgreement,
    Program,
    StrategicPlan,
    SubActivity,
    Target,
)
from kinerja.performance.services.planning.plans import INDICATOR_FIELDS
from kinerja.performance.services.planning.transfer.layout import (
    ACTION_PLAN,
    AGGREGATIONS,
    AGREEMENTS,
    BUDGET,
    FORMULAS,
    GOALS,
    INDICATORS,
    LEVELS,
    OBJECTIVES,
    PLAN,
    POLARITIES,
    STATUSES,
    TARGET_KINDS,
    TARGETS,
)


@dataclass
class ImportSummary:
    goals: int = 0
    objectives: int = 0
    indicators: int = 0
    targets: int = 0
    budget_lines: int = 0

    def as_dict(self) -> dict[str, int]:
        return self.__dict__.copy()


def _unit(row: Row, header: str, units: dict[str, Unit]) -> Unit | None:
    code = row.text(header)
    if code and code not in units:
        row.issue(header, _("Unknown unit %(code)s.") % {"code": code})
    return units.get(code)


def import_plan(agency: Agency, source: str | IO[bytes], user=None) -> ImportSummary:
    """Create or update a Renstra from XLSX; raise InvalidFile with every issue, writing nothing."""
    wb = open_workbook(source)  # checked before parsing, then streamed (read-only)
    try:
        return _import(agency, wb, user)
    finally:
        wb.close()


def _import(agency: Agency, wb, user) -> ImportSummary:
    issues: list[Issue] = []
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    head = next(SheetReader(wb, *PLAN, issues).rows(), None)
    plan_data = {}
    if head is not None:
        plan_data = {
            "start": head.integer("Tahun Awal"),
            "end": head.integer("Tahun Akhir"),
            "title": head.text("Judul", required=True),
            "rpjmd": head.text("RPJMD", max_length=4000),
        }
        if not 1900 < plan_data["start"] <= plan_data["end"] < 2200:
            head.issue("Tahun Akhir", _("The years of the plan are not valid."))
    elif not issues:
        issues.append(Issue(PLAN[0], 2, None, _("The plan row is missing.")))
    goals = [
        (r.text("Kode", required=True), r.text("Tujuan", required=True, max_length=4000))
        for r in SheetReader(wb, *GOALS, issues).rows()
    ]
    goal_codes = {g[0] for g in goals}
    objectives = []
    for r in SheetReader(wb, *OBJECTIVES, issues).rows():
        item = {
            "code": r.text("Kode", required=True),
            "statement": r.text("Sasaran", required=True, max_length=4000),
            "level": r.choice("Tingkat", LEVELS),
            "goal": r.text("Kode Tujuan"),
            "parent": r.text("Kode Induk"),
            "unit": _unit(r, "Unit", units),
            "row": r,
        }
        if item["goal"] and item["goal"] not in goal_codes:
            r.issue("Kode Tujuan", _("Unknown goal %(code)s.") % {"code": item["goal"]})
        objectives.append(item)
    objective_codes = {o["code"] for o in objectives}
    for o in objectives:
        if o["parent"] and o["parent"] not in objective_codes:
            o["row"].issue("Kode Induk", _("Unknown objective %(code)s.") % {"code": o["parent"]})
    indicators = []
    for r in SheetReader(wb, *INDICATORS, issues).rows():
        objective = r.text("Kode Sasaran", required=True)
        if objective and objective not in objective_codes:
            r.issue("Kode Sasaran", _("Unknown objective %(code)s.") % {"code": objective})
        formula = r.text("Rumus")
        if formula and formula.lower() not in FORMULAS:
            r.issue(
                "Rumus",
                _("'%(value)s' is not one of: %(allowed)s.")
                % {"value": formula, "allowed": "P, N1, N2, N4, L"},
            )
        evidence = r.text("Bukti Wajib")
        if any(k.strip() not in ("file", "link", "text") for k in evidence.split(",") if k.strip()):
            r.issue("Bukti Wajib", _("Write file, link or text, separated by commas."))
        indicators.append(
            {
                "objective": objective,
                "code": r.text("Kode", required=True),
                "defaults": {
                    "name": r.text("Indikator", required=True, max_length=500),
                    "unit_of_measure": r.text("Satuan", required=True, max_length=60),
                    "polarity": r.choice("Polaritas", POLARITIES),
                    "formula": FORMULAS.get(formula.lower(), "") if formula else "",
                    "aggregation": r.choice("Tipe Perhitungan", AGGREGATIONS),
                    "target_kind": r.choice("Jenis Target", TARGET_KINDS, required=False)
                    or "number",
                    "decimals": r.integer("Desimal", default=2),
                    "is_percentage": r.yes_no("Persentase"),
                    "max_value": r.decimal("Nilai Maksimal"),
                    "is_key": r.yes_no("IKU"),
                    "baseline_year": r.integer("Tahun Dasar", default=0) or None,
                    "baseline": r.decimal("Nilai Dasar"),
                    "end_target": r.decimal("Target Akhir"),
                    "national_standard": r.decimal("Standar Nasional"),
                    "national_standard_source": r.text("Sumber Standar"),
                    "unit": _unit(r, "Unit Pelapor", units),
                    "definition": r.text("Definisi", max_length=4000),
                    "data_source": r.text("Sumber Data"),
                    "evidence_kinds": evidence,
                },
            }
        )
    indicator_keys = {(i["objective"], i["code"]) for i in indicators}
    targets = []
    for r in SheetReader(wb, *TARGETS, issues).rows():
        key = (r.text("Kode Sasaran"), r.text("Kode Indikator"))
        if key not in indicator_keys:
            r.issue("Kode Indikator", _("Unknown indicator %(code)s.") % {"code": " ".join(key)})
        year = r.integer("Tahun")
        if plan_data and not plan_data["start"] <= year <= plan_data["end"]:
            r.issue("Tahun", _("The year %(year)d is outside the plan.") % {"year": year})
        targets.append(
            (
                key,
                year,
                {
                    "value": r.decimal("Target"),
                    "upper": r.decimal("Batas Atas"),
                    "text": r.text("Target Kualitatif"),
                },
            )
        )
    budget = []
    for r in SheetReader(wb, *BUDGET, issues, required=False).rows():
        objective = r.text("Kode Sasaran")
        if objective and objective not in objective_codes:
            r.issue("Kode Sasaran", _("Unknown objective %(code)s.") % {"code": objective})
        amount = r.decimal("Pagu", money=True)
        if amount is None or amount < 0:
            r.issue("Pagu", _("Give the ceiling as a number of 0 or more."))
        budget.append(
            {
                "program": (
                    r.text("Kode Program", required=True),
                    r.text("Program", required=True, max_length=500),
                ),
                "objective": objective,
                "activity": (
                    r.text("Kode Kegiatan", required=True),
                    r.text("Kegiatan", required=True, max_length=500),
                ),
                "sub": (
                    r.text("Kode Sub Kegiatan", required=True),
                    r.text("Sub Kegiatan", required=True, max_length=500),
                ),
                "unit": _unit(r, "Unit", units),
                "year": r.integer("Tahun"),
                "amount": amount,
            }
        )
    agreements = []
    for r in SheetReader(wb, *AGREEMENTS, issues, required=False).rows():
        key = (r.text("Kode Sasaran"), r.text("Kode Indikator"))
        if key not in indicator_keys:
            r.issue("Kode Indikator", _("Unknown indicator %(code)s.") % {"code": " ".join(key)})
        agreements.append(
            {
                "year": r.integer("Tahun"),
                "version": r.integer("Versi", default=1),
                "status": r.choice("Status", STATUSES, required=False) or "draft",
                "signed_on": r.date("Tanggal Tanda Tangan"),
                "second_party_title": r.text("Pihak Kedua", max_length=200),
                "indicator": key,
                "target": {
                    "value": r.decimal("Target"),
                    "upper": r.decimal("Batas Atas"),
                    "text": r.text("Target Kualitatif", max_length=120),
                },
            }
        )
    head = Position.objects.filter(agency=agency, unit__isnull=True, is_head=True).first()
    if agreements and head is None:
        issues.append(
            Issue(AGREEMENTS[0], None, None, _("The agency has no head position to sign the PK."))
        )
    quarter_targets = []
    for r in SheetReader(wb, *ACTION_PLAN, issues, required=False).rows():
        key = (r.text("Kode Sasaran"), r.text("Kode Indikator"))
        if key not in indicator_keys:
            r.issue("Kode Indikator", _("Unknown indicator %(code)s.") % {"code": " ".join(key)})
        quarter = r.integer("Triwulan")
        if quarter not in (1, 2, 3, 4):
            r.issue("Triwulan", _("Write a quarter from 1 to 4."))
        quarter_targets.append(
            (
                r.integer("Tahun"),
                key,
                quarter,
                {
                    "value": r.decimal("Target s.d. Triwulan"),
                    "upper": r.decimal("Batas Atas"),
                    "text": r.text("Target Kualitatif", max_length=120),
                    "activities": r.text("Kegiatan", max_length=4000),
                },
            )
        )
    if issues:
        raise InvalidFile(issues)
    with transaction.atomic():  # short: every row was read and checked above; bulk writes
        summary = _write(agency, plan_data, goals, objectives, indicators, targets, budget, user)
        _write_agreements(agency, head, agreements, quarter_targets, user)
    return summary


def _write_agreements(agency, head, agreements, quarter_targets, user) -> None:
    indicator_of = {
        (i.objective.code, i.code): i
        for i in Indicator.objects.filter(objective__plan__agency=agency).select_related(
            "objective"
        )
    }
    agreement_rows = Upsert(
        PerformanceAgreement, ["status", "signed_on", "second_party_title", "first_party_id"]
    )
    found = by_key(PerformanceAgreement.objects.filter(agency=agency), "year", "version")
    for row in agreements:
        key = (row["year"], row["version"])
        obj = found.get(key) or PerformanceAgreement(
            agency=agency, year=row["year"], version=row["version"]
        )
        found[key] = agreement_rows.put(
            obj,
            status=row["status"],
            signed_on=row["signed_on"],
            second_party_title=row["second_party_title"],
            first_party_id=head.pk if head else None,
        )
    agreement_rows.save(user)
    target_rows = Upsert(AgreementIndicator, ["value", "upper", "text"])
    stored = by_key(
        AgreementIndicator.objects.filter(agreement__agency=agency), "agreement_id", "indicator_id"
    )
    for row in agreements:
        agreement = found[(row["year"], row["version"])]
        indicator = indicator_of[row["indicator"]]
        key = (agreement.pk, indicator.pk)
        obj = stored.get(key) or AgreementIndicator(agreement=agreement, indicator=indicator)
        stored[key] = target_rows.put(obj, **row["target"])
    target_rows.save(user)

    plans = by_key(ActionPlan.objects.filter(agency=agency), "year")
    plan_rows = Upsert(ActionPlan, [])
    for year, _key, _quarter, _values in quarter_targets:
        plans[year] = plans.get(year) or plan_rows.put(ActionPlan(agency=agency, year=year))
    plan_rows.save(user)
    quarter_rows = Upsert(ActionPlanTarget, ["value", "upper", "text", "activities"])
    stored = by_key(
        ActionPlanTarget.objects.filter(action_plan__agency=agency),
        "action_plan_id",
        "indicator_id",
        "quarter",
    )
    for year, key, quarter, values in quarter_targets:
        action_plan, indicator = plans[year], indicator_of[key]
        row_key = (action_plan.pk, indicator.pk, quarter)
        obj = stored.get(row_key) or ActionPlanTarget(
            action_plan=action_plan, indicator=indicator, quarter=quarter
        )
        stored[row_key] = quarter_rows.put(obj, **values)
    quarter_rows.save(user)


# The indicator's fields an import sets: the page's (planning.plans), with the reporting unit by id,
# without the flag the Renstra file does not carry, and the file's evidence kinds and order.
INDICATOR_COLUMNS = [
    *(name for name in INDICATOR_FIELDS if name not in ("unit", "allows_negative")),
    "unit_id",
    "evidence_kinds",
    "order",
]


def _write(
    agency, plan_data, goals, objectives, indicators, targets, budget, user
) -> ImportSummary:
    """Write the checked rows in bulk: a few statements a model, whatever the file's size."""
    summary = ImportSummary()
    plan, _created = StrategicPlan.objects.update_or_create(
        agency=agency,
        start_year=plan_data["start"],
        defaults={
            "end_year": plan_data["end"],
            "title": plan_data["title"],
            "rpjmd_reference": plan_data["rpjmd"],
        },
    )
    goal_rows = Upsert(Goal, ["statement", "order"])
    stored_goals = by_key(Goal.objects.filter(plan=plan), "code")
    for order, (code, statement) in enumerate(goals):
        obj = stored_goals.get(code) or Goal(plan=plan, code=code)
        stored_goals[code] = goal_rows.put(obj, statement=statement, order=order)
        summary.goals += 1
    goal_rows.save(user)

    objective_rows = Upsert(
        Objective, ["statement", "level", "goal_id", "unit_id", "order", "parent_id"]
    )
    stored_objectives = by_key(Objective.objects.filter(plan=plan), "code")
    for order, o in enumerate(objectives):
        goal = stored_goals.get(o["goal"])
        obj = stored_objectives.get(o["code"]) or Objective(plan=plan, code=o["code"])
        stored_objectives[o["code"]] = objective_rows.put(
            obj,
            statement=o["statement"],
            level=o["level"],
            goal_id=goal.pk if goal else None,
            unit_id=o["unit"].pk if o["unit"] else None,
            order=order,
        )
        summary.objectives += 1
    objective_rows.save(user)
    for o in objectives:
        parent = stored_objectives.get(o["parent"]) if o["parent"] else None
        objective_rows.put(stored_objectives[o["code"]], parent_id=parent.pk if parent else None)
    objective_rows.save(user)

    indicator_rows = Upsert(Indicator, INDICATOR_COLUMNS)
    stored_indicators = {
        (i.objective.code, i.code): i
        for i in Indicator.objects.filter(objective__plan=plan).select_related("objective")
    }
    for order, i in enumerate(indicators):
        key = (i["objective"], i["code"])
        values = dict(i["defaults"])
        unit = values.pop("unit")
        obj = stored_indicators.get(key) or Indicator(
            objective=stored_objectives[i["objective"]], code=i["code"]
        )
        stored_indicators[key] = indicator_rows.put(
            obj, **values, unit_id=unit.pk if unit else None, order=order
        )
        summary.indicators += 1
    indicator_rows.save(user)

    target_rows = Upsert(Target, ["value", "upper", "text"])
    stored_targets = by_key(
        Target.objects.filter(indicator__objective__plan=plan), "indicator_id", "year"
    )
    for key, year, values in targets:
        indicator = stored_indicators[key]
        obj = stored_targets.get((indicator.pk, year)) or Target(indicator=indicator, year=year)
        stored_targets[(indicator.pk, year)] = target_rows.put(obj, **values)
        summary.targets += 1
    target_rows.save(user)
    _write_budget(agency, budget, stored_objectives, user)
    summary.budget_lines = len(budget)
    audit.record(
        "performance.plan.imported",
        actor=user,
        obj=plan,
        agency_code=agency.code,
        summary=str(summary.as_dict()),
        after=summary.as_dict(),
    )
    return summary


def _write_budget(agency, budget, objectives, user) -> None:
    """Programs, activities, sub-activities and their ceilings, level by level in bulk."""
    program_rows = Upsert(Program, ["name", "objective_id"])
    programs = by_key(Program.objects.filter(agency=agency), "code")
    for b in budget:
        code, name = b["program"]
        objective = objectives.get(b["objective"])
        obj = programs.get(code) or Program(agency=agency, code=code)
        programs[code] = program_rows.put(
            obj, name=name, objective_id=objective.pk if objective else None
        )
    program_rows.save(user)
    activity_rows = Upsert(Activity, ["name", "unit_id"])
    activities = by_key(Activity.objects.filter(program__agency=agency), "program_id", "code")
    sub_rows = Upsert(SubActivity, ["name", "unit_id"])
    subs = by_key(
        SubActivity.objects.filter(activity__program__agency=agency), "activity_id", "code"
    )
    ceiling_rows = Upsert(BudgetCeiling, ["amount"])
    ceilings = by_key(
        BudgetCeiling.objects.filter(sub_activity__activity__program__agency=agency),
        "sub_activity_id",
        "year",
    )
    for b in budget:
        program, (code, name) = programs[b["program"][0]], b["activity"]
        key = (program.pk, code)
        obj = activities.get(key) or Activity(program=program, code=code)
        activities[key] = activity_rows.put(
            obj, name=name, unit_id=b["unit"].pk if b["unit"] else None
        )
    activity_rows.save(user)
    for b in budget:
        activity = activities[(programs[b["program"][0]].pk, b["activity"][0])]
        code, name = b["sub"]
        obj = subs.get((activity.pk, code)) or SubActivity(activity=activity, code=code)
        subs[(activity.pk, code)] = sub_rows.put(
            obj, name=name, unit_id=b["unit"].pk if b["unit"] else None
        )
    sub_rows.save(user)
    for b in budget:
        activity = activities[(programs[b["program"][0]].pk, b["activity"][0])]
        sub = subs[(activity.pk, b["sub"][0])]
        obj = ceilings.get((sub.pk, b["year"])) or BudgetCeiling(sub_activity=sub, year=b["year"])
        ceilings[(sub.pk, b["year"])] = ceiling_rows.put(obj, amount=b["amount"])
    ceiling_rows.save(user)
