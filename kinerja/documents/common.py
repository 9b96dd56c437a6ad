"""What every document shares: letterhead, signature blocks, Indonesian dates and numbers."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
from dataclasses import asdict, dataclass

import segno
from django.conf import settings
from django.urls import reverse

from kinerja.core.formats import format_date_id, format_number_id
from kinerja.organisation.models import Agency, Position, PositionHolding

# The seat of each region's government, printed before the date of a letter.
PLACES = {"63": "Banjarbaru", "63.11": "Paringin", "61": "Pontianak"}


@dataclass
class SignatureBlock:
    """``[Tempat], [tanggal]`` / jabatan (Plt./Plh.) / name / pangkat / NIP (DOMAIN.md §9.2)."""

    place: str
    date: str
    title: str
    name: str
    rank: str
    nip: str
    position_code: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def nip_line(self) -> str:
        return f"NIP. {self.nip}" if self.nip else ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def place_of(agency: Agency) -> str:
    region = agency.region
    if region.code in PLACES:
        return PLACES[region.code]
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        if region.name.startswith(prefix):
            return region.name[len(prefix) :]
    return region.name


def head_position(agency: Agency) -> Position | None:
    return (
        Position.objects.filter(agency=agency, is_head=True, unit__isnull=True)
        .order_by("order")
        .first()
    )


def holding_of(position: Position, day: dt.date) -> PositionHolding | None:
    """The holder on ``day``: the definitive one first, then Plt., then Plh."""
    order = {"definitif": 0, "plt": 1, "plh": 2}
    holdings = sorted(position.holdings_on(day), key=lambda h: order.get(h.kind, 9))
    return holdings[0] if holdings else None


def signature_block(
    agency: Agency, day: dt.date, position: Position | None = None, place: str = ""
) -> SignatureBlock:
    """The block for ``position`` (the head by default) as held on ``day``."""
    position = position or head_position(agency)
    holding = holding_of(position, day) if position else None
    if position is not None and position.is_head and position.unit_id is None and agency.head_title:
        base_title = agency.head_title
    else:
        base_title = position.name.upper() if position else ""
    prefix = holding.prefix if holding else ""
    employee = holding.employee if holding else None
    return SignatureBlock(
        place=place or place_of(agency),
        date=format_date_id(day),
        title=f"{prefix} {base_title}".strip(),
        name=employee.full_name if employee else "",
        rank=employee.rank_display if employee else "",
        nip=employee.nip_display if employee else "",
        position_code=position.code if position else "",
    )


def letterhead(agency: Agency) -> dict[str, object]:
    contact = []
    if agency.phone:
        contact.append(f"Telepon {agency.phone}")
    if agency.email:
        contact.append(f"Email {agency.email}")
    if agency.website:
        contact.append(f"Laman {agency.website}")
    address = agency.address
    if agency.postal_code:
        address = f"{address} Kode Pos {agency.postal_code}".strip()
    return {"lines": agency.letterhead(), "address": address, "contact": " ".join(contact)}


def public_url() -> str:
    """The product's public address (``SITE_URL``), the base of the QR code's link."""
    return settings.SITE_URL.rstrip("/")


def verification_url(token: str) -> str:
    return public_url() + reverse("documents:verify", args=[token])


def qr_png(payload: str, scale: int = 1) -> bytes:
    """The QR code as PNG, one pixel per module at scale 1 (tests re-encode and compare)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def angka(value, decimals: int = 2) -> str:
    return format_number_id(value, decimals)


def tanggal(value: dt.date | None) -> str:
    return format_date_id(value)
