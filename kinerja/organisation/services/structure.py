"""Import and export of an office's structure: units, positions, employees, holdings (XLSX).

The file has four sheets (their headers are in Indonesian, the office's language):

* ``Unit``: Kode, Nama, Jenis, Kode Induk, Urutan
* ``Jabatan``: Kode, Nama, Kode Unit, Jenis, Kepala Unit, Kode Atasan, Dipegang Bersama, Urutan
* ``Pegawai``: NIP, Nama Lengkap, Jenis Pegawai, Golongan, Email, Nama Pengguna
* ``Pemangku Jabatan``: Kode Jabatan, Pegawai (NIP atau nama), Status, Mulai, Sampai, Nomor SK
* ``Tim`` (optional): Kode Tim, Nama Tim, Nomor SK, Tanggal SK, Anggota, Peran
  (:mod:`kinerja.organisation.services.teams`)

Import adds and updates by code (units, positions) and by NIP or full name (employees); it never
deletes. The whole file is checked first; if any row is bad nothing is written and every problem
is reported with its sheet, row and column. :func:`export_structure` writes the same format, so an
export imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kinerja.core import audit
from kinerja.core.upsert import Upsert, by_key
from kinerja.core.xlsx import InvalidFile, Issue, Row, SheetReader, open_workbook, write_sheet
from kinerja.organisation.models import (
    Agency,
    Employee,
    Position,
    PositionHolding,
    Unit,
)
from kinerja.organisation.nip import NipError, parse_nip
from kinerja.organisation.ranks import normalise_rank
from kinerja.organisation.services import teams as team_sheet

UNIT_SHEET, POSITION_SHEET, EMPLOYEE_SHEET, HOLDING_SHEET = (
    "Unit",
    "Jabatan",
    "Pegawai",
    "Pemangku Jabatan",
)
UNIT_HEADERS = ["Kode", "Nama", "Jenis", "Kode Induk", "Urutan"]
POSITION_HEADERS = [
    "Kode",
    "Nama",
    "Kode Unit",
    "Jenis",
    "Kepala Unit",
    "Kode Atasan",
    "Dipegang Bersama",
    "Urutan",
]
EMPLOYEE_HEADERS = ["NIP", "Nama Lengkap", "Jenis Pegawai", "Golongan", "Email", "Nama Pengguna"]
HOLDING_HEADERS = ["Kode Jabatan", "Pegawai", "Status", "Mulai", "Sampai", "Nomor SK"]

UNIT_KINDS = {v.lower(): v for v in Unit.Kind.values} | {"subbag": Unit.Kind.SUBDIVISION}
POSITION_KINDS = {v.lower(): v for v in Position.Kind.values}
EMPLOYEE_TYPES = {
    "pns": "pns",
    "pppk": "pppk",
    "non asn": "non_asn",
    "non_asn": "non_asn",
    "honorer": "non_asn",
}
HOLDING_KINDS = {"definitif": "definitif", "plt": "plt", "plh": "plh"}
HOLDING_LABELS = {"definitif": "Definitif", "plt": "Plt.", "plh": "Plh."}
EMPLOYEE_TYPE_LABELS = {"pns": "PNS", "pppk": "PPPK", "non_asn": "Non ASN"}


@dataclass
class ImportSummary:
    units: int = 0
    positions: int = 0
    employees: int = 0
    holdings: int = 0
    created: dict[str, int] = field(default_factory=dict)
    teams: int = 0
    # The written employees by key, for the team sheet written after them.
    employees_by_key: dict[str, Employee] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "positions": self.positions,
            "employees": self.employees,
            "holdings": self.holdings,
            "teams": self.teams,
            "created": self.created,
        }


@dataclass
class _UnitRow:
    row: int
    code: str
    name: str
    kind: str
    parent: str
    order: int


@dataclass
class _PositionRow:
    row: int
    code: str
    name: str
    unit: str
    kind: str
    is_head: bool
    superior: str
    shared: bool
    order: int


@dataclass
class _EmployeeRow:
    row: int
    nip: str | None
    name: str
    employee_type: str
    rank: str
    email: str
    username: str

    @property
    def key(self) -> str:
        return self.nip or self.name.lower()


@dataclass
class _HoldingRow:
    row: int
    position: str
    employee: str  # the key: NIP digits or the lower-cased full name
    employee_text: str  # as written in the file
    kind: str
    start: dt.date
    end: dt.date | None
    decree: str


def import_structure(
    agency: Agency, source: str | IO[bytes], *, actor: Any = None
) -> ImportSummary:
    """Check the whole file, then write it in one transaction. Raises :class:`InvalidFile`."""
    issues: list[Issue] = []
    workbook = open_workbook(source)  # checked before parsing, then streamed (read-only)
    try:
        units = _read_units(workbook, issues)
        positions = _read_positions(workbook, issues)
        employees = _read_employees(workbook, issues)
        holdings = _read_holdings(workbook, issues)
        teams = team_sheet.read_teams(workbook, issues)
    finally:
        workbook.close()
    _check_references(agency, units, positions, employees, holdings, issues)
    team_sheet.check_teams(agency, teams, {e.key for e in employees}, issues)
    if issues:
        raise InvalidFile(issues)
    with transaction.atomic():  # short: every row was read and checked above
        summary = _write(agency, units, positions, employees, holdings, actor)
        summary.teams = len(teams)
        summary.created["teams"] = team_sheet.write_teams(
            agency, teams, summary.employees_by_key, actor
        )
        audit.record(
            "organisation.structure.imported",
            actor=actor,
            obj=agency,
            agency_code=agency.code,
            summary=_(
                "Structure imported: %(units)d units, %(positions)d positions, "
                "%(employees)d employees, %(holdings)d holdings."
            )
            % summary.as_dict(),
            after=summary.as_dict(),
        )
    return summary


# --- reading -------------------------------------------------------------------------------


def _note_duplicate(row: Row, column: str, code: str, seen: dict[str, int]) -> None:
    """Report ``code`` if an earlier row of the sheet used it; remember it otherwise."""
    if code and code in seen:
        row.issue(
            column,
            _("The code %(code)s is already used in row %(row)d.")
            % {"code": code, "row": seen[code]},
        )
    seen.setdefault(code, row.number)


def _read_units(workbook: Workbook, issues: list[Issue]) -> list[_UnitRow]:
    reader = SheetReader(workbook, UNIT_SHEET, UNIT_HEADERS, issues)
    rows: list[_UnitRow] = []
    seen: dict[str, int] = {}
    for row in reader.rows():
        code = row.text("Kode", required=True, max_length=40)
        item = _UnitRow(
            row.number,
            code,
            row.text("Nama", required=True),
            row.choice("Jenis", UNIT_KINDS) or "",
            row.text("Kode Induk", max_length=40),
            row.integer("Urutan"),
        )
        _note_duplicate(row, "Kode", code, seen)
        rows.append(item)
    return rows


def _read_positions(workbook: Workbook, issues: list[Issue]) -> list[_PositionRow]:
    reader = SheetReader(workbook, POSITION_SHEET, POSITION_HEADERS, issues)
    rows: list[_PositionRow] = []
    seen: dict[str, int] = {}
    for row in reader.rows():
        code = row.text("Kode", required=True, max_length=40)
        item = _PositionRow(
            row.number,
            code,
            row.text("Nama", required=True),
            row.text("Kode Unit"),
            row.choice("Jenis", POSITION_KINDS) or "",
            row.yes_no("Kepala Unit"),
            row.text("Kode Atasan"),
            row.yes_no("Dipegang Bersama"),
            row.integer("Urutan"),
        )
        _note_duplicate(row, "Kode", code, seen)
        rows.append(item)
    return rows


def _read_employees(workbook: Workbook, issues: list[Issue]) -> list[_EmployeeRow]:
    reader = SheetReader(workbook, EMPLOYEE_SHEET, EMPLOYEE_HEADERS, issues)
    rows: list[_EmployeeRow] = []
    seen: dict[str, int] = {}
    for row in reader.rows():
        employee_type = row.choice("Jenis Pegawai", EMPLOYEE_TYPES) or "pns"
        nip_text = row.text("NIP")
        nip = None
        if nip_text:
            if employee_type == "non_asn":
                row.issue("NIP", _("A non-civil-servant has no NIP."))
            else:
                try:
                    nip = parse_nip(nip_text, employee_type).digits
                except NipError as exc:
                    row.issue("NIP", str(exc))
        rank_text = row.text("Golongan")
        rank = ""
        if rank_text:
            try:
                rank = normalise_rank(rank_text)
            except ValueError:
                row.issue(
                    "Golongan",
                    _("'%(value)s' is not a golongan such as III/a or IV/b.")
                    % {"value": rank_text},
                )
        email = row.text("Email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.issue("Email", _("'%(value)s' is not an e-mail address.") % {"value": email})
        item = _EmployeeRow(
            row.number,
            nip,
            row.text("Nama Lengkap", required=True),
            employee_type,
            rank,
            email,
            row.text("Nama Pengguna", max_length=150),
        )
        if item.key and item.key in seen:
            column = "NIP" if nip else "Nama Lengkap"
            row.issue(
                column, _("The same employee is already in row %(row)d.") % {"row": seen[item.key]}
            )
        seen.setdefault(item.key, row.number)
        rows.append(item)
    return rows


def _read_holdings(workbook: Workbook, issues: list[Issue]) -> list[_HoldingRow]:
    reader = SheetReader(workbook, HOLDING_SHEET, HOLDING_HEADERS, issues)
    rows: list[_HoldingRow] = []
    for row in reader.rows():
        start = row.date("Mulai", required=True)
        end = row.date("Sampai")
        if start and end and end < start:
            row.issue("Sampai", _("The end date is before the start date."))
        employee = row.text("Pegawai", required=True)
        rows.append(
            _HoldingRow(
                row.number,
                row.text("Kode Jabatan", required=True),
                _employee_key(employee),
                employee,
                row.choice("Status", HOLDING_KINDS) or "definitif",
                start or dt.date.min,
                end,
                row.text("Nomor SK", max_length=200),
            )
        )
    return rows


def _employee_key(text: str) -> str:
    """How a holding names its employee: the NIP's digits, or the full name in lower case."""
    compact = "".join(text.split())
    return compact if compact.isdigit() else text.strip().lower()


