"""The four seed offices as demo data (shared/seeds): their units, positions and officials.

Signatories named in the seeds are kept exactly as printed (name, NIP, pangkat, Plt. status);
every other official is fictional, with the surname "Contoh" (example) so nobody mistakes them for a
real person. The structure goes in through :func:`import_structure`, the same service an office
uses, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import math

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from openpyxl import Workbook

from kinerja.core.xlsx import write_sheet
from kinerja.organisation.models import Agency, AgencyRole, Employee, Region, Team
from kinerja.organisation.services.structure import (
    EMPLOYEE_HEADERS,
    EMPLOYEE_SHEET,
    HOLDING_HEADERS,
    HOLDING_SHEET,
    POSITION_HEADERS,
    POSITION_SHEET,
    UNIT_HEADERS,
    UNIT_SHEET,
    import_structure,
)

DEMO_PASSWORD = "demo-kinerja"  # noqa: S105 - printed for the demo on purpose
SINCE = dt.date(2023, 1, 2)

REGIONS = [
    # code, name, kind, parent, government name, time zone
    (
        "63",
        "Provinsi Kalimantan Selatan",
        "provinsi",
        None,
        "PEMERINTAH PROVINSI KALIMANTAN SELATAN",
        "Asia/Makassar",
    ),
    (
        "63.11",
        "Kabupaten Balangan",
        "kabupaten",
        "63",
        "PEMERINTAH KABUPATEN BALANGAN",
        "Asia/Makassar",
    ),
    (
        "61",
        "Provinsi Kalimantan Barat",
        "provinsi",
        None,
        "PEMERINTAH PROVINSI KALIMANTAN BARAT",
        "Asia/Jakarta",
    ),
]

# Each office: agency fields, units (code, name, kind, parent), positions
# (code, name, unit, kind, head, superior, shared), people (position, name, nip, type, rank,
# holding kind, username). A person with nip None and type "pns" is a signatory whose NIP the seed
# does not print.
OFFICES = [
    {
        "agency": {
            "code": "DKUKMTK-BLG",
            "region": "63.11",
            "name": "Dinas Koperasi, Usaha Kecil Menengah dan Tenaga Kerja Kabupaten Balangan",
            "kind": "dinas",
            # As printed in seed 001; the extraction cut the postal code after its first digit.
            "address": "Jln. Poros Mantimin Batumandi-Lampihong Desa Mampari No.44 "
            "Kecamatan Batumandi",
            "letterhead_lines": "PEMERINTAH KABUPATEN BALANGAN\n"
            "DINAS KOPERASI USAHA KECIL MENENGAH DAN TENAGA KERJA",
            "head_title": "KEPALA DINAS KOPERASI USAHA KECIL MENENGAH DAN TENAGA KERJA",
            "time_zone": "Asia/Makassar",
        },
        "prefix": "dkukmtk",
        "units": [
            ("SEKRET", "Sekretariat", "sekretariat", ""),
            (
                "SUBBAG-PKA",
                "Subbagian Perencanaan, Keuangan, Aset dan Akuntabilitas Kinerja",
                "subbagian",
                "SEKRET",
            ),
            ("SUBBAG-UMPEG", "Subbagian Umum dan Kepegawaian", "subbagian", "SEKRET"),
            ("BID-KOP", "Bidang Koperasi", "bidang", ""),
            ("BID-UKM", "Bidang Usaha Kecil dan Menengah", "bidang", ""),
            ("BID-NAKER", "Bidang Tenaga Kerja", "bidang", ""),
        ],
        "positions": [
            ("KADIS", "Kepala Dinas", "", "struktural", True, "", False),
            ("SEKRETARIS", "Sekretaris", "SEKRET", "struktural", True, "KADIS", False),
            (
                "KASUBBAG-PKA",
                "Kasubbag Perencanaan, Keuangan, Aset dan Akuntabilitas Kinerja",
                "SUBBAG-PKA",
                "struktural",
                True,
                "SEKRETARIS",
                False,
            ),
            (
                "KASUBBAG-UMPEG",
                "Kasubbag Umum dan Kepegawaian",
                "SUBBAG-UMPEG",
                "struktural",
                True,
                "SEKRETARIS",
                False,
            ),
            ("KABID-KOP", "Kepala Bidang Koperasi", "BID-KOP", "struktural", True, "KADIS", False),
            (
                "KABID-UKM",
                "Kepala Bidang Usaha Kecil dan Menengah",
                "BID-UKM",
                "struktural",
                True,
                "KADIS",
                False,
            ),
            (
                "KABID-NAKER",
                "Kepala Bidang Tenaga Kerja",
                "BID-NAKER",
                "struktural",
                True,
                "KADIS",
                False,
            ),
            (
                "STAF-JFU",
                "Staf/Jabatan Fungsional Umum",
                "SUBBAG-PKA",
                "pelaksana",
                False,
                "KASUBBAG-PKA",
                True,
            ),
        ],
        "people": [
            (
                "KADIS",
                "ABDURRAHMAN ARRAHIMI, S.PI",
                "196811171997031003",
                "pns",
                "IV/b",
                "plt",
                "kadis",
            ),
            (
                "SEKRETARIS",
                "Hj. Rina Contoh, S.E., M.M.",
                "197503122000032004",
                "pns",
                "IV/a",
                "definitif",
                "sekretaris",
            ),
            (
                "KASUBBAG-PKA",
                "Ahmad Contoh, S.E.",
                "198204152006041007",
                "pns",
                "III/d",
                "definitif",
                "kasubbag",
            ),
            (
                "KASUBBAG-UMPEG",
                "Nurul Contoh, S.Sos.",
                "198409202009022003",
                "pns",
                "III/c",
                "definitif",
                "kasubbag.umpeg",
            ),
            (
                "KABID-KOP",
                "Yusuf Contoh, S.H.",
                "197807072003121005",
                "pns",
                "III/d",
                "definitif",
                "kabid.kop",
            ),
            (
                "KABID-UKM",
                "Mariati Contoh, S.P.",
                "198001012005012009",
                "pns",
                "III/d",
                "definitif",
                "kabid.ukm",
            ),
            (
                "KABID-NAKER",
                "Rudi Contoh, S.T.",
                "197912102006041011",
                "pns",
                "III/d",
                "definitif",
                "kabid.naker",
            ),
            (
                "STAF-JFU",
                "Dewi Contoh, A.Md.",
                "199203142019032012",
                "pns",
                "II/d",
                "definitif",
                "staf",
            ),
            ("STAF-JFU", "Fajar Contoh", "199506052022211004", "pppk", "", "definitif", "staf2"),
        ],
    },
    {
        "agency": {
            "code": "DINKES-BLG",
            "region": "63.11",
            "name": "Dinas Kesehatan Kabupaten Balangan",
            "kind": "dinas",
            "address": "Jl. A. Yani KM 2.5 Paringim Selatan",
            "postal_code": "71462",
            "phone": "(0526)2028484",
            "letterhead_lines": "PEMERINTAH KABUPATEN BALANGAN\nDINAS KESEHATAN",
            "head_title": "KEPALA DINAS KESEHATAN",
            "time_zone": "Asia/Makassar",
        },
        "prefix": "dinkes",
        "units": [
            ("SEKRET", "Sekretariat", "sekretariat", ""),
            ("SUBBAG-PROG", "Subbagian Program", "subbagian", "SEKRET"),
            ("SUBBAG-UMUM", "Subbagian Umum dan Kepegawaian", "subbagian", "SEKRET"),
            ("BID-KESMAS", "Bidang Kesehatan Masyarakat", "bidang", ""),
            ("SEKSI-KESGA", "Seksi Kesehatan Keluarga dan Gizi", "seksi", "BID-KESMAS"),
            ("BID-P2P", "Bidang Pencegahan dan Pengendalian Penyakit", "bidang", ""),
            ("SEKSI-SURV", "Seksi Surveilans dan Imunisasi", "seksi", "BID-P2P"),
        ],
        "positions": [
            ("KADIS", "Kepala Dinas Kesehatan", "", "struktural", True, "", False),
            ("SEKRETARIS", "Sekretaris", "SEKRET", "struktural", True, "KADIS", False),
            (
                "KASUBAG-PROG",
                "Kasubag Program",
                "SUBBAG-PROG",
                "struktural",
                True,
                "SEKRETARIS",
                False,
            ),
            (
                "KABID-KESMAS",
                "Kepala Bidang Kesehatan Masyarakat",
                "BID-KESMAS",
                "struktural",
                True,
                "KADIS",
                False,
            ),
            (
                "KABID-P2P",
                "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
                "BID-P2P",
                "struktural",
                True,
                "KADIS",
                False,
            ),
            (
                "KASI-KESGA",
                "Kepala Seksi Kesehatan Keluarga dan Gizi",
                "SEKSI-KESGA",
                "struktural",
                True,
                "KABID-KESMAS",
                False,
            ),
            (
                "KASI-SURV",
                "Kepala Seksi Surveilans dan Imunisasi",
                "SEKSI-SURV",
                "struktural",
                True,
                "KABID-P2P",
                False,
            ),
            (
                "STAF-EVIN",
                "Staf Penyusun Evaluasi Kinerja",
                "SUBBAG-PROG",
                "pelaksana",
                False,
                "KASUBAG-PROG",
                True,
            ),
        ],
        "people": [
            (
                "KADIS",
                "H. AHMAD SAUKI, SKM, MM",
                "197311142006041006",
                "pns",
                "IV/b",
                "plt",
                "kadis",
            ),
            (
                "SEKRETARIS",
                "Hendra Contoh, S.KM., M.Kes.",
                "197602182001121003",
                "pns",
                "IV/a",
                "definitif",
                "sekretaris",
            ),
            (
                "KASUBAG-PROG",
                "Lina Contoh, S.KM.",
                "198307252008012006",
                "pns",
                "III/d",
                "definitif",
                "kasubag",
            ),
            (
                "KABID-KESMAS",
                "dr. Siti Contoh",
                "197910032005022002",
                "pns",
                "IV/a",
                "definitif",
                "kabid.kesmas",
            ),
            (
                "KABID-P2P",
                "Bambang Contoh, S.KM.",
                "197705112002121004",
                "pns",
                "III/d",
                "definitif",
                "kabid.p2p",
            ),
            (
                "KASI-KESGA",
                "Wahyuni Contoh, S.Gz.",
                "198512082010012015",
                "pns",
                "III/c",
                "definitif",
                "kasi.kesga",
            ),
            (
                "KASI-SURV",
                "Taufik Contoh, S.KM.",
                "198606172011011008",
                "pns",
                "III/c",
                "definitif",
                "kasi.surv",
            ),
            (
                "STAF-EVIN",
                "Rizky Contoh, S.KM.",
                "199408222020121005",
                "pns",
                "III/a",
                "definitif",
                "staf",
            ),
        ],
    },
    {
        "agency": {
            "code": "KTT_BLG",
            "region": "63.11",
            "name": "Kecamatan Tebing Tinggi",
            "kind": "kecamatan",
            "address": "Jalan Gunung Batu Raya Desa Tebing Tinggi Kecamatan Tebing Tinggi",
            "postal_code": "71667",
            "email": "kec.tebingtinggi1@gmail.com",
            "website": "kecamatantebingtinggi.balangkab.go.id",
            "letterhead_lines": "PEMERINTAH KABUPATEN BALANGAN\nKECAMATAN TEBING TINGGI",
            "head_title": "CAMAT TEBING TINGGI",
            "time_zone": "Asia/Makassar",
        },
        "prefix": "ktt",
        "units": [
            ("SEKRET", "Sekretariat Kecamatan", "sekretariat", ""),
            ("SUBBAG-PK", "Subbagian Perencanaan dan Keuangan", "subbagian", "SEKRET"),
            ("SUBBAG-UMPEG", "Subbagian Umum dan Kepegawaian", "subbagian", "SEKRET"),
            ("SEKSI-PEM", "Seksi Pemerintahan", "seksi", ""),
            ("SEKSI-PMD", "Seksi Pemberdayaan Masyarakat dan Desa", "seksi", ""),
            ("SEKSI-TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum", "seksi", ""),
        ],
        "positions": [
            ("CAMAT", "Camat", "", "struktural", True, "", False),
            ("SEKCAM", "Sekretaris", "SEKRET", "struktural", True, "CAMAT", False),
            (
                "KASUBBAG-PK",
                "Kasubbag Perencanaan dan Keuangan",
                "SUBBAG-PK",
                "struktural",
                True,
                "SEKCAM",
                False,
            ),
            (
                "KASUBBAG-UMPEG",
                "Kasubbag Umum dan Kepegawaian",
                "SUBBAG-UMPEG",
                "struktural",
                True,
                "SEKCAM",
                False,
            ),
            (
                "KASI-PEM",
                "Kepala Seksi Pemerintahan",
                "SEKSI-PEM",
                "struktural",
                True,
                "CAMAT",
                False,
            ),
            (
                "KASI-PMD",
                "Kepala Seksi Pemberdayaan Masyarakat dan Desa",
                "SEKSI-PMD",
                "struktural",
                True,
                "CAMAT",
                False,
            ),
            (
                "KASI-TRANTIB",
                "Kepala Seksi Ketenteraman dan Ketertiban Umum",
                "SEKSI-TRANTIB",
                "struktural",
                True,
                "CAMAT",
                False,
            ),
            ("PELAKSANA", "Pelaksana", "SUBBAG-PK", "pelaksana", False, "KASUBBAG-PK", True),
        ],
        "people": [
            ("CAMAT", "NORSAMIDI, S.Kep", "197206061992021001", "pns", "", "definitif", "camat"),
            (
                "SEKCAM",
                "Muhammad Contoh, S.Sos.",
                "197808182005011006",
                "pns",
                "III/d",
                "definitif",
                "sekretaris",
            ),
            (
                "KASUBBAG-PK",
                "Herliani Contoh, S.E.",
                "198603032010012011",
                "pns",
                "III/c",
                "definitif",
                "kasubbag",
            ),
            (
                "KASUBBAG-UMPEG",
                "Ridwan Contoh, S.AP.",
                "198201192009011004",
                "pns",
                "III/c",
                "definitif",
                "kasubbag.umpeg",
            ),
            (
                "KASI-PEM",
                "Syahrani Contoh, S.IP.",
                "198011112006041009",
                "pns",
                "III/d",
                "definitif",
                "kasi.pem",
            ),
            (
                "KASI-PMD",
                "Noor Contoh, S.Sos.",
                "198105052008012013",
                "pns",
                "III/c",
                "definitif",
                "kasi.pmd",
            ),
            (
                "KASI-TRANTIB",
                "Arif Contoh, S.H.",
                "198309092010011012",
                "pns",
                "III/c",
                "definitif",
                "kasi.trantib",
            ),
            (
                "PELAKSANA",
                "Aulia Contoh",
                "199611012020122007",
                "pns",
                "II/c",
                "definitif",
                "pelaksana",
            ),
            (
                "PELAKSANA",
                "Saiful Contoh",
                "199307272022211003",
                "pppk",
                "",
                "definitif",
                "pelaksana2",
            ),
        ],
    },
    {
        "agency": {
            "code": "ADPIM-KALBAR",
            "region": "61",
            "name": "Biro Administrasi Pimpinan Sekretariat Daerah Provinsi Kalimantan Barat",
            "kind": "biro",
            "letterhead_lines": "PEMERINTAH PROVINSI KALIMANTAN BARAT\nSEKRETARIAT DAERAH\n"
            "BIRO ADMINISTRASI PIMPINAN",
            "head_title": "KEPALA BIRO ADMINISTRASI PIMPINAN",
            "time_zone": "Asia/Jakarta",
        },
        "prefix": "adpim",
        "units": [
            ("BAG-TUP", "Bagian Tata Usaha Pimpinan", "bagian", ""),
            ("SUBBAG-TU", "Subbagian Tata Usaha Biro", "subbagian", "BAG-TUP"),
            ("BAG-PROT", "Bagian Protokol", "bagian", ""),
        ],
        "positions": [
            ("KARO", "Kepala Biro Administrasi Pimpinan", "", "struktural", True, "", False),
            (
                "KABAG-TUP",
                "Kepala Bagian Tata Usaha Pimpinan",
                "BAG-TUP",
                "struktural",
                True,
                "KARO",
                False,
            ),
            (
                "KASUBAG-TU",
                "Kepala Subbagian Tata Usaha Biro",
                "SUBBAG-TU",
                "struktural",
                True,
                "KABAG-TUP",
                False,
            ),
            ("KABAG-PROT", "Kepala Bagian Protokol", "BAG-PROT", "struktural", True, "KARO", False),
            ("STAF", "Staf", "SUBBAG-TU", "pelaksana", False, "KASUBAG-TU", True),
        ],
        "people": [
            # Seed 004 prints the name and position only: no NIP, no pangkat.
            ("KARO", "SEFPR KURNIADI, S.STP.", None, "pns", "", "definitif", "karo"),
            (
                "KABAG-TUP",
                "Agus Contoh, S.STP., M.Si.",
                "197904142001121002",
                "pns",
                "IV/a",
                "definitif",
                "kabag",
            ),
            (
                "KASUBAG-TU",
                "Maya Contoh, S.IP.",
                "198702262009022004",
                "pns",
                "III/d",
                "definitif",
                "kasubag",
            ),
            (
                "KABAG-PROT",
                "Dedi Contoh, S.Sos.",
                "198012122005011010",
                "pns",
                "III/d",
                "definitif",
                "kabag.prot",
            ),
            (
                "STAF",
                "Putri Contoh, S.Kom.",
                "199509302020122010",
                "pns",
                "III/a",
                "definitif",
                "staf",
            ),
            (
                "STAF",
                "Eko Contoh, A.Md.",
                "199104172015031006",
                "pns",
                "II/d",
                "definitif",
                "staf2",
            ),
        ],
        # Seed 004's "Tim": a team appointed by the head's decree.
        "teams": [
            (
                "TIM-LAKIP",
                "Tim Penyusun LAKIP Biro Administrasi Pimpinan",
                "Keputusan Kepala Biro (contoh)",
                ["kasubag", "staf", "staf2"],
            ),
        ],
    },
]


# What each office's regional regulation (Perbup/Pergub on the position, organisation, tasks and
# functions of the office) says of it: the main task and the functions, printed in Bab I of the
# LKjIP. Plausible texts in the usual wording of such regulations; the seeds print none.
DESCRIPTIONS = {
    "DKUKMTK-BLG": {
        "main_task": "Dinas Koperasi, Usaha Kecil Menengah dan Tenaga Kerja mempunyai tugas "
        "membantu Bupati melaksanakan urusan pemerintahan bidang koperasi, usaha kecil dan "
        "menengah serta urusan pemerintahan bidang tenaga kerja yang menjadi kewenangan daerah "
        "dan tugas pembantuan yang ditugaskan kepada daerah.",
        "functions": "a. perumusan kebijakan di bidang koperasi, usaha kecil dan menengah serta "
        "tenaga kerja;\n"
        "b. pelaksanaan kebijakan di bidang koperasi, usaha kecil dan menengah serta tenaga "
        "kerja;\n"
        "c. pelaksanaan evaluasi dan pelaporan di bidang koperasi, usaha kecil dan menengah serta "
        "tenaga kerja;\n"
        "d. pelaksanaan administrasi dinas sesuai dengan lingkup tugasnya; dan\n"
        "e. pelaksanaan fungsi lain yang diberikan oleh Bupati terkait dengan tugas dan "
        "fungsinya.",
    },
    "DINKES-BLG": {
        "main_task": "Dinas Kesehatan mempunyai tugas membantu Bupati melaksanakan urusan "
        "pemerintahan bidang kesehatan yang menjadi kewenangan daerah dan tugas pembantuan yang "
        "ditugaskan kepada daerah.",
        "functions": "a. perumusan kebijakan di bidang kesehatan masyarakat, pencegahan dan "
        "pengendalian penyakit, pelayanan kesehatan serta sumber daya kesehatan;\n"
        "b. pelaksanaan kebijakan di bidang kesehatan masyarakat, pencegahan dan pengendalian "
        "penyakit, pelayanan kesehatan serta sumber daya kesehatan;\n"
        "c. pelaksanaan evaluasi dan pelaporan di bidang kesehatan;\n"
        "d. pelaksanaan administrasi dinas sesuai dengan lingkup tugasnya; dan\n"
        "e. pelaksanaan fungsi lain yang diberikan oleh Bupati terkait dengan tugas dan "
        "fungsinya.",
    },
    "KTT_BLG": {
        "main_task": "Camat mempunyai tugas membantu Bupati dalam penyelenggaraan urusan "
        "pemerintahan umum, pelayanan publik dan pemberdayaan masyarakat desa di wilayah "
        "Kecamatan Tebing Tinggi, serta melaksanakan kewenangan Bupati yang dilimpahkan untuk "
        "menangani sebagian urusan pemerintahan yang menjadi kewenangan daerah.",
        "functions": "a. penyelenggaraan urusan pemerintahan umum;\n"
        "b. pengoordinasian kegiatan pemberdayaan masyarakat;\n"
        "c. pengoordinasian upaya penyelenggaraan ketenteraman dan ketertiban umum;\n"
        "d. pengoordinasian penerapan dan penegakan peraturan daerah dan peraturan bupati;\n"
        "e. pengoordinasian pemeliharaan prasarana dan sarana pelayanan umum;\n"
        "f. pembinaan dan pengawasan penyelenggaraan pemerintahan desa; dan\n"
        "g. pelaksanaan urusan pemerintahan yang menjadi kewenangan daerah yang tidak "
        "dilaksanakan oleh unit kerja perangkat daerah yang ada di kecamatan.",
    },
    "ADPIM-KALBAR": {
        "main_task": "Biro Administrasi Pimpinan mempunyai tugas membantu Asisten Administrasi "
        "Umum dalam penyiapan perumusan kebijakan daerah, pengoordinasian, pemantauan dan "
        "evaluasi serta pelayanan administratif di bidang tata usaha pimpinan, protokol, dan "
        "materi dan komunikasi pimpinan.",
        "functions": "a. penyiapan perumusan kebijakan di bidang tata usaha pimpinan, protokol, "
        "dan materi dan komunikasi pimpinan;\n"
        "b. penyiapan pengoordinasian pelaksanaan tugas perangkat daerah di bidang administrasi "
        "pimpinan;\n"
        "c. penyiapan pemantauan dan evaluasi pelaksanaan kebijakan di bidang administrasi "
        "pimpinan;\n"
        "d. pelaksanaan pelayanan administratif kepada Gubernur, Wakil Gubernur dan Sekretaris "
        "Daerah; dan\n"
        "e. pelaksanaan fungsi lain yang diberikan oleh Asisten Administrasi Umum sesuai dengan "
        "tugasnya.",
    },
}

# The emblem drawn for each region's demo letterhead (no real coat of arms is shipped): the
# shield's colours and the letters on it.
EMBLEMS = {"63.11": ((0, 122, 61), "BLG"), "61": ((0, 84, 147), "KALBAR")}


def emblem_png(region_code: str) -> bytes:
    """A simple emblem drawn here for the demo: a shield with a star, a band and the region's
    short name. Deterministic, so loading the demo twice stores the same picture."""
    from PIL import Image, ImageDraw, ImageFont

    colour, letters = EMBLEMS.get(region_code, ((90, 90, 90), region_code[:6]))
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


def _demo_logo(agency: Agency) -> None:
    """Give the agency the demo emblem of its region unless it has a logo of its own."""
    if agency.logo:
        return
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = f"agencies/{agency.code}/logo/lambang-demo.png"
    if not default_storage.exists(name):  # the same picture every time: stored once
        name = default_storage.save(name, ContentFile(emblem_png(agency.region.code)))
    agency.logo.name = name
    agency.save(update_fields=["logo"])


def _workbook_for(office: dict) -> io.BytesIO:
    wb = Workbook()
    wb.remove(wb.active)
    write_sheet(
        wb.create_sheet(UNIT_SHEET),
        UNIT_HEADERS,
        [[c, n, k, p, i] for i, (c, n, k, p) in enumerate(office["units"], 1)],
    )
    write_sheet(
        wb.create_sheet(POSITION_SHEET),
        POSITION_HEADERS,
        [
            [c, n, u, k, "Ya" if head else "Tidak", sup, "Ya" if shared else "Tidak", i]
            for i, (c, n, u, k, head, sup, shared) in enumerate(office["positions"], 1)
        ],
    )
    prefix = office["prefix"]
    write_sheet(
        wb.create_sheet(EMPLOYEE_SHEET),
        EMPLOYEE_HEADERS,
        [
            [nip or "", name, kind.upper(), rank, "", f"{prefix}.{user}"]
            for _p, name, nip, kind, rank, _h, user in office["people"]
        ],
    )
    write_sheet(
        wb.create_sheet(HOLDING_SHEET),
        HOLDING_HEADERS,
        [
            [position, nip or name, holding, SINCE, None, ""]
            for position, name, nip, _k, _r, holding, _u in office["people"]
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@transaction.atomic
def load(stdout=None) -> list[tuple[str, str, str]]:
    """Create or refresh the demo offices. Returns (agency, position, username) for each login."""
    regions: dict[str, Region] = {}
    for code, name, kind, parent, government, tz in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "parent": regions.get(parent),
                "government_name": government,
                "time_zone": tz,
            },
        )
    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares it

    def demo_login(username: str, **defaults) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults=defaults)
        # A login made here has an empty password, which Django counts as "usable" but which
        # never matches: give it the demo password too (a password someone set is kept).
        if not user.password or not user.has_usable_password():
            user.password = hashed
            user.save(update_fields=["password"])
        return user

    logins: list[tuple[str, str, str]] = []
    for office in OFFICES:
        fields = dict(office["agency"])
        region = regions[fields.pop("region")]
        code = fields.pop("code")
        agency, _ = Agency.objects.update_or_create(
            code=code, defaults={"region": region, **fields, **DESCRIPTIONS.get(code, {})}
        )
        _demo_logo(agency)
        import_structure(agency, _workbook_for(office))
        prefix = office["prefix"]
        for position, *_rest, username in office["people"]:
            user = demo_login(f"{prefix}.{username}")
            title = user.employee.holdings.get(position__code=position).title
            logins.append((agency.code, title, user.username))
        admin = demo_login(f"{prefix}.admin")
        AgencyRole.objects.get_or_create(user=admin, agency=agency, role=AgencyRole.Role.ADMIN)
        logins.append((agency.code, "administrator", admin.username))
        for code, name, decree, members in office.get("teams", []):
            team, _ = Team.objects.update_or_create(
                agency=agency, code=code, defaults={"name": name, "decree": decree}
            )
            team.members.set(
                Employee.objects.filter(user__username__in=[f"{prefix}.{m}" for m in members])
            )
    demo_login("admin", is_staff=True, is_superuser=True)
    logins.append(("*", "superuser (Django admin)", "admin"))
    return logins
