from __future__ import annotations

from typing import IO, cast

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from rich.console import Console
from rich.table import Table

from kinerja.organisation.demo import DEMO_PASSWORD


class Command(BaseCommand):
    # Lives in organisation, the lowest layer that has demo logins; it reaches the other layers'
    # demo data only through each AppConfig's ``demo_loader`` name.
    help = "Load the demo: the four seed offices with their officials, SOPs and data."

    def handle(self, *args, **options):
        console = Console(file=cast(IO[str], self.stdout), width=110)  # a text stream
        logins: list[tuple[str, str, str]] = []
        for config in apps.get_app_configs():
            loader = getattr(config, "demo_loader", None)
            if loader:
                with console.status(f"Loading demo data: {config.verbose_name}"):
                    result = import_string(loader)()
                if result:
                    logins.extend(result)
                console.print(f"[green]✓[/] {config.verbose_name}")
        if not logins:
            return
        table = Table(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
        for column in ("Agency", "Position", "Username"):
            table.add_column(column)
        for row in logins:
            table.add_row(*row)
        console.print(table)
