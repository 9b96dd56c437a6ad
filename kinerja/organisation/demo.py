"""The four seed offices as demo data (docs/seeds): their units, positions and officials.

The data is in ``demo_data/``: ``regions.yaml`` (the regions, the emblem drawn for each and their
regional SAKIP administrators), and one file per office, numbered as its seed (the agency, its
units, positions, officials and teams); ``005_setda.yaml`` is no seed: the Sekretariat Daerah of
Balangan with its Bagian Organisasi, which SOPs of the other offices name.
Signatories named in the seeds are kept exactly as printed (name, NIP, pangkat, Plt. status);
every other official is fictional, with the surname "Contoh" (example) so nobody mistakes them for a
real person. The structure goes in through :func:`import_structure`, the same service an office
uses, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from openpyxl import Workbook

from kinerja.core.demo_data import (
    FLAG,
    NON_EMPTY,
    TEXT,
    Schema,
    list_of,
    one_of,
    read_demo_data,
    record,
    table_of,
)
from kinerja.core.xlsx import write_sheet
from kinerja.organisation.models import (
    Agency,
    AgencyRole,
    Employee,
    Region,
    RegionRole,
    Team,
    TeamMember,
)
from kinerja.organisation.services.structure import (
    EMPLOYEE_HEADERS,
    EMPLOYEE_SHEET,
    EMPLOYEE_TYPE_LABELS,
    HOLDING_HEADERS,
    HOLDING_KINDS,
    HOLDING_SHEET,
    POSITION_HEADERS,
    POSITION_SHEET,
    UNIT_HEADERS,
    UNIT_SHEET,
    import_structure,
)

DEMO_PASSWORD = "demo-kinerja"  # noqa: S105 - printed for the demo on purpose
SINCE = dt.date(2023, 1, 2)  # when every demo official took up the position held
DATA_DIR = Path(__file__).parent / "demo_data"

_COLOUR: Schema = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0, "maximum": 255},
    "minItems": 3,
    "maxItems": 3,
}
REGIONS_SCHEMA = record(
    {
        "regions": list_of(
            record(
                {
                    "code": NON_EMPTY,
                    "name": NON_EMPTY,
                    "kind": NON_EMPTY,
                    "parent": {"type": ["string", "null"]},
                    "government_name": NON_EMPTY,
                    "time_zone": NON_EMPTY,
                },
                # The emblem drawn for the region's demo letterhead (no real coat of arms is
                # shipped): the shield's colour and the letters on it; the logins of its regional
                # SAKIP administrators.
                {
                    "emblem": record({"colour": _COLOUR, "letters": NON_EMPTY}),
                    "admins": list_of(NON_EMPTY),
                },
            )
        )
    }
)
# An office: the agency's fields (with what its regional regulation says of it: the main task and
# the functions printed in Bab I of the LKjIP), the prefix of its officials' usernames, its units,
# positions, people (an official holding a position) and teams. A person with nip null and type
# "pns" is a signatory whose NIP the seed does not print.
OFFICE_SCHEMA = record(
    {
        "agency": record(
            {
                "code": NON_EMPTY,
                "region": NON_EMPTY,
                "name": NON_EMPTY,
                "kind": NON_EMPTY,
                "letterhead_lines": NON_EMPTY,
                "head_title": NON_EMPTY,
                "time_zone": NON_EMPTY,
                "main_task": NON_EMPTY,
                "functions": NON_EMPTY,
            },
            {key: TEXT for key in ("address", "postal_code", "phone", "email", "website")},
        ),
        "prefix": NON_EMPTY,
        "units": list_of(
            record({"code": NON_EMPTY, "name": NON_EMPTY, "kind": NON_EMPTY}, {"parent": TEXT})
        ),
        "positions": list_of(
            record(
                {"code": NON_EMPTY, "name": NON_EMPTY, "kind": NON_EMPTY, "head": FLAG},
                {"unit": TEXT, "superior": TEXT, "shared": FLAG},
            )
        ),
        "people": list_of(
            record(
                {
                    "position": NON_EMPTY,
                    "name": NON_EMPTY,
                    "nip": {"type": ["string", "null"], "pattern": "^[0-9]{18}$"},
                    "type": one_of(EMPLOYEE_TYPE_LABELS),
                    "username": NON_EMPTY,
                },
                {"rank": TEXT, "holding": one_of(HOLDING_KINDS)},
            )
        ),
    },
    {
        # A team appointed by the head's decree; members by username (without the prefix),
        # each an anggota unless ``roles`` names their part (ketua, sekretaris).
        "teams": list_of(
            record(
                {
                    "code": NON_EMPTY,
                    "name": NON_EMPTY,
                    "decree": TEXT,
                    "members": list_of(NON_EMPTY),
                },
                {
                    "decree_date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    "roles": table_of(one_of(TeamMember.Role.values)),
                },
            )
        )
    },
)


def regions_data() -> list[dict[str, Any]]:
    """The demo's regions, each after its parent."""
    regions: list[dict[str, Any]] = read_demo_data(DATA_DIR / "regions.yaml", REGIONS_SCHEMA)[
        "regions"
    ]
    return regions


