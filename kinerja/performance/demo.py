"""Demo performance data for the four seed offices: Renstra 2021-2026, indicators, targets, PK 2024
and 2025, Rencana Aksi, budget, quarterly actuals for 2023 and 2024. Loading twice changes nothing.

Every figure is fictional but plausible; values come from a seeded generator, so they are stable.
"""

from __future__ import annotations

import random
import zlib
from decimal import Decimal

from django.db import transaction

from kinerja.organisation.models import Agency, Position, Unit
from kinerja.performance import formulas
from kinerja.performance.models import (
    ActionPlan,
    ActionPlanTarget,
    Activity,
    Actual,
    AgreementIndicator,
    AgreementProgram,
    BudgetCeiling,
    CategoryBand,
    CategoryScale,
    Goal,
    Indicator,
    LookupEntry,
    LookupTable,
    Objective,
    PerformanceAgreement,
    PerformanceSettings,
    Program,
    Spending,
    StrategicPlan,
    SubActivity,
    Target,
)

START, END = 2021, 2026
ACTUAL_YEARS = (2023, 2024)
PK_YEARS = (2024, 2025)
POS, NEG = formulas.POSITIVE, formulas.NEGATIVE
SUM, LAST, AVG = formulas.CUMULATIVE, formulas.LAST, formulas.AVERAGE

GRADES = {"C": 40, "CC": 55, "B": 65, "BB": 75, "A": 85, "AA": 95}
MILESTONES = {"Persiapan": 25, "Pelaksanaan": 75, "Berita acara ditetapkan": 100}

# The strategic issues each Renstra names (printed in Bab I of the LKjIP), one per line.
STRATEGIC_ISSUES = {
    "DKUKMTK-BLG": [
        "Masih rendahnya jumlah koperasi yang aktif dan sehat serta terbatasnya akses koperasi "
        "dan UMKM terhadap permodalan",
        "Rendahnya daya saing produk UMKM dan terbatasnya akses pasar di luar daerah",
        "Tingkat pengangguran terbuka yang masih tinggi dan keterampilan angkatan kerja yang "
        "belum sesuai kebutuhan pasar kerja",
        "Belum optimalnya perlindungan tenaga kerja dan penyelesaian perselisihan hubungan "
        "industrial",
    ],
    "DINKES-BLG": [
        "Masih terjadinya kematian ibu dan bayi serta tingginya prevalensi stunting",
        "Belum meratanya cakupan imunisasi dasar lengkap dan masih adanya penyakit menular",
        "Belum meratanya tenaga kesehatan dan mutu fasilitas pelayanan kesehatan",
        "Rendahnya perilaku hidup bersih dan sehat di masyarakat",
    ],
    "KTT_BLG": [
        "Belum optimalnya kualitas pelayanan administrasi terpadu kecamatan (PATEN)",
        "Terbatasnya kapasitas aparatur desa dalam perencanaan dan pengelolaan keuangan desa",
        "Masih terbatasnya infrastruktur dasar dan akses jalan antardesa",
        "Pemeliharaan ketenteraman dan ketertiban umum di wilayah kecamatan",
    ],
    "ADPIM-KALBAR": [
        "Belum terintegrasinya pengelolaan jadwal, agenda dan informasi pimpinan",
        "Kualitas bahan dan materi pimpinan yang belum sepenuhnya tepat waktu dan berbasis data",
        "Tata kelola keprotokolan yang belum terstandar dalam kegiatan pimpinan",
        "Belum optimalnya akuntabilitas kinerja dan pelaporan biro",
    ],
}

