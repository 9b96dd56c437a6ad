"""The four seed SOPs load with their exact identity, actors, steps, decisions and totals."""

from __future__ import annotations

import pytest

from kinerja.core.models import AuditEntry
from kinerja.procedures.demo import load
from kinerja.procedures.models import Lane, Sop, SopVersion, Step

pytestmark = pytest.mark.django_db

# agency: (number, lanes as printed with their position codes (or team), per step: lane name,
# Waktu, Output, total)
EXPECTED = {
    "DKUKMTK-BLG": {
        "number": "000.8.3.3/003/DKUKMTK-BLG/2024",
        "lanes": [
            ("Kepala Dinas", ["KADIS"]),
            ("Sekretaris", ["SEKRETARIS"]),
            ("Kasubbag Perencanaan", ["KASUBBAG-PKA"]),
            ("Kabid", ["KABID-KOP", "KABID-UKM", "KABID-NAKER"]),
            ("Staf/Jabatan Fongsiol Umum", ["STAF-JFU"]),
        ],
        "steps": [
            ("Sekretaris", "10 Menit", "Disposisi Surat"),
            ("Kasubbag Perencanaan", "2 Jam", "Format penyusunan LAKIP"),
            ("Kasubbag Perencanaan", "1 Jam", "Format penyusunan LAKIP"),
            ("Kabid", "3 Jam", "Format penyusunan LAKIP"),
            ("Kasubbag Perencanaan", "4 Hari", "Format penyusunan LAKIP"),
            ("Kasubbag Perencanaan", "2 Hari", "Draft LAKIP"),
            ("Sekretaris", "1 Hari", "Dokumen LAKIP"),
            ("Sekretaris", "1 Jam", "Dokumen LAKIP"),
            ("Kepala Dinas", "10 Menit", "Dokumen LAKIP"),
            ("Kasubbag Perencanaan", "15 Menit", "Konsep Surat Pengantar"),
            ("Staf/Jabatan Fongsiol Umum", "1 Jam", "Dokumen LAKIP"),
        ],
        "total": "7 Hari 8 Jam 35 Menit",
        "signer": ("ABDURRAHMAN ARRAHIMI, S.PI", "Pembina Tk. I (IV/b)", "19681117 199703 1 003"),
    },
    "DINKES-BLG": {
        "number": "445/1.c/DINKES-BLG/2024",
        "lanes": [
            ("Sekretaris", ["SEKRETARIS"]),
            ("Kepala Bidang", ["KABID-KESMAS", "KABID-P2P"]),
            ("Kasubag Program", ["KASUBAG-PROG"]),
            ("Kepala Seksi", ["KASI-KESGA", "KASI-SURV"]),
            ("Staf Penyusun Evaluasi Kinerja", ["STAF-EVIN"]),
        ],
        "steps": [
            ("Sekretaris", "15 Menit", "Disposisi"),
            ("Kepala Bidang", "30 Menit", "Lembar Disposisi"),
            ("Kepala Seksi", "2 Menit", "Draft Laporan Kinerja"),
            ("Staf Penyusun Evaluasi Kinerja", "30 Menit", "Draft Laporan Kinerja"),
            ("Kasubag Program", "30 Menit", "Draft Laporan Kinerja"),
            ("Staf Penyusun Evaluasi Kinerja", "2 Hari", "Disposisi"),
            ("Kasubag Program", "120 Hari", "Lembar Disposisi"),
            ("Sekretaris", "60 Menit", "Draft Laporan Kinerja"),
            ("Kasubag Program", "15 Menit", "Draft Laporan Kinerja"),
        ],
        "total": "122 Hari 3 Jam 2 Menit",
        "signer": ("H. AHMAD SAUKI, SKM, MM", "Pembina Tk I/IV b", "19731114 200604 1 006"),
    },
    "KTT_BLG": {
        "number": "067/013/KTT_BLG/VII/2023",
        "lanes": [
            ("Camat", ["CAMAT"]),
            ("Sekretaris", ["SEKCAM"]),
            ("Kasubbag Perencanaan dan Keuangan", ["KASUBBAG-PK"]),
            ("Pelaksana", ["PELAKSANA"]),
        ],
        "steps": [
            ("Camat", "10 Menit", "Surat Terdisposisi"),
            ("Kasubbag Perencanaan dan Keuangan", "2 Jam", "Format Penyusunan LKIP"),
            ("Pelaksana", "1 Jam", "Format Penyusunan LKIP"),
            ("Pelaksana", "3 Jam", "Format Penyusunan LKIP"),
            ("Kasubbag Perencanaan dan Keuangan", "5 Hari", "Draft LKIP"),
            ("Kasubbag Perencanaan dan Keuangan", "2 Hari", "Dokumen LKIP Belum Bertanda Tangan"),
            ("Sekretaris", "2 hari", "Dokumen LKIP Belum Bertanda Tangan"),
            ("Sekretaris", "1 Jam", "Dokumen LKIP Bertanda Tangan"),
            ("Kasubbag Perencanaan dan Keuangan", "1 Jam", "Surat Pengantar"),
            ("Pelaksana", "1 Hari", "Dokumen LKIP Bertanda Tangan"),
        ],
        "total": "10 Hari 8 Jam 10 Menit",
        "signer": ("NORSAMIDI, S.Kep", "", "19720606 199202 1 001"),
    },
    "ADPIM-KALBAR": {
        "number": "",
        "lanes": [
            ("Kasubag", ["KASUBAG-TU"]),
            ("Staf", ["STAF"]),
            ("Tim", "TIM-LAKIP"),
            ("Kabag", ["KABAG-TUP"]),
            ("Karo", ["KARO"]),
        ],
        "steps": [
            ("Kasubag", "10 menit", "Penugasan lisan"),
            ("Staf", "30 menit", "Agenda Rapat"),
            ("Staf", "2 jam", "Kesiapan bahan dan ruangan rapat"),
            ("Kabag", "1 hari", "Memimpin rapat"),
            ("Tim", "1 hari", "Notulensi hasil rapat"),
            ("Tim", "2 hari", "Draft akhir LAKIP"),
            ("Kasubag", "2 jam", "Draft akhir LAKIP yang sudah diperiksa"),
            ("Kabag", "2 jam", "Draft akhir LAKIP diterima Karo"),
            ("Karo", "2 jam", "LAKIP Biro"),
        ],
        "total": "4 Hari 8 Jam 40 Menit",
        "signer": ("SEFPR KURNIADI, S.STP.", "", ""),
    },
}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_seed_sop_loads_exactly(seed_sops, code):
    expected = EXPECTED[code]
    version = seed_sops[code]
    assert version.status == SopVersion.Status.EFFECTIVE
    assert version.number == expected["number"]
    lanes = list(version.lanes.all())
    got_lanes = [
        (lane.name, lane.team.code if lane.team else [p.code for p in lane.positions.all()])
        for lane in lanes
    ]
    assert got_lanes == [(name, who) for name, who in expected["lanes"]]
    steps = list(version.ordered_steps())
    assert [s.number for s in steps] == list(range(1, len(expected["steps"]) + 1))
    assert [(s.lane.name, s.time_text, s.output) for s in steps] == expected["steps"]
    assert version.total_time().display() == expected["total"]
    assert (version.signer_name, version.signer_rank, version.signer_nip) == expected["signer"]
    assert version.first_step().number == 1 and steps[0].starts
    assert steps[-1].is_terminal and steps[-1].next_steps() == []


