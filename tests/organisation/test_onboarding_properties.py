"""Properties of the pure helpers of regions, agencies and the team sheet."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.organisation.models import TIME_ZONE_ABBREVIATIONS, Agency
from kinerja.organisation.services.agencies import agency_kind, time_zone_named
from kinerja.organisation.services.teams import member_key

ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


@given(
    st.sampled_from(sorted(ZONES)),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.text(" ", max_size=2),
)
def test_a_zone_is_read_in_any_case_and_padding(abbreviation, case, pad):
    assert time_zone_named(pad + case(abbreviation) + pad) == ZONES[abbreviation]
    assert time_zone_named(ZONES[abbreviation]) == ZONES[abbreviation]


@given(st.text(max_size=12))
def test_anything_else_is_no_zone(text):
    if text.strip().upper() in ZONES or text.strip() in TIME_ZONE_ABBREVIATIONS:
        return
    with pytest.raises(ValueError):
        time_zone_named(text)


@given(st.sampled_from([*Agency.Kind.values, "opd"]), st.sampled_from([str.lower, str.upper]))
def test_every_kind_and_opd_is_a_stored_kind(kind, case):
    stored = agency_kind(case(kind))
    assert stored in Agency.Kind.values
    assert stored == ("dinas" if kind == "opd" else kind)


@given(st.from_regex(r"[0-9]{18}", fullmatch=True), st.lists(st.integers(0, 17), max_size=4))
def test_a_nip_with_spaces_anywhere_is_its_digits(digits, cuts):
    spaced = digits
    for cut in sorted(set(cuts), reverse=True):
        spaced = spaced[:cut] + " " + spaced[cut:]
    assert member_key(f" {spaced} ") == digits


@given(st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=30))
def test_a_name_is_its_lower_case_trimmed_text(name):
    if not name.strip():
        return
    assert member_key(name) == name.strip().lower()