# Indicator rows: objective key, code, name, satuan, polarity, aggregation, unit, IKU, first-year
# target, yearly step, options (pct: percentage capped at 100, range: width, lookup: table key,
# targets: explicit list, components: (numerator, denominator, multiplier), evidence).
OFFICES = {
    "DKUKMTK-BLG": {
        "planning_unit": "SUBBAG-PKA",
        "superior": "Bupati Balangan",
        "goal": "Meningkatnya perekonomian daerah melalui koperasi, UMKM dan ketenagakerjaan",
        "strategic": {
            "SS1": "Meningkatnya daya saing koperasi dan UMKM",
            "SS2": "Meningkatnya kualitas dan perlindungan tenaga kerja",
        },
        "program": {
            "SP-KOP": ("SS1", "BID-KOP", "Meningkatnya koperasi sehat dan aktif"),
            "SP-UKM": ("SS1", "BID-UKM", "Meningkatnya usaha mikro yang naik kelas"),
            "SP-NAKER": (
                "SS2",
                "BID-NAKER",
                "Meningkatnya penempatan dan perlindungan tenaga kerja",
            ),
            "SP-AKIP": ("SS1", "SUBBAG-PKA", "Meningkatnya akuntabilitas kinerja perangkat daerah"),
        },
        "indicators": [
            (
                "SS1",
                "IKU-1",
                "Persentase koperasi aktif",
                "%",
                POS,
                LAST,
                "BID-KOP",
                True,
                55,
                3,
                {"pct": True},
            ),
            (
                "SS1",
                "IKU-2",
                "Persentase UMKM naik kelas",
                "%",
                POS,
                LAST,
                "BID-UKM",
                True,
                2,
                0.5,
                {"pct": True},
            ),
            (
                "SS2",
                "IKU-3",
                "Tingkat pengangguran terbuka",
                "%",
                NEG,
                LAST,
                "BID-NAKER",
                True,
                5.2,
                -0.2,
                {"pct": True},
            ),
            (
                "SP-KOP",
                "K-1",
                "Jumlah koperasi yang dibina",
                "koperasi",
                POS,
                SUM,
                "BID-KOP",
                False,
                40,
                5,
                {"evidence": "link"},
            ),
            (
                "SP-UKM",
                "K-2",
                "Jumlah pelaku UMKM yang dilatih",
                "pelaku usaha",
                POS,
                SUM,
                "BID-UKM",
                False,
                120,
                20,
                {},
            ),
            (
                "SP-NAKER",
                "K-3",
                "Jumlah tenaga kerja yang ditempatkan",
                "orang",
                POS,
                SUM,
                "BID-NAKER",
                False,
                250,
                25,
                {},
            ),
            (
                "SP-NAKER",
                "K-4",
                "Jumlah kasus perselisihan hubungan industrial",
                "kasus",
                NEG,
                SUM,
                "BID-NAKER",
                False,
                12,
                -1,
                {},
            ),
            (
                "SP-NAKER",
                "K-5",
                "Jumlah kecelakaan kerja fatal",
                "kasus",
                NEG,
                SUM,
                "BID-NAKER",
                False,
                0,
                0,
                {},
            ),
            (
                "SP-UKM",
                "K-6",
                "Indeks kepuasan pelaku usaha terhadap layanan",
                "indeks",
                POS,
                AVG,
                "BID-UKM",
                False,
                75,
                1.5,
                {"max": 100},
            ),
            (
                "SP-AKIP",
                "K-7",
                "Nilai SAKIP perangkat daerah",
                "nilai",
                POS,
                LAST,
                "SUBBAG-PKA",
                False,
                60,
                2.5,
                {"max": 100},
            ),
            (
                "SP-AKIP",
                "K-8",
                "Predikat SAKIP perangkat daerah",
                "predikat",
                POS,
                LAST,
                "SUBBAG-PKA",
                False,
                0,
                0,
                {"lookup": "grades", "targets": ["CC", "B", "B", "BB", "BB", "A"]},
            ),
        ],
        "programs": [
            (
                "1.01",
                "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
                "SP-AKIP",
                "SUBBAG-PKA",
                900,
            ),
            ("2.17", "Program Pemberdayaan dan Perlindungan Koperasi", "SP-KOP", "BID-KOP", 650),
            ("2.18", "Program Pengembangan UMKM", "SP-UKM", "BID-UKM", 800),
            ("2.07", "Program Penempatan Tenaga Kerja", "SP-NAKER", "BID-NAKER", 700),
        ],
    },
    "DINKES-BLG": {
        "planning_unit": "SUBBAG-PROG",
        "superior": "Bupati Balangan",
        "goal": "Meningkatnya derajat kesehatan masyarakat Kabupaten Balangan",
        "strategic": {
            "SS1": "Meningkatnya kesehatan ibu, anak dan gizi masyarakat",
            "SS2": "Meningkatnya pencegahan dan pengendalian penyakit",
        },
        "program": {
            "SP-KESGA": (
                "SS1",
                "SEKSI-KESGA",
                "Meningkatnya pelayanan kesehatan keluarga dan gizi",
            ),
            "SP-KESMAS": ("SS1", "BID-KESMAS", "Meningkatnya upaya kesehatan berbasis masyarakat"),
            "SP-P2P": ("SS2", "BID-P2P", "Menurunnya kasus penyakit menular"),
            "SP-SURV": ("SS2", "SEKSI-SURV", "Meningkatnya cakupan imunisasi"),
            "SP-PROG": ("SS1", "SUBBAG-PROG", "Meningkatnya kualitas layanan dan perencanaan"),
        },
        "indicators": [
            (
                "SS1",
                "IKU-1",
                "Angka kematian bayi (AKB)",
                "per 1.000 kelahiran hidup",
                NEG,
                LAST,
                "SEKSI-KESGA",
                True,
                9,
                -0.5,
                {"components": ("Jumlah kematian bayi", "Jumlah kelahiran hidup", 1000)},
            ),
            (
                "SS1",
                "IKU-2",
                "Prevalensi stunting pada balita",
                "%",
                NEG,
                LAST,
                "SEKSI-KESGA",
                True,
                24,
                -2,
                {"pct": True},
            ),
            (
                "SS2",
                "IKU-3",
                "Persentase desa UCI",
                "%",
                POS,
                LAST,
                "SEKSI-SURV",
                True,
                85,
                2,
                {"pct": True, "national": 95},
            ),
            (
                "SP-SURV",
                "K-1",
                "Cakupan imunisasi dasar lengkap",
                "%",
                POS,
                LAST,
                "SEKSI-SURV",
                False,
                88,
                1.5,
                {"pct": True, "national": 95},
            ),
            (
                "SP-P2P",
                "K-2",
                "Jumlah kasus demam berdarah dengue",
                "kasus",
                NEG,
                SUM,
                "BID-P2P",
                False,
                60,
                -5,
                {},
            ),
            (
                "SP-P2P",
                "K-3",
                "Persentase penderita TBC mendapat pelayanan sesuai standar",
                "%",
                POS,
                LAST,
                "BID-P2P",
                False,
                80,
                4,
                {"pct": True, "national": 100},
            ),
            (
                "SP-KESMAS",
                "K-4",
                "Jumlah posyandu aktif",
                "posyandu",
                POS,
                LAST,
                "BID-KESMAS",
                False,
                180,
                5,
                {},
            ),
            (
                "SP-KESGA",
                "K-5",
                "Persentase ibu hamil mendapat pelayanan K4",
                "%",
                POS,
                LAST,
                "SEKSI-KESGA",
                False,
                85,
                2,
                {"pct": True},
            ),
            (
                "SP-PROG",
                "K-6",
                "Indeks kepuasan masyarakat terhadap layanan puskesmas",
                "indeks",
                POS,
                AVG,
                "SUBBAG-PROG",
                False,
                78,
                1,
                {"max": 100},
            ),
            (
                "SP-KESGA",
                "K-7",
                "Jumlah kematian ibu",
                "kasus",
                NEG,
                SUM,
                "SEKSI-KESGA",
                False,
                0,
                0,
                {"targets": [3, 3, 2, 2, 1, 1]},
            ),
        ],
        "programs": [
            (
                "1.02.01",
                "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
                "SP-PROG",
                "SUBBAG-PROG",
                2500,
            ),
            (
                "1.02.02",
                "Program Pemenuhan Upaya Kesehatan Perorangan dan Masyarakat",
                "SP-KESGA",
                "SEKSI-KESGA",
                4200,
            ),
            ("1.02.03", "Program Pencegahan dan Pengendalian Penyakit", "SP-P2P", "BID-P2P", 1800),
            (
                "1.02.05",
                "Program Pemberdayaan Masyarakat Bidang Kesehatan",
                "SP-KESMAS",
                "BID-KESMAS",
                900,
            ),
        ],
    },
    "KTT_BLG": {
        "planning_unit": "SUBBAG-PK",
        "superior": "Bupati Balangan",
        "goal": "Meningkatnya kualitas penyelenggaraan pemerintahan kecamatan",
        "strategic": {
            "SS1": "Meningkatnya kualitas pelayanan administrasi terpadu kecamatan",
            "SS2": "Meningkatnya kemandirian desa dan ketenteraman masyarakat",
        },
        "program": {
            "SP-PEM": ("SS1", "SEKSI-PEM", "Meningkatnya pelayanan PATEN yang cepat dan tepat"),
            "SP-PMD": ("SS2", "SEKSI-PMD", "Meningkatnya kapasitas pemerintahan desa"),
            "SP-TRANTIB": ("SS2", "SEKSI-TRANTIB", "Terjaganya ketenteraman dan ketertiban umum"),
            "SP-PK": ("SS1", "SUBBAG-PK", "Meningkatnya kualitas perencanaan dan keuangan"),
        },
        "indicators": [
            (
                "SS1",
                "IKU-1",
                "Indeks kepuasan masyarakat terhadap layanan kecamatan",
                "indeks",
                POS,
                AVG,
                "SEKSI-PEM",
                True,
                78,
                1,
                {"max": 100},
            ),
            (
                "SS2",
                "IKU-2",
                "Persentase desa berstatus maju dan mandiri",
                "%",
                POS,
                LAST,
                "SEKSI-PMD",
                True,
                20,
                5,
                {"pct": True},
            ),
            (
                "SP-PEM",
                "K-1",
                "Jumlah dokumen PATEN yang diselesaikan",
                "dokumen",
                POS,
                SUM,
                "SEKSI-PEM",
                False,
                1200,
                100,
                {},
            ),
            (
                "SP-PEM",
                "K-2",
                "Waktu rata-rata penyelesaian layanan PATEN",
                "hari",
                NEG,
                AVG,
                "SEKSI-PEM",
                False,
                2,
                0,
                {"range": 1},
            ),
            (
                "SP-PMD",
                "K-3",
                "Jumlah desa yang menetapkan APBDes tepat waktu",
                "desa",
                POS,
                LAST,
                "SEKSI-PMD",
                False,
                8,
                1,
                {"max": 14},
            ),
            (
                "SP-TRANTIB",
                "K-4",
                "Jumlah gangguan ketertiban umum",
                "kejadian",
                NEG,
                SUM,
                "SEKSI-TRANTIB",
                False,
                20,
                -2,
                {},
            ),
            (
                "SP-TRANTIB",
                "K-5",
                "Persentase pelanggaran perda yang ditindaklanjuti",
                "%",
                POS,
                LAST,
                "SEKSI-TRANTIB",
                False,
                80,
                3,
                {"pct": True},
            ),
            (
                "SP-PK",
                "K-6",
                "Persentase realisasi anggaran kecamatan",
                "%",
                POS,
                LAST,
                "SUBBAG-PK",
                False,
                90,
                1,
                {"pct": True},
            ),
            (
                "SP-PK",
                "K-7",
                "Tahapan musrenbang kecamatan",
                "tahapan",
                POS,
                LAST,
                "SUBBAG-PK",
                False,
                0,
                0,
                {"lookup": "milestones", "targets": ["Berita acara ditetapkan"] * 6},
            ),
        ],
        "programs": [
            (
                "7.01.01",
                "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
                "SP-PK",
                "SUBBAG-PK",
                450,
            ),
            (
                "7.01.02",
                "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
                "SP-PEM",
                "SEKSI-PEM",
                300,
            ),
            (
                "7.01.03",
                "Program Pemberdayaan Masyarakat Desa dan Kelurahan",
                "SP-PMD",
                "SEKSI-PMD",
                350,
            ),
            (
                "7.01.04",
                "Program Koordinasi Ketenteraman dan Ketertiban Umum",
                "SP-TRANTIB",
                "SEKSI-TRANTIB",
                200,
            ),
        ],
    },
    "ADPIM-KALBAR": {
        "planning_unit": "SUBBAG-TU",
        "superior": "Sekretaris Daerah Provinsi Kalimantan Barat",
        "goal": "Meningkatnya kualitas dukungan administrasi kepada pimpinan daerah",
        "strategic": {
            "SS1": "Meningkatnya kualitas dukungan administrasi dan keprotokolan pimpinan",
        },
        "program": {
            "SP-PROT": ("SS1", "BAG-PROT", "Meningkatnya kualitas layanan keprotokolan"),
            "SP-TU": ("SS1", "SUBBAG-TU", "Meningkatnya ketepatan layanan tata usaha pimpinan"),
            "SP-TUP": ("SS1", "BAG-TUP", "Meningkatnya kepuasan pimpinan terhadap layanan biro"),
        },
        "indicators": [
            (
                "SS1",
                "IKU-1",
                "Persentase agenda pimpinan yang terlaksana tepat waktu",
                "%",
                POS,
                LAST,
                "BAG-PROT",
                True,
                85,
                2,
                {"pct": True},
            ),
            (
                "SS1",
                "IKU-2",
                "Indeks kepuasan pimpinan terhadap layanan biro",
                "indeks",
                POS,
                AVG,
                "BAG-TUP",
                True,
                80,
                1,
                {"max": 100},
            ),
            (
                "SP-PROT",
                "K-1",
                "Jumlah kegiatan keprotokolan yang difasilitasi",
                "kegiatan",
                POS,
                SUM,
                "BAG-PROT",
                False,
                300,
                20,
                {},
            ),
            (
                "SP-TU",
                "K-2",
                "Jumlah naskah sambutan pimpinan yang disusun",
                "naskah",
                POS,
                SUM,
                "SUBBAG-TU",
                False,
                150,
                10,
                {},
            ),
            (
                "SP-TU",
                "K-3",
                "Waktu penyelesaian disposisi surat pimpinan",
                "hari kerja",
                NEG,
                AVG,
                "SUBBAG-TU",
                False,
                1,
                0,
                {"range": 1},
            ),
            (
                "SP-PROT",
                "K-4",
                "Jumlah keluhan tamu pimpinan",
                "keluhan",
                NEG,
                SUM,
                "BAG-PROT",
                False,
                12,
                -1,
                {},
            ),
            (
                "SP-TU",
                "K-5",
                "Persentase surat masuk yang didisposisi paling lama 1 hari kerja",
                "%",
                POS,
                LAST,
                "SUBBAG-TU",
                False,
                85,
                2,
                {"pct": True},
            ),
            (
                "SP-TUP",
                "K-6",
                "Nilai SAKIP biro",
                "nilai",
                POS,
                LAST,
                "BAG-TUP",
                False,
                62,
                2,
                {"max": 100},
            ),
        ],
        "programs": [
            (
                "4.01.01",
                "Program Penunjang Urusan Pemerintahan Daerah Provinsi",
                "SP-TUP",
                "BAG-TUP",
                1500,
            ),
            (
                "4.01.02",
                "Program Pemerintahan dan Kesejahteraan Rakyat (Protokol)",
                "SP-PROT",
                "BAG-PROT",
                2200,
            ),
            ("4.01.03", "Program Administrasi Pimpinan", "SP-TU", "SUBBAG-TU", 1200),
        ],
    },
}


