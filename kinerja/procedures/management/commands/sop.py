"""``kinerja sop validate|import|export|list|show``: SOP files from the command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any, NoReturn, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kinerja.core.cli import acting_user, add_as_argument, page_rule
from kinerja.organisation.models import Agency
from kinerja.procedures.bpmn import export_bpmn
from kinerja.procedures.document import render_pdf
from kinerja.procedures.models import Sop, SopVersion
from kinerja.procedures.services import import_sop, parse_for_agency
from kinerja.procedures.sopfile import InvalidSopFile, Problem, max_bytes, size_problem


def find_sop(reference: str, agency: str | None = None) -> Sop:
    """An SOP by id, number or key. With ``--agency`` only that agency's SOPs are looked at; a
    number or key several SOPs share is refused with their agencies named."""
    sops = Sop.objects.select_related("agency")
    if agency:
        if not Agency.objects.filter(code=agency).exists():
            raise CommandError(_("Unknown agency %(code)s.") % {"code": agency})
        sops = sops.filter(agency__code=agency)
    if reference.isdigit():
        by_id = sops.filter(pk=int(reference)).first()
        if by_id is not None:
            return by_id
    found = list(sops.filter(number=reference)) or list(sops.filter(key=reference))
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = "; ".join(f"{s.pk}: {s.agency.code} {s.name}" for s in found)
        raise CommandError(
            _("%(reference)s names several SOPs (%(names)s); add --agency CODE or give the id.")
            % {"reference": reference, "names": names}
        )
    if agency:
        raise CommandError(
            _("No SOP %(reference)s in %(agency)s.") % {"reference": reference, "agency": agency}
        )
    raise CommandError(_("No SOP %(reference)s.") % {"reference": reference})


def version_data(version: SopVersion) -> dict:
    total = version.total_time()
    return {
        "id": version.sop_id,
        "version_id": version.pk,
        "agency": version.sop.agency.code,
        "key": version.sop.key,
        "number": version.number,
        "name": version.name,
        "version": version.version,
        "status": version.status,
        "drafted_on": version.drafted_on.isoformat() if version.drafted_on else None,
        "effective_on": version.effective_on.isoformat() if version.effective_on else None,
        "total_time": total.display(),
        "total_working_minutes": str(total.working_minutes),
        "total_working_minutes_low": str(total.low_working_minutes),
        "lanes": [
            {
                "key": lane.key,
                "name": lane.name,
                "positions": [p.code for p in lane.positions.all()],
                "team": lane.team.code if lane.team else None,
            }
            for lane in version.lanes.all()
        ],
        "steps": [
            {
                "number": step.number,
                "text": step.text,
                "lane": step.lane.key,
                "kind": step.kind,
                "start": step.starts,
                "end": step.ends,
                "time": step.time_text,
                "time_value": str(step.time_value) if step.time_value is not None else None,
                "time_value_min": (
                    str(step.time_value_min) if step.time_value_min is not None else None
                ),
                "time_unit": step.time_unit,
                "inputs": step.inputs,
                "output": step.output,
                "note": step.note,
                "next": [s.number for s in step.next_steps()],
                "action": step.action,
            }
            for step in version.ordered_steps()
        ],
    }


class Command(BaseCommand):
    help = "Validate, import, export, list and show SOPs (YAML files, format kinerja-sop/1)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lang", default="id", choices=["id", "en"], help="Language of messages (default id)."
        )
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="Check FILE; print every problem with its line.")
        validate.add_argument("file")
        validate.add_argument("--agency", help="Check actors against this agency's positions.")
        validate.add_argument("--json", action="store_true")
        imp = sub.add_parser("import", help="Import FILE as a new (draft) version of its SOP.")
        imp.add_argument("file")
        imp.add_argument("--agency", help="Agency code, when the file does not name it.")
        imp.add_argument(
            "--effective",
            action="store_true",
            help="Make the version effective at once (also an unchanged draft); with --as, only "
            "an official who may approve the agency's SOPs.",
        )
        imp.add_argument("--json", action="store_true")
        add_as_argument(imp)
        exp = sub.add_parser("export", help="Write an SOP as YAML (default), BPMN 2.0 or PDF.")
        exp.add_argument("sop", metavar="NUMBER_OR_ID")
        exp.add_argument("--agency")
        exp.add_argument("--version", type=int, help="Version number (default: effective/latest).")
        exp.add_argument("--bpmn", action="store_true", help="BPMN 2.0 XML instead of YAML.")
        exp.add_argument(
            "--pdf", action="store_true", help="The SOP document as PDF (needs --out FILE)."
        )
        exp.add_argument("--out", help="File to write (default: standard output).")
        lst = sub.add_parser("list", help="List SOPs.")
        lst.add_argument("--agency")
        lst.add_argument("--json", action="store_true")
        show = sub.add_parser("show", help="Show one SOP's identity, lanes and steps.")
        show.add_argument("sop", metavar="ID")
        show.add_argument("--agency")
        show.add_argument("--version", type=int)
        show.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        getattr(self, f"do_{options['action']}")(options)

    # -- helpers -------------------------------------------------------------------------------

    def _read(self, path: str, as_json: bool = False) -> str:
        """The file's text; at most the SOP size limit is read, a larger file is refused before
        YAML sees it (sopfile.check_bounds refuses aliases the same way)."""
        limit = max_bytes()
        try:
            if path == "-":
                stream = getattr(sys.stdin, "buffer", None)
                data = (
                    stream.read(limit + 1)
                    if stream is not None
                    else sys.stdin.read(limit + 1).encode("utf-8")
                )
            else:
                with open(path, "rb") as handle:
                    data = handle.read(limit + 1)
                    size = os.fstat(handle.fileno()).st_size
                self._refuse_if_too_large(path, size, as_json)
            self._refuse_if_too_large(path, len(data), as_json)
            return data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None

    def _agency(self, code: str | None, path: str = "", as_json: bool = False) -> Agency | None:
        """The agency of ``--agency``; an unknown code is a problem of the command's field."""
        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            problem = Problem(None, "--agency", _("Unknown agency %(code)s.") % {"code": code})
            self._fail(path or code, InvalidSopFile([problem]), as_json)
        return agency

    def _refuse_if_too_large(self, path: str, size: int, as_json: bool) -> None:
        problem = size_problem(size)
        if problem is not None:
            self._fail(path, InvalidSopFile([problem]), as_json)

    def _fail(self, path: str, exc: InvalidSopFile, as_json: bool) -> NoReturn:
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"ok": False, "problems": [p.as_dict() for p in exc.problems]},
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for problem in exc.problems:
                self.stderr.write(f"{path}: {problem}")
        raise CommandError(f"{len(exc.problems)} problem(s) in {path}; nothing was changed.")

    def _version(self, options) -> SopVersion:
        sop = find_sop(options["sop"], options.get("agency"))
        if options.get("version"):
            try:
                return sop.versions.get(version=options["version"])
            except SopVersion.DoesNotExist:
                raise CommandError(
                    _("%(sop)s has no version %(n)s.") % {"sop": sop, "n": options["version"]}
                ) from None
        version = sop.effective_version() or sop.latest_version()
        if version is None:
            raise CommandError(_("%(sop)s has no version.") % {"sop": sop})
        return version

    # -- sub-commands --------------------------------------------------------------------------

    def do_validate(self, options) -> None:
        """The whole file against its agency (``--agency`` or the file's own), which must exist:
        its lanes' positions and teams are the agency's, its number is free in the registry."""
        path, as_json = options["file"], options["json"]
        text = self._read(path, as_json)
        agency = self._agency(options.get("agency"), path, as_json)
        try:
            spec, agency = parse_for_agency(text, agency)
        except InvalidSopFile as exc:
            self._fail(path, exc, as_json)
        summary = {
            "ok": True,
            "agency": agency.code,
            "name": spec.name,
            "lanes": len(spec.lanes),
            "steps": len(spec.steps),
        }
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"{path}: valid ({agency.code}: {spec.name}; {len(spec.lanes)} lanes, "
                f"{len(spec.steps)} steps)."
            )

    def do_import(self, options) -> None:
        """Import as the operator, or with ``--as`` as an official under the upload page's rule;
        ``--effective`` also needs the right to approve."""
        path, as_json = options["file"], options["json"]
        text = self._read(path, as_json)
        user = acting_user(options)
        agency = self._agency(options.get("agency"), path, as_json)
        try:
            with page_rule(user):
                result = import_sop(
                    text,
                    agency=agency,
                    user=user,
                    effective=options["effective"],
                    check_permission=user is not None,
                )
        except InvalidSopFile as exc:
            self._fail(path, exc, as_json)
        version = result.version
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": True,
                        "unchanged": result.unchanged,
                        "made_effective": result.made_effective,
                        **version_data(version),
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif result.made_effective:
            self.stdout.write(
                _("Unchanged file; version %(n)s of %(sop)s is now effective.")
                % {"n": version.version, "sop": version}
            )
        elif result.unchanged:
            self.stdout.write(
                f"Unchanged: {version} is already this file ({version.get_status_display()})."
            )
        else:
            self.stdout.write(
                f"Imported {version} as {version.get_status_display()} (SOP id {version.sop_id})."
            )

    def do_export(self, options) -> None:
        """YAML (the file as imported), BPMN, or the PDF the SOP page gives (binary: ``--out``)."""
        if options["pdf"] and options["bpmn"]:
            raise CommandError(_("Choose one of --pdf and --bpmn."))
        if options["pdf"] and not options.get("out"):
            raise CommandError(_("A PDF is written to a file: add --out FILE.pdf."))
        version = self._version(options)
        if options["pdf"]:
            data = render_pdf(version)
            Path(options["out"]).write_bytes(data)
            self.stdout.write(f"Wrote {options['out']} ({len(data)} bytes)")
            return
        text = export_bpmn(version) if options["bpmn"] else version.source_yaml
        if options.get("out"):
            Path(options["out"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {options['out']}")
        else:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")

    def do_list(self, options) -> None:
        sops = Sop.objects.select_related("agency").order_by("agency__code", "number", "name")
        if options.get("agency"):
            sops = sops.filter(agency__code=options["agency"])
        rows: list[dict[str, Any]] = []
        for sop in sops:
            latest = sop.latest_version()
            effective = sop.effective_version()
            rows.append(
                {
                    "id": sop.pk,
                    "agency": sop.agency.code,
                    "key": sop.key,
                    "number": sop.number,
                    "name": sop.name,
                    "effective_version": effective.version if effective else None,
                    "latest_version": latest.version if latest else None,
                    "latest_status": latest.status if latest else None,
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for column in ("ID", "Agency", "Number", "Name", "Effective", "Latest"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                str(row["id"]),
                row["agency"],
                row["number"] or "-",
                row["name"],
                f"v{row['effective_version']}" if row["effective_version"] else "-",
                f"v{row['latest_version']} {row['latest_status']}",
            )
        # OutputWrapper is a file-like TextIOBase, which the type of Console's file leaves out
        Console(file=cast(IO[str], self.stdout), width=140).print(table)

    def do_show(self, options) -> None:
        version = self._version(options)
        data = version_data(version)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{data['number'] or '(no number)'}  {data['name']}")
        self.stdout.write(
            f"{data['agency']}  version {data['version']} ({data['status']})  "
            f"total {data['total_time']}"
        )
        lanes = {lane["key"]: lane["name"] for lane in data["lanes"]}
        for step in data["steps"]:
            marks = " ".join(
                m
                for m, on in (
                    ("MULAI", step["start"]),
                    ("SELESAI", step["end"]),
                    ("?", step["kind"] == "decision"),
                )
                if on
            )
            self.stdout.write(
                f"{step['number']:>3}. [{lanes[step['lane']]}] {step['text']}  "
                f"({step['time']}) -> {step['next']} {marks}".rstrip()
            )