def _check_references(
    agency: Agency,
    units: list[_UnitRow],
    positions: list[_PositionRow],
    employees: list[_EmployeeRow],
    holdings: list[_HoldingRow],
    issues: list[Issue],
) -> None:
    """Cross-sheet checks: codes that name nothing, cycles, NIPs of other offices, double holders.

    A code may name a row of the file or what the agency already has."""
    unit_codes = _check_units(agency, units, issues)
    position_codes = _check_positions(agency, positions, unit_codes, issues)
    _check_employees(agency, employees, issues)
    _check_holding_references(agency, employees, holdings, position_codes, issues)
    _check_definitive_holders(agency, positions, holdings, issues)


def _check_units(agency: Agency, units: list[_UnitRow], issues: list[Issue]) -> set[str]:
    """Parents that name no unit, and parents that lead back to the unit; the known codes."""
    unit_codes = {u.code for u in units} | set(
        Unit.objects.filter(agency=agency).values_list("code", flat=True)
    )
    parent_of = {u.code: u.parent for u in units}
    for u in units:
        if u.parent and u.parent not in unit_codes:
            issues.append(
                Issue(
                    UNIT_SHEET,
                    u.row,
                    "D (Kode Induk)",
                    _("Unknown unit %(code)s.") % {"code": u.parent},
                )
            )
        cycle = _parent_cycle(u, parent_of)
        if cycle is not None:
            issues.append(
                Issue(
                    UNIT_SHEET,
                    u.row,
                    "D (Kode Induk)",
                    _("The units form a cycle through %(code)s.") % {"code": cycle},
                )
            )
    return unit_codes