def _rng(*parts: object) -> random.Random:
    return random.Random(zlib.crc32("|".join(map(str, parts)).encode()))


def _d(value: float, places: int = 2) -> Decimal:
    return Decimal(str(round(value, places)))


def ensure_default_scale() -> CategoryScale:
    scale, _ = CategoryScale.objects.get_or_create(
        name=formulas.PERMENDAGRI_86_2017.name, region=None, defaults={"is_default": True}
    )
    if not scale.bands.exists():
        for order, band in enumerate(formulas.PERMENDAGRI_86_2017.bands):
            CategoryBand.objects.create(
                scale=scale, code=band.code, label=band.label, lower=band.lower, order=order
            )
    return scale


def _lookup(name: str, entries: dict[str, int], mode: str) -> LookupTable:
    table, created = LookupTable.objects.get_or_create(
        agency=None, name=name, defaults={"mode": mode}
    )
    if created:
        for order, (label, score) in enumerate(entries.items()):
            LookupEntry.objects.create(table=table, label=label, score=score, order=order)
    return table


def _target_for(row: tuple, year: int) -> dict:
    first, step, options = row[8], row[9], row[10]
    if "targets" in options:
        value = options["targets"][year - START]
        if isinstance(value, str):
            return {"value": None, "upper": None, "text": value}
        return {"value": _d(value), "upper": None, "text": ""}
    value = first + step * (year - START)
    if options.get("pct") or options.get("max"):
        value = min(value, options.get("max", 100))
    upper = _d(value + options["range"]) if "range" in options else None
    return {"value": _d(value), "upper": upper, "text": ""}


