from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinerja.core.formats import format_datetime_zone
from kinerja.documents.services.signoff import verify_upload


class Command(BaseCommand):
    help = "Electronic signatures: verify a signed PDF (exit status 1 when it does not verify)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Verify a signed PDF.")
        verify.add_argument("file")

    def handle(self, *args, action: str, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        result = verify_upload(path.read_bytes())
        check = result.check
        self.stdout.write(f"SHA-256: {check.sha256}")
        if not check.readable:
            self.stdout.write(f"unreadable PDF: {check.error}")
        if check.readable and not check.signatures:
            self.stdout.write(
                "no electronic signature in this file: an unsigned draft is not valid"
            )
        # the signing agency's clock when the file is one of ours, else the server's
        zone = (
            result.version.document.agency.time_zone
            if result.version is not None
            else settings.TIME_ZONE
        )
        for sig in check.signatures:
            at = format_datetime_zone(sig.signed_at, zone) if sig.signed_at else "-"
            self.stdout.write(
                f"signature by {sig.signer} at {at}: intact={sig.intact} "
                f"valid={sig.valid} trusted={sig.trusted} whole_file={sig.covers_whole_file}"
            )
        if result.version is not None:
            doc = result.version.document
            self.stdout.write(
                f"identical to {doc.title} ({doc.agency.code}) version {result.version.number}"
            )
        else:
            self.stdout.write("not byte-for-byte identical to any signed document in the product")
        if check.ok and result.identical:
            self.stdout.write("VALID")
            return
        self.stdout.write("NOT VALID")
        sys.exit(1)
