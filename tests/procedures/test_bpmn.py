"""BPMN export, proved by an independent engine: SpiffWorkflow runs each seed SOP to the end
along every decision branch, and each task runs in its step's lane."""

from __future__ import annotations

import itertools
from xml.etree import ElementTree as ET

import pytest
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from kinerja.procedures.bpmn import BPMN, answer_variable, export_bpmn, process_id

pytestmark = pytest.mark.django_db


def run(version, answers: dict[int, list[str]]) -> list[tuple[str, str]]:
    """Run the BPMN; each decision step takes its answers in turn. Returns (task name, lane)."""
    parser = BpmnParser()
    parser.add_bpmn_str(export_bpmn(version).encode())
    workflow = BpmnWorkflow(parser.get_spec(process_id(version)))
    pending = {number: list(values) for number, values in answers.items()}
    done: list[tuple[str, str]] = []
    for _ in range(500):
        workflow.do_engine_steps()
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        task = ready[0]
        number = int(task.task_spec.name.split("_")[1])
        if number in pending:
            task.data[answer_variable(version.step(number))] = pending[number].pop(0)
        done.append((task.task_spec.bpmn_name, task.task_spec.lane))
        task.run()
    workflow.do_engine_steps()
    assert workflow.is_completed()
    return done


@pytest.mark.parametrize("code", ["DKUKMTK-BLG", "KTT_BLG", "ADPIM-KALBAR"])
def test_linear_seed_runs_every_step_in_its_lane(seed_sops, code):
    version = seed_sops[code]
    done = run(version, {})
    assert done == [(s.text, s.lane.name) for s in version.ordered_steps()]


def test_seed_002_every_branch(seed_sops):
    version = seed_sops["DINKES-BLG"]
    lane = {s.number: s.lane.name for s in version.steps.select_related("lane")}
    text = {s.number: s.text for s in version.steps.all()}

    def path(*numbers):
        return [(text[n], lane[n]) for n in numbers]

    # 7 Ya, 8 Ya: straight through.
    assert run(version, {7: ["Ya"], 8: ["Ya"]}) == path(1, 2, 3, 4, 5, 6, 7, 8, 9)
    # 7 Tidak: back to 6, then Ya.
    assert run(version, {7: ["Tidak", "Ya"], 8: ["Ya"]}) == path(1, 2, 3, 4, 5, 6, 7, 6, 7, 8, 9)
    # 8 Tidak: back to 7, then Ya, Ya.
    assert run(version, {7: ["Ya", "Ya"], 8: ["Tidak", "Ya"]}) == path(
        1, 2, 3, 4, 5, 6, 7, 8, 7, 8, 9
    )
    # Both loops.
    for first_7, first_8 in itertools.product(["Ya", "Tidak"], repeat=2):
        answers = {7: [first_7, "Ya", "Ya"], 8: [first_8, "Ya"]}
        assert run(version, answers)[-1] == path(9)[0]


def test_bpmn_structure(seed_sops):
    version = seed_sops["DINKES-BLG"]
    root = ET.fromstring(export_bpmn(version))  # noqa: S314 - our own output
    ns = {"b": BPMN}
    assert len(root.findall("b:collaboration/b:participant", ns)) == 1
    assert len(root.findall(".//b:lane", ns)) == 5
    assert len(root.findall(".//b:manualTask", ns)) == 9
    assert len(root.findall(".//b:exclusiveGateway", ns)) == 2
    assert len(root.findall(".//b:startEvent", ns)) == 1
    assert len(root.findall(".//b:endEvent", ns)) == 1
    labels = sorted(f.get("name") for f in root.findall(".//b:sequenceFlow[@name]", ns))
    assert labels == ["Tidak", "Tidak", "Ya", "Ya"]
    step7 = root.find(".//b:manualTask[@id='step_7']/b:documentation", ns)
    assert "Waktu: 120 Hari" in step7.text