def _parent_cycle(unit: _UnitRow, parent_of: dict[str, str]) -> str | None:
    """The code where the chain of the file's parents above ``unit`` comes back on itself."""
    seen, current = {unit.code}, unit.parent
    while current and current in parent_of:
        if current in seen:
            return current
        seen.add(current)
        current = parent_of[current]
    return None


def _check_positions(
    agency: Agency, positions: list[_PositionRow], unit_codes: set[str], issues: list[Issue]
) -> set[str]:
    """Units and superiors that name nothing, a position its own superior; the known codes."""
    position_codes = {p.code for p in positions} | set(
        Position.objects.filter(agency=agency).values_list("code", flat=True)
    )
    for p in positions:
        if p.unit and p.unit not in unit_codes:
            issues.append(
                Issue(
                    POSITION_SHEET,
                    p.row,
                    "C (Kode Unit)",
                    _("Unknown unit %(code)s.") % {"code": p.unit},
                )
            )
        if p.superior and p.superior not in position_codes:
            issues.append(
                Issue(
                    POSITION_SHEET,
                    p.row,
                    "F (Kode Atasan)",
                    _("Unknown position %(code)s.") % {"code": p.superior},
                )
            )
        if p.superior and p.superior == p.code:
            issues.append(
                Issue(
                    POSITION_SHEET,
                    p.row,
                    "F (Kode Atasan)",
                    _("A position cannot be its own superior."),
                )
            )
    return position_codes


