"""Who: regions, agencies, units, positions, employees, who holds which position, teams, roles.

This layer knows nothing of the others. Every other layer names its actors through
:class:`Position` (an SOP lane names a position, never a person) and finds the people through
:class:`PositionHolding` on a given day.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.core.formats import TIME_ZONE_ABBREVIATIONS
from kinerja.core.lists import text_items
from kinerja.core.uploads import validate_upload
from kinerja.organisation.nip import PNS, PPPK, NipError, format_nip, parse_nip
from kinerja.organisation.ranks import RANK_CHOICES, RANKS, rank_label

TIME_ZONES = [
    ("Asia/Jakarta", _("WIB (UTC+7)")),
    ("Asia/Makassar", _("WITA (UTC+8)")),
    ("Asia/Jayapura", _("WIT (UTC+9)")),
]


class Region(models.Model):
    """A province, regency or city (pemda). A regency or city belongs to its province."""

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency")
        CITY = "kota", _("City")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    government_name = models.CharField(
        _("government name"),
        max_length=200,
        help_text=_("As printed on letterheads, e.g. PEMERINTAH KABUPATEN BALANGAN."),
    )
    time_zone = models.CharField(_("time zone"), max_length=40, choices=TIME_ZONES)
    require_two_factor = models.BooleanField(
        _("require two-factor login"),
        default=False,
        help_text=_(
            "Administrators and heads (signers) of this region's agencies must log in with a "
            "second factor (an authenticator app)."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def family_ids(self) -> list[int]:
        """This region, its province and the province's other regions: one pemda family."""
        root = self.parent or self
        return [root.pk, *root.children.values_list("pk", flat=True)]


LOGO_MAX_MB = 2
LOGO_MAX_PIXELS = 4_000_000  # 2000 x 2000: ample for a letterhead, small enough to decode safely


def validate_logo(value) -> None:
    """A letterhead logo is a PNG or JPEG of at most LOGO_MAX_MB and LOGO_MAX_PIXELS pixels.

    Checked on the file as uploaded (size, extension, first bytes), then its header is read for
    the pixel count before anything decodes the picture."""
    if getattr(value, "_committed", True):
        return  # the file already stored, checked when it was uploaded
    from PIL import Image

    validate_upload(value, ("png", "jpg", "jpeg"), max_mb=LOGO_MAX_MB)
    try:
        value.seek(0)
        with Image.open(value) as image:
            width, height = image.size
            kind = image.format
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The logo is not a readable PNG or JPEG picture.")) from None
    finally:
        value.seek(0)
    if kind not in ("PNG", "JPEG"):
        raise ValidationError(_("The logo is not a readable PNG or JPEG picture."))
    if width * height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is %(width)d × %(height)d pixels; at most %(limit)d pixels are allowed.")
            % {"width": width, "height": height, "limit": LOGO_MAX_PIXELS}
        )


def _logo_path(instance: Agency, filename: str) -> str:
    return f"agencies/{instance.code}/logo/{filename}"


