"""The example in docs/sop-format.md is a valid SOP file for its agency."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kinerja.procedures.services import parse_for_agency

DOC = Path(__file__).resolve().parents[2] / "docs" / "sop-format.md"


@pytest.mark.django_db
def test_documented_example_is_valid(offices):
    example = re.search(r"```yaml\n(.*?)```", DOC.read_text(), re.S).group(1)
    spec, agency = parse_for_agency(example)
    assert agency.code == "DKUKMTK-BLG"
    assert [s.number for s in spec.steps] == [1, 2, 3]
    assert spec.related_sops[1]["number"] == "000.8.3.3/003/DKUKMTK-BLG/2024"
