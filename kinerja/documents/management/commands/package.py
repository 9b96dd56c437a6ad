from __future__ import annotations

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.documents import access
from kinerja.documents.services.archive import package_zip
from kinerja.organisation.models import Agency


class Command(BaseCommand):
    help = (
        "Build the e-review ZIP package of an agency and year, with its manifest: each "
        "document's latest signed version; what is missing or not signed is listed, not included."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", required=True)
        add_as_argument(parser)

    def handle(self, *args, agency: str, year: int, out: str, **options):
        logging.getLogger("weasyprint").setLevel(logging.WARNING)  # no per-page progress
        user = acting_user(options)
        if user is not None:  # the archive page's package: whoever makes the office's documents
            agency_obj = resolve(user, access.get_agency_for_editor, agency)
        else:
            try:
                agency_obj = Agency.objects.get(code=agency)
            except Agency.DoesNotExist:
                raise CommandError(f"No agency with code {agency!r}.") from None
        data, package = package_zip(agency_obj, year, actor=user)
        Path(out).write_bytes(data)
        for item in package.files:
            state = "" if item.signed else f"  ({item.status})"
            self.stdout.write(f"  {item.name}  {item.sha256[:16]}{state}")
        for missing in package.missing:
            if missing["reason"] == "unsigned":
                self.stdout.write(
                    f"  not signed, left out: {missing['title']}: {missing['detail']}"
                )
            else:
                self.stdout.write(f"  missing: {missing['title']}")
        self.stdout.write(
            f"wrote {out} ({len(package.files)} files, {len(package.missing)} missing)"
        )
