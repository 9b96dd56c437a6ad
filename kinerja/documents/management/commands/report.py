from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.core.periods import Period, PeriodError
from kinerja.documents import access
from kinerja.documents.services.reports import render
from kinerja.organisation.access import agencies_visible_to
from kinerja.organisation.models import Agency


class Command(BaseCommand):
    help = "Performance reports: the annual LKjIP, a quarterly/semester report, or all agencies."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        lkjip = sub.add_parser("lkjip", help="The annual report of an agency.")
        lkjip.add_argument("--agency", required=True)
        lkjip.add_argument("--year", type=int, required=True)
        lkjip.add_argument("--format", choices=("docx", "pdf"), default="pdf")
        lkjip.add_argument("--out", required=True)
        add_as_argument(lkjip)
        quarterly = sub.add_parser(
            "quarterly", help="A quarterly (2025-Q3) or semester (2025-S1) report."
        )
        quarterly.add_argument("--agency", required=True)
        quarterly.add_argument("--period", required=True)
        quarterly.add_argument("--format", choices=("docx", "pdf"), default="pdf")
        quarterly.add_argument("--out", required=True)
        add_as_argument(quarterly)
        pk = sub.add_parser("pk", help="The Perjanjian Kinerja of a year.")
        pk.add_argument("--agency", required=True)
        pk.add_argument("--year", type=int, required=True)
        pk.add_argument("--format", choices=("docx", "pdf"), default="pdf")
        pk.add_argument("--out", required=True)
        add_as_argument(pk)
        every = sub.add_parser("all", help="The LKjIP of every agency (of a region) into a folder.")
        every.add_argument("--year", type=int, required=True)
        every.add_argument("--region", default=None, help="Region code; all regions by default.")
        every.add_argument("--format", choices=("docx", "pdf"), default="pdf")
        every.add_argument("--out", required=True)
        add_as_argument(every)
        every.add_argument(
            "--jobs", type=int, default=1, help="Processes rendering in parallel (default 1)."
        )

    def _agency(self, code: str) -> Agency:
        try:
            return Agency.objects.select_related("region").get(code=code)
        except Agency.DoesNotExist:
            raise CommandError(f"No agency with code {code!r}.") from None

    def handle(self, *args, which: str, **options):
        logging.getLogger("weasyprint").setLevel(logging.WARNING)  # no per-page progress
        fmt = options["format"]
        user = acting_user(options)
        if which == "all":
            return self._all(
                options["year"],
                options["region"],
                fmt,
                Path(options["out"]),
                options["jobs"],
                user,
            )
        if user is not None:  # the documents pages: whoever works for the agency reads them
            agency = resolve(user, access.get_agency, options["agency"])
        else:
            agency = self._agency(options["agency"])
        if which == "quarterly":
            try:
                period = Period.parse(options["period"])
            except PeriodError as exc:
                raise CommandError(str(exc)) from None
            data = render(agency, "periodic_report", period.year, period.code, fmt)
        else:
            kind = "lkjip" if which == "lkjip" else "pk"
            data = render(agency, kind, options["year"], str(options["year"]), fmt)
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"wrote {options['out']} ({len(data)} bytes)")

    def _all(
        self, year: int, region: str | None, fmt: str, out: Path, jobs: int = 1, user=None
    ) -> None:
        agencies = agencies_visible_to(user) if user is not None else Agency.objects.all()
        agencies = agencies.select_related("region").order_by("code")
        if region:
            agencies = agencies.filter(region__code=region) | agencies.filter(
                region__parent__code=region
            )
        selected = list(agencies.distinct())
        if not selected:
            raise CommandError("No agency matches.")
        out.mkdir(parents=True, exist_ok=True)
        console = Console(file=cast(IO[str], self.stdout), width=100)
        failures: list[tuple[str, str]] = []
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(f"LKjIP {year}", total=len(selected))
            # is_in_memory_db() is a method of SQLite's connection only
            if connection.vendor == "sqlite" and cast(Any, connection).is_in_memory_db():
                jobs = 1  # a forked process cannot share an in-memory database
            if jobs <= 1:
                for agency in selected:
                    progress.update(task, description=f"LKjIP {year} {agency.code}")
                    code, error = _render_one(agency.pk, year, fmt, str(out))
                    if error:
                        failures.append((code, error))
                    progress.advance(task)
            else:
                connections.close_all()  # each worker process opens its own connection
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                    futures = [
                        pool.submit(_render_one, a.pk, year, fmt, str(out)) for a in selected
                    ]
                    for future in as_completed(futures):
                        code, error = future.result()
                        progress.update(task, description=f"LKjIP {year} {code}")
                        if error:
                            failures.append((code, error))
                        progress.advance(task)
        for code, error in failures:
            console.print(f"[red]✗[/] {code}: {error}")
        console.print(
            f"{len(selected) - len(failures)} of {len(selected)} reports written to {out}"
        )
        if failures:
            raise CommandError(f"{len(failures)} reports failed")


def _render_one(agency_id: int, year: int, fmt: str, out: str) -> tuple[str, str]:
    """Render one agency's LKjIP into ``out``; ids in, (code, error) out (a job's contract)."""
    agency = Agency.objects.select_related("region").get(pk=agency_id)
    try:
        data = render(agency, "lkjip", year, str(year), fmt)
        (Path(out) / f"LKjIP_{agency.code}_{year}.{fmt}").write_bytes(data)
    except Exception as exc:  # one agency's failure must not stop the batch
        return agency.code, str(exc)
    finally:
        if multiprocessing.parent_process() is not None:
            connections.close_all()
    return agency.code, ""