def _check_employees(agency: Agency, employees: list[_EmployeeRow], issues: list[Issue]) -> None:
    """NIPs of another office's employees, and logins that belong to another employee."""
    file_nips = [e.nip for e in employees if e.nip]
    for nip, other_agency in (
        Employee.objects.filter(nip__in=file_nips)
        .exclude(agency=agency)
        .values_list("nip", "agency__name")
    ):
        row = next(e.row for e in employees if e.nip == nip)
        issues.append(
            Issue(
                EMPLOYEE_SHEET,
                row,
                "A (NIP)",
                _("This NIP belongs to an employee of %(agency)s.") % {"agency": other_agency},
            )
        )
    _check_logins(agency, employees, issues)


def _check_logins(agency: Agency, employees: list[_EmployeeRow], issues: list[Issue]) -> None:
    """A login the file names is new, or already this same employee's, or an unused one (no
    usable password, no staff rights, no employee): never another person's login, whose
    password reset would then go to the address this file gives (docs/accounts.md)."""
    usernames = {e.username for e in employees if e.username}
    owners = {
        name: (agency_id, nip or full_name.lower())
        for name, agency_id, nip, full_name in Employee.objects.filter(
            user__username__in=usernames
        ).values_list("user__username", "agency_id", "nip", "full_name")
    }
    in_use = {
        u.username
        for u in get_user_model().objects.filter(username__in=usernames, employee__isnull=True)
        if u.has_usable_password() or u.is_staff or u.is_superuser
    }
    for e in employees:
        if not e.username:
            continue
        if e.username in owners and owners[e.username] != (agency.pk, e.key):
            message = _("The login %(name)s belongs to another employee.")
        elif e.username in in_use:
            message = _("The login %(name)s is already in use by someone who is not this employee.")
        else:
            continue
        issues.append(
            Issue(EMPLOYEE_SHEET, e.row, "F (Nama Pengguna)", message % {"name": e.username})
        )


