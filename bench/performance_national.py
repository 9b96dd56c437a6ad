"""National-scale benchmark of the performance layer on PostgreSQL (issue 5).

    .venv/bin/python bench/performance_national.py [--regions 500] [--agencies 40]
        [--indicators 30] [--skip-year] [--form-runs 3]
        [--db postgres://postgres@127.0.0.1:5432/kinerja_bench_perf]

Creates (once) a separate database with a synthetic nation: regions × agencies × indicators ×
4 quarters of actuals (one indicator in seven a grade scored through a lookup table), yearly
targets, PKs of the year (a third of the agencies signed, with a later draft that does not
count; a third a draft only) and a budget (3 programs, 6 sub-activities per agency with
ceilings and quarterly spending), loaded with COPY. A database made by an earlier version of
this script lacks the PKs and grades: drop it first. Then it measures:

1. every achievement and the per-agency category counts for a year through the service
   (``national.year_counts``) against one hand-written SQL aggregate over the same rows (the
   floor); goal ≤ 1.5x the floor and peak memory < 500 MB;
2. importing 40 filled forms of 30 indicators through ``workbook_import.import_form`` against
   openpyxl's bare read of the same files; goal ≤ 2x. ``--form-runs`` pairs (bare read, then
   import of first submissions) are timed and the best and the median printed: the figures move
   with the load of a shared machine. A last pass submits the same forms again (the update path).

It prints the figures; it never runs inside the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
YEAR = 2024
FLOOR_SQL = """
WITH chosen AS (  -- the PK version whose targets count: the latest signed, else the latest draft
  SELECT DISTINCT ON (agency_id) id FROM performance_performanceagreement
  WHERE year = %(year)s ORDER BY agency_id, (status = 'signed') DESC, version DESC
), pk AS (
  SELECT ai.indicator_id, ai.value, ai.upper, ai.text
  FROM performance_agreementindicator ai JOIN chosen c ON c.id = ai.agreement_id
), ytd AS (
  SELECT a.indicator_id, SUM(a.value) AS s, AVG(a.value) AS av,
         (ARRAY_AGG(a.value ORDER BY a.quarter DESC) FILTER (WHERE a.value IS NOT NULL))[1] AS last,
         (ARRAY_AGG(a.text ORDER BY a.quarter DESC) FILTER (WHERE a.text <> ''))[1] AS last_text
  FROM performance_actual a WHERE a.year = %(year)s AND (a.value IS NOT NULL OR a.text <> '')
  GROUP BY a.indicator_id
), r AS (
  SELECT p.agency_id, i.polarity, i.formula, i.target_kind, i.lookup_table_id, y.last_text,
         CASE WHEN pk.indicator_id IS NULL THEN t.value ELSE pk.value END AS t,
         CASE WHEN pk.indicator_id IS NULL THEN t.text ELSE pk.text END AS t_text,
         CASE WHEN i.target_kind = 'range'
              THEN CASE WHEN pk.indicator_id IS NULL THEN t.upper ELSE pk.upper END END AS upper,
         CASE i.aggregation WHEN 'kumulatif' THEN y.s WHEN 'rata_rata' THEN y.av ELSE y.last END AS r
  FROM performance_indicator i
  JOIN performance_objective o ON o.id = i.objective_id
  JOIN performance_strategicplan p ON p.id = o.plan_id
  JOIN ytd y ON y.indicator_id = i.id
  LEFT JOIN performance_target t ON t.indicator_id = i.id AND t.year = %(year)s
  LEFT JOIN pk ON pk.indicator_id = i.id
  WHERE p.start_year <= %(year)s AND p.end_year >= %(year)s
    AND (i.retired_on IS NULL OR EXTRACT(YEAR FROM i.retired_on) >= %(year)s)
), lookups AS (  -- a label matches ignoring case and repeated spaces
  SELECT e.table_id, LOWER(TRIM(REGEXP_REPLACE(e.label, '\\s+', ' ', 'g'))) AS label,
         e.score, lt.mode
  FROM performance_lookupentry e JOIN performance_lookuptable lt ON lt.id = e.table_id
), scored AS (
  SELECT r.*, la.mode, la.score AS a_score, lt.score AS t_score
  FROM r
  LEFT JOIN lookups la ON la.table_id = r.lookup_table_id
    AND la.label = LOWER(TRIM(REGEXP_REPLACE(r.last_text, '\\s+', ' ', 'g')))
  LEFT JOIN lookups lt ON lt.table_id = r.lookup_table_id
    AND lt.label = LOWER(TRIM(REGEXP_REPLACE(r.t_text, '\\s+', ' ', 'g')))
), c AS (
  SELECT agency_id, ROUND(CASE
    WHEN target_kind = 'lookup' THEN CASE WHEN mode = 'direct' THEN a_score
                                          ELSE a_score / NULLIF(t_score, 0) * 100 END
    WHEN r IS NULL OR t IS NULL THEN NULL
    WHEN upper IS NOT NULL AND t > upper THEN NULL
    WHEN upper IS NOT NULL AND r BETWEEN t AND upper THEN 100
    WHEN upper IS NOT NULL AND polarity = 'positive' THEN r / (CASE WHEN r < t THEN t ELSE upper END) * 100
    WHEN upper IS NOT NULL THEN GREATEST((2 * (CASE WHEN r < t THEN t ELSE upper END) - r)
                                / (CASE WHEN r < t THEN t ELSE upper END) * 100, 0)
    WHEN t = 0 OR formula = 'N4' THEN CASE WHEN (polarity = 'negative' AND r <= t)
                                          OR (polarity = 'positive' AND r >= t) THEN 100 ELSE 0 END
    WHEN t < 0 THEN NULL
    WHEN polarity = 'positive' THEN r / t * 100
    WHEN formula = 'N2' THEN t / NULLIF(r, 0) * 100
    ELSE GREATEST((2 * t - r) / t * 100, 0) END, 2) AS v
  FROM scored
)
SELECT agency_id,
  COUNT(*) FILTER (WHERE v > 90) AS st, COUNT(*) FILTER (WHERE v > 75 AND v <= 90) AS t,
  COUNT(*) FILTER (WHERE v > 65 AND v <= 75) AS s, COUNT(*) FILTER (WHERE v > 50 AND v <= 65) AS r,
  COUNT(*) FILTER (WHERE v <= 50) AS sr, AVG(v) AS average
