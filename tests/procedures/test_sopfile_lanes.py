"""Lanes of another agency, ``each`` lanes and joint steps in the SOP file: each wrong use is
refused with its line and field, in Indonesian, and nothing is written."""

from __future__ import annotations

import pytest

from kinerja.procedures.models import Sop
from kinerja.procedures.services import import_sop, parse_for_agency
from kinerja.procedures.sopfile import InvalidSopFile, parse_sop_file
from tests.procedures.lakip_org import build, sample_text


@pytest.fixture
def org(offices):
    return build(offices["DKUKMTK-BLG"].region)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def refused(text: str):
    with pytest.raises(InvalidSopFile) as error:
        parse_for_agency(text)
    assert not Sop.objects.filter(key="penyusunan-lakip-skpd").exists()
    return error.value.problems


ORG_LANE = "{key: org, name: Bagian Organisasi, agency: SETDA-BLG, positions: [KABAG-ORG]}"


@pytest.mark.parametrize(
    ("lane", "field", "words"),
    [
        (ORG_LANE.replace("SETDA-BLG", "SETDA-XYZ"), "lanes[4].agency", "SETDA-XYZ"),
        (ORG_LANE.replace("SETDA-BLG", "DPUPR-TBL"), "lanes[4].agency", "wilayah"),
        (ORG_LANE.replace("KABAG-ORG", "KABAG-HUKUM"), "lanes[4].positions[0]", "KABAG-HUKUM"),
        (
            "{key: org, name: Bagian Organisasi, agency: SETDA-BLG, each: seksi}",
            "lanes[4].each",
            "seksi",
        ),
        ("{key: org, name: Tim, team: TIM-LAKIP, agency: SETDA-BLG}", "lanes[4].agency", "tim"),
        ("{key: org, name: Tim, team: TIM-LAKIP, each: true}", "lanes[4].each", "tim"),
        (
            "{key: org, name: Bidang, each: bidang, positions: [KABID-BM]}",
            "lanes[4].each",
            "each: true",
        ),
        ("{key: org, name: Bidang, each: jurusan}", "lanes[4].each", "bidang"),
        ("{key: org, name: Kosong}", "lanes[4]", "jabatan"),
    ],
)
def test_a_wrong_lane_is_refused_where_it_is(org, lane, field, words):
    text = sample_text().replace(ORG_LANE, lane)
    problems = refused(text)
    assert [(p.line, p.field) for p in problems] == [(line_of(text, lane), field)]
    assert words.lower() in problems[0].message.lower()


def test_a_decision_cannot_have_an_each_lane(org):
    text = sample_text().replace(
        "    lane: sekretaris\n    kind: decision\n    question: Sesuai?",
        "    lane: bidang\n    kind: decision\n    question: Sesuai?",
    )
    problems = refused(text)
    assert [p.field for p in problems] == ["steps[3].lane"]
    assert problems[0].line == line_of(text, "kind: decision") - 1
    assert "keputusan" in problems[0].message.lower()


@pytest.mark.parametrize(
    ("joint", "words"), [("with: [bidang, kadiss]", "kadiss"), ("with: [tim]", "tim")]
)
def test_with_names_other_lanes_of_the_file(org, joint, words):
    text = sample_text().replace("with: [bidang]", joint)
    problems = refused(text)
    assert [(p.line, p.field) for p in problems] == [
        (line_of(text, joint), f"steps[2].with[{joint.count(',')}]")
    ]
    assert words in problems[0].message


def test_without_the_organisation_the_file_alone_is_checked():
    spec = parse_sop_file(sample_text())
    lanes = {lane.key: lane for lane in spec.lanes}
    assert lanes["org"].agency == "SETDA-BLG" and lanes["bidang"].each
    assert lanes["bidang"].positions == []  # resolved only against the organisation
    assert spec.steps[2].with_lanes == ["bidang"]


def test_the_sample_imports(org):
    version = import_sop(sample_text(), effective=True).version
    assert version.lanes.count() == 5