def _check_holding_references(
    agency: Agency,
    employees: list[_EmployeeRow],
    holdings: list[_HoldingRow],
    position_codes: set[str],
    issues: list[Issue],
) -> None:
    """Holdings of a position or an employee that neither the file nor the agency has."""
    known_employees = {e.key for e in employees}
    for nip, name in Employee.objects.filter(agency=agency).values_list("nip", "full_name"):
        known_employees.add(nip or name.lower())
    for h in holdings:
        if h.position and h.position not in position_codes:
            issues.append(
                Issue(
                    HOLDING_SHEET,
                    h.row,
                    "A (Kode Jabatan)",
                    _("Unknown position %(code)s.") % {"code": h.position},
                )
            )
        if h.employee and h.employee not in known_employees:
            issues.append(
                Issue(
                    HOLDING_SHEET,
                    h.row,
                    "B (Pegawai)",
                    _("Unknown employee %(who)s: list them on the Pegawai sheet.")
                    % {"who": h.employee_text},
                )
            )


# (position code, employee key, start, end, row of the file or None for a stored holding)
_Definitive = tuple[str, str, dt.date, dt.date | None, int | None]


def _check_definitive_holders(
    agency: Agency,
    positions: list[_PositionRow],
    holdings: list[_HoldingRow],
    issues: list[Issue],
) -> None:
    """A position that is not shared has one definitive holder at a time: a definitive holding
    of the file may not overlap an earlier one of the file or a stored one (unless it is that
    same holding, written again)."""
    shared = {p.code: p.shared for p in positions}
    for code, is_shared in Position.objects.filter(agency=agency).values_list("code", "shared"):
        shared.setdefault(code, is_shared)
    in_file: list[_Definitive] = [
        (h.position, h.employee, h.start, h.end, h.row) for h in holdings if h.kind == "definitif"
    ]
    file_keys = {(c, e, s) for c, e, s, _end, _r in in_file}
    existing = [x for x in _stored_definitive(agency) if (x[0], x[1], x[2]) not in file_keys]
    for index, holding in enumerate(in_file):
        if shared.get(holding[0]):
            continue
        clash = _first_overlap(holding, in_file[:index] + existing)
        if clash is None:
            continue
        where = (
            (_("row %(row)d") % {"row": clash[4]}) if clash[4] else _("the holding already stored")
        )
        issues.append(
            Issue(
                HOLDING_SHEET,
                holding[4],
                "A (Kode Jabatan)",
                _("Position %(code)s would have two definitive holders at once (see %(where)s).")
                % {"code": holding[0], "where": where},
            )
        )


def _stored_definitive(agency: Agency) -> list[_Definitive]:
    """The agency's stored definitive holdings, keyed as the file's are."""
    return [
        (code, nip or name.lower(), start, end, None)
        for code, nip, name, start, end in PositionHolding.objects.filter(
            position__agency=agency, kind=PositionHolding.Kind.DEFINITIVE
        ).values_list("position__code", "employee__nip", "employee__full_name", "start", "end")
    ]


def _first_overlap(holding: _Definitive, others: list[_Definitive]) -> _Definitive | None:
    """The first of ``others`` that holds the same position in a time overlapping ``holding``
    (the same employee from the same start is the same holding, not a clash)."""
    code, who, start, end, _row = holding
    for other in others:
        other_code, other_who, other_start, other_end, _other_row = other
        if other_code != code or (other_who == who and other_start == start):
            continue
        if start <= (other_end or dt.date.max) and other_start <= (end or dt.date.max):
            return other
    return None


# --- writing -------------------------------------------------------------------------------


