"""``kinerja sop validate|import|export|list|show``: SOP files from the command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any, NoReturn, cast

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation

from kinerja.organisation.models import Agency
from kinerja.procedures.bpmn import export_bpmn
from kinerja.procedures.models import Sop, SopVersion
from kinerja.procedures.services import import_sop, parse_for_agency
from kinerja.procedures.sopfile import (
    InvalidSopFile,
    agency_code_of,
    max_bytes,
    parse_sop_file,
    size_problem,
)


def find_sop(reference: str, agency: str | None = None) -> Sop:
    """An SOP by id, number or key (with ``--agency`` when a key or number is ambiguous)."""
    sops = Sop.objects.select_related("agency")
    if agency:
        sops = sops.filter(agency__code=agency)
    if reference.isdigit():
        found = sops.filter(pk=int(reference))
        if found:
            return found.get()
    found = sops.filter(Q(number=reference) | Q(key=reference))
    if found.count() == 1:
        return found.get()
    if found.count() > 1:
        raise CommandError(f"{reference} names several SOPs; add --agency CODE.")
    raise CommandError(f"No SOP {reference}.")


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
            "--effective", action="store_true", help="Make the version effective at once."
        )
        imp.add_argument("--json", action="store_true")
        exp = sub.add_parser("export", help="Write an SOP as YAML (default) or BPMN 2.0.")
        exp.add_argument("sop", metavar="NUMBER_OR_ID")
        exp.add_argument("--agency")
        exp.add_argument("--version", type=int, help="Version number (default: effective/latest).")
        exp.add_argument("--bpmn", action="store_true", help="BPMN 2.0 XML instead of YAML.")
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

    def _agency(self, code: str | None) -> Agency | None:
        if not code:
            return None
        try:
            return Agency.objects.get(code=code)
        except Agency.DoesNotExist:
            raise CommandError(f"Unknown agency {code}.") from None

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
                raise CommandError(f"{sop} has no version {options['version']}.") from None
        version = sop.effective_version() or sop.latest_version()
        if version is None:
            raise CommandError(f"{sop} has no version.")
        return version

    # -- sub-commands --------------------------------------------------------------------------

    def do_validate(self, options) -> None:
        text = self._read(options["file"], options["json"])
        agency = self._agency(options.get("agency"))
        try:
            if agency is not None or Agency.objects.filter(code=agency_code_of(text)).exists():
                spec, agency = parse_for_agency(text, agency)
            else:
                spec = parse_sop_file(text)
        except InvalidSopFile as exc:
            self._fail(options["file"], exc, options["json"])
        summary = {
            "ok": True,
            "agency": spec.agency,
            "name": spec.name,
            "lanes": len(spec.lanes),
            "steps": len(spec.steps),
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"{options['file']}: valid ({spec.name}; {len(spec.lanes)} lanes, "
                f"{len(spec.steps)} steps)."
            )

    def do_import(self, options) -> None:
        text = self._read(options["file"], options["json"])
        try:
            result = import_sop(
                text,
                agency=self._agency(options.get("agency")),
                effective=options["effective"],
                check_permission=False,
            )
        except InvalidSopFile as exc:
            self._fail(options["file"], exc, options["json"])
        version = result.version
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"ok": True, "unchanged": result.unchanged, **version_data(version)},
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif result.unchanged:
            self.stdout.write(f"Unchanged: {version} is already this file.")
        else:
            self.stdout.write(
                f"Imported {version} as {version.get_status_display()} (SOP id {version.sop_id})."
            )

    def do_export(self, options) -> None:
        version = self._version(options)
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
