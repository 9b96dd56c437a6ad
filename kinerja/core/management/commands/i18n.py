from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the translation catalogues (locale/*/LC_MESSAGES/django.po) into .mo files."

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                with po_path.open("rb") as handle:
                    catalog = read_po(handle)
                errors = [(m.id, e) for m, e in catalog.check() if e]
                if errors:
                    raise CommandError(f"{po_path}: {errors[0][1]} in {errors[0][0]!r}")
                with po_path.with_suffix(".mo").open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                count += 1
                self.stdout.write(f"compiled {po_path} ({len(catalog)} messages)")
        if not count:
            raise CommandError("No translation catalogue found.")
