"""Export an SOP version as BPMN 2.0 XML: one pool, a lane per actor, a manual task per step,
an exclusive gateway after each decision with its Ya/Tidak flows, start and end events.

The time standard, Kelengkapan and Output of a step go into the task's documentation. A Ya/Tidak
flow carries a condition ``answer_<n> == "Ya"`` (a Python expression, as SpiffWorkflow and most
engines read it); whoever runs the process sets ``answer_<n>`` when the decision step is done.
No diagram interchange (BPMNDI) is written: tools that need coordinates lay the model out.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from kinerja.procedures.models import SopVersion, Step

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

    steps = list(version.ordered_steps())
    lanes = list(version.lanes.all())
    lane_nodes: dict[int, list[str]] = {lane.pk: [] for lane in lanes}
    lane_set = ET.SubElement(process, _q("laneSet"), {"id": f"{pid}_lanes"})

    flows: list[tuple[str, str, str, str | None]] = []  # id, source, target, (label, condition)
    conditions: dict[str, tuple[str, str]] = {}

    def node_of(step: Step) -> str:
        return f"start_{step.number}" if step.kind == Step.Kind.START else f"step_{step.number}"

    def add_flow(source: str, target: str, label: str = "", condition: str = "") -> None:
        flow_id = f"flow_{len(flows) + 1}"
        flows.append((flow_id, source, target, label))
        if condition:
            conditions[flow_id] = (label, condition)

    for step in steps:
        if step.kind == Step.Kind.START:
            ET.SubElement(process, _q("startEvent"), {"id": node_of(step), "name": step.text})
            lane_nodes[step.lane_id].append(node_of(step))
        elif step.kind == Step.Kind.END:
            end = ET.SubElement(process, _q("endEvent"), {"id": node_of(step), "name": step.text})
            del end
            lane_nodes[step.lane_id].append(node_of(step))
            continue
        else:
            task = ET.SubElement(
                process, _q("manualTask"), {"id": node_of(step), "name": step.text}
            )
            documentation = _documentation(step)
            if documentation:
                ET.SubElement(task, _q("documentation")).text = documentation
            lane_nodes[step.lane_id].append(node_of(step))
            if step.starts:
                ET.SubElement(process, _q("startEvent"), {"id": "start", "name": "MULAI"})
                lane_nodes[step.lane_id].append("start")
                add_flow("start", node_of(step))
        if step.is_decision:
            gateway = f"gateway_{step.number}"
            ET.SubElement(
                process,
                _q("exclusiveGateway"),
                {"id": gateway, "name": step.question or f"{step.number}?"},
            )
            lane_nodes[step.lane_id].append(gateway)
            add_flow(node_of(step), gateway)
            variable = answer_variable(step)
            add_flow(gateway, node_of(step.yes_step), "Ya", f'{variable} == "Ya"')
            add_flow(gateway, node_of(step.no_step), "Tidak", f'{variable} == "Tidak"')
        elif step.is_terminal:
            end_id = f"end_{step.number}"
            ET.SubElement(process, _q("endEvent"), {"id": end_id, "name": "SELESAI"})
            lane_nodes[step.lane_id].append(end_id)
            add_flow(node_of(step), end_id)
        elif step.next_step is not None:
            add_flow(node_of(step), node_of(step.next_step))

    for lane in lanes:
        element = ET.SubElement(lane_set, _q("lane"), {"id": f"lane_{lane.key}", "name": lane.name})
        who = (
            f"team {lane.team.code}"
            if lane.team_id
            else "positions " + ", ".join(p.code for p in lane.positions.all())
        )
        ET.SubElement(element, _q("documentation")).text = who
        for node in lane_nodes[lane.pk]:
            ET.SubElement(element, _q("flowNodeRef")).text = node

    for flow_id, source, target, label in flows:
        attributes = {"id": flow_id, "sourceRef": source, "targetRef": target}
        if label:
            attributes["name"] = label
        flow = ET.SubElement(process, _q("sequenceFlow"), attributes)
        if flow_id in conditions:
            expression = ET.SubElement(
                flow, _q("conditionExpression"), {f"{{{XSI}}}type": "bpmn:tFormalExpression"}
            )
            expression.text = conditions[flow_id][1]
    ET.indent(definitions)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(definitions, encoding="unicode")
