"""Demo performance data for the four seed offices: Renstra 2021-2026, indicators, targets, PK 2024
and 2025, Rencana Aksi, budget, quarterly actuals for 2023 and 2024. Loading twice changes nothing.

The data is in ``demo_data/``: ``lookup_tables.yaml`` (the scales of the indicators measured in
grades or milestones) and one file per office, numbered as its seed (its goal, objectives,
indicators with their first-year target and yearly step, programs with their pagu). Every figure
is fictional but plausible; the targets follow from those rows, the budget from each program's
pagu, and the actuals from a seeded generator, so they are stable.
"""

from __future__ import annotations

import functools
import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from kinerja.core.demo_data import (
    FLAG,
    NON_EMPTY,
    NUMBER,
    TEXT,
    WHOLE,
    Schema,
    list_of,
    one_of,
    read_demo_data,
    record,
    require_known,
    table_of,
)
from kinerja.organisation.models import Agency, Position, Unit
from kinerja.performance import formulas
from kinerja.performance.models import (
    ActionPlan,
    ActionPlanTarget,
    Activity,
    Actual,
    AgreementIndicator,
    AgreementProgram,
    BudgetCeiling,
    CategoryBand,
    CategoryScale,
    Goal,
    Indicator,
    LookupEntry,
    LookupTable,
    Objective,
    PerformanceAgreement,
    PerformanceSettings,
    Program,
    Spending,
    StrategicPlan,
    SubActivity,
    Target,
)

START, END = 2021, 2026
ACTUAL_YEARS = (2023, 2024)
PK_YEARS = (2024, 2025)
BUDGET_YEARS = (2023, 2024, 2025)
POS, NEG = formulas.POSITIVE, formulas.NEGATIVE
SUM = formulas.CUMULATIVE
DATA_DIR = Path(__file__).parent / "demo_data"

LOOKUP_TABLES_SCHEMA = record(
    {
        "lookup_tables": table_of(
            record(
                {
                    "name": NON_EMPTY,
                    "mode": one_of(LookupTable.Mode.values),
                    "entries": table_of(NUMBER),
                }
            )
        )
    }
)
# An indicator's options: pct (a percentage, capped at 100), max (a cap), range (a target range of
# that width), lookup (a key of lookup_tables.yaml), targets (one per Renstra year, instead of the
# first-year target and step), components (an indicator computed as numerator / denominator x
# multiplier), evidence (the kinds of evidence asked), national (the national standard).
_OPTIONS = record(
    {},
    {
        "pct": FLAG,
        "max": NUMBER,
        "range": NUMBER,
        "lookup": NON_EMPTY,
        "targets": {
            **list_of({"type": ["number", "string"]}),
            "minItems": END - START + 1,
            "maxItems": END - START + 1,
        },
        "components": record(
            {"numerator": NON_EMPTY, "denominator": NON_EMPTY, "multiplier": NUMBER}
        ),
        "evidence": TEXT,
        "national": NUMBER,
    },
)
_DATE: Schema = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
OFFICE_SCHEMA = record(
    {
        "agency": NON_EMPTY,
        "planning_unit": NON_EMPTY,
        "superior": NON_EMPTY,
        "goal": NON_EMPTY,
        # The strategic issues the Renstra names (printed in Bab I of the LKjIP).
        "strategic_issues": list_of(NON_EMPTY),
        # The objectives: strategic ones by code, then program ones under a strategic parent.
        "strategic": table_of(NON_EMPTY),
        "program": table_of(
            record({"parent": NON_EMPTY, "unit": NON_EMPTY, "statement": NON_EMPTY})
        ),
        "indicators": list_of(
            record(
                {
                    "objective": NON_EMPTY,
                    "code": NON_EMPTY,
                    "name": NON_EMPTY,
                    "unit_of_measure": NON_EMPTY,
                    "polarity": one_of((POS, NEG)),
                    "aggregation": one_of(formulas.AGGREGATIONS),
                    "unit": NON_EMPTY,
                    "key": FLAG,
                    "first": NUMBER,
                    "step": NUMBER,
                },
                {"options": _OPTIONS},
            )
        ),
        # The programs (budget in millions of rupiah for 2023, 5% more each year after).
        "programs": list_of(
            record(
                {
                    "code": NON_EMPTY,
                    "name": NON_EMPTY,
                    "objective": NON_EMPTY,
                    "unit": NON_EMPTY,
                    "budget_millions": WHOLE,
                }
            )
        ),
    },
    {
        # A PK signed again during its year, with one indicator's target lowered.
        "amended_agreements": list_of(
            record(
                {
                    "year": one_of(PK_YEARS),
                    "signed_on": _DATE,
                    "indicator": NON_EMPTY,
                    "lowered_by": NUMBER,
                    "reason": NON_EMPTY,
                }
            )
        )
    },
)


