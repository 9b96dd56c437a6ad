from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.core.cli import acting_user, add_as_argument, resolve
from kinerja.core.formats import isoformat_zone
from kinerja.documents import access
from kinerja.documents.models import LetterNumber
from kinerja.documents.services.letters import issue_letter_number, void_letter_number
from kinerja.organisation.access import can_administer
from kinerja.organisation.models import Agency


class Command(BaseCommand):
    help = "Letter register: issue or void an outgoing letter number, or list the register."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Issue the next number.")
        issue.add_argument("--agency", required=True)
        issue.add_argument("--classification", default=None)
        issue.add_argument("--subject", default="")
        issue.add_argument("--json", action="store_true")
        add_as_argument(issue)
        void = sub.add_parser("void", help="Void a number (it stays in the register).")
        void.add_argument("--agency", required=True)
        void.add_argument("--number", required=True)
        void.add_argument("--reason", required=True)
        add_as_argument(void)
        listing = sub.add_parser("list", help="List the register of a year.")
        listing.add_argument("--agency", required=True)
        listing.add_argument("--year", type=int, default=None)
        add_as_argument(listing)

    def _agency(self, code: str) -> Agency:
        try:
            return Agency.objects.get(code=code)
        except Agency.DoesNotExist:
            raise CommandError(f"No agency with code {code!r}.") from None

    def handle(self, *args, action: str, **options):
        user = acting_user(options)
        if user is not None:  # the letter register page: whoever works for the agency
            agency = resolve(user, access.get_agency, options["agency"])
        else:
            agency = self._agency(options["agency"])
        try:
            if action == "issue":
                letter = issue_letter_number(
                    agency, options["classification"], actor=user, subject=options["subject"]
                )
                if options["json"]:
                    self.stdout.write(json.dumps(_as_dict(letter)))
                else:
                    self.stdout.write(letter.number)
            elif action == "void":
                found = LetterNumber.objects.filter(agency=agency, number=options["number"]).first()
                if found is None:
                    raise CommandError(f"No number {options['number']!r} in the register.")
                if user is not None and not (
                    found.issued_by_id == user.pk or can_administer(user, agency)
                ):
                    # the register page's rule for voiding
                    raise CommandError(_("Only the issuer or an administrator may void a number."))
                void_letter_number(found, options["reason"], actor=user)
                self.stdout.write(f"voided {found.number}")
            else:
                year = options["year"] or agency.today().year
                for letter in LetterNumber.objects.filter(agency=agency, year=year).order_by(
                    "sequence"
                ):
                    line = f"{letter.sequence:>4}  {letter.number}  {letter.status}"
                    if letter.void_reason:
                        line += f"  ({letter.void_reason})"
                    self.stdout.write(line)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None


def _as_dict(letter: LetterNumber) -> dict:
    return {
        "agency": letter.agency.code,
        "number": letter.number,
        "year": letter.year,
        "sequence": letter.sequence,
        "classification": letter.classification,
        "unit": letter.unit_code,
        "date": letter.letter_date.isoformat(),
        "issued_at": isoformat_zone(letter.issued_at, letter.agency.time_zone),
        "status": letter.status,
    }