def _quarter_actuals(row: tuple, year: int, target: dict) -> list[dict]:
    """Four plausible quarterly values (each quarter's own value, not cumulative)."""
    code, polarity, aggregation, options = row[1], row[4], row[5], row[10]
    rng = _rng(code, row[6], year)
    if "lookup" in options:
        grades = list(GRADES) if options["lookup"] == "grades" else list(MILESTONES)
        index = grades.index(target["text"]) if target["text"] in grades else len(grades) - 1
        reached = max(0, index - rng.choice([0, 0, 1]))
        steps = [max(0, reached - 1)] * 2 + [reached] * 2
        return [{"text": grades[s]} for s in steps]
    base = target["value"] or Decimal(0)
    limit = options.get("max", 100 if options.get("pct") else None)
    values = []
    for quarter in range(1, 5):
        factor = rng.uniform(0.62, 1.12)
        if aggregation == SUM:
            share = (0.2, 0.25, 0.25, 0.3)[quarter - 1]
            raw = float(base) * share * factor
            if base == 0:
                raw = rng.choice([0, 0, 0, 1]) if polarity == NEG else 0
            value = _d(round(raw))
        elif "range" in options:
            value = _d(float(base) * rng.uniform(0.85, 1.6), 1)
        else:
            drift = 0.94 + 0.03 * quarter if polarity == POS else 1.08 - 0.03 * quarter
            value = _d(
                float(base) * drift * rng.uniform(0.72, 1.05)
                if polarity == POS
                else float(base) * drift * rng.uniform(0.95, 1.3)
            )
        if limit is not None:
            value = min(value, Decimal(limit))
        entry = {"value": value}
        if "components" in options:
            births = rng.randint(900, 1100)
            deaths = round(float(value) * births / 1000)
            entry = {"value": None, "numerator": Decimal(deaths), "denominator": Decimal(births)}
        values.append(entry)
    return values