@dataclass(frozen=True)
class DemoIndicator:
    """One indicator of an office's file: where it hangs, how it is measured, its targets."""

    objective: str
    code: str
    name: str
    unit_of_measure: str
    polarity: str
    aggregation: str
    unit: str
    key: bool
    first: float
    step: float
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def lookup(self) -> str | None:
        """The key of the lookup table the indicator is measured against, if any."""
        lookup: str | None = self.options.get("lookup")
        return lookup

    @property
    def capped(self) -> bool:
        return bool(self.options.get("pct") or self.options.get("max"))


@dataclass(frozen=True)
class DemoData:
    """The demo's performance data, read and checked: lookup tables, then offices by code."""

    lookup_tables: dict[str, dict[str, Any]]
    offices: dict[str, dict[str, Any]]
    indicators: dict[str, list[DemoIndicator]]


@functools.cache
def demo_data() -> DemoData:
    """Every file of ``demo_data/``, read and checked once per process (never changed after)."""
    tables = read_demo_data(DATA_DIR / "lookup_tables.yaml", LOOKUP_TABLES_SCHEMA)["lookup_tables"]
    offices = []
    for path in sorted(DATA_DIR.glob("[0-9]*.yaml")):
        office = read_demo_data(path, OFFICE_SCHEMA)
        _check_references(path, office, tables)
        offices.append(office)
    return DemoData(
        lookup_tables=tables,
        offices={office["agency"]: office for office in offices},
        indicators={
            office["agency"]: [DemoIndicator(**row) for row in office["indicators"]]
            for office in offices
        },
    )


def _check_references(path: Path, office: dict[str, Any], tables: dict[str, Any]) -> None:
    """The codes an office's file refers to are defined in it (or in the lookup tables)."""
    strategic = set(office["strategic"])
    objectives = strategic | set(office["program"])
    for key, program in office["program"].items():
        what = "a strategic objective of this file"
        require_known(path, ("program", key, "parent"), program["parent"], strategic, what)
    for index, row in enumerate(office["indicators"]):
        where = ("indicators", index)
        what = "an objective of this file"
        require_known(path, (*where, "objective"), row["objective"], objectives, what)
        if "lookup" in row.get("options", {}):
            lookup = row["options"]["lookup"]
            what = "a table of lookup_tables.yaml"
            require_known(path, (*where, "options", "lookup"), lookup, tables, what)
    for index, row in enumerate(office["programs"]):
        what = "an objective of this file"
        require_known(path, ("programs", index, "objective"), row["objective"], objectives, what)
    codes = {row["code"] for row in office["indicators"]}
    for index, row in enumerate(office.get("amended_agreements", [])):
        keys = ("amended_agreements", index, "indicator")
        require_known(path, keys, row["indicator"], codes, "an indicator of this file")


def _rng(*parts: object) -> random.Random:
    return random.Random(zlib.crc32("|".join(map(str, parts)).encode()))


def _d(value: float, places: int = 2) -> Decimal:
    return Decimal(str(round(value, places)))


def ensure_default_scale() -> CategoryScale:
    scale, _ = CategoryScale.objects.get_or_create(
        name=formulas.PERMENDAGRI_86_2017.name, region=None, defaults={"is_default": True}
    )
    if not scale.bands.exists():
        for order, band in enumerate(formulas.PERMENDAGRI_86_2017.bands):
            CategoryBand.objects.create(
                scale=scale, code=band.code, label=band.label, lower=band.lower, order=order
            )
    return scale


def _lookup_tables(tables: dict[str, dict[str, Any]]) -> dict[str, LookupTable]:
    """The shared lookup tables (no agency), by their key in the data; entries written once."""
    found: dict[str, LookupTable] = {}
    for key, data in tables.items():
        table, created = LookupTable.objects.get_or_create(
            agency=None, name=data["name"], defaults={"mode": data["mode"]}
        )
        if created:
            for order, (label, score) in enumerate(data["entries"].items()):
                LookupEntry.objects.create(table=table, label=label, score=score, order=order)
        found[key] = table
    return found


