"""Renstra import from XLSX: every sheet is read first; with any issue nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

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

IndicatorKey = tuple[str, str]  # (objective code, indicator code), how the sheets name an indicator


@dataclass
class ImportSummary:
    goals: int = 0
    objectives: int = 0
    indicators: int = 0
    targets: int = 0
    budget_lines: int = 0

    def as_dict(self) -> dict[str, int]:
        return self.__dict__.copy()


@dataclass
class _PlanRows:
    """The rows of every sheet, read and checked, in the shapes the write steps take."""

    plan: dict[str, Any] = field(default_factory=dict)
    goals: list[tuple[str, str]] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    targets: list[tuple[IndicatorKey, int, dict[str, Any]]] = field(default_factory=list)
    budget: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    quarter_targets: list[tuple[int, IndicatorKey, int, dict[str, Any]]] = field(
        default_factory=list
    )
    signer: Position | None = None  # the agency's head, first party of the PKs


def import_plan(agency: Agency, source: str | IO[bytes], user: Any = None) -> ImportSummary:
    """Create or update a Renstra from XLSX; raise InvalidFile with every issue, writing nothing."""
    wb = open_workbook(source)  # checked before parsing, then streamed (read-only)
    try:
        return _import(agency, wb, user)
    finally:
        wb.close()


def _import(agency: Agency, wb: Workbook, user: Any) -> ImportSummary:
    """Read every sheet, then write it all in one transaction; raise InvalidFile on any issue."""
    reader = _PlanReader(agency, wb)
    rows = reader.read()
    if reader.issues:
        raise InvalidFile(reader.issues)
    with transaction.atomic():  # short: every row was read and checked above; bulk writes
        summary = _write(agency, rows, user)
        _write_agreements(agency, rows, user)
    return summary


class _PlanReader:
    """Reads the sheets in order, each row checked against the codes of the sheets before it.

    Every problem becomes an :class:`Issue` located by sheet, row and column, in reading order.
    """

    def __init__(self, agency: Agency, wb: Workbook) -> None:
        self.agency = agency
        self.wb = wb
        self.issues: list[Issue] = []
        self.units = {u.code: u for u in Unit.objects.filter(agency=agency)}
        self.rows = _PlanRows()
        self.objective_codes: set[str] = set()
        self.indicator_keys: set[IndicatorKey] = set()

    def read(self) -> _PlanRows:
        self._read_plan()
        self._read_goals()
        self._read_objectives()
        self._read_indicators()
        self._read_targets()
        self._read_budget()
        self._read_agreements()
        self._check_signer()
        self._read_quarter_targets()
        return self.rows

    def _sheet(self, layout: tuple[str, list[str]], *, required: bool = True) -> SheetReader:
        return SheetReader(self.wb, *layout, self.issues, required=required)

    def _unit(self, row: Row, header: str) -> Unit | None:
        code = row.text(header)
        if code and code not in self.units:
            row.issue(header, _("Unknown unit %(code)s.") % {"code": code})
        return self.units.get(code)

    def _objective_code(self, row: Row, *, required: bool) -> str:
        """The row's "Kode Sasaran", checked against the objectives sheet."""
        code = row.text("Kode Sasaran", required=required)
        if code and code not in self.objective_codes:
            row.issue("Kode Sasaran", _("Unknown objective %(code)s.") % {"code": code})
        return code

    def _indicator_key(self, row: Row) -> IndicatorKey:
        """The row's objective and indicator codes, checked against the indicators sheet."""
        key = (row.text("Kode Sasaran"), row.text("Kode Indikator"))
        if key not in self.indicator_keys:
            row.issue("Kode Indikator", _("Unknown indicator %(code)s.") % {"code": " ".join(key)})
        return key

    def _read_plan(self) -> None:
        head = next(self._sheet(PLAN).rows(), None)
        if head is None:
            if not self.issues:
                self.issues.append(Issue(PLAN[0], 2, None, _("The plan row is missing.")))
            return
        plan: dict[str, Any] = {
            "start": head.integer("Tahun Awal"),
            "end": head.integer("Tahun Akhir"),
            "title": head.text("Judul", required=True),
            "rpjmd": head.text("RPJMD", max_length=4000),
        }
        if not 1900 < plan["start"] <= plan["end"] < 2200:
            head.issue("Tahun Akhir", _("The years of the plan are not valid."))
        self.rows.plan = plan

    def _read_goals(self) -> None:
        self.rows.goals = [
            (r.text("Kode", required=True), r.text("Tujuan", required=True, max_length=4000))
            for r in self._sheet(GOALS).rows()
        ]

    def _read_objectives(self) -> None:
        """Objectives, their goal checked on each row and their parent once all are read."""
        goal_codes = {code for code, _statement in self.rows.goals}
        objectives = []
        for r in self._sheet(OBJECTIVES).rows():
            item: dict[str, Any] = {
                "code": r.text("Kode", required=True),
                "statement": r.text("Sasaran", required=True, max_length=4000),
                "level": r.choice("Tingkat", LEVELS),
                "goal": r.text("Kode Tujuan"),
                "parent": r.text("Kode Induk"),
                "unit": self._unit(r, "Unit"),
                "row": r,
            }
            if item["goal"] and item["goal"] not in goal_codes:
                r.issue("Kode Tujuan", _("Unknown goal %(code)s.") % {"code": item["goal"]})
            objectives.append(item)
        self.objective_codes = {o["code"] for o in objectives}
        for o in objectives:
            if o["parent"] and o["parent"] not in self.objective_codes:
                o["row"].issue(
                    "Kode Induk", _("Unknown objective %(code)s.") % {"code": o["parent"]}
                )
        self.rows.objectives = objectives

    def _read_indicators(self) -> None:
        self.rows.indicators = [self._indicator(r) for r in self._sheet(INDICATORS).rows()]
        self.indicator_keys = {(i["objective"], i["code"]) for i in self.rows.indicators}

    def _indicator(self, r: Row) -> dict[str, Any]:
        """One row of the indicators sheet: its objective, code and the indicator's fields."""
        objective = self._objective_code(r, required=True)
        formula = self._formula(r)
        evidence = r.text("Bukti Wajib")
        if any(k.strip() not in ("file", "link", "text") for k in evidence.split(",") if k.strip()):
            r.issue("Bukti Wajib", _("Write file, link or text, separated by commas."))
        return {
            "objective": objective,
            "code": r.text("Kode", required=True),
            "defaults": {
                "name": r.text("Indikator", required=True, max_length=500),
                "unit_of_measure": r.text("Satuan", required=True, max_length=60),
                "polarity": r.choice("Polaritas", POLARITIES),
                "formula": FORMULAS.get(formula.lower(), "") if formula else "",
                "aggregation": r.choice("Tipe Perhitungan", AGGREGATIONS),
                "target_kind": r.choice("Jenis Target", TARGET_KINDS, required=False) or "number",
                "decimals": r.integer("Desimal", default=2),
                "is_percentage": r.yes_no("Persentase"),
                "max_value": r.decimal("Nilai Maksimal"),
                "is_key": r.yes_no("IKU"),
                "baseline_year": r.integer("Tahun Dasar", default=0) or None,
                "baseline": r.decimal("Nilai Dasar"),
                "end_target": r.decimal("Target Akhir"),
                "national_standard": r.decimal("Standar Nasional"),
                "national_standard_source": r.text("Sumber Standar"),
                "unit": self._unit(r, "Unit Pelapor"),
                "definition": r.text("Definisi", max_length=4000),
                "data_source": r.text("Sumber Data"),
                "evidence_kinds": evidence,
            },
        }

    @staticmethod
    def _formula(r: Row) -> str:
        """The "Rumus" as written (one of P, N1, N2, N4, L in any case), or ""."""
        formula = r.text("Rumus")
        if formula and formula.lower() not in FORMULAS:
            r.issue(
                "Rumus",
                _("'%(value)s' is not one of: %(allowed)s.")
                % {"value": formula, "allowed": "P, N1, N2, N4, L"},
            )
        return formula

    def _read_targets(self) -> None:
        """Yearly targets, each year within the plan's."""
        plan = self.rows.plan
        for r in self._sheet(TARGETS).rows():
            key = self._indicator_key(r)
            year = r.integer("Tahun")
            if plan and not plan["start"] <= year <= plan["end"]:
                r.issue("Tahun", _("The year %(year)d is outside the plan.") % {"year": year})
            values = {
                "value": r.decimal("Target"),
                "upper": r.decimal("Batas Atas"),
                "text": r.text("Target Kualitatif"),
            }
            self.rows.targets.append((key, year, values))

    def _read_budget(self) -> None:
        """The optional budget sheet: program, activity and sub-activity, with a yearly ceiling."""
        for r in self._sheet(BUDGET, required=False).rows():
            objective = self._objective_code(r, required=False)
            amount = r.decimal("Pagu", money=True)
            if amount is None or amount < 0:
                r.issue("Pagu", _("Give the ceiling as a number of 0 or more."))
            self.rows.budget.append(
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
                    "unit": self._unit(r, "Unit"),
                    "year": r.integer("Tahun"),
                    "amount": amount,
                }
            )

    def _read_agreements(self) -> None:
        """The optional PK sheet: one row per agreement version and indicator."""
        for r in self._sheet(AGREEMENTS, required=False).rows():
            key = self._indicator_key(r)
            self.rows.agreements.append(
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

    def _check_signer(self) -> None:
        """The agency's head signs the PKs as first party: without one, PK rows are an issue."""
        self.rows.signer = Position.objects.filter(
            agency=self.agency, unit__isnull=True, is_head=True
        ).first()
        if self.rows.agreements and self.rows.signer is None:
            self.issues.append(
                Issue(
                    AGREEMENTS[0], None, None, _("The agency has no head position to sign the PK.")
                )
            )

    def _read_quarter_targets(self) -> None:
        """The optional action plan sheet: cumulative targets by quarter."""
        for r in self._sheet(ACTION_PLAN, required=False).rows():
            key = self._indicator_key(r)
            quarter = r.integer("Triwulan")
            if quarter not in (1, 2, 3, 4):
                r.issue("Triwulan", _("Write a quarter from 1 to 4."))
            year = r.integer("Tahun")
            values = {
                "value": r.decimal("Target s.d. Triwulan"),
                "upper": r.decimal("Batas Atas"),
                "text": r.text("Target Kualitatif", max_length=120),
                "activities": r.text("Kegiatan", max_length=4000),
            }
            self.rows.quarter_targets.append((year, key, quarter, values))


def _write_agreements(agency: Agency, rows: _PlanRows, user: Any) -> None:
    """The PKs with their indicators' targets, then the action plans with their quarter targets."""
    indicator_of = {
        (i.objective.code, i.code): i
        for i in Indicator.objects.filter(objective__plan__agency=agency).select_related(
            "objective"
        )
    }
    _write_agreement_targets(agency, rows, indicator_of, user)
    _write_quarter_targets(agency, rows.quarter_targets, indicator_of, user)


def _write_agreement_targets(
    agency: Agency, rows: _PlanRows, indicator_of: dict[IndicatorKey, Indicator], user: Any
) -> None:
    agreement_rows = Upsert(
        PerformanceAgreement, ["status", "signed_on", "second_party_title", "first_party_id"]
    )
    found = by_key(PerformanceAgreement.objects.filter(agency=agency), "year", "version")
    for row in rows.agreements:
        key = (row["year"], row["version"])
        obj = found.get(key) or PerformanceAgreement(
            agency=agency, year=row["year"], version=row["version"]
        )
        found[key] = agreement_rows.put(
            obj,
            status=row["status"],
            signed_on=row["signed_on"],
            second_party_title=row["second_party_title"],
            first_party_id=rows.signer.pk if rows.signer else None,
        )
    agreement_rows.save(user)
    target_rows = Upsert(AgreementIndicator, ["value", "upper", "text"])
    stored = by_key(
        AgreementIndicator.objects.filter(agreement__agency=agency), "agreement_id", "indicator_id"
    )
    for row in rows.agreements:
        agreement = found[(row["year"], row["version"])]
        indicator = indicator_of[row["indicator"]]
        key = (agreement.pk, indicator.pk)
        target = stored.get(key) or AgreementIndicator(agreement=agreement, indicator=indicator)
        stored[key] = target_rows.put(target, **row["target"])
    target_rows.save(user)


def _write_quarter_targets(
    agency: Agency,
    quarter_targets: list[tuple[int, IndicatorKey, int, dict[str, Any]]],
    indicator_of: dict[IndicatorKey, Indicator],
    user: Any,
) -> None:
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


def _write(agency: Agency, rows: _PlanRows, user: Any) -> ImportSummary:
    """Write the checked rows in bulk: a few statements a model, whatever the file's size."""
    summary = ImportSummary()
    plan, _created = StrategicPlan.objects.update_or_create(
        agency=agency,
        start_year=rows.plan["start"],
        defaults={
            "end_year": rows.plan["end"],
            "title": rows.plan["title"],
            "rpjmd_reference": rows.plan["rpjmd"],
        },
    )
    goals = _write_goals(plan, rows.goals, user)
    summary.goals = len(rows.goals)
    objectives = _write_objectives(plan, rows.objectives, goals, user)
    summary.objectives = len(rows.objectives)
    indicators = _write_indicators(plan, rows.indicators, objectives, user)
    summary.indicators = len(rows.indicators)
    _write_targets(plan, rows.targets, indicators, user)
    summary.targets = len(rows.targets)
    _write_budget(agency, rows.budget, objectives, user)
    summary.budget_lines = len(rows.budget)
    audit.record(
        "performance.plan.imported",
        actor=user,
        obj=plan,
        agency_code=agency.code,
        summary=str(summary.as_dict()),
        after=summary.as_dict(),
    )
    return summary


def _write_goals(plan: StrategicPlan, goals: list[tuple[str, str]], user: Any) -> dict[str, Goal]:
    """The goals in the file's order; the plan's goals by code."""
    goal_rows = Upsert(Goal, ["statement", "order"])
    stored = by_key(Goal.objects.filter(plan=plan), "code")
    for order, (code, statement) in enumerate(goals):
        obj = stored.get(code) or Goal(plan=plan, code=code)
        stored[code] = goal_rows.put(obj, statement=statement, order=order)
    goal_rows.save(user)
    return stored


def _write_objectives(
    plan: StrategicPlan, objectives: list[dict[str, Any]], goals: dict[str, Goal], user: Any
) -> dict[str, Objective]:
    """The objectives in the file's order, then their parents (a parent may come after its child);
    the plan's objectives by code."""
    objective_rows = Upsert(
        Objective, ["statement", "level", "goal_id", "unit_id", "order", "parent_id"]
    )
    stored = by_key(Objective.objects.filter(plan=plan), "code")
    for order, o in enumerate(objectives):
        goal = goals.get(o["goal"])
        obj = stored.get(o["code"]) or Objective(plan=plan, code=o["code"])
        stored[o["code"]] = objective_rows.put(
            obj,
            statement=o["statement"],
            level=o["level"],
            goal_id=goal.pk if goal else None,
            unit_id=o["unit"].pk if o["unit"] else None,
            order=order,
        )
    objective_rows.save(user)
    for o in objectives:
        parent = stored.get(o["parent"]) if o["parent"] else None
        objective_rows.put(stored[o["code"]], parent_id=parent.pk if parent else None)
    objective_rows.save(user)
    return stored


def _write_indicators(
    plan: StrategicPlan,
    indicators: list[dict[str, Any]],
    objectives: dict[str, Objective],
    user: Any,
) -> dict[IndicatorKey, Indicator]:
    """The indicators in the file's order; the plan's indicators by objective and code."""
    indicator_rows = Upsert(Indicator, INDICATOR_COLUMNS)
    stored = {
        (i.objective.code, i.code): i
        for i in Indicator.objects.filter(objective__plan=plan).select_related("objective")
    }
    for order, i in enumerate(indicators):
        key = (i["objective"], i["code"])
        values = dict(i["defaults"])
        unit = values.pop("unit")
        obj = stored.get(key) or Indicator(objective=objectives[i["objective"]], code=i["code"])
        stored[key] = indicator_rows.put(
            obj, **values, unit_id=unit.pk if unit else None, order=order
        )
    indicator_rows.save(user)
    return stored


def _write_targets(
    plan: StrategicPlan,
    targets: list[tuple[IndicatorKey, int, dict[str, Any]]],
    indicators: dict[IndicatorKey, Indicator],
    user: Any,
) -> None:
    target_rows = Upsert(Target, ["value", "upper", "text"])
    stored = by_key(Target.objects.filter(indicator__objective__plan=plan), "indicator_id", "year")
    for key, year, values in targets:
        indicator = indicators[key]
        obj = stored.get((indicator.pk, year)) or Target(indicator=indicator, year=year)
        stored[(indicator.pk, year)] = target_rows.put(obj, **values)
    target_rows.save(user)


def _write_budget(
    agency: Agency, budget: list[dict[str, Any]], objectives: dict[str, Objective], user: Any
) -> None:
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
        activity = activities.get(key) or Activity(program=program, code=code)
        activities[key] = activity_rows.put(
            activity, name=name, unit_id=b["unit"].pk if b["unit"] else None
        )
    activity_rows.save(user)
    for b in budget:
        activity = activities[(programs[b["program"][0]].pk, b["activity"][0])]
        code, name = b["sub"]
        sub = subs.get((activity.pk, code)) or SubActivity(activity=activity, code=code)
        subs[(activity.pk, code)] = sub_rows.put(
            sub, name=name, unit_id=b["unit"].pk if b["unit"] else None
        )
    sub_rows.save(user)
    for b in budget:
        activity = activities[(programs[b["program"][0]].pk, b["activity"][0])]
        sub = subs[(activity.pk, b["sub"][0])]
        ceiling = ceilings.get((sub.pk, b["year"])) or BudgetCeiling(
            sub_activity=sub, year=b["year"]
        )
        ceilings[(sub.pk, b["year"])] = ceiling_rows.put(ceiling, amount=b["amount"])
    ceiling_rows.save(user)
