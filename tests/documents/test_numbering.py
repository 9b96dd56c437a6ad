"""Numbering patterns as pure functions: the seeds' numbers, parse(format(x)) == x."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.documents.numbering import (
    LetterParts,
    NumberParseError,
    PatternError,
    format_number,
    parse_number,
    validate_pattern,
)

NO_MONTH = "{kode}/{urut:03d}/{unit}/{tahun}"
WITH_MONTH = "{kode}/{urut:03d}/{unit}/{bulan_romawi}/{tahun}"


def test_seed_numbers_are_produced():
    assert (
        format_number(NO_MONTH, LetterParts("000.8.3.3", 3, "DKUKMTK-BLG", 2024))
        == "000.8.3.3/003/DKUKMTK-BLG/2024"
    )
    assert (
        format_number(WITH_MONTH, LetterParts("067", 13, "KTT_BLG", 2023, 7))
        == "067/013/KTT_BLG/VII/2023"
    )


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (
            NO_MONTH,
            "000.8.3.3/003/DKUKMTK-BLG/2024",
            LetterParts("000.8.3.3", 3, "DKUKMTK-BLG", 2024),
        ),
        (
            NO_MONTH,
            " 000.8.3.3 / 003 /DKUKMTK-BLG/ 2024",
            LetterParts("000.8.3.3", 3, "DKUKMTK-BLG", 2024),
        ),
        (
            WITH_MONTH,
            "067 / 013 / KTT_BLG / VII / 2023",
            LetterParts("067", 13, "KTT_BLG", 2023, 7),
        ),
        (WITH_MONTH, "067/1000/A.B-C_D/XII/2023", LetterParts("067", 1000, "A.B-C_D", 2023, 12)),
        ("{kode}/{urut}/{unit}", "445/7/DINKES-BLG", LetterParts("445", 7, "DINKES-BLG")),
    ],
)
def test_parse(pattern, text, expected):
    assert parse_number(pattern, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "067/013/KTT_BLG/XIII/2023",
        "67/013/KTT_BLG/VII/2023",
        "067/abc/KTT/VII/2023",
        "067/013//VII/2023",
    ],
)
def test_parse_rejects(text):
    with pytest.raises(NumberParseError):
        parse_number(WITH_MONTH, text)


@pytest.mark.parametrize(
    "pattern",
    [
        "{kode}/{unit}",
        "{kode}/{urut}/{nomor}",
        "{urut}/{urut}",
        "{urut}/{bulan}/{bulan_romawi}",
        # A format spec is a number's width and nothing else: {urut:0999999999d} made Python
        # build a string of a billion characters for every letter the office numbered.
        "{kode}/{urut:0999999999d}/{unit}",
        "{kode}/{urut:>99999999}/{unit}",
        "{kode:>9999999}/{urut}",
        "{kode}/{urut!r}/{tahun}",
        "{kode}/{urut:{tahun}}",
        "{kode}/{urut:,}/{tahun}",
    ],
)
def test_bad_patterns(pattern):
    with pytest.raises(PatternError):
        validate_pattern(pattern)


def test_format_rejects_bad_parts():
    with pytest.raises(ValueError):
        format_number(NO_MONTH, LetterParts("8.3", 1, "X", 2024))
    with pytest.raises(ValueError):
        format_number(NO_MONTH, LetterParts("000", 1, "A/B", 2024))
    with pytest.raises(ValueError):
        format_number(WITH_MONTH, LetterParts("000", 1, "A", 2024))


codes = st.builds(
    lambda head, tail: ".".join([head, *tail]),
    st.from_regex(r"\d{3}", fullmatch=True),
    st.lists(st.from_regex(r"\d{1,3}", fullmatch=True), max_size=4),
)
units = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\- ]{0,20}[A-Za-z0-9]", fullmatch=True)


@given(
    pattern=st.sampled_from(
        [NO_MONTH, WITH_MONTH, "{kode}/{urut}/{unit}/{bulan}/{tahun}", "{kode}.{urut:04d}/{unit}"]
    ),
    kode=codes,
    urut=st.integers(1, 99999),
    unit=units,
    year=st.integers(1990, 2100),
    month=st.integers(1, 12),
)
def test_parse_inverts_format(pattern, kode, urut, unit, year, month):
    tokens = pattern
    parts = LetterParts(
        kode=kode,
        urut=urut,
        unit=unit,
        year=year if "{tahun}" in tokens else None,
        month=month if "bulan" in tokens else None,
    )
    text = format_number(pattern, parts)
    assert parse_number(pattern, text) == parts
    assert parse_number(pattern, text.replace("/", " / ")) == parts


@pytest.mark.parametrize("pattern", ["{kode}/{urut:03d}/{unit}/{tahun}", "{urut:d}/{bulan:02d}"])
def test_widths_of_numbers_are_accepted(pattern):
    validate_pattern(pattern)