def _target_for(row: DemoIndicator, year: int) -> dict[str, Any]:
    """The indicator's target for the year: the explicit one, or first-year target plus steps."""
    options = row.options
    if "targets" in options:
        value = options["targets"][year - START]
        if isinstance(value, str):
            return {"value": None, "upper": None, "text": value}
        return {"value": _d(value), "upper": None, "text": ""}
    value = row.first + row.step * (year - START)
    if row.capped:
        value = min(value, options.get("max", 100))
    upper = _d(value + options["range"]) if "range" in options else None
    return {"value": _d(value), "upper": upper, "text": ""}


def _quarter_actuals(
    row: DemoIndicator, year: int, target: dict[str, Any], labels: list[str]
) -> list[dict[str, Any]]:
    """Four plausible quarterly values (each quarter's own value, not cumulative).

    ``labels`` are the entries of the indicator's lookup table (empty for a number).
    """
    rng = _rng(row.code, row.unit, year)
    if row.lookup:
        return _graded_actuals(labels, target["text"], rng)
    base = target["value"] or Decimal(0)
    limit = row.options.get("max", 100 if row.options.get("pct") else None)
    values = []
    for quarter in range(1, 5):
        value = _quarter_value(row, base, quarter, rng)
        if limit is not None:
            value = min(value, Decimal(limit))
        values.append(_actual_fields(row, value, rng))
    return values


def _graded_actuals(labels: list[str], target: str, rng: random.Random) -> list[dict[str, Any]]:
    """A graded indicator's quarters: the target grade (or one below) reached by mid-year."""
    index = labels.index(target) if target in labels else len(labels) - 1
    reached = max(0, index - rng.choice([0, 0, 1]))
    steps = [max(0, reached - 1)] * 2 + [reached] * 2
    return [{"text": labels[step]} for step in steps]


def _quarter_value(row: DemoIndicator, base: Decimal, quarter: int, rng: random.Random) -> Decimal:
    """One quarter's value around the year's target, drawn from ``rng`` in a fixed order."""
    factor = rng.uniform(0.62, 1.12)  # drawn for every kind, so each later draw stays as it was
    if row.aggregation == SUM:  # the quarter's share of the year, none when the target is none
        share = (0.2, 0.25, 0.25, 0.3)[quarter - 1]
        raw = float(base) * share * factor
        if base == 0:
            raw = rng.choice([0, 0, 0, 1]) if row.polarity == NEG else 0
        return _d(round(raw))
    if "range" in row.options:
        return _d(float(base) * rng.uniform(0.85, 1.6), 1)
    if row.polarity == POS:  # approaching the target through the year
        return _d(float(base) * (0.94 + 0.03 * quarter) * rng.uniform(0.72, 1.05))
    return _d(float(base) * (1.08 - 0.03 * quarter) * rng.uniform(0.95, 1.3))


def _actual_fields(row: DemoIndicator, value: Decimal, rng: random.Random) -> dict[str, Any]:
    """The actual's fields: the value, or for a computed indicator its numerator and denominator."""
    components = row.options.get("components")
    if not components:
        return {"value": value}
    births = rng.randint(900, 1100)
    deaths = round(float(value) * births / components["multiplier"])
    return {"value": None, "numerator": Decimal(deaths), "denominator": Decimal(births)}


@transaction.atomic
def load_office(code: str) -> None:
    """Create or refresh one office's performance data, from its file in ``demo_data/``."""
    data = demo_data()
    office = data.offices[code]
    agency = Agency.objects.get(code=code)
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    scale = ensure_default_scale()
    PerformanceSettings.objects.update_or_create(
        agency=agency, defaults={"planning_unit": units[office["planning_unit"]], "scale": scale}
    )
    tables = _lookup_tables(data.lookup_tables)
    objectives = _load_objectives(agency, office, units)
    indicators = [
        (_load_indicator(row, order, objectives[row.objective], units[row.unit], tables), row)
        for order, row in enumerate(data.indicators[code])
    ]
    head = Position.objects.get(agency=agency, unit__isnull=True, is_head=True)
    programs = _load_budget(agency, office, objectives, units)
    for year in PK_YEARS:
        _load_agreements(agency, office, year, head, indicators, programs)
        _load_action_plan(agency, year, indicators)
    for year in ACTUAL_YEARS:
        for indicator, row in indicators:
            labels = list(data.lookup_tables[row.lookup]["entries"]) if row.lookup else []
            _load_actuals(indicator, row, year, labels)


