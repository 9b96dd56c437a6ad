"""Renstra import from XLSX: every sheet is read first; with any issue nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.xlsx import (
    InvalidFile,
    Issue,
    Row,
    SheetReader,
    open_workbook,
    parse_number_id,
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
from kinerja.performance.services.plan_transfer.layout import (
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


def _number(row: Row, header: str) -> Decimal | None:
    raw = row.raw(header)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_number_id(raw)
    except ValueError:
        row.issue(header, _("'%(value)s' is not a number.") % {"value": raw})
        return None


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
                    "max_value": _number(r, "Nilai Maksimal"),
                    "is_key": r.yes_no("IKU"),
                    "baseline_year": r.integer("Tahun Dasar", default=0) or None,
                    "baseline": _number(r, "Nilai Dasar"),
                    "end_target": _number(r, "Target Akhir"),
                    "national_standard": _number(r, "Standar Nasional"),
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
                    "value": _number(r, "Target"),
                    "upper": _number(r, "Batas Atas"),
                    "text": r.text("Target Kualitatif"),
                },
            )
        )
    budget = []
    for r in SheetReader(wb, *BUDGET, issues, required=False).rows():
        objective = r.text("Kode Sasaran")
        if objective and objective not in objective_codes:
            r.issue("Kode Sasaran", _("Unknown objective %(code)s.") % {"code": objective})
        amount = _number(r, "Pagu")
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
                    "value": _number(r, "Target"),
                    "upper": _number(r, "Batas Atas"),
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
                    "value": _number(r, "Target s.d. Triwulan"),
                    "upper": _number(r, "Batas Atas"),
                    "text": r.text("Target Kualitatif", max_length=120),
                    "activities": r.text("Kegiatan", max_length=4000),
                },
            )
        )
    if issues:
        raise InvalidFile(issues)
    with transaction.atomic():
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
    for row in agreements:
        agreement, _c = PerformanceAgreement.objects.update_or_create(
            agency=agency,
            year=row["year"],
            version=row["version"],
            defaults={
                "status": row["status"],
                "signed_on": row["signed_on"],
                "second_party_title": row["second_party_title"],
                "first_party": head,
            },
        )
        AgreementIndicator.objects.update_or_create(
            agreement=agreement, indicator=indicator_of[row["indicator"]], defaults=row["target"]
        )
    for year, key, quarter, values in quarter_targets:
        action_plan, _c = ActionPlan.objects.get_or_create(agency=agency, year=year)
        ActionPlanTarget.objects.update_or_create(
            action_plan=action_plan, indicator=indicator_of[key], quarter=quarter, defaults=values
        )


@transaction.atomic
def _write(
    agency, plan_data, goals, objectives, indicators, targets, budget, user
) -> ImportSummary:
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
    goal_rows = {}
    for order, (code, statement) in enumerate(goals):
        goal_rows[code], _c = Goal.objects.update_or_create(
            plan=plan, code=code, defaults={"statement": statement, "order": order}
        )
        summary.goals += 1
    objective_rows = {}
    for order, o in enumerate(objectives):
        objective_rows[o["code"]], _c = Objective.objects.update_or_create(
            plan=plan,
            code=o["code"],
            defaults={
                "statement": o["statement"],
                "level": o["level"],
                "goal": goal_rows.get(o["goal"]),
                "unit": o["unit"],
                "order": order,
            },
        )
        summary.objectives += 1
    for o in objectives:
        parent = objective_rows.get(o["parent"]) if o["parent"] else None
        Objective.objects.filter(pk=objective_rows[o["code"]].pk).update(parent=parent)
    indicator_rows = {}
    for order, i in enumerate(indicators):
        indicator_rows[(i["objective"], i["code"])], _c = Indicator.objects.update_or_create(
            objective=objective_rows[i["objective"]],
            code=i["code"],
            defaults={**i["defaults"], "order": order},
        )
        summary.indicators += 1
    for key, year, values in targets:
        Target.objects.update_or_create(indicator=indicator_rows[key], year=year, defaults=values)
        summary.targets += 1
    for b in budget:
        program, _c = Program.objects.update_or_create(
            agency=agency,
            code=b["program"][0],
            defaults={"name": b["program"][1], "objective": objective_rows.get(b["objective"])},
        )
        activity, _c = Activity.objects.update_or_create(
            program=program,
            code=b["activity"][0],
            defaults={"name": b["activity"][1], "unit": b["unit"]},
        )
        sub, _c = SubActivity.objects.update_or_create(
            activity=activity, code=b["sub"][0], defaults={"name": b["sub"][1], "unit": b["unit"]}
        )
        BudgetCeiling.objects.update_or_create(
            sub_activity=sub, year=b["year"], defaults={"amount": b["amount"]}
        )
        summary.budget_lines += 1
    audit.record(
        "performance.plan.imported",
        actor=user,
        obj=plan,
        agency_code=agency.code,
        summary=str(summary.as_dict()),
        after=summary.as_dict(),
    )
    return summary
