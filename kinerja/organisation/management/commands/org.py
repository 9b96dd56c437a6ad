from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.core.xlsx import InvalidFile
from kinerja.organisation import access
from kinerja.organisation.models import Agency
from kinerja.organisation.services.structure import export_structure, import_structure


class Command(BaseCommand):
    help = "Import or export an office's structure (units, positions, employees, holdings) as XLSX."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import FILE.xlsx into an agency (all or nothing).")
        imp.add_argument("file")
        imp.add_argument("--agency", required=True, help="Agency short code, e.g. DKUKMTK-BLG.")
        imp.add_argument("--json", action="store_true", help="Print the result as JSON.")
        add_as_argument(imp)
        exp = sub.add_parser("export", help="Write an agency's structure to FILE.xlsx.")
        exp.add_argument("--agency", required=True)
        exp.add_argument("--out", required=True)
        add_as_argument(exp)
        parser.add_argument(
            "--lang", default="id", choices=["id", "en"], help="Language of messages (default id)."
        )

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        user = acting_user(options)
        if user is not None:  # the import page is the administrator's, the export the agency's
            helper = (
                access.get_agency_for_manager
                if options["action"] == "import"
                else access.get_agency_for_structure
            )
            agency = resolve(user, helper, options["agency"])
        else:
            try:
                agency = Agency.objects.get(code=options["agency"])
            except Agency.DoesNotExist:
                raise CommandError(f"Unknown agency {options['agency']}.") from None
        if options["action"] == "export":
            export_structure(agency).save(options["out"])
            self.stdout.write(f"Wrote {options['out']}")
            return
        try:
            summary = import_structure(agency, options["file"], actor=user)
        except InvalidFile as exc:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {"ok": False, "issues": [i.as_dict() for i in exc.issues]},
                        ensure_ascii=False,
                        indent=2,
                    )
                )
            else:
                for issue in exc.issues:
                    self.stderr.write(str(issue))
            raise CommandError(
                f"{len(exc.issues)} problem(s) in {options['file']}; nothing was imported."
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **summary.as_dict()}, indent=2))
        else:
            self.stdout.write(
                f"Imported {summary.units} units, {summary.positions} positions, "
                f"{summary.employees} employees, {summary.holdings} holdings into {agency.code}."
            )
