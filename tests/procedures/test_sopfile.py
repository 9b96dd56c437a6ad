"""The SOP file validator: every kind of bad file is refused with its line and field, and an
invalid file writes nothing."""

from __future__ import annotations

import pytest

from kinerja.core.models import AuditEntry
from kinerja.procedures.models import Sop, SopVersion, Step
from kinerja.procedures.services import import_sop, parse_for_agency
from kinerja.procedures.sopfile import InvalidSopFile, parse_sop_file
from tests.officials import DINKES, DKUKMTK

GOOD = """\
format: kinerja-sop/1
agency: DKUKMTK-BLG
key: contoh
number: 000.8.3.3/099/DKUKMTK-BLG/2025
name: Contoh SOP
drafted_on: 2025-01-02
effective_on: 2025-01-03
approved_by: {position: KADIS, title: Kepala Dinas}
lanes:
  - {key: kasubbag, name: Kasubbag Perencanaan, positions: [KASUBBAG-PKA]}
  - {key: sekretaris, name: Sekretaris, positions: [SEKRETARIS]}
steps:
  - number: 1
    text: Menyusun draf
    lane: kasubbag
    start: true
    time: 2 Jam
  - number: 2
    text: Memeriksa draf
    lane: sekretaris
    kind: decision
    yes: 3
    no: 1
    time: 1 Hari
  - number: 3
    text: Mengarsipkan
    lane: kasubbag
    end: true
    time: 10 Menit
"""


def problems_of(text: str, **kwargs):
    with pytest.raises(InvalidSopFile) as error:
        parse_sop_file(text, **kwargs)
    return error.value.problems


def test_good_file_parses():
    spec = parse_sop_file(GOOD)
    assert [s.number for s in spec.steps] == [1, 2, 3]
    assert spec.steps[0].next == 2
    assert (spec.steps[1].yes, spec.steps[1].no) == (3, 1)
    assert spec.key == "contoh"


@pytest.mark.parametrize("dash", ['"-"', '"–"', "'—'"])
def test_a_dash_in_the_waktu_column_is_no_time_standard_kept_as_printed(dash):
    spec = parse_sop_file(GOOD.replace("time: 1 Hari", f"time: {dash}"))
    step = next(s for s in spec.steps if s.number == 2)
    assert step.duration is None and step.time_text == dash.strip("\"'")
    assert [s.duration is None for s in spec.steps] == [False, True, False]


