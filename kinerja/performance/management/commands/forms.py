from __future__ import annotations

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.core.xlsx import InvalidFile
from kinerja.performance import access
from kinerja.performance.models import CollectionRound
from kinerja.performance.services.collection import rounds, workbooks


def _file(path: str) -> SimpleUploadedFile:
    """A file from disk as the upload the web page would receive (same checks follow)."""
    with open(path, "rb") as handle:
        return SimpleUploadedFile(Path(path).name, handle.read())


class Command(BaseCommand):
    help = "Data-collection forms: generate each unit's XLSX, or import filled forms."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="Write one form per unit into --out.")
        gen.add_argument("round_id", type=int)
        gen.add_argument("--out", required=True)
        add_as_argument(gen)
        imp = sub.add_parser("import", help="Import filled forms; each is all or nothing.")
        imp.add_argument("round_id", type=int)
        imp.add_argument(
            "files", nargs="+", help="filled XLSX forms, or ZIPs of a form and its evidence"
        )
        imp.add_argument(
            "--evidence",
            action="append",
            default=[],
            metavar="FILE",
            help="an evidence file named in the form's Berkas Bukti column (repeat; one form only)",
        )
        imp.add_argument("--json", action="store_true")
        add_as_argument(imp)
        parser.add_argument("--lang", default="id", choices=["id", "en"])

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        user = acting_user(options)
        if user is not None:
            # generating every unit's form is the round page's (planning officials); importing a
            # form is the unit form page's (checked per form below, once its unit is read)
            helper = (
                access.get_round_for_planner
                if options["action"] == "generate"
                else access.get_round_for_user
            )
            found = resolve(user, helper, options["round_id"])
        else:
            try:
                found = CollectionRound.objects.select_related("agency").get(pk=options["round_id"])
            except CollectionRound.DoesNotExist:
                raise CommandError(f"No round {options['round_id']}.") from None
        if options["action"] == "generate":
            paths = workbooks.generate_all(found, options["out"])
            rounds.mark(found, "generate_forms", user)
            for path in paths:
                self.stdout.write(str(path))
            return
        if options["evidence"] and len(options["files"]) > 1:
            raise CommandError("--evidence goes with one form; put several forms in ZIPs instead.")
        failed = 0
        report = []
        for name in options["files"]:
            try:
                upload, evidence = workbooks.unpack(
                    _file(name), [_file(path) for path in options["evidence"]]
                )
                if user is not None:
                    unit, _values, _spending = workbooks.read_form(found, upload, evidence)
                    resolve(user, access.get_unit_form, found.pk, unit.code)
                    upload.seek(0)
                submission = workbooks.import_form(found, upload, user, evidence_files=evidence)
            except FileNotFoundError as exc:
                failed += 1
                self.stderr.write(f"{name}: file not found: {exc.filename}")
                report.append({"file": name, "ok": False, "issues": ["file not found"]})
                continue
            except InvalidFile as exc:
                failed += 1
                for issue in exc.issues:
                    self.stderr.write(f"{name}: {issue}")
                report.append(
                    {"file": name, "ok": False, "issues": [i.as_dict() for i in exc.issues]}
                )
                continue
            report.append(
                {
                    "file": name,
                    "ok": True,
                    "unit": submission.unit.code,
                    "version": submission.version,
                }
            )
            if not options["json"]:
                self.stdout.write(
                    f"{name}: {submission.unit.code} version {submission.version} imported"
                )
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if failed:
            raise CommandError(f"{failed} file(s) rejected; nothing was written from them.")
