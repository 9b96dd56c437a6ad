"""Regions, agencies and their administrators: one function per change (docs/regions.md).

The regional administrator's pages, the ``kinerja region`` and ``kinerja agency`` commands and
the tests all call these functions, so a page and the shell refuse the same input with the same
message. Each checks its input (a :class:`~django.core.exceptions.ValidationError` by field,
nothing written), writes in one transaction with the history of the rows it touches and records an
audit entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.organisation.models import (
    TIME_ZONE_ABBREVIATIONS,
    Agency,
    AgencyRole,
    Employee,
    Region,
    RegionRole,
)

# What the region's pages and commands may set on an agency besides its region and code.
AGENCY_FIELDS = (
    "name",
    "kind",
    "address",
    "postal_code",
    "phone",
    "email",
    "website",
    "time_zone",
    "letterhead_lines",
    "head_title",
    "logo",
    "main_task",
    "functions",
)
# ``opd`` (organisasi perangkat daerah) is what offices call a dinas: stored as ``dinas``.
AGENCY_KIND_ALIASES = {"opd": Agency.Kind.DINAS.value}
# WIB, WITA, WIT as people write them, to the stored zone name.
TIME_ZONE_BY_ABBREVIATION = {abbr: name for name, abbr in TIME_ZONE_ABBREVIATIONS.items()}


def time_zone_named(text: str) -> str:
    """``WITA`` (or ``Asia/Makassar``) to ``Asia/Makassar``; ValueError for anything else."""
    value = text.strip()
    if value.upper() in TIME_ZONE_BY_ABBREVIATION:
        return TIME_ZONE_BY_ABBREVIATION[value.upper()]
    if value in TIME_ZONE_ABBREVIATIONS:
        return value
    raise ValueError(
        _("Unknown time zone %(zone)s: write WIB, WITA or WIT.") % {"zone": text or "-"}
    )


def agency_kind(text: str) -> str:
    """The stored kind for ``text`` (``opd`` is a dinas); ValueError for an unknown kind."""
    value = text.strip().lower()
    value = AGENCY_KIND_ALIASES.get(value, value)
    if value not in Agency.Kind.values:
        known = ", ".join([*AGENCY_KIND_ALIASES, *Agency.Kind.values])
        raise ValueError(
            _("Unknown agency kind %(kind)s; known: %(known)s.") % {"kind": text, "known": known}
        )
    return value


def _field_values(obj: models.Model, names: list[str]) -> dict[str, Any]:
    """The fields as JSON for the audit log (a logo by its stored name)."""
    values: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if name == "logo":
            value = value.name if value else ""
        values[name] = value if isinstance(value, (str, int, type(None))) else str(value)
    return values


def _saved_by(obj: models.Model, actor: Any) -> None:
    """Save ``obj`` with ``actor`` named on its historical row (a command has no request)."""
    if getattr(actor, "is_authenticated", False):
        obj._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    obj.save()


def _deleted_by(obj: models.Model, actor: Any) -> None:
    if getattr(actor, "is_authenticated", False):
        obj._history_user = actor  # type: ignore[attr-defined]  # read by simple_history
    obj.delete()


# --- regions ---------------------------------------------------------------------------------


def region_kind(name: str, parent: Region | None, kind: str | None = None) -> str:
    """A region without a parent is a province; under a province it is a regency, or a city
    when its name starts with "Kota". A ``kind`` given must agree (ValidationError)."""
    inferred = (
        Region.Kind.PROVINCE
        if parent is None
        else (Region.Kind.CITY if name.strip().lower().startswith("kota") else Region.Kind.REGENCY)
    )
    if not kind:
        return inferred.value
    if kind not in Region.Kind.values:
        raise ValidationError(
            {
                "kind": _("Unknown region kind %(kind)s: provinsi, kabupaten or kota.")
                % {"kind": kind}
            }
        )
    if (kind == Region.Kind.PROVINCE) != (parent is None):
        raise ValidationError(
            {
                "kind": _(
                    "A province has no parent region; a regency or a city has its province as "
                    "parent."
                )
            }
        )
    return kind


def create_region(
    *,
    code: str,
    name: str,
    parent: Region | None = None,
    kind: str | None = None,
    time_zone: str | None = None,
    government_name: str | None = None,
    actor: Any = None,
) -> Region:
    """A new province, regency or city. A regency or city is of a province (``parent``) and
    takes its time zone unless another is given; the government name defaults to
    "PEMERINTAH " + the name in capitals."""
    code, name = code.strip(), name.strip()
    if parent is not None and parent.kind != Region.Kind.PROVINCE:
        raise ValidationError(
            {
                "parent": _("%(name)s is not a province: a region's parent is its province.")
                % {"name": parent.name}
            }
        )
    region = Region(
        code=code,
        name=name,
        kind=region_kind(name, parent, kind),
        parent=parent,
        government_name=(government_name or f"PEMERINTAH {name.upper()}").strip(),
        time_zone=time_zone or (parent.time_zone if parent else ""),
    )
    if not region.time_zone:
        raise ValidationError({"time_zone": _("A province needs its time zone: WIB, WITA or WIT.")})
    existing = Region.objects.filter(code=code).first()
    if existing is not None:
        raise ValidationError(
            {
                "code": _("The region code %(code)s is already used by %(name)s.")
                % {"code": code, "name": existing.name}
            }
        )
    region.full_clean()
    with transaction.atomic():
        _saved_by(region, actor)
        audit.record(
            "organisation.region.created",
            actor=actor,
            obj=region,
            summary=_("Region %(name)s (%(code)s) created.") % {"name": name, "code": code},
            after=_field_values(region, ["code", "name", "kind", "government_name", "time_zone"]),
        )
    return region


# --- agencies --------------------------------------------------------------------------------


def _check_agency_code(code: str, agency: Agency | None = None) -> None:
    others = Agency.objects.filter(code=code)
    if agency is not None:
        others = others.exclude(pk=agency.pk)
    existing = others.first()
    if existing is not None:
        raise ValidationError(
            {
                "code": _("The code %(code)s is already used by %(name)s.")
                % {"code": code, "name": existing.name}
            }
        )


def create_agency(
    region: Region, *, code: str, name: str, kind: str, actor: Any = None, **fields: Any
) -> Agency:
    """A new agency of ``region`` (its time zone by default). ``fields`` are among
    :data:`AGENCY_FIELDS`."""
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise ValueError(f"not agency fields: {sorted(unknown)}")
    code = code.strip()
    _check_agency_code(code)
    values = {k: v for k, v in fields.items() if v is not None}
    values.setdefault("time_zone", region.time_zone)
    agency = Agency(region=region, code=code, name=name.strip(), kind=kind, **values)
    agency.full_clean()
    with transaction.atomic():
        _saved_by(agency, actor)
        audit.record(
            "organisation.agency.created",
            actor=actor,
            obj=agency,
            agency_code=agency.code,
            summary=_("Agency %(name)s (%(code)s) created in %(region)s.")
            % {"name": agency.name, "code": code, "region": region.name},
            after=_field_values(agency, ["code", *AGENCY_FIELDS]),
        )
    return agency


def _differs(stored: Agency, name: str, value: Any) -> bool:
    if name == "logo":  # a new upload, or the stored logo cleared
        return (bool(value) and not getattr(value, "_committed", True)) or (
            not value and bool(stored.logo)
        )
    return bool(getattr(stored, name) != value)


def update_agency(agency: Agency, *, actor: Any = None, **fields: Any) -> list[str]:
    """Change the agency's record (not its region or code); returns the names of the fields
    that changed. Nothing changed: nothing written."""
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise ValueError(f"not agency fields: {sorted(unknown)}")
    stored = Agency.objects.get(pk=agency.pk)
    changed = [name for name, value in fields.items() if _differs(stored, name, value)]
    if not changed:
        return []
    for name in changed:
        setattr(agency, name, fields[name])
    agency.full_clean()
    with transaction.atomic():
        _saved_by(agency, actor)
        audit.record(
            "organisation.agency.updated",
            actor=actor,
            obj=agency,
            agency_code=agency.code,
            summary=_("Agency %(code)s changed: %(fields)s.")
            % {"code": agency.code, "fields": ", ".join(changed)},
            before=_field_values(stored, changed),
            after=_field_values(agency, changed),
        )
    return changed


# --- administrators --------------------------------------------------------------------------


def _check_login_of_region(user: Any, region: Region) -> None:
    """A login that is an employee must be one of an agency of ``region``; a login without an
    employee (an office's administrator account) is accepted."""
    if not user.is_active:
        raise ValidationError({"user": _("The login %(name)s is not active.") % {"name": user}})
    employee = Employee.objects.filter(user=user).select_related("agency__region").first()
    if employee is not None and employee.agency.region_id != region.pk:
        raise ValidationError(
            {
                "user": _("%(name)s is an employee of %(agency)s, outside %(region)s.")
                % {"name": employee.full_name, "agency": employee.agency, "region": region}
            }
        )


def grant_agency_admin(agency: Agency, user: Any, *, actor: Any = None) -> AgencyRole:
    """Make ``user`` an administrator of ``agency``."""
    _check_login_of_region(user, agency.region)
    if AgencyRole.objects.filter(user=user, agency=agency, role=AgencyRole.Role.ADMIN).exists():
        raise ValidationError(
            {
                "user": _("%(login)s is already an administrator of %(agency)s.")
                % {"login": user.get_username(), "agency": agency.code}
            }
        )
    role = AgencyRole(user=user, agency=agency, role=AgencyRole.Role.ADMIN)
    with transaction.atomic():
        _saved_by(role, actor)
        audit.record(
            "organisation.agency_admin.granted",
            actor=actor,
            obj=role,
            agency_code=agency.code,
            summary=_("%(login)s named administrator of %(agency)s.")
            % {"login": user.get_username(), "agency": agency.code},
            after={"login": user.get_username()},
        )
    return role


def revoke_agency_admin(agency: Agency, user: Any, *, actor: Any = None) -> None:
    role = AgencyRole.objects.filter(user=user, agency=agency, role=AgencyRole.Role.ADMIN).first()
    if role is None:
        raise ValidationError(
            {
                "user": _("%(login)s is not an administrator of %(agency)s.")
                % {"login": user.get_username(), "agency": agency.code}
            }
        )
    with transaction.atomic():
        audit.record(
            "organisation.agency_admin.revoked",
            actor=actor,
            obj=role,
            agency_code=agency.code,
            summary=_("%(login)s is no longer administrator of %(agency)s.")
            % {"login": user.get_username(), "agency": agency.code},
            before={"login": user.get_username()},
        )
        _deleted_by(role, actor)


def grant_region_admin(region: Region, user: Any, *, actor: Any = None) -> RegionRole:
    """Make ``user`` the regional SAKIP administrator of ``region`` (one of them)."""
    _check_login_of_region(user, region)
    if RegionRole.objects.filter(user=user, region=region, role=RegionRole.Role.ADMIN).exists():
        raise ValidationError(
            {
                "user": _("%(login)s is already a regional administrator of %(region)s.")
                % {"login": user.get_username(), "region": region.name}
            }
        )
    role = RegionRole(user=user, region=region, role=RegionRole.Role.ADMIN)
    with transaction.atomic():
        _saved_by(role, actor)
        audit.record(
            "organisation.region_admin.granted",
            actor=actor,
            obj=role,
            summary=_("%(login)s named regional administrator of %(region)s.")
            % {"login": user.get_username(), "region": region.name},
            after={"login": user.get_username(), "region": region.code},
        )
    return role


def revoke_region_admin(region: Region, user: Any, *, actor: Any = None) -> None:
    role = RegionRole.objects.filter(user=user, region=region, role=RegionRole.Role.ADMIN).first()
    if role is None:
        raise ValidationError(
            {
                "user": _("%(login)s is not a regional administrator of %(region)s.")
                % {"login": user.get_username(), "region": region.name}
            }
        )
    with transaction.atomic():
        audit.record(
            "organisation.region_admin.revoked",
            actor=actor,
            obj=role,
            summary=_("%(login)s is no longer regional administrator of %(region)s.")
            % {"login": user.get_username(), "region": region.name},
            before={"login": user.get_username(), "region": region.code},
        )
        _deleted_by(role, actor)


def create_login(employee: Employee, username: str, *, actor: Any = None) -> Any:
    """A login for an employee who has none, with an unusable password: the official sets
    their own (docs/regions.md); nobody else ever chooses it."""
    username = username.strip()
    if employee.user_id is not None:
        raise ValidationError(
            {"username": _("%(name)s already has a login.") % {"name": employee.full_name}}
        )
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from None
    User = get_user_model()
    if not username or User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("The login %(name)s is already taken.") % {"name": username or "-"}}
        )
    user = User(username=username, email=employee.email)
    user.set_unusable_password()
    with transaction.atomic():
        user.save()
        employee.user = user
        _saved_by(employee, actor)
        audit.record(
            "organisation.login.created",
            actor=actor,
            obj=employee,
            agency_code=employee.agency.code,
            summary=_("Login %(login)s created for %(name)s.")
            % {"login": username, "name": employee.full_name},
            after={"login": username},
        )
    return user


def add_employee(
    agency: Agency, full_name: str, *, nip: str = "", email: str = "", actor: Any = None
) -> Employee:
    """A new employee of ``agency`` entered by hand (its first administrator, before the office
    has imported its structure): the same checks as the structure import (NIP, e-mail)."""
    employee = Employee(
        agency=agency, full_name=full_name.strip(), nip=nip.strip() or None, email=email.strip()
    )
    employee.clean()  # the NIP read as printed (with spaces) to its 18 digits, or refused
    employee.full_clean(exclude=["user"])
    with transaction.atomic():
        _saved_by(employee, actor)
        audit.record(
            "organisation.employee.created",
            actor=actor,
            obj=employee,
            agency_code=agency.code,
            summary=_("Employee %(name)s added to %(agency)s.")
            % {"name": employee.full_name, "agency": agency.code},
            after={"full_name": employee.full_name, "nip": employee.nip or ""},
        )
    return employee
