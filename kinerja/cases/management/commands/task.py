from __future__ import annotations

import json
from pathlib import Path
from typing import IO, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from kinerja.cases import access, services
from kinerja.cases.models import Task
from kinerja.cases.serialize import task_to_dict
from kinerja.core.cli import acting_user, add_as_argument, page_rule, user_named
from kinerja.core.formats import format_datetime_zone


class Command(BaseCommand):
    help = "List tasks or complete one: kinerja task list|complete ..."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ls = sub.add_parser("list", help="open tasks (all of a case with --case)")
        ls.add_argument("--case", type=int)
        ls.add_argument("--user", help="only the tasks waiting for this login")
        ls.add_argument("--json", action="store_true")
        add_as_argument(ls)
        done = sub.add_parser("complete", help="complete a task as its holder")
        done.add_argument("task_id", type=int)
        add_as_argument(done, required=True)
        done.add_argument("--outcome", choices=["ya", "tidak"])
        done.add_argument("--reason", default="", help="the reason (required with tidak)")
        done.add_argument("--note", default="")
        done.add_argument("--file", action="append", default=[], help="an output file")

    def handle(self, *args, **options):
        if options["action"] == "list":
            return self.list(options)
        return self.complete(options)

    def list(self, options):
        viewer = acting_user(options)
        tasks = access.tasks_visible_to(viewer) if viewer else Task.objects.all()
        if options["user"]:
            tasks = tasks & access.my_open_tasks(user_named(options["user"]))
        elif not options["case"]:
            tasks = tasks.filter(status__in=(Task.Status.OPEN, Task.Status.WAITING))
        if options["case"]:
            tasks = tasks.filter(case_id=options["case"])
        tasks = (
            tasks.select_related(
                "step",
                "position",
                "team",
                "assignee",
                "delegated_to",
                "completed_as",
                "case__agency",
            )
            .prefetch_related("candidates", "files", "joint_with")
            .order_by("due_at", "pk")
        )
        if options["json"]:
            rows = [task_to_dict(t) for t in tasks]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        table = Table()
        for column in ("task", "case", "step", "activity", "worker", "due", "status"):
            table.add_column(column)
        for task in tasks:
            t = task_to_dict(task)
            table.add_row(
                str(t["id"]),
                str(t["case"]),
                str(t["step"]),
                t["activity"][:50],
                t["worker"] or ", ".join(t["offered_to"]) or "-",
                format_datetime_zone(task.due_at, task.case.agency.time_zone),
                t["status"],
            )
        Console(file=cast(IO[str], self.stdout), width=130).print(table)  # a text stream

    def complete(self, options):
        user = user_named(options["username"])
        files = []
        for name in options["file"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"no file {name}")
            files.append(SimpleUploadedFile(path.name, path.read_bytes()))
        reason = options["reason"] or (options["note"] if options["outcome"] == "tidak" else "")
        # the page's rule: the task the official sees (404) and may complete (403)
        with page_rule(user):
            found = access.get_task_for_actor(user, options["task_id"])
        try:
            task = services.complete_task(
                found.pk,
                user,
                outcome=options["outcome"],
                reason=reason,
                note=options["note"],
                files=files,
            )
        except (services.CaseError, PermissionDenied, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message or "not allowed") from None
        following = task.case.tasks.filter(status=Task.Status.OPEN).exclude(pk=task.pk)
        nxt = ", ".join(str(t.pk) for t in following) or task.case.status
        self.stdout.write(f"completed task {task.pk}; next: {nxt}")