def _write(
    agency: Agency,
    units: list[_UnitRow],
    positions: list[_PositionRow],
    employees: list[_EmployeeRow],
    holdings: list[_HoldingRow],
    actor: Any = None,
) -> ImportSummary:
    """Write the checked rows in bulk: a few statements a model, whatever the file's size, so
    the transaction (on SQLite: the lock of the whole database) stays short. The caller holds
    the transaction."""
    summary = ImportSummary(len(units), len(positions), len(employees), len(holdings))
    units_by_code, created_units = _write_units(agency, units, actor)
    positions_by_code, created_positions = _write_positions(agency, positions, units_by_code, actor)
    employees_by_key, created_employees = _write_employees(agency, employees, actor)
    summary.created = {
        "units": created_units,
        "positions": created_positions,
        "employees": created_employees,
        "holdings": _write_holdings(agency, holdings, positions_by_code, employees_by_key, actor),
    }
    summary.employees_by_key = employees_by_key
    return summary


def _write_units(agency: Agency, units: list[_UnitRow], actor: Any) -> tuple[dict[str, Unit], int]:
    """The units by code, and how many were created; parents are set in a second pass, once
    every unit of the file has its key."""
    unit_rows = Upsert(Unit, ["name", "kind", "order", "parent_id"])
    by_code = by_key(Unit.objects.filter(agency=agency), "code")
    for u in units:
        obj = by_code.get(u.code) or Unit(agency=agency, code=u.code)
        by_code[u.code] = unit_rows.put(obj, name=u.name, kind=u.kind, order=u.order)
    created = unit_rows.save(actor)
    for u in units:
        parent = by_code.get(u.parent) if u.parent else None
        unit_rows.put(by_code[u.code], parent_id=parent.pk if parent else None)
    unit_rows.save(actor)
    return by_code, created


def _write_positions(
    agency: Agency, positions: list[_PositionRow], units_by_code: dict[str, Unit], actor: Any
) -> tuple[dict[str, Position], int]:
    """The positions by code, and how many were created; superiors are set in a second pass."""
    position_rows = Upsert(
        Position, ["name", "unit_id", "kind", "is_head", "shared", "order", "superior_id"]
    )
    by_code = by_key(Position.objects.filter(agency=agency), "code")
    for p in positions:
        unit = units_by_code.get(p.unit) if p.unit else None
        obj = by_code.get(p.code) or Position(agency=agency, code=p.code)
        by_code[p.code] = position_rows.put(
            obj,
            name=p.name,
            unit_id=unit.pk if unit else None,
            kind=p.kind,
            is_head=p.is_head,
            shared=p.shared,
            order=p.order,
        )
    created = position_rows.save(actor)
    for p in positions:
        superior = by_code.get(p.superior) if p.superior else None
        position_rows.put(by_code[p.code], superior_id=superior.pk if superior else None)
    position_rows.save(actor)
    return by_code, created


def _write_employees(
    agency: Agency, employees: list[_EmployeeRow], actor: Any
) -> tuple[dict[str, Employee], int]:
    """The employees by key (NIP, or the lower-cased full name), and how many were created;
    a username names the employee's login, created when missing."""
    users = _users(employees)
    employee_rows = Upsert(
        Employee, ["full_name", "nip", "employee_type", "rank", "email", "user_id"]
    )
    by_employee_key = {
        (e.nip or e.full_name.lower()): e for e in Employee.objects.filter(agency=agency)
    }
    for e in employees:
        obj = by_employee_key.get(e.key) or Employee(agency=agency)
        user_id = obj.user_id
        if e.username and (obj.user_id is None or users[e.username].pk != obj.user_id):
            user_id = users[e.username].pk
        by_employee_key[e.key] = employee_rows.put(
            obj,
            full_name=e.name,
            nip=e.nip,
            employee_type=e.employee_type,
            rank=e.rank,
            email=e.email,
            user_id=user_id,
        )
    return by_employee_key, employee_rows.save(actor)