def test_identity_fields_of_seed_001_as_printed(seed_sops):
    version = seed_sops["DKUKMTK-BLG"]
    assert version.name == "Penyusunan Laporan Akuntabilitas Kinerja Instansi Pemerintah (LAKIP)"
    assert version.drafted_on.isoformat() == "2024-01-15"
    assert version.effective_on.isoformat() == "2024-01-15"
    assert version.revised_on is None
    assert version.approver_position.code == "KADIS"
    assert version.approver_position_text == "Kepala Dinas"
    assert version.signer_title == "Plt. Kepala DKUKMTK Kabupaten Balangan"
    assert len(version.legal_basis) == 3 and version.legal_basis[2] == "Peraturan Bupati....."
    assert "Laporan Reallsasi Keuangan" in version.equipment  # the office's typo, kept
    assert [r.text for r in version.related_sops.all()] == ["SOP Perjanjian Kinerja"]
    assert version.warnings == [
        "Jika tidak dilaksanakan sesuai SOP, maka proses penyusunan LAKIP ini tidak berjalan lancar."
    ]
    assert version.records == [
        "Indikator Kinerja, target, realisasi, dan presentase capaian kinerja"
    ]
    step5 = version.step(5)
    assert step5.note == "SOP Perjanjaan Kinerja"
    assert step5.duration.unit == "working_day" and step5.time_value == 4
    assert "Kabid" in version.notes


def test_decisions_of_seed_002(seed_sops):
    version = seed_sops["DINKES-BLG"]
    step7, step8, step9 = version.step(7), version.step(8), version.step(9)
    assert step7.is_decision and step8.is_decision and not step9.is_decision
    assert (step7.route(True).number, step7.route(False).number) == (8, 6)
    assert (step8.route(True).number, step8.route(False).number) == (9, 7)
    assert [s.number for s in step7.next_steps()] == [8, 6]
    assert step9.is_terminal
    assert "Step 7" in version.notes or "step 7" in version.notes.lower()
    with pytest.raises(ValueError):
        step7.route()


def test_seed_004_team_lane_and_called_sop(seed_sops, offices):
    version = seed_sops["ADPIM-KALBAR"]
    tim = version.lanes.get(name="Tim")
    assert tim.team.code == "TIM-LAKIP" and tim.is_shared
    assert tim.holders_on(offices["ADPIM-KALBAR"].today()).count() == 3
    step2 = version.step(2)
    assert step2.called_sop_text == "SOP Penerbitan Undangan Rapat Tim"
    assert step2.called_sop is None  # not in the registry: kept as text
    assert step2.action == "meeting"


def test_lane_holders_follow_positions(seed_sops, offices):
    version = seed_sops["DKUKMTK-BLG"]
    day = offices["DKUKMTK-BLG"].today()
    kabid = version.lanes.get(key="kabid")
    assert kabid.holders_on(day).count() == 3 and kabid.is_shared
    kadis = version.lanes.get(key="kadis")
    assert [e.full_name for e in kadis.holders_on(day)] == ["ABDURRAHMAN ARRAHIMI, S.PI"]
    assert not kadis.is_shared
    staf = version.lanes.get(key="staf")
    assert staf.is_shared and staf.holders_on(day).count() == 2


def test_demo_loader_is_idempotent(seed_sops):
    counts = (
        Sop.objects.count(),
        SopVersion.objects.count(),
        Lane.objects.count(),
        Step.objects.count(),
        AuditEntry.objects.count(),
    )
    load()
    load()
    assert counts == (
        Sop.objects.count(),
        SopVersion.objects.count(),
        Lane.objects.count(),
        Step.objects.count(),
        AuditEntry.objects.count(),
    )


def test_effective_queryset(seed_sops):
    assert Sop.objects.effective().count() == 4
    sop = seed_sops["KTT_BLG"].sop
    assert sop.effective_version() == sop.latest_version() == seed_sops["KTT_BLG"]
