"""The ``Tim`` sheet of the structure workbook: teams appointed by decree and their members.

Columns: Kode Tim, Nama Tim, Nomor SK, Tanggal SK, Anggota, Peran. One row per member; a team's
columns (name, decree number and date) are written on every row of the team by the export, and on
import they may be left blank on the rows after the team's first (docs/organisation-import.md).
``Anggota`` is the member's NIP, looked up among the employees of every agency of the same region
(a Tim Penyusun LAKIP often has someone of Bagian Organisasi), or, for an employee without a NIP,
their full name in this agency. ``Peran`` is ketua, sekretaris or anggota (blank: anggota); a team
has at most one ketua. A row with no member only names the team.

A team listed in the sheet gets exactly the members listed; a team not listed is left as it is
(the import never deletes a team). The sheet is optional: a workbook without it changes no team.
Reading and checking happen before anything is written, with the other sheets
(:func:`kinerja.organisation.services.structure.import_structure`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kinerja.core.upsert import Upsert, by_key
from kinerja.core.xlsx import Issue, Row, SheetReader, write_sheet
from kinerja.organisation.models import Agency, Employee, Team, TeamMember
from kinerja.organisation.nip import format_nip

TEAM_SHEET = "Tim"
TEAM_HEADERS = ["Kode Tim", "Nama Tim", "Nomor SK", "Tanggal SK", "Anggota", "Peran"]
TEAM_ROLES = {role: role for role in TeamMember.Role.values}
MEMBER_COLUMN = "E (Anggota)"


@dataclass
class _Member:
    row: int
    key: str  # NIP digits, or the lower-cased full name
    text: str  # as written
    role: str


@dataclass
class _Team:
    row: int  # the team's first row
    code: str
    name: str
    decree: str
    decree_date: dt.date | None
    members: list[_Member] = field(default_factory=list)


def member_key(text: str) -> str:
    """How the sheet names a member: the NIP's digits, or the full name in lower case."""
    compact = "".join(text.split())
    return compact if compact.isdigit() else text.strip().lower()


def read_teams(workbook: Workbook, issues: list[Issue]) -> list[_Team]:
    """The teams of the sheet, in order of their first row; problems go to ``issues``."""
    reader = SheetReader(workbook, TEAM_SHEET, TEAM_HEADERS, issues, required=False)
    teams: dict[str, _Team] = {}
    previous = ""
    for row in reader.rows():
        # A blank code continues the team above, as offices write a team once and its members
        # below it (or merge the cells); the first row must name its team.
        code = row.text("Kode Tim", required=not previous, max_length=40) or previous
        previous = code
        team = teams.get(code)
        if team is None:
            team = teams[code] = _Team(
                row.number,
                code,
                row.text("Nama Tim", max_length=255),
                row.text("Nomor SK", max_length=200),
                row.date("Tanggal SK"),
            )
        else:
            _check_repeated(row, team)
        _read_member(row, team)
    return list(teams.values())


def _check_repeated(row: Row, team: _Team) -> None:
    """A later row of a team repeats its columns or leaves them blank, never says otherwise."""
    for header, known in (("Nama Tim", team.name), ("Nomor SK", team.decree)):
        value = row.text(header, max_length=255)
        if value and known and value != known:
            row.issue(
                header,
                _("Row %(row)d gives this team as '%(known)s'.")
                % {"row": team.row, "known": known},
            )
        elif value and not known:
            setattr(team, "name" if header == "Nama Tim" else "decree", value)
    day = row.date("Tanggal SK")
    if day and team.decree_date and day != team.decree_date:
        row.issue(
            "Tanggal SK",
            _("Row %(row)d gives another decree date for this team.") % {"row": team.row},
        )
    team.decree_date = team.decree_date or day


def _read_member(row: Row, team: _Team) -> None:
    text = row.text("Anggota")
    role = row.choice("Peran", TEAM_ROLES, required=False) or TeamMember.Role.MEMBER.value
    if not text:
        if row.text("Peran"):
            row.issue("Anggota", _("A role needs a member."))
        return
    member = _Member(row.number, member_key(text), text, role)
    for earlier in team.members:
        if earlier.key == member.key:
            row.issue(
                "Anggota",
                _("This member is already in row %(row)d of the team.") % {"row": earlier.row},
            )
            return
        if role == earlier.role == TeamMember.Role.LEAD:
            row.issue(
                "Peran",
                _("The team already has its ketua in row %(row)d.") % {"row": earlier.row},
            )
    team.members.append(member)


