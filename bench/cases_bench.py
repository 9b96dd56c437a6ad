"""Bench: 10 000 finished cases of the seed SOPs on PostgreSQL; inbox, SLA page, SLA query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinerja .venv/bin/python bench/cases_bench.py

Builds a throw-away database (<name>_cases_bench), loads the demo offices and seed SOPs, writes the
finished cases in bulk (times laid on the agencies' working calendars), starts 40 running cases
through the services so the inbox has work, then times each page with Django's test client
(server time in-process: middleware, views, templates, queries) and prints median and p95.
Options: --cases N (default 10000), --repeat N (default 100).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p / 100))]


def timed(func, repeat: int) -> tuple[float, float]:
    func()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), percentile(times, 95)


def build(cases: int, rng: random.Random) -> None:
    from django.db import transaction

    from kinerja.cases.calendar import add_working_minutes, duration_minutes
    from kinerja.cases.models import Case, Task
    from kinerja.cases.workcal import calendar_for
    from kinerja.core.periods import Period
    from kinerja.procedures.models import SopVersion

    versions = list(SopVersion.objects.filter(status="effective").select_related("sop__agency"))
    plans = []
    for version in versions:
        steps = list(version.ordered_steps())
        path, step = [], version.first_step()
        while step is not None and len(path) < 30:
            path.append(step)
            step = (
                step.route(True)
                if step.is_decision
                else (None if step.is_terminal else step.next_step)
            )
        calendar = calendar_for(version.sop.agency)
        standards = [
            duration_minutes(s.time_value, s.time_unit, calendar) if s.time_value else None
            for s in path
        ]
        plans.append((version, path, calendar, standards, len(steps)))
    per_batch = 500
    made = 0
    while made < cases:
        batch = min(per_batch, cases - made)
        case_rows, task_rows = [], []
        for i in range(batch):
            version, path, calendar, standards, _n = plans[(made + i) % len(plans)]
            year = rng.choice([2022, 2023, 2024])
            start = dt.datetime(
                year, rng.randint(1, 11), rng.randint(1, 28), 8, tzinfo=calendar.tzinfo
            )
            at = add_working_minutes(start, 0, calendar)
            tasks = []
            for step, standard in zip(path, standards, strict=True):
                base = standard or 60
                actual = base * rng.lognormvariate(-0.1, 0.5)
                due = add_working_minutes(at, standard, calendar) if standard else None
                done = add_working_minutes(at, actual, calendar)
                tasks.append(
                    Task(
                        step=step,
                        status="done",
                        created_at=at,
                        due_at=due,
                        standard_minutes=standard,
                        completed_at=done,
                        actual_minutes=actual,
                        on_time=due is None or done <= due,
                        note="bench",
                    )
                )
                at = done
            period = Period(year)
            case_rows.append(
                Case(
                    agency=version.sop.agency,
                    sop_version=version,
                    period=period.code,
                    title=f"{version.name} {period.label()}",
                    status="finished",
                    started_at=start,
                    finished_at=at,
                )
            )
            task_rows.append(tasks)
        with transaction.atomic():
            created = Case.objects.bulk_create(case_rows)
            for case, tasks in zip(created, task_rows, strict=True):
                for task in tasks:
                    task.case = case
            Task.objects.bulk_create([t for tasks in task_rows for t in tasks])
        made += batch
        print(f"  {made} cases", end="\r", flush=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--queries", action="store_true", help="print the inbox's queries")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the bench is about PostgreSQL.")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.settings_dict["NAME"]
    # Its own database, never the test database other runs may be using at the same time.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_cases_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth import get_user_model

        from kinerja.cases import services
        from kinerja.cases.models import Task
        from kinerja.cases.queries import sop_sla
        from kinerja.organisation.demo import load as load_offices
        from kinerja.procedures.demo import load as load_sops
        from kinerja.procedures.models import Sop

        load_offices()
        load_sops()
        rng = random.Random(2024)
        started = time.perf_counter()
        build(args.cases, rng)
        print(
            f"built {args.cases} finished cases, {Task.objects.count()} tasks "
            f"in {time.perf_counter() - started:.1f} s"
        )
        users = get_user_model().objects
        sekretaris = users.get(username="dinkes.sekretaris")
        sop = Sop.objects.get(key="pengumpulan-data-kinerja")
        for _ in range(40):
            services.start_case(sop, "2025-Q1", sekretaris)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        client = Client()
        client.force_login(sekretaris)

        def inbox():
            assert client.get("/kasus/").status_code == 200

        def sla_page():
            assert client.get(f"/kasus/sla/{sop.pk}/").status_code == 200

        def home():
            assert client.get("/").status_code == 200

        def sla_query():
            sop_sla(sop)

        if args.queries:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                inbox()
            for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:12]:
                print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:300]}")
            print(f"{len(captured.captured_queries)} queries")
            for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + q["sql"])
                    print("\n".join(r[0] for r in cursor.fetchall()))
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for _ in range(10):
                inbox()
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(
                "kinerja|template|middleware|axes", 40
            )
        rows = [
            ("reference: home page (/), not this app", timed(home, args.repeat)),
            ("inbox page (/kasus/, 40 open tasks)", timed(inbox, args.repeat)),
            (
                f"SLA page of SOP 002 ({args.cases // 4} cases)",
                timed(sla_page, max(10, args.repeat // 5)),
            ),
            ("SLA statistics query alone", timed(sla_query, max(10, args.repeat // 5))),
        ]
        print(f"\n{'what':<45} {'median ms':>10} {'p95 ms':>10}")
        for label, (median, p95) in rows:
            print(f"{label:<45} {median:>10.1f} {p95:>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
