"""The logins of the seed offices' officials, by office and role (docs/conventions.md, do 8).

A test names the person by the part they play, ``DINKES.kepala`` or ``DKUKMTK.kasubbag``, not
by a login string: ``client_for(DKUKMTK.kabid_ukm)``, ``official(KTT.kepala)``, or
``--as DKUKMTK.staf`` on the command line. The values are the demo's usernames
(``kinerja.organisation.demo``); ``tests/organisation/test_officials.py`` checks that each one
is a demo login holding the position named here.

The head of each office is ``kepala`` (the Kepala Dinas, the Camat, the Kepala Biro); the other
roles keep the office's own titles. ``admin`` is each office's administrator (an agency role,
no position); ``SUPERUSER`` is the Django superuser of the demo.
"""

from __future__ import annotations

SUPERUSER = "admin"


class DKUKMTK:
    """Dinas Koperasi, UKM dan Tenaga Kerja Kabupaten Balangan (seed 001): office A of most
    tests."""

    code = "DKUKMTK-BLG"
    kepala = "dkukmtk.kadis"  # Plt. Kepala Dinas
    sekretaris = "dkukmtk.sekretaris"
    kasubbag = "dkukmtk.kasubbag"  # the planning sub-head (Perencanaan, Keuangan, Aset, AKIP)
    kasubbag_umpeg = "dkukmtk.kasubbag.umpeg"  # Umum dan Kepegawaian
    kabid_kop = "dkukmtk.kabid.kop"  # Kepala Bidang Koperasi
    kabid_ukm = "dkukmtk.kabid.ukm"  # Kepala Bidang UKM: no planning, admin or signing right
    kabid_naker = "dkukmtk.kabid.naker"  # Kepala Bidang Tenaga Kerja
    staf = "dkukmtk.staf"  # Staf/JFU of the planning sub-division
    staf2 = "dkukmtk.staf2"
    admin = "dkukmtk.admin"


class DINKES:
    """Dinas Kesehatan Kabupaten Balangan (seed 002): another office of the same pemda."""

    code = "DINKES-BLG"
    kepala = "dinkes.kadis"  # Plt. Kepala Dinas Kesehatan
    sekretaris = "dinkes.sekretaris"
    kasubag = "dinkes.kasubag"  # Kasubag Program: the planning sub-head
    kabid_kesmas = "dinkes.kabid.kesmas"  # Kepala Bidang Kesehatan Masyarakat
    kabid_p2p = "dinkes.kabid.p2p"  # Kepala Bidang Pencegahan dan Pengendalian Penyakit
    kasi_kesga = "dinkes.kasi.kesga"  # Kepala Seksi Kesehatan Keluarga dan Gizi
    kasi_surv = "dinkes.kasi.surv"  # Kepala Seksi Surveilans dan Imunisasi
    staf = "dinkes.staf"  # Staf Penyusun Evaluasi Kinerja
    admin = "dinkes.admin"


class KTT:
    """Kecamatan Tebing Tinggi, Kabupaten Balangan (seed 003)."""

    code = "KTT_BLG"
    kepala = "ktt.camat"  # the Camat
    sekretaris = "ktt.sekretaris"  # Sekretaris Camat
    kasubbag = "ktt.kasubbag"  # Kasubbag Perencanaan dan Keuangan: the planning sub-head
    kasubbag_umpeg = "ktt.kasubbag.umpeg"
    kasi_pem = "ktt.kasi.pem"  # Kepala Seksi Pemerintahan
    kasi_pmd = "ktt.kasi.pmd"  # Kepala Seksi Pemberdayaan Masyarakat dan Desa
    kasi_trantib = "ktt.kasi.trantib"  # Kepala Seksi Ketenteraman dan Ketertiban Umum
    pelaksana = "ktt.pelaksana"
    pelaksana2 = "ktt.pelaksana2"
    admin = "ktt.admin"


class ADPIM:
    """Biro Administrasi Pimpinan, Provinsi Kalimantan Barat (seed 004): another province."""

    code = "ADPIM-KALBAR"
    kepala = "adpim.karo"  # Kepala Biro
    kabag = "adpim.kabag"  # Kepala Bagian Tata Usaha Pimpinan
    kasubag = "adpim.kasubag"  # Kepala Subbagian Tata Usaha Biro (team TIM-LAKIP)
    kabag_prot = "adpim.kabag.prot"  # Kepala Bagian Protokol
    staf = "adpim.staf"  # team TIM-LAKIP
    staf2 = "adpim.staf2"  # team TIM-LAKIP
    admin = "adpim.admin"


class SETDA:
    """Sekretariat Daerah Kabupaten Balangan: no seed, only its Bagian Organisasi (the pemda's
    SAKIP coordinator), which SOPs of the other offices name."""

    code = "SETDA-BLG"
    kabag_org = "setda.kabag.org"  # Kepala Bagian Organisasi
    admin = "setda.admin"


class BALANGAN:
    """Kabupaten Balangan, the region of DKUKMTK, DINKES, KTT and SETDA."""

    code = "63.11"
    admin = "blg.admin"  # its regional SAKIP administrator (RegionRole), no position


OFFICES = (DKUKMTK, DINKES, KTT, ADPIM)  # the four seed offices
DEMO_OFFICES = (*OFFICES, SETDA)  # every office of the demo
