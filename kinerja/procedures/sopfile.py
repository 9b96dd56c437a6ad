"""Read and check an SOP file (YAML, format ``kinerja-sop/1``; docs/sop-format.md).

:func:`parse_sop_file` returns an :class:`SopSpec` or raises :class:`InvalidSopFile` carrying
every :class:`Problem` found, each with its line and field. It reads no database except, when an
agency is given, its position and team codes (to report an unknown actor). Writing is the job of
:mod:`kinerja.procedures.services`; an invalid file never reaches it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.conf import settings
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kinerja.core import actions as action_registry
from kinerja.procedures.durations import Duration, DurationError, parse_duration

FORMAT = "kinerja-sop/1"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "sop.schema.json"


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class InvalidSopFile(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LaneSpec:
    key: str
    name: str
    positions: list[str] = field(default_factory=list)
    team: str = ""


@dataclass
class StepSpec:
    number: int
    text: str
    lane: str
    kind: str = "process"
    starts: bool = False
    ends: bool = False
    inputs: str = ""
    time_text: str = ""
    duration: Duration | None = None
    output: str = ""
    note: str = ""
    next: int | None = None  # resolved: the step that follows (None at the end, and for decisions)
    yes: int | None = None
    no: int | None = None
    question: str = ""
    action: str = ""
    calls: str = ""
    records_minutes: bool = False

    def successors(self) -> list[int]:
        if self.kind == "decision":
            return [n for n in (self.yes, self.no) if n is not None]
        return [self.next] if self.next is not None else []

    @property
    def terminal(self) -> bool:
        return self.ends or self.kind == "end"


@dataclass
class SopSpec:
    """A checked SOP file, ready to be written."""

    agency: str
    key: str
    number: str
    name: str
    drafted_on: dt.date | None
    revised_on: dt.date | None
    revision_text: str
    effective_on: dt.date | None
    approved_by: dict[str, str]
    legal_basis: list[str]
    qualifications: list[str]
    related_sops: list[dict[str, str]]
    equipment: list[str]
    warnings: list[str]
    records: list[str]
    notes: str
    lanes: list[LaneSpec]
    steps: list[StepSpec]
    source: str


# -- YAML with line numbers -------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text (the schema checks them) and keeps every key once."""