def _load_objectives(
    agency: Agency, office: dict[str, Any], units: dict[str, Unit]
) -> dict[str, Objective]:
    """The Renstra with its goal and objectives (strategic, then program); returns them by code."""
    plan, _ = StrategicPlan.objects.update_or_create(
        agency=agency,
        start_year=START,
        defaults={
            "end_year": END,
            "title": f"Rencana Strategis {agency.name} {START}-{END}",
            "rpjmd_reference": "Misi RPJMD: meningkatkan kualitas pelayanan publik dan daya saing daerah",
            "strategic_issues": "\n".join(office["strategic_issues"]),
        },
    )
    goal, _ = Goal.objects.update_or_create(
        plan=plan, code="T1", defaults={"statement": office["goal"]}
    )
    objectives: dict[str, Objective] = {}
    for order, (key, statement) in enumerate(office["strategic"].items()):
        objectives[key], _ = Objective.objects.update_or_create(
            plan=plan,
            code=key,
            defaults={"goal": goal, "level": "strategis", "statement": statement, "order": order},
        )
    for order, (key, program) in enumerate(office["program"].items(), 10):
        objectives[key], _ = Objective.objects.update_or_create(
            plan=plan,
            code=key,
            defaults={
                "goal": goal,
                "parent": objectives[program["parent"]],
                "level": "program",
                "statement": program["statement"],
                "unit": units[program["unit"]],
                "order": order,
            },
        )
    return objectives


def _load_indicator(
    row: DemoIndicator,
    order: int,
    objective: Objective,
    unit: Unit,
    tables: dict[str, LookupTable],
) -> Indicator:
    """The indicator with its target for every year of the Renstra."""
    indicator, _ = Indicator.objects.update_or_create(
        objective=objective,
        code=row.code,
        defaults=_indicator_fields(row, order, unit, tables),
    )
    for year in range(START, END + 1):
        Target.objects.update_or_create(
            indicator=indicator, year=year, defaults=_target_for(row, year)
        )
    return indicator


def _indicator_fields(
    row: DemoIndicator, order: int, unit: Unit, tables: dict[str, LookupTable]
) -> dict[str, Any]:
    options = row.options
    components = options.get("components")
    national = options.get("national")
    kind = "lookup" if row.lookup else ("range" if "range" in options else "number")
    return {
        "name": row.name,
        "unit_of_measure": row.unit_of_measure,
        "polarity": row.polarity,
        "aggregation": row.aggregation,
        "target_kind": kind,
        "lookup_table": tables[row.lookup] if row.lookup else None,
        "is_percentage": bool(options.get("pct")),
        "max_value": Decimal(options.get("max", 100)) if row.capped else None,
        "is_key": row.key,
        "baseline_year": START - 1,
        "baseline": None if row.lookup else _d(row.first - row.step),
        "end_target": _target_for(row, END)["value"],
        "national_standard": Decimal(national) if national is not None else None,
        "national_standard_source": "Standar Pelayanan Minimal (Permenkes 4/2019)"
        if national is not None
        else "",
        "unit": unit,
        "definition": f"{row.name}, diukur dalam {row.unit_of_measure}.",
        "data_source": f"Laporan {unit.name}",
        "numerator_label": components["numerator"] if components else "",
        "denominator_label": components["denominator"] if components else "",
        "multiplier": Decimal(components["multiplier"]) if components else Decimal(1),
        "evidence_kinds": options.get("evidence", ""),
        "decimals": 0 if row.aggregation == SUM else 2,
        "order": order,
    }


Loaded = list[tuple[Indicator, DemoIndicator]]


def _load_agreements(
    agency: Agency,
    office: dict[str, Any],
    year: int,
    head: Position,
    indicators: Loaded,
    programs: list[tuple[Program, dict[int, Decimal]]],
) -> None:
    """The year's signed PK (version 1), then a version for each amendment of that year."""
    amendments = [a for a in office.get("amended_agreements", []) if a["year"] == year]
    versions: list[tuple[int, dict[str, Any] | None]] = [(1, None)]
    versions += [(version, amendment) for version, amendment in enumerate(amendments, 2)]
    for version, amendment in versions:
        agreement, _ = PerformanceAgreement.objects.update_or_create(
            agency=agency,
            year=year,
            version=version,
            defaults={
                "status": "signed",
                "first_party": head,
                "second_party_title": office["superior"],
                "signed_on": amendment["signed_on"] if amendment else f"{year}-01-31",
                "reason": amendment["reason"] if amendment else "",
            },
        )
        for indicator, row in indicators:
            target = _target_for(row, year)
            if amendment and indicator.code == amendment["indicator"]:
                target = {**target, "value": target["value"] - _d(amendment["lowered_by"])}
            AgreementIndicator.objects.update_or_create(
                agreement=agreement, indicator=indicator, defaults=target
            )
        for program, ceilings in programs:
            AgreementProgram.objects.update_or_create(
                agreement=agreement, program=program, defaults={"budget": ceilings[year]}
            )


