from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.core.xlsx import InvalidFile
from kinerja.performance import access
from kinerja.performance.models import CollectionRound
from kinerja.performance.services.collection import rounds, workbook_import, workbooks


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

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["lang"])
        user = acting_user(options)
        found = self._round(user, options)
        if options["action"] == "generate":
            paths = workbooks.generate_all(found, options["out"])
            rounds.mark(found, "generate_forms", user)
            for path in paths:
                self.stdout.write(str(path))
            return
        if options["evidence"] and len(options["files"]) > 1:
            raise CommandError("--evidence goes with one form; put several forms in ZIPs instead.")
        report = [self._import(found, name, user, options) for name in options["files"]]
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        failed = sum(1 for entry in report if not entry["ok"])
        if failed:
            raise CommandError(f"{failed} file(s) rejected; nothing was written from them.")

    def _round(self, user: Any, options: dict[str, Any]) -> CollectionRound:
        """The round, through the page's access rule when the command runs ``--as`` a user."""
        if user is None:
            try:
                return CollectionRound.objects.select_related("agency").get(pk=options["round_id"])
            except CollectionRound.DoesNotExist:
                raise CommandError(f"No round {options['round_id']}.") from None
        # generating every unit's form is the round page's (planning officials); importing a
        # form is the unit form page's (checked per form below, once its unit is read)
        helper = (
            access.get_round_for_planner
            if options["action"] == "generate"
            else access.get_round_for_user
        )
        return resolve(user, helper, options["round_id"])

    def _import(
        self, found: CollectionRound, name: str, user: Any, options: dict[str, Any]
    ) -> dict[str, Any]:
        """Import one file as its unit's submission; its entry of the report. A refused file's
        issues go to stderr."""
        try:
            upload, evidence = workbook_import.unpack(
                _file(name), [_file(path) for path in options["evidence"]]
            )
            if user is not None:
                unit, _values, _spending = workbook_import.read_form(found, upload, evidence)
                resolve(user, access.get_unit_form, found.pk, unit.code)
                upload.seek(0)
            submission = workbook_import.import_form(found, upload, user, evidence_files=evidence)
        except FileNotFoundError as exc:
            self.stderr.write(f"{name}: file not found: {exc.filename}")
            return {"file": name, "ok": False, "issues": ["file not found"]}
        except InvalidFile as exc:
            for issue in exc.issues:
                self.stderr.write(f"{name}: {issue}")
            return {"file": name, "ok": False, "issues": [i.as_dict() for i in exc.issues]}
        if not options["json"]:
            self.stdout.write(
                f"{name}: {submission.unit.code} version {submission.version} imported"
            )
        return {
            "file": name,
            "ok": True,
            "unit": submission.unit.code,
            "version": submission.version,
        }
