"""``kinerja user invite``: invitations to set a first password (docs/accounts.md)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kinerja.core.cli import acting_user, add_as_argument, resolve, user_named
from kinerja.organisation import access
from kinerja.organisation.models import Agency, Employee
from kinerja.organisation.services import accounts


class Command(BaseCommand):
    help = "Invite officials to set their password: e-mail links, or print one-time codes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        inv = sub.add_parser(
            "invite",
            help=(
                "Invite one login (LOGIN) or every official of an agency without a password "
                "(--agency CODE). Sends an e-mail link where there is an address; with --print, "
                "makes one-time codes instead and prints them (no e-mail)."
            ),
        )
        inv.add_argument("login", nargs="?", help="The login (username) of the official.")
        inv.add_argument("--agency", help="Agency short code: invite all its officials.")
        inv.add_argument(
            "--print",
            dest="print_codes",
            action="store_true",
            help="Make one-time codes (for the page Aktivasi akun) and print them.",
        )
        inv.add_argument("--json", action="store_true", help="Print the result as JSON.")
        add_as_argument(inv)
        parser.add_argument(
            "--lang", default="id", choices=["id", "en"], help="Language of messages (default id)."
        )

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        if bool(options["login"]) == bool(options["agency"]):
            raise CommandError(_("Name either a login or --agency CODE."))
        user = acting_user(options)
        code = options["print_codes"]
        if options["agency"]:
            agency = self._agency(user, options["agency"])
            outcomes = accounts.invite_agency(agency, actor=user, code=code)
        else:
            outcomes = [self._invite_one(user, options["login"], code)]
        if options["json"]:
            self.stdout.write(
                json.dumps([o.as_dict() for o in outcomes], ensure_ascii=False, indent=2)
            )
        else:
            self._table(outcomes)

    def _agency(self, user, code: str) -> Agency:
        if user is not None:
            return resolve(user, access.get_agency_for_manager, code)
        try:
            return Agency.objects.get(code=code)
        except Agency.DoesNotExist:
            raise CommandError(_("Unknown agency %(code)s.") % {"code": code}) from None

    def _invite_one(self, user, login: str, code: bool) -> accounts.InviteOutcome:
        """The official with that login; without --as, also a login that is no employee's."""
        employee = (
            Employee.objects.select_related("user", "agency").filter(user__username=login).first()
        )
        if employee is not None:
            if user is not None:
                resolve(user, access.get_agency_for_manager, employee.agency.code)
            return accounts.invite(employee, actor=user, code=code)
        if user is not None:  # the pages invite only the employees of an agency
            raise CommandError(
                _("Not found, or not visible to %(user)s.") % {"user": user.get_username()}
            )
        return accounts.invite_login(user_named(login), actor=None, code=code)

    def _table(self, outcomes: list[accounts.InviteOutcome]) -> None:
        labels = {
            "mailed": _("link e-mailed to %(address)s"),
            "code": _("code %(code)s (valid until %(until)s)"),
            "no_address": _("no e-mail address: use --print"),
            "active": _("already active: nothing sent"),
        }
        rows = [(_("Login"), _("Name"), _("Result"))]
        for o in outcomes:
            until = o.expires_at.date().isoformat() if o.expires_at else ""
            text = labels[o.status] % {"address": o.address, "code": o.code, "until": until}
            rows.append((o.username, o.name, text))
        widths = [max(len(r[i]) for r in rows) for i in range(2)]
        for login, name, text in rows:
            self.stdout.write(f"{login:<{widths[0]}}  {name:<{widths[1]}}  {text}")
        if not outcomes:
            self.stdout.write(_("Nobody to invite: every official has a password."))