def _load_action_plan(agency: Agency, year: int, indicators: Loaded) -> None:
    """The year's Rencana Aksi: each indicator's target per quarter (cumulative ones pro rata)."""
    action_plan, _ = ActionPlan.objects.get_or_create(agency=agency, year=year)
    for indicator, row in indicators:
        target = _target_for(row, year)
        for quarter in range(1, 5):
            value = target["value"]
            if value is not None and indicator.aggregation == SUM:
                value = _d(float(value) * quarter / 4, 0)
            ActionPlanTarget.objects.update_or_create(
                action_plan=action_plan,
                indicator=indicator,
                quarter=quarter,
                defaults={
                    "value": value,
                    "upper": target["upper"],
                    "text": target["text"],
                    "activities": f"Kegiatan pendukung {indicator.code} triwulan {quarter}",
                },
            )


def _load_actuals(indicator: Indicator, row: DemoIndicator, year: int, labels: list[str]) -> None:
    """The indicator's four quarterly actuals of the year, final (``tetap``)."""
    target = _target_for(row, year)
    for quarter, values in enumerate(_quarter_actuals(row, year, target, labels), 1):
        Actual.objects.update_or_create(
            indicator=indicator,
            year=year,
            quarter=quarter,
            defaults={**values, "status": "tetap"},
        )


def _load_budget(
    agency: Agency,
    office: dict[str, Any],
    objectives: dict[str, Objective],
    units: dict[str, Unit],
) -> list[tuple[Program, dict[int, Decimal]]]:
    """The programs with their pagu per year (what the PK of that year lists)."""
    found = []
    for row in office["programs"]:
        program, _ = Program.objects.update_or_create(
            agency=agency,
            code=row["code"],
            defaults={"name": row["name"], "objective": objectives[row["objective"]]},
        )
        found.append((program, _load_activity(agency, program, row, units[row["unit"]])))
    return found


def _load_activity(
    agency: Agency, program: Program, row: dict[str, Any], unit: Unit
) -> dict[int, Decimal]:
    """The program's one activity and its two sub-activities (60% and 40% of the budget), with
    their ceilings and, in the years of actuals, their quarterly spending; returns the pagu per
    year."""
    name = row["name"][8:]  # without "Program "
    activity, _ = Activity.objects.update_or_create(
        program=program,
        code=f"{program.code}.01",
        defaults={"name": f"Kegiatan {name}", "unit": unit},
    )
    totals: dict[int, Decimal] = {}
    for index, share in enumerate((0.6, 0.4), start=1):
        sub, _ = SubActivity.objects.update_or_create(
            activity=activity,
            code=f"{program.code}.01.{index:02d}",
            defaults={
                "name": ("Penyediaan layanan " if index == 1 else "Monitoring dan evaluasi ")
                + name.lower(),
                "unit": unit,
            },
        )
        for year in BUDGET_YEARS:
            ceiling = _d(row["budget_millions"] * share * 1_000_000 * (1 + 0.05 * (year - 2023)), 0)
            BudgetCeiling.objects.update_or_create(
                sub_activity=sub, year=year, defaults={"amount": ceiling}
            )
            totals[year] = totals.get(year, Decimal(0)) + ceiling
            if year in ACTUAL_YEARS:
                _load_spending(agency, sub, year, ceiling)
    return totals


def _load_spending(agency: Agency, sub: SubActivity, year: int, ceiling: Decimal) -> None:
    """The sub-activity's spending per quarter: a plausible share of its ceiling."""
    rng = _rng(agency.code, sub.code, year)
    for quarter, part in enumerate((0.15, 0.25, 0.25, 0.3), start=1):
        Spending.objects.update_or_create(
            sub_activity=sub,
            year=year,
            quarter=quarter,
            defaults={"amount": _d(float(ceiling) * part * rng.uniform(0.8, 1.05), 0)},
        )


def load(stdout: object = None) -> list[tuple[str, str, str]]:
    """The demo loader `kinerja demo` calls (AppConfig.demo_loader): every office already loaded
    by the organisation's demo. No logins of its own."""
    for code in demo_data().offices:
        if Agency.objects.filter(code=code).exists():
            load_office(code)
    return []
