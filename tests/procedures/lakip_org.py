"""The organisation the sample SOP Penyusunan LAKIP SKPD needs, built through the models: a Dinas
of Kabupaten Balangan with three Bidang, a Tim Penyusun LAKIP, the Bagian Organisasi of the Setda
in the same region, and a Dinas of another region (the door test's outsider)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model

from kinerja.organisation.models import (
    Agency,
    Employee,
    Position,
    PositionHolding,
    Region,
    Team,
    Unit,
)

SAMPLE = (
    Path(__file__).resolve().parents[2] / "docs" / "examples" / "sop-penyusunan-lakip-skpd.yaml"
)
SINCE = dt.date(2020, 1, 1)
BIDANG = [
    ("BID-BM", "Bidang Bina Marga"),
    ("BID-SDA", "Bidang Sumber Daya Air"),
    ("BID-CK", "Bidang Cipta Karya"),
]


def sample_text() -> str:
    """The sample file as written (its durations as offices print them: "1 (satu) hari")."""
    return SAMPLE.read_text(encoding="utf-8")


@dataclass
class LakipOrg:
    dinas: Agency
    setda: Agency
    outsider_agency: Agency
    users: dict[str, object] = field(default_factory=dict)

    def user(self, name: str):
        return self.users[name]


def person(agency: Agency, position: Position | None, username: str, name: str, nip: str):
    user = get_user_model().objects.create_user(username=username)
    employee = Employee.objects.create(agency=agency, full_name=name, nip=nip, user=user)
    if position is not None:
        PositionHolding.objects.create(position=position, employee=employee, start=SINCE)
    return user


def _agency(region: Region, code: str, name: str, kind: str) -> Agency:
    return Agency.objects.create(
        region=region, code=code, name=name, kind=kind, time_zone="Asia/Makassar"
    )


def _bagian_organisasi(org: LakipOrg, nip) -> None:
    """Bagian Organisasi of the Setda (the demo's, when loaded) with its Kabag, and a staff
    position under him."""
    setda = org.setda
    unit, _ = Unit.objects.get_or_create(
        agency=setda, code="BAG-ORG", defaults={"name": "Bagian Organisasi", "kind": "bagian"}
    )
    kabag, _ = Position.objects.get_or_create(
        agency=setda,
        code="KABAG-ORG",
        defaults={
            "unit": unit,
            "name": "Kepala Bagian Organisasi",
            "kind": "struktural",
            "is_head": True,
        },
    )
    holding = PositionHolding.objects.filter(position=kabag, employee__user__isnull=False).first()
    org.users["kabag_org"] = (
        holding.employee.user
        if holding is not None
        else person(setda, kabag, "uji.kabag.org", "Kabag Organisasi", next(nip))
    )
    staf = Position.objects.create(
        agency=setda,
        unit=unit,
        code="ANALIS-ORG-UJI",
        name="Analis Kelembagaan",
        kind="fungsional",
        superior=kabag,
    )
    org.users["staf_org"] = person(setda, staf, "uji.staf.org", "Staf Organisasi", next(nip))


def build(region: Region) -> LakipOrg:
    """The Dinas (DPUPR-BLG) and the Setda (SETDA-BLG) in ``region``, an outsider elsewhere."""
    dinas = _agency(region, "DPUPR-BLG", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas")
    setda = Agency.objects.filter(code="SETDA-BLG").first() or _agency(
        region, "SETDA-BLG", "Sekretariat Daerah", "setda"
    )
    assert setda.region == region
    other_region = Region.objects.create(
        name="Kabupaten Tabalong (uji)",
        kind="kabupaten",
        code="TBL-UJI",
        government_name="PEMERINTAH KABUPATEN TABALONG",
        time_zone="Asia/Makassar",
    )
    outsider = _agency(other_region, "DPUPR-TBL", "Dinas PUPR Tabalong", "dinas")
    org = LakipOrg(dinas=dinas, setda=setda, outsider_agency=outsider)
    nip = iter(f"19800101200501{n:04d}" for n in range(1, 100))
    kadis = Position.objects.create(
        agency=dinas, code="KADIS", name="Kepala Dinas", kind="struktural", is_head=True
    )
    sek_unit = Unit.objects.create(agency=dinas, code="SEK", name="Sekretariat", kind="sekretariat")
    sek = Position.objects.create(
        agency=dinas,
        unit=sek_unit,
        code="SEKRETARIS",
        name="Sekretaris",
        kind="struktural",
        is_head=True,
        superior=kadis,
    )
    org.users["kadis"] = person(dinas, kadis, "uji.dpupr.kadis", "Kepala Dinas PUPR", next(nip))
    org.users["sekretaris"] = person(
        dinas, sek, "uji.dpupr.sekretaris", "Sekretaris PUPR", next(nip)
    )
    for order, (code, name) in enumerate(BIDANG, start=1):
        unit = Unit.objects.create(agency=dinas, code=code, name=name, kind="bidang", order=order)
        position = Position.objects.create(
            agency=dinas,
            unit=unit,
            code=f"KABID-{code[4:]}",
            name=f"Kepala {name}",
            kind="struktural",
            is_head=True,
            superior=kadis,
        )
        org.users[f"kabid{order}"] = person(
            dinas, position, f"uji.dpupr.kabid{order}", f"Kabid {code[4:]}", next(nip)
        )
    analis = Position.objects.create(
        agency=dinas,
        unit=sek_unit,
        code="ANALIS",
        name="Analis Kinerja",
        kind="fungsional",
        shared=True,
        superior=sek,
    )
    team = Team.objects.create(agency=dinas, code="TIM-LAKIP", name="Tim Penyusun LAKIP")
    for n in (1, 2):
        org.users[f"tim{n}"] = person(dinas, analis, f"uji.dpupr.tim{n}", f"Analis {n}", next(nip))
        team.members.add(org.users[f"tim{n}"].employee, through_defaults={"role": "anggota"})
    _bagian_organisasi(org, nip)
    bidang = Unit.objects.create(
        agency=outsider, code="BID-BM", name="Bidang Bina Marga", kind="bidang"
    )
    kabid_out = Position.objects.create(
        agency=outsider,
        unit=bidang,
        code="KABID-BM",
        name="Kabid BM Tabalong",
        kind="struktural",
        is_head=True,
    )
    org.users["outsider"] = person(
        outsider, kabid_out, "uji.tbl.kabid", "Kabid Tabalong", next(nip)
    )
    return org