FROM c WHERE v IS NOT NULL GROUP BY agency_id
"""


def setup_django(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("KINERJA_VAR_DIR", str(ROOT / "var" / "bench-perf"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def copy_rows(model, columns: list[str], rows) -> None:
    """COPY rows into the model's table; columns not given take their field default."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.column in columns]
    given = {c: i for i, c in enumerate(columns)}
    defaults = {}
    for f in fields:
        if f.column not in given:
            default = f.get_default()
            if default is None and not f.null:
                default = (
                    dt.datetime.now(dt.UTC) if f.get_internal_type() == "DateTimeField" else ""
                )
            defaults[f.column] = default
    names = [f.column for f in fields]
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f'COPY "{model._meta.db_table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) FROM STDIN'
        ) as copy:
            for row in rows:
                copy.write_row([row[given[n]] if n in given else defaults[n] for n in names])


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def generate(regions: int, agencies: int, indicators: int) -> None:
    from kinerja.organisation.models import Agency, Position, Region
    from kinerja.performance.models import (
        Activity,
        Actual,
        AgreementIndicator,
        BudgetCeiling,
        Indicator,
        LookupEntry,
        LookupTable,
        Objective,
        PerformanceAgreement,
        Program,
        Spending,
        StrategicPlan,
        SubActivity,
        Target,
    )

    rng = random.Random(5)
    n_agencies = regions * agencies
    n_indicators = n_agencies * indicators
    t0 = time.perf_counter()
    copy_rows(
        Region,
        ["id", "name", "kind", "code", "government_name", "time_zone"],
        (
            (
                r,
                f"Kabupaten Sintetis {r}",
                "kabupaten",
                f"B{r:04d}",
                f"PEMKAB SINTETIS {r}",
                "Asia/Jakarta",
            )
            for r in range(1, regions + 1)
        ),
    )
    copy_rows(
        Agency,
        ["id", "region_id", "name", "code", "kind", "time_zone"],
        (
            (
                a,
                (a - 1) // agencies + 1,
                f"Dinas Sintetis {a}",
                f"BENCH-{a:06d}",
                "dinas",
                "Asia/Jakarta",
            )
            for a in range(1, n_agencies + 1)
        ),
    )
    copy_rows(
        StrategicPlan,
        ["id", "agency_id", "title", "start_year", "end_year"],
        ((a, a, "Renstra 2021-2026", 2021, 2026) for a in range(1, n_agencies + 1)),
    )
    copy_rows(
        Objective,
        ["id", "plan_id", "level", "code", "statement", "order"],
        ((a, a, "strategis", "SS1", "Sasaran sintetis", 0) for a in range(1, n_agencies + 1)),
    )
    kinds = [
        ("positive", "", "kumulatif", "number"),
        ("positive", "", "posisi_akhir", "number"),
        ("negative", "", "posisi_akhir", "number"),
        ("positive", "", "rata_rata", "number"),
        ("negative", "N2", "kumulatif", "number"),
        ("negative", "", "rata_rata", "range"),
        ("positive", "", "posisi_akhir", "lookup"),  # a grade (predikat), scored by ratio
    ]
    grades = LookupTable.objects.create(name="Predikat (bench)", mode="ratio")
    labels = [("C", 50), ("CC", 60), ("B", 65), ("BB", 75), ("A", 85), ("AA", 95)]
    for order, (label, score) in enumerate(labels):
        LookupEntry.objects.create(table=grades, label=label, score=score, order=order)

    def lookup(i: int) -> bool:
        return kinds[i % len(kinds)][3] == "lookup"

    def indicator_rows():
        for i in range(1, n_indicators + 1):
            polarity, formula, aggregation, kind = kinds[i % len(kinds)]
            yield (
                i,
                (i - 1) // indicators + 1,
                f"I-{(i - 1) % indicators + 1}",
                f"Indikator {i}",
                "unit",
                polarity,
                formula,
                aggregation,
                kind,
                2,
                Decimal(1),
                i % indicators,
                grades.pk if kind == "lookup" else None,
            )

    copy_rows(
        Indicator,
        [
            "id",
            "objective_id",
            "code",
            "name",
            "unit_of_measure",
            "polarity",
            "formula",
            "aggregation",
            "target_kind",
            "decimals",
            "multiplier",
            "order",
            "lookup_table_id",
        ],
        indicator_rows(),
    )
    copy_rows(
        Target,
        ["id", "indicator_id", "year", "value", "upper", "text"],
        (
            (
                i,
                i,
                YEAR,
                None if lookup(i) else Decimal(100 + i % 50),
                Decimal(110 + i % 50) if i % len(kinds) == 5 else None,
                "BB" if lookup(i) else "",
            )
            for i in range(1, n_indicators + 1)
        ),
    )
    # PK of the year: every third agency has a signed PK (targets 10 % below the Renstra's for
    # half its indicators, grade "A") and a later draft PK Perubahan that does not count yet;
    # every third agency after it has a draft PK only (10 % above), which counts.
    first_party = Position.objects.create(
        agency_id=1, name="Kepala", code="KADIS", kind="struktural"
    )
    agreements = [
        (n, a, version, status, first_party.pk)
        for n, (a, version, status) in enumerate(
            (
                (a, version, status)
                for a in range(1, n_agencies + 1)
                for version, status in (
                    ((1, "signed"), (2, "draft"))
                    if a % 3 == 0
                    else ((1, "draft"),)
                    if a % 3 == 1
                    else ()
                )
            ),
            start=1,
        )
    ]
    copy_rows(
        PerformanceAgreement,
        ["id", "agency_id", "year", "version", "status", "first_party_id"],
        ((n, a, YEAR, version, status, position) for n, a, version, status, position in agreements),
    )

    def agreement_indicator_rows():
        n = 0
        for agreement, a, version, _status, _position in agreements:
            factor = Decimal("0.9") if a % 3 == 0 else Decimal("1.1")
            if version == 2:
                factor = Decimal(3)
            for i in range((a - 1) * indicators + 1, a * indicators + 1, 2):
                n += 1
                if lookup(i):
                    yield (n, agreement, i, None, None, "A")
                else:
                    upper = Decimal(110 + i % 50) * factor if i % len(kinds) == 5 else None
                    yield (n, agreement, i, Decimal(100 + i % 50) * factor, upper, "")

    copy_rows(
        AgreementIndicator,
        ["id", "agreement_id", "indicator_id", "value", "upper", "text"],
        agreement_indicator_rows(),
    )

    def actual_rows():
        n = 0
        for i in range(1, n_indicators + 1):
            for q in range(1, 5):
                n += 1
                if rng.random() < 0.03:  # some quarters are not reported
                    continue
                if lookup(i):
                    yield (n, i, YEAR, q, None, rng.choice(labels)[0], "tetap", "")
                    continue
                share = 4 if kinds[i % len(kinds)][2] == "kumulatif" else 1
                value = Decimal(round((100 + i % 50) * rng.uniform(0.5, 1.3) / share, 2))
                yield (n, i, YEAR, q, value, "", "tetap", "")

    copy_rows(
        Actual,
        ["id", "indicator_id", "year", "quarter", "value", "text", "status", "explanation"],
        actual_rows(),
    )
    copy_rows(
        Program,
        ["id", "agency_id", "code", "name", "objective_id"],
        (
            (p, (p - 1) // 3 + 1, f"P{(p - 1) % 3}", "Program", (p - 1) // 3 + 1)
            for p in range(1, n_agencies * 3 + 1)
        ),
    )
    copy_rows(
        Activity,
        ["id", "program_id", "code", "name"],
        ((p, p, "K1", "Kegiatan") for p in range(1, n_agencies * 3 + 1)),
    )
    n_subs = n_agencies * 6
    copy_rows(
        SubActivity,
        ["id", "activity_id", "code", "name"],
        ((s, (s - 1) // 2 + 1, f"S{s % 2}", "Sub kegiatan") for s in range(1, n_subs + 1)),
    )
    copy_rows(
        BudgetCeiling,
        ["id", "sub_activity_id", "year", "amount"],
        ((s, s, YEAR, Decimal(500_000_000)) for s in range(1, n_subs + 1)),
    )
    copy_rows(
        Spending,
        ["id", "sub_activity_id", "year", "quarter", "amount"],
        (
            ((s - 1) * 4 + q, s, YEAR, q, Decimal(100_000_000))
            for s in range(1, n_subs + 1)
            for q in range(1, 5)
        ),
    )
    reset_sequences(
        [
            Region,
            Agency,
            StrategicPlan,
            Objective,
            Indicator,
            Target,
            PerformanceAgreement,
            AgreementIndicator,
            Actual,
            Program,
            Activity,
            SubActivity,
            BudgetCeiling,
            Spending,
        ]
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {n_agencies} agencies, {n_indicators} indicators in {time.perf_counter() - t0:.1f} s"
    )


def bench_year(runs: int) -> None:
    from django.db import connection

    from kinerja.performance.services import national

    floor_times, service_times = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, {"year": YEAR})
            floor = cursor.fetchall()
        floor_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        counts = national.year_counts(YEAR)
        service_times.append(time.perf_counter() - t0)
    floor_best, service_best = min(floor_times), min(service_times)
    # the two must agree
    mismatches = 0
    for agency_id, st, t, s, r, sr, _avg in floor:
        got = counts[agency_id].counts
        if (
            got.get("ST", 0),
            got.get("T", 0),
            got.get("S", 0),
            got.get("R", 0),
            got.get("SR", 0),
        ) != (st, t, s, r, sr):
            mismatches += 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # and with the per-agency service (PK targets, lookups), on a few agencies
    from kinerja.core.periods import Period
    from kinerja.organisation.models import Agency
    from kinerja.performance.services import achievement

    service_mismatches = 0
    sample = list(Agency.objects.filter(code__startswith="BENCH-0").order_by("pk")[:6])
    for agency in sample:
        summary = achievement.summarize(agency, achievement.compute(agency, Period(YEAR)))
        if {k: v for k, v in summary.counts.items() if v} != counts[agency.pk].counts:
            service_mismatches += 1
    print(
        f"year achievement + per-agency counts: {len(counts)} agencies, "
        f"{sum(c.computed for c in counts.values())} computed achievements"
    )
    print(
        f"  hand-written SQL floor: {floor_best:.2f} s   service: {service_best:.2f} s   "
        f"ratio {service_best / floor_best:.2f}x (goal <= 1.5x)"
    )
    print(f"  agencies whose counts differ from the floor: {mismatches}")
    print(
        f"  agencies whose counts differ from the per-agency service: {service_mismatches} "
        f"of {len(sample)} checked"
    )
    print(f"  peak memory of this process (ru_maxrss): {peak:.0f} MB (goal < 500 MB)")


def bench_forms(n_units: int = 40, n_indicators: int = 30, runs: int = 3) -> None:
    from openpyxl import load_workbook

    from kinerja.core.periods import Period
    from kinerja.organisation.models import Agency, Region, Unit
    from kinerja.performance.models import (
        Actual,
        CollectionRound,
        Indicator,
        Objective,
        StrategicPlan,
        Submission,
        Target,
    )
    from kinerja.performance.services.collection import rounds, workbook_import, workbooks

    region = Region.objects.first()
    agency, _ = Agency.objects.get_or_create(
        code="BENCH-FORMS",
        defaults={
            "region": region,
            "name": "Dinas Formulir",
            "kind": "dinas",
            "time_zone": "Asia/Jakarta",
        },
    )
    CollectionRound.objects.filter(agency=agency).delete()
    Actual.objects.filter(indicator__objective__plan__agency=agency).delete()
    if not StrategicPlan.objects.filter(agency=agency).exists():
        plan = StrategicPlan.objects.create(
            agency=agency, title="Renstra", start_year=2021, end_year=2026
        )
        objective = Objective.objects.create(
            plan=plan, level="strategis", code="SS1", statement="S"
        )
        for u in range(n_units):
            unit = Unit.objects.create(
                agency=agency, code=f"U{u:02d}", name=f"Bidang {u}", kind="bidang"
            )
            for i in range(n_indicators):
                ind = Indicator.objects.create(
                    objective=objective,
                    code=f"U{u:02d}-I{i:02d}",
                    name=f"Indikator {u}-{i}",
                    unit_of_measure="%",
                    aggregation="posisi_akhir",
                    unit=unit,
                    max_value=Decimal(100) if i % 3 == 0 else None,
                )
                Target.objects.create(indicator=ind, year=2026, value=Decimal(80))
    opened = rounds.open_round(
        agency,
        Period.parse("2026-Q1"),
        fill_until=dt.date(2099, 1, 1),
        review_until=dt.date(2099, 1, 2),
    )
    files = []
    for unit in rounds.units_of(opened):
        wb = load_workbook(io.BytesIO(workbooks.form_bytes(opened, unit)))
        ws = wb["Data"]
        headers = [c.value for c in ws[1]]
        column = headers.index("Realisasi TW I") + 1
        for row in range(2, ws.max_row + 1):
            ws.cell(row=row, column=column).value = f"{70 + row % 20},5"
        buffer = io.BytesIO()
        wb.save(buffer)
        files.append(buffer.getvalue())

    def bare_read() -> float:
        t0 = time.perf_counter()
        for data in files:
            wb = load_workbook(io.BytesIO(data), data_only=True)
            for ws in wb.worksheets:
                for _row in ws.iter_rows(values_only=True):
                    pass
        return time.perf_counter() - t0

    def import_all() -> float:
        t0 = time.perf_counter()
        for data in files:
            workbook_import.import_form(opened, io.BytesIO(data))
        return time.perf_counter() - t0

    def first_submissions_again() -> None:
        # every run measures first submissions (new Actual rows); the rows of the previous run go
        # without the per-row history signals of a model delete, which would take longer than the run
        Actual.objects.filter(indicator__objective__plan__agency=agency)._raw_delete(
            Actual.objects.db
        )
        Submission.objects.filter(round=opened)._raw_delete(Submission.objects.db)

    pairs = []
    for _run in range(runs):
        first_submissions_again()
        bare, service = bare_read(), import_all()
        stored = Actual.objects.filter(indicator__objective__plan__agency=agency).count()
        assert stored == len(files) * n_indicators, stored
        pairs.append((bare, service))
    resubmit = import_all()  # every row exists now: the update path (new versions, "~" history)
    bares, services = sorted(b for b, _s in pairs), sorted(s for _b, s in pairs)
    print(f"import {len(files)} filled forms of {n_indicators} indicators ({runs} runs):")
    for bare, service in pairs:
        print(
            f"  openpyxl bare read: {bare:.2f} s   workbook_import.import_form: {service:.2f} s   "
            f"ratio {service / bare:.2f}x"
        )
    print(
        f"  best: bare {bares[0]:.2f} s, import {services[0]:.2f} s, ratio "
        f"{services[0] / bares[0]:.2f}x; median: bare {bares[len(bares) // 2]:.2f} s, import "
        f"{services[len(services) // 2]:.2f} s, ratio "
        f"{services[len(services) // 2] / bares[len(bares) // 2]:.2f}x (goal <= 2x)"
    )
    print(f"  the same 40 forms submitted again (updates): {resubmit:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regions", type=int, default=500)
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--form-runs", type=int, default=3)
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kinerja_bench_perf")
    parser.add_argument("--skip-year", action="store_true")
    parser.add_argument("--skip-forms", action="store_true")
    args = parser.parse_args()
    setup_django(args.db)
    from kinerja.performance.models import Indicator

    if not Indicator.objects.filter(objective__plan__agency__code__startswith="BENCH-0").exists():
        generate(args.regions, args.agencies, args.indicators)
    if not args.skip_year:
        bench_year(args.runs)
    if not args.skip_forms:
        bench_forms(runs=args.form_runs)


if __name__ == "__main__":
    main()