_Loader.yaml_implicit_resolvers = {
    key: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Only true/false are booleans: "yes" and "no" are the exits of a decision, not YAML 1.1 booleans.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _lines(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map each path (keys and list indexes) to the 1-based line where its value starts."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _lines(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), out)
    return out


def _duplicate_keys(node: yaml.Node, path: str = "") -> Iterable[Problem]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = f"{path}.{key_node.value}" if path else str(key_node.value)
            if key_node.value in seen:
                yield Problem(key_node.start_mark.line + 1, name, _("This field is written twice."))
            seen.add(key_node.value)
            yield from _duplicate_keys(value_node, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, f"{path}[{index}]")


def _field_name(path: Iterable) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# -- Bounds, checked before YAML builds anything ---------------------------------------------

# The token scanner only: fast (libyaml when installed) and linear, it builds and expands nothing.
_Scanner = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def max_bytes() -> int:
    """The largest SOP file accepted (``KINERJA_SOP_MAX_KB``, default 512 KB)."""
    return settings.KINERJA_SOP_MAX_KB * 1024


def size_problem(size: int) -> Problem | None:
    """The problem of a file of ``size`` bytes, None when it is small enough."""
    if size <= max_bytes():
        return None
    return Problem(
        None,
        "",
        _("The file is %(size)s KB; an SOP file may be at most %(limit)d KB.")
        % {"size": number_format(size / 1024, 0), "limit": max_bytes() // 1024},
    )


def check_bounds(text: str) -> None:
    """Raise :class:`InvalidSopFile` for a file too large, or one that uses an alias (``*name``).

    Aliases are refused outright: an SOP has no need for them, and a few nested aliases expand to
    billions of nodes ("billion laughs") or to a cycle. Both are found before YAML composes or
    loads anything: the size from the text's length, the alias by scanning tokens, which stops
    at the first one."""
    problem = size_problem(len(text.encode("utf-8")))
    if problem is not None:
        raise InvalidSopFile([problem])
    try:
        for token in yaml.scan(text, Loader=_Scanner):
            if isinstance(token, yaml.AliasToken):
                raise InvalidSopFile(
                    [
                        Problem(
                            token.start_mark.line + 1,
                            "",
                            _(
                                "Aliases (*%(name)s) are not accepted in an SOP file; write the "
                                "value out in full."
                            )
                            % {"name": token.value},
                        )
                    ]
                )
    except yaml.YAMLError:
        return  # not YAML: the parser reports it with its line


def agency_code_of(text: str) -> str:
    """The agency a file names, read leniently (empty when the file is not readable, too large
    or not within :func:`check_bounds`)."""
    try:
        check_bounds(text)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except (yaml.YAMLError, InvalidSopFile):
        return ""
    value = data.get("agency") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# -- Parsing and checking ----------------------------------------------------------------------


def parse_sop_file(
    text: str,
    *,
    agency_code: str | None = None,
    position_codes: Iterable[str] | None = None,
    team_codes: Iterable[str] | None = None,
) -> SopSpec:
    """Check ``text`` and return the SOP it describes; raise :class:`InvalidSopFile` otherwise.

    ``position_codes`` and ``team_codes`` (the agency's) make an unknown actor a problem; without
    them only the file's own consistency is checked. A file too large or with aliases is
    refused before YAML reads it (:func:`check_bounds`).
    """
    check_bounds(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InvalidSopFile(
            [
                Problem(
                    mark.line + 1 if mark else None,
                    "",
                    _("This is not valid YAML: %(error)s")
                    % {"error": getattr(exc, "problem", None) or exc},
                )
            ]
        ) from None
    if root is None or not isinstance(data, dict):
        raise InvalidSopFile([Problem(1, "", _("The file is empty or not a YAML mapping."))])
    lines = _lines(root)

    def line_of(path: tuple) -> int | None:
        while path not in lines and path:
            path = path[:-1]
        return lines.get(path)

    problems: list[Problem] = list(_duplicate_keys(root))
    validator = jsonschema.Draft202012Validator(schema())
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            for name in extra:
                problems.append(
                    Problem(
                        line_of((*path, name)),
                        _field_name((*path, name)),
                        _("Unknown field."),
                    )
                )
            continue
        problems.append(Problem(line_of(path), _field_name(path), _schema_message(error)))
    if problems:
        raise InvalidSopFile(problems)

    agency = agency_code or data.get("agency", "")
    if not agency:
        problems.append(
            Problem(1, "agency", _("Name the agency in the file or give it when importing."))
        )
    elif data.get("agency") and agency_code and data["agency"] != agency_code:
        problems.append(
            Problem(
                line_of(("agency",)),
                "agency",
                _("The file is for %(file)s, not %(agency)s.")
                % {"file": data["agency"], "agency": agency_code},
            )
        )

    dates: dict[str, dt.date | None] = {}
    for name in ("drafted_on", "revised_on", "effective_on"):
        value = data.get(name)
        dates[name] = None
        if value:
            try:
                dates[name] = dt.date.fromisoformat(value)
            except ValueError:
                problems.append(
                    Problem(
                        line_of((name,)), name, _("“%(value)s” is not a date.") % {"value": value}
                    )
                )

    position_set = set(position_codes) if position_codes is not None else None
    team_set = set(team_codes) if team_codes is not None else None
    approved_by = {k: str(v) for k, v in (data.get("approved_by") or {}).items()}
    if (
        position_set is not None
        and approved_by.get("position")
        and approved_by["position"] not in position_set
    ):
        problems.append(
            Problem(
                line_of(("approved_by", "position")),
                "approved_by.position",
                _("The agency has no position with code %(code)s.")
                % {"code": approved_by["position"]},
            )
        )

    lanes: list[LaneSpec] = []
    lane_keys: set[str] = set()
    for index, raw in enumerate(data["lanes"]):
        lane = LaneSpec(
            key=raw["key"],
            name=raw["name"],
            positions=list(raw.get("positions", [])),
            team=raw.get("team", ""),
        )
        if lane.key in lane_keys:
            problems.append(
                Problem(
                    line_of(("lanes", index, "key")),
                    f"lanes[{index}].key",
                    _("Lane %(key)s is declared twice.") % {"key": lane.key},
                )
            )
        lane_keys.add(lane.key)
        if position_set is not None:
            for pindex, code in enumerate(lane.positions):
                if code not in position_set:
                    problems.append(
                        Problem(
                            line_of(("lanes", index, "positions", pindex)),
                            f"lanes[{index}].positions[{pindex}]",
                            _("Unknown actor: the agency has no position with code %(code)s.")
                            % {"code": code},
                        )
                    )
        if team_set is not None and lane.team and lane.team not in team_set:
            problems.append(
                Problem(
                    line_of(("lanes", index, "team")),
                    f"lanes[{index}].team",
                    _("Unknown actor: the agency has no team with code %(code)s.")
                    % {"code": lane.team},
                )
            )
        lanes.append(lane)

    # the actions the apps registered at start-up (kinerja.core.actions): the engine knows no other
    known_actions = set(action_registry.names())
    steps: list[StepSpec] = []
    step_line: dict[int, int | None] = {}
    explicit_next: dict[int, int | None] = {}
    for index, raw in enumerate(data["steps"]):
        where = ("steps", index)
        number = raw["number"]
        if number in step_line:
            problems.append(
                Problem(
                    line_of((*where, "number")),
                    f"steps[{index}].number",
                    _("Step number %(number)s is used twice.") % {"number": number},
                )
            )
            continue
        step_line[number] = line_of(where)
        step = StepSpec(
            number=number,
            text=raw["text"].strip(),
            lane=raw["lane"],
            kind=raw.get("kind", "process"),
            starts=bool(raw.get("start", False)) or raw.get("kind") == "start",
            ends=bool(raw.get("end", False)) or raw.get("kind") == "end",
            inputs=raw.get("inputs", ""),
            time_text=raw.get("time", ""),
            output=raw.get("output", ""),
            note=raw.get("note", ""),
            yes=raw.get("yes"),
            no=raw.get("no"),
            question=raw.get("question", ""),
            action=raw.get("action", ""),
            calls=raw.get("calls", ""),
            records_minutes=bool(raw.get("records_minutes", False)),
        )
        explicit_next[number] = raw.get("next")
        if step.lane not in lane_keys:
            problems.append(
                Problem(
                    line_of((*where, "lane")),
                    f"steps[{index}].lane",
                    _("Unknown actor: no lane with key %(key)s.") % {"key": step.lane},
                )
            )
        if step.time_text:
            try:
                step.duration = parse_duration(step.time_text)
            except DurationError as exc:
                problems.append(
                    Problem(line_of((*where, "time")), f"steps[{index}].time", str(exc))
                )
        if step.action and step.action not in known_actions:
            problems.append(
                Problem(
                    line_of((*where, "action")),
                    f"steps[{index}].action",
                    _("Unknown action %(name)s; known actions: %(known)s.")
                    % {"name": step.action, "known": ", ".join(sorted(known_actions))},
                )
            )
        if step.kind == "decision":
            for exit_name in ("yes", "no"):
                if raw.get(exit_name) is None:
                    problems.append(
                        Problem(
                            line_of(where),
                            f"steps[{index}].{exit_name}",
                            _("Decision step %(number)s has no “%(exit)s” exit.")
                            % {"number": number, "exit": "Ya" if exit_name == "yes" else "Tidak"},
                        )
                    )
            for wrong in ("next", "end"):
                if raw.get(wrong):
                    problems.append(
                        Problem(
                            line_of((*where, wrong)),
                            f"steps[{index}].{wrong}",
                            _("A decision leaves only through its Ya and Tidak exits."),
                        )
                    )
        else:
            for wrong in ("yes", "no", "question"):
                if raw.get(wrong) is not None:
                    problems.append(
                        Problem(
                            line_of((*where, wrong)),
                            f"steps[{index}].{wrong}",
                            _("Only a decision step has Ya and Tidak exits."),
                        )
                    )
            if step.terminal and raw.get("next") is not None:
                problems.append(
                    Problem(
                        line_of((*where, "next")),
                        f"steps[{index}].next",
                        _("Step %(number)s ends the SOP and cannot have a next step.")
                        % {"number": number},
                    )
                )
        steps.append(step)

    steps.sort(key=lambda s: s.number)
    numbers = [s.number for s in steps]
    by_number = {s.number: s for s in steps}
    index_of = {s.number: i for i, s in enumerate(steps)}
    for step in steps:
        line = step_line[step.number]
        if step.kind != "decision" and not step.terminal:
            target = explicit_next.get(step.number)
            if target is None:
                position = index_of[step.number]
                target = numbers[position + 1] if position + 1 < len(numbers) else None
            if target is None:
                problems.append(
                    Problem(
                        line,
                        f"step {step.number}",
                        _("Step %(number)s leads nowhere: give it a next step or mark it as end.")
                        % {"number": step.number},
                    )
                )
            step.next = target
        for label, target in (("next", step.next), ("yes", step.yes), ("no", step.no)):
            if target is not None and target not in by_number:
                problems.append(
                    Problem(
                        line,
                        f"step {step.number}.{label}",
                        _("Step %(number)s goes to step %(target)s, which does not exist.")
                        % {"number": step.number, "target": target},
                    )
                )
            if target is not None and target == step.number:
                problems.append(
                    Problem(
                        line,
                        f"step {step.number}.{label}",
                        _("Step %(number)s goes to itself.") % {"number": step.number},
                    )
                )

    starts = [s for s in steps if s.starts]
    if not starts:
        problems.append(Problem(line_of(("steps",)), "steps", _("No step starts the SOP (MULAI).")))
    elif len(starts) > 1:
        for extra in starts[1:]:
            problems.append(
                Problem(
                    step_line[extra.number],
                    f"step {extra.number}.start",
                    _("The SOP starts at step %(first)s already; only one step starts it.")
                    % {"first": starts[0].number},
                )
            )
    if not any(s.terminal for s in steps):
        problems.append(Problem(line_of(("steps",)), "steps", _("No step ends the SOP (SELESAI).")))

    if starts and not problems:
        problems.extend(_graph_problems(steps, starts[0].number, step_line))

    if problems:
        raise InvalidSopFile(problems)

    related = []
    for item in data.get("related_sops", []):
        related.append(
            {"text": item, "number": ""}
            if isinstance(item, str)
            else {"text": item["text"], "number": item.get("number", "")}
        )

    return SopSpec(
        agency=agency,
        key=data.get("key") or slugify(data["name"])[:100] or "sop",
        number=data.get("number", "") or "",
        name=data["name"].strip(),
        drafted_on=dates["drafted_on"],
        revised_on=dates["revised_on"],
        revision_text=data.get("revision_text", ""),
        effective_on=dates["effective_on"],
        approved_by=approved_by,
        legal_basis=data.get("legal_basis", []),
        qualifications=data.get("qualifications", []),
        related_sops=related,
        equipment=data.get("equipment", []),
        warnings=data.get("warnings", []),
        records=data.get("records", []),
        notes=data.get("notes", "") or "",
        lanes=lanes,
        steps=steps,
        source=text,
    )


def _graph_problems(
    steps: list[StepSpec], start: int, step_line: dict[int, int | None]
) -> list[Problem]:
    """Unreachable steps and loops with no way out, found by walking the flow both ways."""
    successors = {s.number: s.successors() for s in steps}
    reached = {start}
    todo = [start]
    while todo:
        for target in successors[todo.pop()]:
            if target not in reached:
                reached.add(target)
                todo.append(target)
    predecessors: dict[int, list[int]] = {s.number: [] for s in steps}
    for number, targets in successors.items():
        for target in targets:
            predecessors[target].append(number)
    can_finish = {s.number for s in steps if s.terminal}
    todo = list(can_finish)
    while todo:
        for source in predecessors[todo.pop()]:
            if source not in can_finish:
                can_finish.add(source)
                todo.append(source)
    problems = []
    for step in steps:
        if step.number not in reached:
            problems.append(
                Problem(
                    step_line[step.number],
                    f"step {step.number}",
                    _("Step %(number)s cannot be reached from the start.")
                    % {"number": step.number},
                )
            )
        elif step.number not in can_finish:
            problems.append(
                Problem(
                    step_line[step.number],
                    f"step {step.number}",
                    _("Step %(number)s is in a loop with no way out to the end.")
                    % {"number": step.number},
                )
            )
    return problems


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return _("Required field missing: %(name)s.") % {"name": ", ".join(missing) or "?"}
    if error.validator == "type":
        return _("Wrong type: expected %(type)s.") % {"type": error.validator_value}
    if error.validator == "pattern":
        return _("“%(value)s” does not have the expected form.") % {"value": error.instance}
    if error.validator == "const":
        return _("Must be %(value)s.") % {"value": error.validator_value}
    if error.validator == "enum":
        return _("Must be one of %(values)s.") % {
            "values": ", ".join(map(str, error.validator_value))
        }
    if error.validator == "oneOf" and isinstance(error.instance, dict) and "key" in error.instance:
        return _("A lane names either positions or a team.")
    if error.validator == "minItems":
        return _("At least %(n)s entries are needed.") % {"n": error.validator_value}
    if error.validator == "maxItems":
        return _("At most %(n)s entries are allowed.") % {"n": error.validator_value}
    if error.validator == "maxLength":
        return _("At most %(n)s characters are allowed.") % {"n": error.validator_value}
    return error.message
