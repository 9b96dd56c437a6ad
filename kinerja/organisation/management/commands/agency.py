from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kinerja.organisation.management.commands._onboarding import (
    add_new_official_arguments,
    add_output_arguments,
    administrator_login,
    agency_by_code,
    converted,
    refusals,
    region_by_code,
    write_result,
)
from kinerja.organisation.models import Agency
from kinerja.organisation.services import agencies as services

# The kind read from the name when --kind is not given: its first word(s).
KIND_BY_NAME = (
    ("sekretariat daerah", Agency.Kind.SETDA),
    ("bagian", Agency.Kind.PART),
    ("kecamatan", Agency.Kind.KECAMATAN),
    ("dinas", Agency.Kind.DINAS),
    ("badan", Agency.Kind.BADAN),
    ("inspektorat", Agency.Kind.INSPEKTORAT),
    ("biro", Agency.Kind.BIRO),
    ("sekretariat", Agency.Kind.SEKRETARIAT),
)


def kind_from_name(name: str) -> str:
    lowered = name.strip().lower()
    for start, kind in KIND_BY_NAME:
        if lowered.startswith(start):
            return kind.value
    raise CommandError(
        _("--kind: the kind cannot be read from the name %(name)s; give --kind.") % {"name": name}
    )


def agency_dict(agency: Agency) -> dict[str, object]:
    return {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind,
        "region": agency.region.code,
        "time_zone": agency.time_zone_abbreviation,
    }


class Command(BaseCommand):
    help = "Create an agency of a region or name its administrator."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an agency (OPD, kecamatan, setda, ...).")
        create.add_argument("--region", required=True, help="The region's code, e.g. 63.11.")
        create.add_argument("--code", required=True, help="Short code, e.g. DISPERKIM-BLG.")
        create.add_argument("--name", required=True)
        create.add_argument(
            "--kind",
            help="opd (stored as dinas), "
            + ", ".join(Agency.Kind.values)
            + "; default: read from the name (Dinas, Badan, Kecamatan, Sekretariat Daerah, ...).",
        )
        create.add_argument("--tz", help="WIB, WITA or WIT (default: the region's).")
        add_output_arguments(create)
        admin = sub.add_parser("admin", help="Name (or with --revoke remove) an administrator.")
        admin.add_argument("--agency", required=True)
        admin.add_argument("--login", required=True)
        admin.add_argument("--revoke", action="store_true")
        add_new_official_arguments(admin, with_agency=False)
        add_output_arguments(admin)

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        if options["action"] == "create":
            self.create(options)
        else:
            self.admin(options)

    def create(self, options):
        region = region_by_code(options["region"])
        kind = (
            converted("--kind", services.agency_kind, options["kind"])
            if options["kind"]
            else kind_from_name(options["name"])
        )
        tz = converted("--tz", services.time_zone_named, options["tz"]) if options["tz"] else None
        with refusals(self, options["json"]):
            agency = services.create_agency(
                region, code=options["code"], name=options["name"], kind=kind, time_zone=tz
            )
        write_result(
            self,
            options["json"],
            {"agency": agency_dict(agency)},
            _("Agency %(name)s (%(code)s, %(kind)s, %(zone)s) created in %(region)s.")
            % {
                "name": agency.name,
                "code": agency.code,
                "kind": agency.kind,
                "zone": agency.time_zone_abbreviation,
                "region": region.name,
            },
        )

    def admin(self, options):
        agency = agency_by_code(options["agency"])
        with administrator_login(self, options, agency) as user, refusals(self, options["json"]):
            if options["revoke"]:
                services.revoke_agency_admin(agency, user)
            else:
                services.grant_agency_admin(agency, user)
        admins = sorted(agency.roles.filter(role="admin").values_list("user__username", flat=True))
        text = (
            _("%(login)s is no longer administrator of %(agency)s.")
            if options["revoke"]
            else _("%(login)s named administrator of %(agency)s.")
        ) % {"login": user.get_username(), "agency": agency.code}
        write_result(self, options["json"], {"agency": agency.code, "admins": admins}, text)