def check_teams(
    agency: Agency, teams: list[_Team], file_employee_keys: set[str], issues: list[Issue]
) -> None:
    """Names a new team needs, and members who are nobody of this region."""
    stored = set(Team.objects.filter(agency=agency).values_list("code", flat=True))
    for team in teams:
        if not team.name and team.code not in stored:
            issues.append(Issue(TEAM_SHEET, team.row, "B (Nama Tim)", _("This field is required.")))
    own = _own_name_keys(agency)
    nips = {m.key for t in teams for m in t.members if m.key.isdigit()}
    region_nips = {
        nip: region_id
        for nip, region_id in Employee.objects.filter(nip__in=nips).values_list(
            "nip", "agency__region_id"
        )
        if nip
    }
    for team in teams:
        for member in team.members:
            problem = _member_problem(agency, member, file_employee_keys | own, region_nips)
            if problem:
                issues.append(Issue(TEAM_SHEET, member.row, MEMBER_COLUMN, problem))


def _own_name_keys(agency: Agency) -> set[str]:
    return {
        (nip or name.lower())
        for nip, name in Employee.objects.filter(agency=agency).values_list("nip", "full_name")
    }


def _member_problem(
    agency: Agency, member: _Member, own_keys: set[str], region_of_nip: dict[str, int]
) -> str:
    if member.key in own_keys:
        return ""
    if member.key.isdigit():
        if member.key not in region_of_nip:
            return _("Unknown employee %(who)s: no employee of %(region)s has this NIP.") % {
                "who": member.text,
                "region": agency.region.name,
            }
        if region_of_nip[member.key] != agency.region_id:
            return _("%(who)s is an employee outside %(region)s.") % {
                "who": member.text,
                "region": agency.region.name,
            }
        return ""
    return _("Unknown employee %(who)s: write the NIP, or list them on the Pegawai sheet.") % {
        "who": member.text
    }


def write_teams(
    agency: Agency, teams: list[_Team], employees_by_key: dict[str, Employee], actor: Any
) -> int:
    """Write the checked teams and their members (the caller holds the transaction); how many
    teams were created. Each team ends with exactly the members of the file."""
    if not teams:
        return 0
    team_rows = Upsert(Team, ["name", "decree", "decree_date"])
    stored = by_key(Team.objects.filter(agency=agency), "code")
    for t in teams:
        obj = stored.get(t.code) or Team(agency=agency, code=t.code)
        stored[t.code] = team_rows.put(
            obj, name=t.name or obj.name, decree=t.decree, decree_date=t.decree_date
        )
    created = team_rows.save(actor)
    people = _people(agency, teams, employees_by_key)
    member_rows = Upsert(TeamMember, ["role"])
    for t in teams:
        team = stored[t.code]
        wanted = {people[m.key].pk: m.role for m in t.members}
        current = by_key(TeamMember.objects.filter(team=team), "employee_id")
        for employee_id, membership in current.items():
            if employee_id not in wanted:
                _delete(membership, actor)
        for employee_id, role in wanted.items():
            membership = current.get(employee_id) or TeamMember(team=team, employee_id=employee_id)
            member_rows.put(membership, role=role)
    member_rows.save(actor)
    return created


def _people(
    agency: Agency, teams: list[_Team], employees_by_key: dict[str, Employee]
) -> dict[str, Employee]:
    """Every member's employee by key: the file's, the agency's, the region's by NIP."""
    people = dict(employees_by_key)
    for employee in Employee.objects.filter(agency=agency):
        people.setdefault(employee.nip or employee.full_name.lower(), employee)
    nips = {m.key for t in teams for m in t.members if m.key.isdigit()} - set(people)
    for employee in Employee.objects.filter(nip__in=nips, agency__region_id=agency.region_id):
        people[employee.nip or ""] = employee
    return people


def _delete(membership: TeamMember, actor: Any) -> None:
    if getattr(actor, "is_authenticated", False):
        membership._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    membership.delete()


def export_teams(workbook: Workbook, agency: Agency) -> None:
    """The ``Tim`` sheet: one row per member, the team's columns on every row; a team without
    members on one row of its own."""
    lines: list[list[Any]] = []
    teams = Team.objects.filter(agency=agency).order_by("code")
    memberships = (
        TeamMember.objects.filter(team__agency=agency)
        .select_related("employee")
        .order_by("team_id", "role", "employee__full_name")
    )
    by_team: dict[int, list[TeamMember]] = {}
    for membership in memberships:
        by_team.setdefault(membership.team_id, []).append(membership)
    for team in teams:
        head = [team.code, team.name, team.decree, team.decree_date]
        members = sorted(by_team.get(team.pk, []), key=_role_order)
        if not members:
            lines.append([*head, "", ""])
        for m in members:
            who = format_nip(m.employee.nip) if m.employee.nip else m.employee.full_name
            lines.append([*head, who, m.role])
    sheet = workbook.create_sheet(TEAM_SHEET)
    write_sheet(sheet, TEAM_HEADERS, lines, widths=[16, 44, 30, 14, 40, 14])
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"


def _role_order(membership: TeamMember) -> tuple[int, str]:
    order = [TeamMember.Role.LEAD, TeamMember.Role.SECRETARY, TeamMember.Role.MEMBER]
    return order.index(TeamMember.Role(membership.role)), membership.employee.full_name