@transaction.atomic
def load_office(code: str) -> None:
    office = OFFICES[code]
    agency = Agency.objects.get(code=code)
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    scale = ensure_default_scale()
    PerformanceSettings.objects.update_or_create(
        agency=agency, defaults={"planning_unit": units[office["planning_unit"]], "scale": scale}
    )
    tables = {
        "grades": _lookup("Predikat SAKIP", GRADES, LookupTable.Mode.RATIO),
        "milestones": _lookup("Tahapan musrenbang", MILESTONES, LookupTable.Mode.DIRECT),
    }
    plan, _ = StrategicPlan.objects.update_or_create(
        agency=agency,
        start_year=START,
        defaults={
            "end_year": END,
            "title": f"Rencana Strategis {agency.name} {START}-{END}",
            "rpjmd_reference": "Misi RPJMD: meningkatkan kualitas pelayanan publik dan daya saing daerah",
            "strategic_issues": "\n".join(STRATEGIC_ISSUES.get(agency.code, [])),
        },
    )
    goal, _ = Goal.objects.update_or_create(
        plan=plan, code="T1", defaults={"statement": office["goal"]}
    )
    objectives: dict[str, Objective] = {}
    for order, (key, statement) in enumerate(office["strategic"].items()):
        objectives[key], _ = Objective.objects.update_or_create(
            plan=plan,
            code=key,
            defaults={"goal": goal, "level": "strategis", "statement": statement, "order": order},
        )
    for order, (key, (parent, unit, statement)) in enumerate(office["program"].items(), 10):
        objectives[key], _ = Objective.objects.update_or_create(
            plan=plan,
            code=key,
            defaults={
                "goal": goal,
                "parent": objectives[parent],
                "level": "program",
                "statement": statement,
                "unit": units[unit],
                "order": order,
            },
        )
    indicators: list[tuple[Indicator, tuple]] = []
    for order, row in enumerate(office["indicators"]):
        key, icode, name, satuan, polarity, aggregation, unit, iku, first, step, options = row
        components = options.get("components")
        lookup = options.get("lookup")
        kind = "lookup" if lookup else ("range" if "range" in options else "number")
        end = _target_for(row, END)
        indicator, _ = Indicator.objects.update_or_create(
            objective=objectives[key],
            code=icode,
            defaults={
                "name": name,
                "unit_of_measure": satuan,
                "polarity": polarity,
                "aggregation": aggregation,
                "target_kind": kind,
                "lookup_table": tables[lookup] if lookup else None,
                "is_percentage": bool(options.get("pct")),
                "max_value": Decimal(options.get("max", 100))
                if options.get("pct") or options.get("max")
                else None,
                "is_key": iku,
                "baseline_year": START - 1,
                "baseline": None if lookup else _d(first - step),
                "end_target": end["value"],
                "national_standard": Decimal(options["national"])
                if "national" in options
                else None,
                "national_standard_source": "Standar Pelayanan Minimal (Permenkes 4/2019)"
                if "national" in options
                else "",
                "unit": units[unit],
                "definition": f"{name}, diukur dalam {satuan}.",
                "data_source": f"Laporan {units[unit].name}",
                "numerator_label": components[0] if components else "",
                "denominator_label": components[1] if components else "",
                "multiplier": Decimal(components[2]) if components else Decimal(1),
                "evidence_kinds": options.get("evidence", ""),
                "decimals": 0 if aggregation == SUM else 2,
                "order": order,
            },
        )
        indicators.append((indicator, row))
        for year in range(START, END + 1):
            Target.objects.update_or_create(
                indicator=indicator, year=year, defaults=_target_for(row, year)
            )
    head = Position.objects.get(agency=agency, unit__isnull=True, is_head=True)
    programs = _load_budget(agency, office, objectives, units)
    for year in PK_YEARS:
        versions = [1, 2] if (code == "DKUKMTK-BLG" and year == 2025) else [1]
        for version in versions:
            agreement, _ = PerformanceAgreement.objects.update_or_create(
                agency=agency,
                year=year,
                version=version,
                defaults={
                    "status": "signed",
                    "first_party": head,
                    "second_party_title": office["superior"],
                    "signed_on": f"{year}-01-31" if version == 1 else f"{year}-09-15",
                    "reason": "" if version == 1 else "Perubahan APBD: penyesuaian target IKU-2",
                },
            )
            for indicator, row in indicators:
                target = _target_for(row, year)
                if version == 2 and indicator.code == "IKU-2":
                    target = {**target, "value": target["value"] - Decimal("0.5")}
                AgreementIndicator.objects.update_or_create(
                    agreement=agreement, indicator=indicator, defaults=target
                )
            for program, ceilings in programs:
                AgreementProgram.objects.update_or_create(
                    agreement=agreement, program=program, defaults={"budget": ceilings[year]}
                )
        action_plan, _ = ActionPlan.objects.get_or_create(agency=agency, year=year)
        for indicator, row in indicators:
            target = _target_for(row, year)
            for quarter in range(1, 5):
                value = target["value"]
                if value is not None and indicator.aggregation == SUM:
                    value = _d(float(value) * quarter / 4, 0)
                ActionPlanTarget.objects.update_or_create(
                    action_plan=action_plan,
                    indicator=indicator,
                    quarter=quarter,
                    defaults={
                        "value": value,
                        "upper": target["upper"],
                        "text": target["text"],
                        "activities": f"Kegiatan pendukung {indicator.code} triwulan {quarter}",
                    },
                )
    for year in ACTUAL_YEARS:
        for indicator, row in indicators:
            for quarter, values in enumerate(
                _quarter_actuals(row, year, _target_for(row, year)), 1
            ):
                Actual.objects.update_or_create(
                    indicator=indicator,
                    year=year,
                    quarter=quarter,
                    defaults={**values, "status": "tetap"},
                )


