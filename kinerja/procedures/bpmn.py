"""Export an SOP version as BPMN 2.0 XML: one pool, a lane per actor, a manual task per step,
an exclusive gateway after each decision with its Ya/Tidak flows, start and end events.

The time standard, Kelengkapan and Output of a step go into the task's documentation. A Ya/Tidak
flow carries a condition ``answer_<n> == "Ya"`` (a Python expression, as SpiffWorkflow and most
engines read it); whoever runs the process sets ``answer_<n>`` when the decision step is done.
No diagram interchange (BPMNDI) is written: tools that need coordinates lay the model out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from kinerja.procedures.models import Lane, SopVersion, Step

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ET.register_namespace("bpmn", BPMN)
ET.register_namespace("xsi", XSI)


def _q(tag: str) -> str:
    return f"{{{BPMN}}}{tag}"


def process_id(version: SopVersion) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", f"sop_{version.sop.agency.code}_{version.sop.key}")
    return f"{base}_v{version.version}"


def answer_variable(step: Step) -> str:
    return f"answer_{step.number}"


def _documentation(step: Step) -> str:
    parts = []
    if step.time_text:
        parts.append(f"Waktu: {step.time_text}")
    if step.inputs:
        parts.append(f"Kelengkapan: {step.inputs}")
    if step.output:
        parts.append(f"Output: {step.output}")
    if step.note:
        parts.append(f"Keterangan: {step.note}")
    return "\n".join(parts)


def export_bpmn(version: SopVersion) -> str:
    """The BPMN 2.0 XML of ``version`` as text."""
    pid = process_id(version)
    definitions = ET.Element(
        _q("definitions"),
        {
            "id": f"{pid}_definitions",
            "targetNamespace": "https://kinerja.example/bpmn",
            "exporter": "Kinerja",
            "exporterVersion": "1",
        },
    )
    collaboration = ET.SubElement(definitions, _q("collaboration"), {"id": f"{pid}_collab"})
    ET.SubElement(
        collaboration,
        _q("participant"),
        {
            "id": f"{pid}_pool",
            "name": f"{version.sop.agency.name}: {version.name}",
            "processRef": pid,
        },
    )
    process = ET.SubElement(
        definitions, _q("process"), {"id": pid, "name": version.name, "isExecutable": "true"}
    )
    doc = ET.SubElement(process, _q("documentation"))
    doc.text = " ".join(filter(None, [version.number, version.name]))
    lanes = list(version.lanes.all())
    lane_set = ET.SubElement(process, _q("laneSet"), {"id": f"{pid}_lanes"})
    writer = _ProcessWriter(process, {lane.pk: [] for lane in lanes})
    for step in version.ordered_steps():
        writer.write_step(step)
    for lane in lanes:
        _write_lane(lane_set, lane, writer.lane_nodes[lane.pk])
    writer.write_flows()
    ET.indent(definitions)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(definitions, encoding="unicode")


def _node_of(step: Step) -> str:
    """The id of the step's node: a start event for a MULAI row, else its task."""
    return f"start_{step.number}" if step.kind == Step.Kind.START else f"step_{step.number}"


@dataclass
class _ProcessWriter:
    """Writes the steps of a process as nodes, remembering each lane's nodes and the sequence
    flows, which are written after every node (:meth:`write_flows`)."""

    process: ET.Element
    lane_nodes: dict[int, list[str]]  # lane pk -> ids of its nodes
    flows: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, from, to, label
    conditions: dict[str, str] = field(default_factory=dict)  # flow id -> condition

    def node(self, step: Step, tag: str, node_id: str, name: str) -> ET.Element:
        """A node of ``tag`` in the process, in the lane of ``step``."""
        self.lane_nodes[step.lane_id].append(node_id)
        return ET.SubElement(self.process, _q(tag), {"id": node_id, "name": name})

    def flow(self, source: str, target: str, label: str = "", condition: str = "") -> None:
        flow_id = f"flow_{len(self.flows) + 1}"
        self.flows.append((flow_id, source, target, label))
        if condition:
            self.conditions[flow_id] = condition

    def write_step(self, step: Step) -> None:
        """The step's node and the flows that leave it (an END row has none)."""
        if step.kind == Step.Kind.END:
            self.node(step, "endEvent", _node_of(step), step.text)
            return
        if step.kind == Step.Kind.START:
            self.node(step, "startEvent", _node_of(step), step.text)
        else:
            self.write_task(step)
        self.write_exits(step)

    def write_task(self, step: Step) -> None:
        """A manual task with its documentation, after a MULAI start event if it starts."""
        task = self.node(step, "manualTask", _node_of(step), step.text)
        joint = [lane.name for lane in step.with_lanes.all()]
        documentation = "\n".join(
            part for part in (_documentation(step), _joint_text(joint)) if part
        )
        if documentation:
            ET.SubElement(task, _q("documentation")).text = documentation
        if step.lane.each:  # one task per position, all of them done before the flow goes on
            ET.SubElement(task, _q("multiInstanceLoopCharacteristics"), {"isSequential": "false"})
        if step.starts:
            self.node(step, "startEvent", "start", "MULAI")
            self.flow("start", _node_of(step))

    def write_exits(self, step: Step) -> None:
        """A decision's gateway with its Ya and Tidak flows, a SELESAI end event after the last
        step, or the flow to the next step."""
        if step.is_decision:
            gateway = f"gateway_{step.number}"
            self.node(step, "exclusiveGateway", gateway, step.question or f"{step.number}?")
            self.flow(_node_of(step), gateway)
            variable = answer_variable(step)
            for label, target in (("Ya", step.yes_step), ("Tidak", step.no_step)):
                if target is not None:  # a decision has both exits (sopfile checks it)
                    self.flow(gateway, _node_of(target), label, f'{variable} == "{label}"')
        elif step.is_terminal:
            end_id = f"end_{step.number}"
            self.node(step, "endEvent", end_id, "SELESAI")
            self.flow(_node_of(step), end_id)
        elif step.next_step is not None:
            self.flow(_node_of(step), _node_of(step.next_step))

    def write_flows(self) -> None:
        """The sequence flows, a decision's with its condition expression."""
        for flow_id, source, target, label in self.flows:
            attributes = {"id": flow_id, "sourceRef": source, "targetRef": target}
            if label:
                attributes["name"] = label
            flow = ET.SubElement(self.process, _q("sequenceFlow"), attributes)
            if flow_id in self.conditions:
                expression = ET.SubElement(
                    flow, _q("conditionExpression"), {f"{{{XSI}}}type": "bpmn:tFormalExpression"}
                )
                expression.text = self.conditions[flow_id]


def _joint_text(lanes: list[str]) -> str:
    """A joint step's other lanes (``with``), as its documentation says them."""
    return f"Bersama: {', '.join(lanes)}" if lanes else ""


def _write_lane(lane_set: ET.Element, lane: Lane, nodes: list[str]) -> None:
    """A lane: who it stands for (a team, or positions) and the ids of its nodes."""
    element = ET.SubElement(lane_set, _q("lane"), {"id": f"lane_{lane.key}", "name": lane.name})
    who = (
        f"team {lane.team.code}"
        if lane.team is not None
        else "positions " + ", ".join(p.code for p in lane.ordered_positions())
    )
    if lane.agency is not None:
        who += f" of {lane.agency.code}"
    if lane.each:
        who += ", each"
    ET.SubElement(element, _q("documentation")).text = who
    for node in nodes:
        ET.SubElement(element, _q("flowNodeRef")).text = node
