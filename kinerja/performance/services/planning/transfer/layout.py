"""The sheets of a Renstra workbook and the words accepted in its choice columns."""

from __future__ import annotations

from kinerja.performance import formulas

PLAN = ("Renstra", ["Tahun Awal", "Tahun Akhir", "Judul", "RPJMD"])
GOALS = ("Tujuan", ["Kode", "Tujuan"])
OBJECTIVES = ("Sasaran", ["Kode", "Sasaran", "Tingkat", "Kode Tujuan", "Kode Induk", "Unit"])
INDICATORS = (
    "Indikator",
    [
        "Kode Sasaran",
        "Kode",
        "Indikator",
        "Satuan",
        "Polaritas",
        "Rumus",
        "Tipe Perhitungan",
        "Jenis Target",
        "Desimal",
        "Persentase",
        "Nilai Maksimal",
        "IKU",
        "Tahun Dasar",
        "Nilai Dasar",
        "Target Akhir",
        "Standar Nasional",
        "Sumber Standar",
        "Unit Pelapor",
        "Definisi",
        "Sumber Data",
        "Bukti Wajib",
    ],
)
TARGETS = (
    "Target",
    ["Kode Sasaran", "Kode Indikator", "Tahun", "Target", "Batas Atas", "Target Kualitatif"],
)
BUDGET = (
    "Anggaran",
    [
        "Kode Program",
        "Program",
        "Kode Sasaran",
        "Kode Kegiatan",
        "Kegiatan",
        "Kode Sub Kegiatan",
        "Sub Kegiatan",
        "Unit",
        "Tahun",
        "Pagu",
    ],
)

AGREEMENTS = (
    "PK",
    [
        "Tahun",
        "Versi",
        "Status",
        "Tanggal Tanda Tangan",
        "Pihak Kedua",
        "Kode Sasaran",
        "Kode Indikator",
        "Target",
        "Batas Atas",
        "Target Kualitatif",
    ],
)
ACTION_PLAN = (
    "Rencana Aksi",
    [
        "Tahun",
        "Kode Sasaran",
        "Kode Indikator",
        "Triwulan",
        "Target s.d. Triwulan",
        "Batas Atas",
        "Target Kualitatif",
        "Kegiatan",
    ],
)
STATUSES = {"draft": "draft", "ditandatangani": "signed", "signed": "signed"}

LEVELS = {"strategis": "strategis", "program": "program", "kegiatan": "kegiatan"}
POLARITIES = {
    "positif": "positive",
    "positive": "positive",
    "negatif": "negative",
    "negative": "negative",
}
FORMULAS = {f.lower(): f for f in ("P", "N1", "N2", "N4", "L")}
AGGREGATIONS = {
    "kumulatif": formulas.CUMULATIVE,
    "posisi akhir": formulas.LAST,
    "posisi_akhir": formulas.LAST,
    "rata-rata": formulas.AVERAGE,
    "rata_rata": formulas.AVERAGE,
}
TARGET_KINDS = {
    "angka": "number",
    "number": "number",
    "rentang": "range",
    "range": "range",
    "kualitatif": "lookup",
    "lookup": "lookup",
}
