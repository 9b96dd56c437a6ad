from __future__ import annotations

from django.core.management.base import BaseCommand
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
from kinerja.organisation.models import TIME_ZONE_ABBREVIATIONS, Region
from kinerja.organisation.services import agencies as services
from kinerja.organisation.services import two_factor


def region_dict(region: Region) -> dict[str, object]:
    return {
        "code": region.code,
        "name": region.name,
        "kind": region.kind,
        "parent": region.parent.code if region.parent else None,
        "government_name": region.government_name,
        "time_zone": TIME_ZONE_ABBREVIATIONS.get(region.time_zone, region.time_zone),
    }


class Command(BaseCommand):
    help = "Create a region (province, regency, city) or name its SAKIP administrator."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a province, regency or city.")
        create.add_argument("--code", required=True, help="Region code, e.g. 63.11.")
        create.add_argument("--name", required=True, help="e.g. Kabupaten Balangan.")
        create.add_argument("--parent", help="The province's code (a regency or a city).")
        create.add_argument(
            "--kind",
            choices=Region.Kind.values,
            help="Default: provinsi without --parent; kota for a name starting with Kota; "
            "kabupaten otherwise.",
        )
        create.add_argument("--tz", help="WIB, WITA or WIT (default: the province's).")
        create.add_argument("--government-name", help="Default: PEMERINTAH + the name in capitals.")
        add_output_arguments(create)
        admin = sub.add_parser("admin", help="Name (or with --revoke remove) an administrator.")
        admin.add_argument("--region", required=True)
        admin.add_argument("--login", required=True)
        admin.add_argument("--revoke", action="store_true")
        add_new_official_arguments(admin, with_agency=True)
        add_output_arguments(admin)
        policy = sub.add_parser(
            "two-factor",
            help="Require (--on) or stop requiring (--off) two-step verification of the region's "
            "administrators and signers (docs/accounts.md).",
        )
        policy.add_argument("--region", required=True)
        switch = policy.add_mutually_exclusive_group(required=True)
        switch.add_argument("--on", dest="required", action="store_true")
        switch.add_argument("--off", dest="required", action="store_false")
        add_output_arguments(policy)

    def handle(self, *args, **options):
        translation.activate(options["lang"])
        if options["action"] == "create":
            self.create(options)
        elif options["action"] == "two-factor":
            self.two_factor(options)
        else:
            self.admin(options)

    def create(self, options):
        parent = region_by_code(options["parent"], "--parent") if options["parent"] else None
        tz = converted("--tz", services.time_zone_named, options["tz"]) if options["tz"] else None
        with refusals(self, options["json"]):
            region = services.create_region(
                code=options["code"],
                name=options["name"],
                parent=parent,
                kind=options["kind"],
                time_zone=tz,
                government_name=options["government_name"],
            )
        write_result(
            self,
            options["json"],
            {"region": region_dict(region)},
            _("Region %(name)s (%(code)s, %(kind)s, %(zone)s) created.")
            % {
                "name": region.name,
                "code": region.code,
                "kind": region.kind,
                "zone": region_dict(region)["time_zone"],
            },
        )

    def admin(self, options):
        region = region_by_code(options["region"])
        agency = agency_by_code(options["agency"]) if options.get("agency") else None
        with administrator_login(self, options, agency) as user, refusals(self, options["json"]):
            if options["revoke"]:
                services.revoke_region_admin(region, user)
            else:
                services.grant_region_admin(region, user)
        admins = sorted(region.roles.filter(role="admin").values_list("user__username", flat=True))
        text = (
            _("%(login)s is no longer regional administrator of %(region)s.")
            if options["revoke"]
            else _("%(login)s named regional administrator of %(region)s.")
        ) % {"login": user.get_username(), "region": region.name}
        write_result(self, options["json"], {"region": region.code, "admins": admins}, text)

    def two_factor(self, options):
        region = region_by_code(options["region"])
        two_factor.set_policy(region, options["required"])
        text = (
            _("%(region)s requires two-step verification of its administrators and signers.")
            if options["required"]
            else _("%(region)s does not require two-step verification.")
        ) % {"region": region.name}
        write_result(
            self,
            options["json"],
            {"region": region.code, "require_two_factor": options["required"]},
            text,
        )