class Agency(models.Model):
    """A government office: dinas, badan, kecamatan, biro (instansi, OPD, SKPD)."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Service (Dinas)")
        BADAN = "badan", _("Agency (Badan)")
        KECAMATAN = "kecamatan", _("District (Kecamatan)")
        BIRO = "biro", _("Bureau (Biro)")
        SETDA = "setda", _("Regional Secretariat (Sekretariat Daerah)")
        PART = "bagian", _("Part of the Regional Secretariat (Bagian)")
        SEKRETARIAT = "sekretariat", _("Secretariat")
        INSPEKTORAT = "inspektorat", _("Inspectorate")
        OTHER = "lainnya", _("Other")

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(
        _("short code"),
        max_length=40,
        unique=True,
        help_text=_("The code used in letter and SOP numbers, e.g. DKUKMTK-BLG."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=500, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=40, choices=TIME_ZONES)
    letterhead_lines = models.TextField(
        _("letterhead lines"),
        blank=True,
        help_text=_(
            "The heading lines of the letterhead, one per line, e.g. "
            "PEMERINTAH KABUPATEN BALANGAN / DINAS KESEHATAN."
        ),
    )
    head_title = models.CharField(
        _("title of the head"),
        max_length=200,
        blank=True,
        help_text=_("As printed above the head's signature, e.g. KEPALA DINAS KESEHATAN."),
    )
    logo = models.ImageField(
        _("letterhead logo"),
        upload_to=_logo_path,
        max_length=300,
        blank=True,
        validators=[validate_logo],
        help_text=_(
            "The emblem of the regional government printed on the letterhead and the report "
            "cover: PNG or JPEG, at most 2 MB and 4 million pixels."
        ),
    )
    main_task = models.TextField(
        _("main task (tugas pokok)"),
        blank=True,
        help_text=_(
            "The agency's task as its regional regulation (Perbup/Pergub) states it; printed in "
            "Chapter I of the annual report."
        ),
    )
    functions = models.TextField(
        _("functions (fungsi)"),
        blank=True,
        help_text=_("The agency's functions, one per line, as the regional regulation lists them."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def time_zone_abbreviation(self) -> str:
        return TIME_ZONE_ABBREVIATIONS.get(self.time_zone, self.time_zone)

    def letterhead(self) -> list[str]:
        lines = [line.strip() for line in self.letterhead_lines.splitlines() if line.strip()]
        return lines or [self.region.government_name, self.name.upper()]

    def function_list(self) -> list[str]:
        """The functions, one per line, without the numbering an office may have typed."""
        return text_items(self.functions)

    def today(self) -> dt.date:
        return timezone.now().astimezone(self.tzinfo).date()


class Unit(models.Model):
    """An organisational unit inside an agency, as a tree: sekretariat > subbag, bidang > seksi."""

    class Kind(models.TextChoices):
        SECRETARIAT = "sekretariat", _("Secretariat")
        SUBDIVISION = "subbagian", _("Subdivision (Subbagian)")
        DIVISION = "bidang", _("Division (Bidang)")
        SECTION = "seksi", _("Section (Seksi)")
        BUREAU_PART = "bagian", _("Part (Bagian)")
        TEAM = "kelompok", _("Functional group")
        OTHER = "lainnya", _("Other")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is not None and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("The parent unit belongs to another agency.")})


class Position(models.Model):
    """A jabatan. SOP lanes name positions; the holder on the day receives the work."""

    class Kind(models.TextChoices):
        STRUCTURAL = "struktural", _("Structural")
        FUNCTIONAL = "fungsional", _("Functional")
        EXECUTIVE = "pelaksana", _("Executive staff (Pelaksana)")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="positions"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        help_text=_("Empty for the head of the agency."),
    )
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_head = models.BooleanField(
        _("heads its unit"),
        default=False,
        help_text=_("The head of the unit, or of the agency when the position has no unit."),
    )
    superior = models.ForeignKey(
        "self",
        verbose_name=_("superior"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
    )
    shared = models.BooleanField(
        _("held by several people"),
        default=False,
        help_text=_("Staff positions such as Staf or Pelaksana that many people hold at once."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["agency", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="position_code_unique_in_agency"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit is not None and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit belongs to another agency.")})
        if self.superior_id and self.superior_id == self.pk:
            raise ValidationError({"superior": _("A position cannot be its own superior.")})

    def holdings_on(self, day: dt.date) -> models.QuerySet[PositionHolding]:
        return self.holdings.active_on(day).select_related("employee")


class Employee(models.Model):
    """A civil servant (PNS or PPPK) or other staff member, with NIP and rank."""

    class Type(models.TextChoices):
        PNS = PNS, _("Civil servant (PNS)")
        PPPK = PPPK, _("Contract civil servant (PPPK)")
        OTHER = "non_asn", _("Non-civil-servant")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="employees"
    )
    full_name = models.CharField(
        _("full name"), max_length=255, help_text=_("With academic titles, as printed.")
    )
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        help_text=_("18 digits; stored without spaces."),
    )
    employee_type = models.CharField(
        _("employee type"), max_length=10, choices=Type.choices, default=Type.PNS
    )
    rank = models.CharField(_("rank (golongan)"), max_length=6, choices=RANK_CHOICES, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.nip:
            if self.employee_type == self.Type.OTHER:
                raise ValidationError({"nip": _("A non-civil-servant has no NIP.")})
            try:
                self.nip = parse_nip(self.nip, self.employee_type).digits
            except NipError as exc:
                raise ValidationError({"nip": str(exc)}) from None
        if self.rank and self.rank not in RANKS:
            raise ValidationError({"rank": _("Unknown rank.")})

    @property
    def nip_display(self) -> str:
        return format_nip(self.nip) if self.nip else ""

    @property
    def rank_display(self) -> str:
        return rank_label(self.rank)


class HoldingQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> HoldingQuerySet:
        return self.filter(Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day))


class PositionHolding(models.Model):
    """Who holds a position from when to when: definitive, acting (Plt.) or daily acting (Plh.)."""

    class Kind(models.TextChoices):
        DEFINITIVE = "definitif", _("Definitive")
        ACTING = "plt", _("Acting (Plt.)")
        DAILY_ACTING = "plh", _("Daily acting (Plh.)")

    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="holdings"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="holdings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DEFINITIVE)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    decree = models.CharField(_("decree number"), max_length=200, blank=True)

    objects = HoldingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position holding")
        verbose_name_plural = _("position holdings")
        ordering = ["position", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="holding_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.employee}"

    @property
    def prefix(self) -> str:
        """``Plt.`` or ``Plh.`` before the position's name; nothing for a definitive holder."""
        prefixes: dict[str, str] = {self.Kind.ACTING: "Plt.", self.Kind.DAILY_ACTING: "Plh."}
        return prefixes.get(self.kind, "")

    @property
    def title(self) -> str:
        return f"{self.prefix} {self.position.name}".strip()

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        mine_end = self.end or dt.date.max
        other_end = end or dt.date.max
        return self.start <= other_end and start <= mine_end