def _write_holdings(
    agency: Agency,
    holdings: list[_HoldingRow],
    positions_by_code: dict[str, Position],
    employees_by_key: dict[str, Employee],
    actor: Any,
) -> int:
    """Add or update the holdings (keyed by position, employee, kind and start); how many were
    created."""
    holding_rows = Upsert(PositionHolding, ["end", "decree"])
    stored = by_key(
        PositionHolding.objects.filter(position__agency=agency),
        "position_id",
        "employee_id",
        "kind",
        "start",
    )
    for h in holdings:
        position, employee = positions_by_code[h.position], employees_by_key[h.employee]
        key = (position.pk, employee.pk, h.kind, h.start)
        obj = stored.get(key) or PositionHolding(
            position=position, employee=employee, kind=h.kind, start=h.start
        )
        stored[key] = holding_rows.put(obj, end=h.end, decree=h.decree)
    return holding_rows.save(actor)


def _users(employees: list[_EmployeeRow]) -> dict[str, Any]:
    """The login of every username the file names: the stored ones, and the missing ones created
    (in one statement) with an unusable password."""
    User = get_user_model()
    names = {e.username: e.email for e in employees if e.username}
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    missing = []
    for name in sorted(set(names) - set(found)):
        user = User(username=name, email=names[name])
        user.set_unusable_password()
        missing.append(user)
    if missing:
        User.objects.bulk_create(missing)
        found |= {
            u.username: u for u in User.objects.filter(username__in=[u.username for u in missing])
        }
    return found


# --- export --------------------------------------------------------------------------------


def export_structure(agency: Agency) -> Workbook:
    """The agency's structure in the import format."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_sheet(
        workbook.create_sheet(UNIT_SHEET),
        UNIT_HEADERS,
        _unit_lines(agency),
        widths=[16, 50, 14, 16, 10],
    )
    write_sheet(
        workbook.create_sheet(POSITION_SHEET),
        POSITION_HEADERS,
        _position_lines(agency),
        widths=[16, 50, 16, 14, 12, 16, 16, 10],
    )
    write_sheet(
        workbook.create_sheet(EMPLOYEE_SHEET),
        EMPLOYEE_HEADERS,
        _employee_lines(agency),
        widths=[24, 40, 14, 10, 30, 24],
    )
    holding_sheet = workbook.create_sheet(HOLDING_SHEET)
    write_sheet(
        holding_sheet, HOLDING_HEADERS, _holding_lines(agency), widths=[16, 40, 12, 14, 14, 30]
    )
    for row in holding_sheet.iter_rows(min_row=2, min_col=4, max_col=5):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    team_sheet.export_teams(workbook, agency)
    return workbook


def _unit_lines(agency: Agency) -> list[list[Any]]:
    units = Unit.objects.filter(agency=agency).select_related("parent")
    return [[u.code, u.name, u.kind, u.parent.code if u.parent else "", u.order] for u in units]


def _position_lines(agency: Agency) -> list[list[Any]]:
    positions = Position.objects.filter(agency=agency).select_related("unit", "superior")
    return [
        [
            p.code,
            p.name,
            p.unit.code if p.unit else "",
            p.kind,
            "Ya" if p.is_head else "Tidak",
            p.superior.code if p.superior else "",
            "Ya" if p.shared else "Tidak",
            p.order,
        ]
        for p in positions
    ]


def _employee_lines(agency: Agency) -> list[list[Any]]:
    employees = Employee.objects.filter(agency=agency).select_related("user")
    return [
        [
            e.nip_display,
            e.full_name,
            EMPLOYEE_TYPE_LABELS[e.employee_type],
            e.rank,
            e.email,
            e.user.username if e.user else "",
        ]
        for e in employees
    ]


def _holding_lines(agency: Agency) -> list[list[Any]]:
    holdings = (
        PositionHolding.objects.filter(position__agency=agency)
        .select_related("position", "employee")
        .order_by("position__order", "position__code", "start")
    )
    return [
        [
            h.position.code,
            h.employee.nip_display or h.employee.full_name,
            HOLDING_LABELS[h.kind],
            h.start,
            h.end,
            h.decree,
        ]
        for h in holdings
    ]