def _load_budget(agency, office, objectives, units) -> list[tuple[Program, dict[int, Decimal]]]:
    """The programs with their pagu per year (what the PK of that year lists)."""
    found = []
    for pcode, name, objective, unit, millions in office["programs"]:
        program, _ = Program.objects.update_or_create(
            agency=agency,
            code=pcode,
            defaults={"name": name, "objective": objectives[objective]},
        )
        activity, _ = Activity.objects.update_or_create(
            program=program,
            code=f"{pcode}.01",
            defaults={"name": f"Kegiatan {name[8:]}", "unit": units[unit]},
        )
        totals: dict[int, Decimal] = {}
        for index, share in enumerate((0.6, 0.4), start=1):
            sub, _ = SubActivity.objects.update_or_create(
                activity=activity,
                code=f"{pcode}.01.{index:02d}",
                defaults={
                    "name": ("Penyediaan layanan " if index == 1 else "Monitoring dan evaluasi ")
                    + name[8:].lower(),
                    "unit": units[unit],
                },
            )
            for year in (2023, 2024, 2025):
                ceiling = _d(millions * share * 1_000_000 * (1 + 0.05 * (year - 2023)), 0)
                BudgetCeiling.objects.update_or_create(
                    sub_activity=sub, year=year, defaults={"amount": ceiling}
                )
                totals[year] = totals.get(year, Decimal(0)) + ceiling
                if year not in ACTUAL_YEARS:
                    continue
                rng = _rng(agency.code, sub.code, year)
                for quarter, part in enumerate((0.15, 0.25, 0.25, 0.3), start=1):
                    Spending.objects.update_or_create(
                        sub_activity=sub,
                        year=year,
                        quarter=quarter,
                        defaults={"amount": _d(float(ceiling) * part * rng.uniform(0.8, 1.05), 0)},
                    )
        found.append((program, totals))
    return found


def load(stdout=None) -> list:
    """The demo loader `kinerja demo` calls (AppConfig.demo_loader)."""
    for code in OFFICES:
        if Agency.objects.filter(code=code).exists():
            load_office(code)
    return []