def test_yes_and_no_are_not_yaml_booleans():
    spec = parse_sop_file(GOOD.replace("kind: decision", 'kind: "decision"'))
    assert spec.steps[1].yes == 3


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the ``n``-th (``marker@n``, default 0) line containing ``marker``."""
    marker, _, nth = marker.partition("@")
    hits = [i for i, line in enumerate(text.splitlines(), 1) if marker in line]
    return hits[int(nth or 0)]


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        # unknown actor (lane key)
        (
            "    text: Memeriksa draf\n    lane: sekretaris",
            "    text: Memeriksa draf\n    lane: kabag",
            "lane: kabag",
            "steps[1].lane",
            "kabag",
        ),
        # unreadable time
        ("time: 1 Hari", "time: sebentar", "time: sebentar", "steps[1].time", "sebentar"),
        # duplicate number
        ("  - number: 3", "  - number: 2", "number: 2@1", "steps[2].number", "2"),
        # decision without both exits
        ("    no: 1\n", "", "number: 2", "steps[1].no", "Tidak"),
        # no start
        ("    start: true\n", "", "steps:", "steps", "MULAI"),
        # no end
        ("    end: true\n", "", "steps:", "steps", "SELESAI"),
        # unknown field
        (
            "    time: 2 Jam\n",
            "    time: 2 Jam\n    colour: red\n",
            "colour: red",
            "steps[0].colour",
            "",
        ),
        # wrong format tag
        ("format: kinerja-sop/1", "format: other", "format:", "format", "kinerja-sop/1"),
        # required field missing
        ("name: Contoh SOP\n", "", "format:", "", "name"),
        # a step that goes to a step that does not exist
        ("    no: 1\n", "    no: 9\n", "number: 2", "step 2.no", "9"),
        # a bad date
        (
            "drafted_on: 2025-01-02",
            "drafted_on: 2025-02-30",
            "drafted_on:",
            "drafted_on",
            "2025-02-30",
        ),
        # unknown action
        (
            "    time: 2 Jam\n",
            "    time: 2 Jam\n    action: fly\n",
            "action: fly",
            "steps[0].action",
            "fly",
        ),
    ],
)
def test_each_kind_of_problem_is_located(old, new, line, field, words):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    line = line_of(text, line)
    problems = problems_of(text)
    located = [p for p in problems if p.field == field]
    assert located, problems
    assert located[0].line == line, problems
    assert words in located[0].message
    assert str(located[0]).startswith("line ") or str(located[0]).startswith("baris ")


def test_action_names_come_from_the_registry_at_validation_time(monkeypatch):
    """The engine knows no action name of its own: what the apps registered, when it checks."""
    from kinerja.core import actions

    text = GOOD.replace("    time: 2 Jam\n", "    time: 2 Jam\n    action: fly\n", 1)
    with pytest.raises(InvalidSopFile) as refused:
        parse_sop_file(text)
    (problem,) = [p for p in refused.value.problems if p.field == "steps[0].action"]
    assert ", ".join(actions.names()) in problem.message and "meeting" in actions.names()
    monkeypatch.setitem(
        actions._registry, "fly", actions.Action("fly", "Fly", lambda context: "/fly/")
    )
    assert parse_sop_file(text).steps[0].action == "fly"


def test_dead_end():
    text = (
        GOOD.replace("    end: true\n", "    next: 4\n")
        + "  - {number: 4, text: x, lane: kasubbag}\n"
    )
    problems = problems_of(text)
    assert any(p.field == "step 4" and "tidak menuju ke mana pun" in p.message for p in problems), (
        problems
    )


def test_unreachable_step():
    text = GOOD.replace("    yes: 3\n", "    yes: 4\n") + (
        "  - {number: 4, text: x, lane: kasubbag, end: true}\n"
    )
    problems = problems_of(text)
    assert [p.field for p in problems] == ["step 3"]
    assert "tidak dapat dicapai" in problems[0].message
    assert problems[0].line == line_of(text, "number: 3")


def test_loop_with_no_way_out():
    text = GOOD.replace("    yes: 3\n", "    yes: 1\n").replace("    no: 1\n", "    no: 4\n") + (
        "  - {number: 4, text: x, lane: kasubbag, next: 1}\n"
    )
    problems = problems_of(text)
    fields = sorted(p.field for p in problems)
    assert "step 1" in fields and "step 2" in fields and "step 4" in fields
    assert all("putaran" in p.message or "tidak dapat dicapai" in p.message for p in problems)


def test_several_problems_are_all_reported():
    text = GOOD.replace("time: 1 Hari", "time: lama").replace("lane: sekretaris", "lane: x")
    assert len(problems_of(text)) == 2


def test_not_yaml():
    problems = problems_of("name: [unclosed\n")
    assert problems[0].line is not None and "YAML" in problems[0].message


def test_lane_with_positions_and_team():
    problems = problems_of(
        GOOD.replace("positions: [SEKRETARIS]", "positions: [SEKRETARIS], team: T")
    )
    assert problems[0].field == "lanes[1]"


@pytest.mark.django_db
def test_unknown_position_of_the_agency(offices):
    with pytest.raises(InvalidSopFile) as error:
        parse_for_agency(GOOD.replace("[SEKRETARIS]", "[SEKDA]"))
    problem = error.value.problems[0]
    assert (problem.line, problem.field) == (11, "lanes[1].positions[0]")
    assert "SEKDA" in problem.message


@pytest.mark.django_db
def test_file_of_another_agency(offices):
    with pytest.raises(InvalidSopFile) as error:
        parse_for_agency(GOOD, offices["DINKES-BLG"])
    assert error.value.problems[0].field == "agency"


@pytest.mark.django_db
def test_invalid_file_writes_nothing(offices):
    before = (
        Sop.objects.count(),
        SopVersion.objects.count(),
        Step.objects.count(),
        AuditEntry.objects.count(),
    )
    for bad in (GOOD.replace("time: 1 Hari", "time: ?"), GOOD.replace("[SEKRETARIS]", "[NOPE]")):
        with pytest.raises(InvalidSopFile):
            import_sop(bad)
    assert before == (
        Sop.objects.count(),
        SopVersion.objects.count(),
        Step.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_import_then_revision_is_a_new_version(offices, kasubbag):
    first = import_sop(GOOD, user=kasubbag)
    assert first.created_sop and first.version.version == 1 and first.version.is_draft
    same = import_sop(GOOD, user=kasubbag)
    assert same.unchanged and same.version == first.version
    second = import_sop(GOOD.replace("Menyusun draf", "Menyusun draf LAKIP"), user=kasubbag)
    assert second.version.version == 2 and second.version.sop == first.version.sop
    assert first.version.step(1).text == "Menyusun draf"  # old versions stay readable
    assert AuditEntry.objects.filter(action="procedures.sop.imported").count() >= 2


@pytest.mark.django_db
def test_approval_rules(offices, kasubbag, kadis, official):
    from django.core.exceptions import PermissionDenied, ValidationError

    from kinerja.procedures.access import can_approve
    from kinerja.procedures.services import approve_version

    version = import_sop(GOOD, user=kasubbag).version
    agency = offices["DKUKMTK-BLG"]
    assert can_approve(kadis, agency)  # the Plt. Kepala Dinas
    assert not can_approve(kasubbag, agency)
    assert not can_approve(official(DKUKMTK.sekretaris), agency)
    assert not can_approve(official(DINKES.kepala), agency)  # head of another office
    with pytest.raises(PermissionDenied):
        approve_version(version, kasubbag)
    approve_version(version, kadis)
    version.refresh_from_db()
    assert version.status == SopVersion.Status.EFFECTIVE and version.approved_by == kadis
    with pytest.raises(ValidationError):
        approve_version(version, kadis)  # only a draft can be approved


@pytest.mark.django_db
def test_upload_permission(offices, kasubbag, official):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_sop(GOOD, user=official(DINKES.staf))
    assert not Sop.objects.filter(key="contoh").exists()
    assert import_sop(GOOD, user=official(DKUKMTK.admin)).created_sop
