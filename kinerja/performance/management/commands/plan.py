from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.core.xlsx import InvalidFile
from kinerja.organisation.models import Agency
from kinerja.performance import access
from kinerja.performance.models import StrategicPlan
from kinerja.performance.services.planning.transfer import exporting, importing


class Command(BaseCommand):
    help = "Import or export an agency's Renstra (goals, objectives, indicators, targets, budget)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file")
        parser.add_argument("--agency", required=True)
        parser.add_argument("--start-year", type=int, help="Which plan to export (latest default).")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--lang", default="id", choices=["id", "en"])
        add_as_argument(parser)

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        user = acting_user(options)
        if user is not None:  # the Renstra import and export pages: planning officials
            agency = resolve(user, access.get_agency_for_planner, options["agency"])
        else:
            try:
                agency = Agency.objects.get(code=options["agency"])
            except Agency.DoesNotExist:
                raise CommandError(f"Unknown agency {options['agency']}.") from None
        if options["action"] == "export":
            plans = StrategicPlan.objects.filter(agency=agency)
            if options["start_year"]:
                plans = plans.filter(start_year=options["start_year"])
            plan = plans.first()
            if plan is None:
                raise CommandError("No plan to export.")
            exporting.export_plan(plan).save(options["file"])
            self.stdout.write(f"Wrote {options['file']}")
            return
        try:
            summary = importing.import_plan(agency, options["file"], user)
        except InvalidFile as exc:
            if options["json"]:
                self.stdout.write(json.dumps([i.as_dict() for i in exc.issues], ensure_ascii=False))
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(
                f"{len(exc.issues)} problem(s) in {options['file']}; nothing was imported."
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
        else:
            self.stdout.write(f"Imported {summary.as_dict()} into {agency.code}.")
