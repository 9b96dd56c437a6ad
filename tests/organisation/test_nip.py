"""NIP validation (docs/domain.md §9.3): the seeds' NIPs, malformed ones, and the PPPK exception."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.organisation.nip import PNS, PPPK, NipError, format_nip, parse_nip
from kinerja.organisation.ranks import RANKS, normalise_rank, rank_label

SEED_NIPS = [
    # (as printed in the seeds, birth date, appointment, gender)
    ("19681117 199703 1 003", dt.date(1968, 11, 17), (1997, 3), 1),  # seed 001
    ("19731114 200604 1 006", dt.date(1973, 11, 14), (2006, 4), 1),  # seed 002
    ("19720606 199202 1 001", dt.date(1972, 6, 6), (1992, 2), 1),  # seed 003
    ("19860926 201505 1 001", dt.date(1986, 9, 26), (2015, 5), 1),  # docs/domain.md example
]


@pytest.mark.parametrize(("text", "birth", "appointment", "gender"), SEED_NIPS)
def test_seed_nips_are_accepted(text, birth, appointment, gender):
    nip = parse_nip(text)
    assert nip.birth_date == birth
    assert nip.appointment == appointment
    assert nip.gender == gender
    assert str(nip) == text


def test_pppk_number_skips_the_appointment_month():
    # Published NI PPPK: digits 9-14 are "202524", not a year and month.
    nip = parse_nip("199009132025242014", PPPK)
    assert nip.birth_date == dt.date(1990, 9, 13)
    assert nip.appointment is None
    with pytest.raises(NipError, match="9-14"):
        parse_nip("199009132025242014", PNS)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1968111719970310", "18"),  # too short
        ("19681117199703100300", "18"),  # too long
        ("19681117 199703 1 00A", "digits"),
        ("19681317 199703 1 003", "1-8"),  # month 13
        ("19680230 199703 1 003", "1-8"),  # 30 February
        ("19681117 199713 1 003", "9-14"),  # appointment month 13
        ("19681117 196511 1 003", "after"),  # appointed before birth
        ("19681117 199703 3 003", "15"),  # gender 3
        ("18501117 199703 1 003", "early"),
    ],
)
def test_malformed_nips_are_rejected_with_the_reason(text, fragment):
    from django.utils import translation

    with translation.override("en"), pytest.raises(NipError) as error:
        parse_nip(text)
    assert fragment in str(error.value)


def test_messages_are_indonesian_by_default():
    from django.utils import translation

    with translation.override("id"), pytest.raises(NipError) as error:
        parse_nip("123")
    assert "NIP harus terdiri dari 18 digit" in str(error.value)


@st.composite
def valid_pns_nips(draw):
    birth = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31)))
    year = draw(st.integers(min_value=birth.year + 1, max_value=2030))
    month = draw(st.integers(min_value=1, max_value=12))
    gender = draw(st.sampled_from([1, 2]))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{gender}{sequence:03d}", birth, gender


@given(valid_pns_nips())
def test_every_well_formed_nip_is_accepted_and_read_back(case):
    digits, birth, gender = case
    nip = parse_nip(format_nip(digits))
    assert (nip.digits, nip.birth_date, nip.gender) == (digits, birth, gender)


@given(valid_pns_nips(), st.integers(min_value=0, max_value=17), st.characters())
def test_replacing_a_digit_with_a_non_digit_is_rejected(case, index, char):
    assume(not char.isdigit() and not char.isspace())
    digits = case[0]
    with pytest.raises(NipError):
        parse_nip(digits[:index] + char + digits[index + 1 :])


@given(valid_pns_nips(), st.integers(min_value=1, max_value=17))
def test_a_nip_of_the_wrong_length_is_rejected(case, cut):
    with pytest.raises(NipError):
        parse_nip(case[0][:-cut])


@given(valid_pns_nips(), st.sampled_from([0, 3, 4, 5, 6, 7, 8, 9]))
def test_gender_digit_other_than_one_or_two_is_rejected(case, gender):
    digits = case[0]
    with pytest.raises(NipError):
        parse_nip(digits[:14] + str(gender) + digits[15:])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("IV/b", "IV/b"),
        ("iv b", "IV/b"),
        ("IV-b", "IV/b"),
        ("Pembina Tk. I", "IV/b"),
        ("pembina tk i", "IV/b"),
        ("III/a", "III/a"),
        ("Penata Muda", "III/a"),
    ],
)
def test_ranks_are_read_from_the_ways_offices_write_them(text, code):
    assert normalise_rank(text) == code


def test_rank_label_prints_as_on_the_seed_signature_blocks():
    assert rank_label("IV/b") == "Pembina Tk. I (IV/b)"
    assert len(RANKS) == 17
    with pytest.raises(ValueError):
        normalise_rank("V/a")
