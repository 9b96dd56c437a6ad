from __future__ import annotations

import json
from typing import IO, cast

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from kinerja.cases import access, services
from kinerja.cases.models import Case
from kinerja.cases.serialize import case_to_dict
from kinerja.core.cli import acting_user, add_as_argument, resolve, user_named
from kinerja.core.formats import format_datetime_zone
from kinerja.core.periods import PeriodError
from kinerja.organisation.access import get_agency_for_user
from kinerja.procedures.models import Sop


class Command(BaseCommand):
    help = "Start a case of an SOP, or show one: kinerja case start|show ..."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        start = sub.add_parser("start", help="start a case; prints its id")
        start.add_argument("--sop", required=True, help="SOP id, number or key")
        start.add_argument("--agency", required=True, help="agency code, e.g. DINKES-BLG")
        start.add_argument("--period", required=True, help="2024, 2024-S1 or 2024-Q3")
        add_as_argument(start, required=True)
        show = sub.add_parser("show", help="show a case with its tasks and history")
        show.add_argument("case_id", type=int)
        show.add_argument("--json", action="store_true")
        add_as_argument(show)

    def handle(self, *args, **options):
        if options["action"] == "start":
            return self.start(options)
        return self.show(options)

    def start(self, options):
        user = user_named(options["username"])
        agency = resolve(user, get_agency_for_user, options["agency"])  # the start page's scope
        ref = options["sop"]
        sops = Sop.objects.filter(agency=agency)
        sop = (
            (sops.filter(pk=int(ref)).first() if ref.isdigit() else None)
            or sops.filter(number=ref).first()
            or sops.filter(key=ref).first()
        )
        if sop is None:
            raise CommandError(f"no SOP {ref!r} in {agency.code}")
        try:
            case = services.start_case(sop, options["period"], user)
        except (services.CaseError, PeriodError, PermissionDenied) as exc:
            raise CommandError(str(exc) or "not allowed") from None
        self.stdout.write(str(case.pk))

    def show(self, options):
        viewer = acting_user(options)
        case: Case | None
        if viewer is not None:
            case = resolve(viewer, access.get_case_for_user, options["case_id"])
        else:
            case = (
                Case.objects.select_related("agency", "sop_version")
                .filter(pk=options["case_id"])
                .first()
            )
        if case is None:
            raise CommandError(f"no case {options['case_id']}")
        data = case_to_dict(case)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        zone = case.agency.time_zone
        console = Console(file=cast(IO[str], self.stdout), width=120)  # a text stream
        console.print(
            f"[bold]#{case.pk} {case.title}[/] · {case.agency.code} · {case.status} · "
            f"{format_datetime_zone(case.started_at, zone)}"
        )
        due = {t.pk: t.due_at for t in case.tasks.all()}
        table = Table()
        for column in ("task", "step", "activity", "worker", "due", "status", "outcome"):
            table.add_column(column)
        for t in data["tasks"]:
            table.add_row(
                str(t["id"]),
                str(t["step"]),
                t["activity"][:50],
                t["worker"] or "-",
                format_datetime_zone(due[t["id"]], zone),
                t["status"],
                t["outcome"] or "",
            )
        console.print(table)