class Team(models.Model):
    """A team appointed by decree (e.g. Tim Penyusun LAKIP), whose members are named people.

    Members may be employees of other agencies of the same region (a Tim Penyusun LAKIP often
    has someone of Bagian Organisasi); each has a role in the team (:class:`TeamMember`)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(_("code"), max_length=40)
    decree = models.CharField(_("decree number"), max_length=200, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    members = models.ManyToManyField(
        Employee,
        verbose_name=_("members"),
        related_name="teams",
        through="TeamMember",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="team_code_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """One member of a team and the part they play in it (ketua, sekretaris, anggota)."""

    class Role(models.TextChoices):
        LEAD = "ketua", _("Chair (Ketua)")
        SECRETARY = "sekretaris", _("Secretary (Sekretaris)")
        MEMBER = "anggota", _("Member (Anggota)")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField(_("role in the team"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "employee__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "employee"], name="team_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.get_role_display()}, {self.team.code})"


class RegionRole(models.Model):
    """A role a login has for a whole region (pemda) beyond its positions.

    ``admin`` is the Administrator SAKIP daerah, the pemda's SAKIP coordinator (usually at Bagian
    Organisasi of the Setda): it creates and edits the agencies of its region and names their
    administrators (docs/regions.md). Other region-wide roles (Bappeda, Inspektorat, the head of
    the region) are further members of :class:`Role`; each grants only what its access helper in
    ``kinerja.organisation.access`` says."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Regional SAKIP administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="region_roles",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region role")
        verbose_name_plural = _("region roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="region_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.region.code}"


class AgencyRole(models.Model):
    """A role a login has for an agency beyond its positions: administrator of its master data."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Agency administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="agency_roles",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency role")
        verbose_name_plural = _("agency roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="agency_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.agency.code}"


class Invitation(models.Model):
    """An invitation to set a first password: a link sent by e-mail, or a one-time code printed
    for an office without e-mail (docs/accounts.md). Only a keyed hash of the code is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        help_text=_("Empty for a login that is no employee's (invited by the operator)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_to = models.EmailField(_("sent to"), blank=True)
    code_hash = models.CharField(_("code (hashed)"), max_length=64, blank=True)
    used_at = models.DateTimeField(_("used or replaced"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "used_at"], name="invitation_open")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())