def offices_data() -> list[dict[str, Any]]:
    """The demo offices, in the order of their seeds."""
    return [read_demo_data(path, OFFICE_SCHEMA) for path in sorted(DATA_DIR.glob("[0-9]*.yaml"))]


def emblem_png(colour: tuple[int, int, int], letters: str) -> bytes:
    """A simple emblem drawn here for the demo: a shield with a star, a band and the region's
    short name. Deterministic, so loading the demo twice stores the same picture."""
    from PIL import Image, ImageDraw, ImageFont

    size = (240, 280)
    picture = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    shield = [(20, 16), (220, 16), (220, 150), (120, 266), (20, 150)]
    draw.polygon(shield, fill=(*colour, 255), outline=(212, 175, 55, 255))
    draw.line([*shield, shield[0]], fill=(212, 175, 55, 255), width=8)
    star = []
    for index in range(10):  # a five-pointed star, in gold
        radius = 46 if index % 2 == 0 else 19
        angle = math.pi / 2 + index * math.pi / 5
        star.append((120 + radius * math.cos(angle), 80 - radius * math.sin(angle)))
    draw.polygon(star, fill=(245, 200, 40, 255))
    draw.rectangle([40, 150, 200, 190], fill=(255, 255, 255, 255))
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 28)
    except OSError:
        font = ImageFont.load_default()
    left, top, right, bottom = draw.textbbox((0, 0), letters, font=font)
    draw.text(
        (120 - (right - left) / 2 - left, 170 - (bottom - top) / 2 - top),
        letters,
        font=font,
        fill=(*colour, 255),
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _demo_logo(agency: Agency, emblem: dict[str, Any] | None) -> None:
    """Give the agency the demo emblem of its region unless it has a logo of its own."""
    if agency.logo:
        return
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = f"agencies/{agency.code}/logo/lambang-demo.png"
    if not default_storage.exists(name):  # the same picture every time: stored once
        if emblem is None:  # a region the data draws no emblem for: grey, with its code
            picture = emblem_png((90, 90, 90), agency.region.code[:6])
        else:
            picture = emblem_png(tuple(emblem["colour"]), emblem["letters"])
        name = default_storage.save(name, ContentFile(picture))
    agency.logo.name = name
    agency.save(update_fields=["logo"])


def _workbook_for(office: dict[str, Any]) -> io.BytesIO:
    """The office's structure as the workbook an office would upload to :func:`import_structure`."""
    wb = Workbook()
    wb.remove(wb.active)
    write_sheet(
        wb.create_sheet(UNIT_SHEET),
        UNIT_HEADERS,
        [
            [unit["code"], unit["name"], unit["kind"], unit.get("parent", ""), order]
            for order, unit in enumerate(office["units"], 1)
        ],
    )
    write_sheet(
        wb.create_sheet(POSITION_SHEET),
        POSITION_HEADERS,
        [
            [
                position["code"],
                position["name"],
                position.get("unit", ""),
                position["kind"],
                "Ya" if position["head"] else "Tidak",
                position.get("superior", ""),
                "Ya" if position.get("shared", False) else "Tidak",
                order,
            ]
            for order, position in enumerate(office["positions"], 1)
        ],
    )
    prefix = office["prefix"]
    people = office["people"]
    write_sheet(
        wb.create_sheet(EMPLOYEE_SHEET),
        EMPLOYEE_HEADERS,
        [
            [p["nip"] or "", p["name"], p["type"].upper(), p.get("rank", ""), "", login]
            for p, login in ((p, f"{prefix}.{p['username']}") for p in people)
        ],
    )
    write_sheet(
        wb.create_sheet(HOLDING_SHEET),
        HOLDING_HEADERS,
        [
            [p["position"], p["nip"] or p["name"], p.get("holding", "definitif"), SINCE, None, ""]
            for p in people
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def _load_regions(rows: list[dict[str, Any]]) -> dict[str, Region]:
    """Create or refresh the regions; returns them by code."""
    regions: dict[str, Region] = {}
    for row in rows:
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "parent": regions.get(row["parent"]) if row["parent"] else None,
                "government_name": row["government_name"],
                "time_zone": row["time_zone"],
            },
        )
    return regions


def _demo_login(username: str, hashed: str, **defaults: Any) -> User:
    """The login with that username, made if missing, with the demo password (hashed once)."""
    user, _ = get_user_model().objects.get_or_create(username=username, defaults=defaults)
    # A login made here has an empty password, which Django counts as "usable" but which
    # never matches: give it the demo password too (a password someone set is kept).
    if not user.password or not user.has_usable_password():
        user.password = hashed
        user.save(update_fields=["password"])
    return user


def _load_office(
    office: dict[str, Any], regions: dict[str, Region], emblems: dict[str, Any], hashed: str
) -> list[tuple[str, str, str]]:
    """Create or refresh one office, its structure, its logins and its teams.

    Returns (agency, position, username) for each of its logins.
    """
    fields = dict(office["agency"])
    region = regions[fields.pop("region")]
    agency, _ = Agency.objects.update_or_create(
        code=fields.pop("code"), defaults={"region": region, **fields}
    )
    _demo_logo(agency, emblems.get(region.code))
    import_structure(agency, _workbook_for(office))
    prefix = office["prefix"]
    logins: list[tuple[str, str, str]] = []
    for person in office["people"]:
        user = _demo_login(f"{prefix}.{person['username']}", hashed)
        title = user.employee.holdings.get(position__code=person["position"]).title
        logins.append((agency.code, title, user.username))
    admin = _demo_login(f"{prefix}.admin", hashed)
    AgencyRole.objects.get_or_create(user=admin, agency=agency, role=AgencyRole.Role.ADMIN)
    logins.append((agency.code, "administrator", admin.username))
    for team_row in office.get("teams", []):
        _load_team(agency, prefix, team_row)
    return logins


def _load_team(agency: Agency, prefix: str, row: dict[str, Any]) -> None:
    """The team with exactly the members the data names, each in their role."""
    decree_date = dt.date.fromisoformat(row["decree_date"]) if "decree_date" in row else None
    team, _ = Team.objects.update_or_create(
        agency=agency,
        code=row["code"],
        defaults={"name": row["name"], "decree": row["decree"], "decree_date": decree_date},
    )
    roles = row.get("roles", {})
    usernames = {f"{prefix}.{member}": member for member in row["members"]}
    members = {
        pk: roles.get(usernames[username], TeamMember.Role.MEMBER.value)
        for pk, username in Employee.objects.filter(user__username__in=usernames).values_list(
            "pk", "user__username"
        )
    }
    for membership in TeamMember.objects.filter(team=team).exclude(employee_id__in=members):
        membership.delete()
    for employee_id, role in members.items():
        membership, created = TeamMember.objects.get_or_create(
            team=team, employee_id=employee_id, defaults={"role": role}
        )
        if not created and membership.role != role:
            membership.role = role
            membership.save()


def _load_region_admins(
    rows: list[dict[str, Any]], regions: dict[str, Region], hashed: str
) -> list[tuple[str, str, str]]:
    """The regional SAKIP administrators' logins (docs/regions.md)."""
    logins: list[tuple[str, str, str]] = []
    for row in rows:
        for username in row.get("admins", []):
            user = _demo_login(username, hashed)
            RegionRole.objects.get_or_create(
                user=user, region=regions[row["code"]], role=RegionRole.Role.ADMIN
            )
            logins.append((row["code"], "regional SAKIP administrator", username))
    return logins


@transaction.atomic
def load(stdout: object = None) -> list[tuple[str, str, str]]:
    """Create or refresh the demo offices. Returns (agency, position, username) for each login."""
    region_rows = regions_data()
    offices = offices_data()  # every file read and checked before anything is written
    regions = _load_regions(region_rows)
    emblems = {row["code"]: row["emblem"] for row in region_rows if "emblem" in row}
    hashed = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares it
    logins: list[tuple[str, str, str]] = []
    for office in offices:
        logins.extend(_load_office(office, regions, emblems, hashed))
    logins.extend(_load_region_admins(region_rows, regions, hashed))
    _demo_login("admin", hashed, is_staff=True, is_superuser=True)
    logins.append(("*", "superuser (Django admin)", "admin"))
    return logins
