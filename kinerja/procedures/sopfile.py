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
from typing import Any, Protocol

import jsonschema
import yaml
from django.conf import settings
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kinerja.core import actions as action_registry
from kinerja.procedures.durations import Duration, DurationError, is_no_time, parse_duration

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


class Organisation(Protocol):
    """What the validator asks of the organisation about the agencies a lane names (the
    procedures services answer it from the database). Without it, a lane's ``agency`` is not
    checked and an ``each: KIND`` lane has no positions."""

    def agency_problem(self, code: str) -> str | None:
        """Why the agency ``code`` cannot hold a lane of this SOP (None: it can)."""

    def position_codes(self, code: str) -> set[str]:
        """The position codes of the agency ``code``."""

    def unit_heads(self, code: str, kind: str) -> list[str]:
        """The codes of the head positions of every unit of ``kind`` of the agency ``code``."""


@dataclass
class LaneSpec:
    key: str
    name: str
    positions: list[str] = field(default_factory=list)
    team: str = ""
    #: another agency (of the same region) whose positions the lane names; "" for the SOP's own
    agency: str = ""
    #: one task per position (``each: true``, or ``each: KIND`` for every unit head of KIND)
    each: bool = False
    #: the unit kind ``each`` named, its positions resolved from the organisation
    each_unit_kind: str = ""


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
    #: the keys of the lanes that do the step together with its own lane (``with``)
    with_lanes: list[str] = field(default_factory=list)

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


def line_of_field(text: str, *path: str | int) -> int | None:
    """The line where the field at ``path`` (e.g. ``"number"``) is written; None when the file
    is not readable or has no such field."""
    try:
        check_bounds(text)
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, InvalidSopFile):
        return None
    return _lines(root).get(tuple(path)) if root is not None else None


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
    organisation: Organisation | None = None,
) -> SopSpec:
    """Check ``text`` and return the SOP it describes; raise :class:`InvalidSopFile` otherwise.

    ``position_codes`` and ``team_codes`` (the agency's) make an unknown actor a problem; without
    them only the file's own consistency is checked; so does ``organisation`` for the lanes of
    other agencies and ``each: KIND``. A file too large or with aliases is refused before YAML
    reads it (:func:`check_bounds`).

    The checks run in order, and the file's problems are reported together: first its form (YAML,
    duplicate keys, the JSON Schema), which must pass before anything else is read; then the
    agency, the dates, the approving position, the lanes and the steps; last the flow as a graph
    (start, end, reachable steps), walked only when nothing else is wrong.
    """
    check_bounds(text)
    root, data = _compose(text)
    reading = _Reading.of(data, root, position_codes, team_codes, organisation)
    reading.problems.extend(_duplicate_keys(root))
    reading.check_schema()
    reading.raise_problems()
    agency = reading.agency(agency_code)
    dates = reading.dates()
    approved_by = reading.approved_by()
    lanes = reading.lanes()
    steps = reading.steps({lane.key for lane in lanes})
    reading.link_steps(steps)
    starts = reading.check_start_and_end(steps)
    if starts and not reading.problems:
        reading.problems.extend(_graph_problems(steps, starts[0].number, reading.step_line))
    reading.raise_problems()
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
        related_sops=_related_sops(data.get("related_sops", [])),
        equipment=data.get("equipment", []),
        warnings=data.get("warnings", []),
        records=data.get("records", []),
        notes=data.get("notes", "") or "",
        lanes=lanes,
        steps=steps,
        source=text,
    )


def _compose(text: str) -> tuple[yaml.Node, dict[str, Any]]:
    """The file's node tree (for the lines) and its data; a file that is not YAML, or not a
    mapping, raises :class:`InvalidSopFile`."""
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
    return root, data


def _related_sops(items: list[str | dict[str, str]]) -> list[dict[str, str]]:
    """Keterkaitan as ``{text, number}``: an entry written as plain text has no number."""
    return [
        {"text": item, "number": ""}
        if isinstance(item, str)
        else {"text": item["text"], "number": item.get("number", "")}
        for item in items
    ]


@dataclass
class _Reading:
    """One file being checked: its data, the line of each value, the agency's position and team
    codes (None: not checked) and the problems found so far."""

    data: dict[str, Any]
    lines: dict[tuple[Any, ...], int]
    position_codes: set[str] | None
    team_codes: set[str] | None
    problems: list[Problem] = field(default_factory=list)
    #: per step number, the line where the step starts
    step_line: dict[int, int | None] = field(default_factory=dict)
    #: per step number, the ``next`` the file gives (None: the following step)
    explicit_next: dict[int, int | None] = field(default_factory=dict)
    organisation: Organisation | None = None
    #: the SOP's agency, once read
    agency_code: str = ""
    #: the lanes by key, once read
    lane_specs: dict[str, LaneSpec] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        data: dict[str, Any],
        root: yaml.Node,
        position_codes: Iterable[str] | None,
        team_codes: Iterable[str] | None,
        organisation: Organisation | None,
    ) -> _Reading:
        """The reading of a file composed as ``root`` (for the lines) and loaded as ``data``."""
        return cls(
            data,
            _lines(root),
            set(position_codes) if position_codes is not None else None,
            set(team_codes) if team_codes is not None else None,
            organisation=organisation,
        )

    def line_of(self, path: tuple[Any, ...]) -> int | None:
        """The line of ``path``, or of the nearest enclosing value written in the file."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def add(self, path: tuple[Any, ...], name: str, message: str) -> None:
        """A problem at the line of ``path``, reported for the field ``name``."""
        self.problems.append(Problem(self.line_of(path), name, message))

    def raise_problems(self) -> None:
        if self.problems:
            raise InvalidSopFile(self.problems)

    # -- the file's form ---------------------------------------------------------------------

    def check_schema(self) -> None:
        """The JSON Schema's errors, in the order of their paths; an additional property is
        reported once per unknown field, at that field's line."""
        validator = jsonschema.Draft202012Validator(schema())
        errors = validator.iter_errors(self.data)
        for error in sorted(errors, key=lambda e: list(map(str, e.path))):
            path = tuple(error.path)
            if error.validator == "additionalProperties":
                extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
                for name in extra:
                    self.add((*path, name), _field_name((*path, name)), _("Unknown field."))
                continue
            self.add(path, _field_name(path), _schema_message(error))

    # -- the heading -------------------------------------------------------------------------

    def agency(self, agency_code: str | None) -> str:
        """The agency the SOP is for: the one given when importing, else the file's own; the
        file may not name another one."""
        named = self.data.get("agency")
        agency: str = agency_code or self.data.get("agency", "")
        self.agency_code = agency
        if not agency:
            self.problems.append(
                Problem(1, "agency", _("Name the agency in the file or give it when importing."))
            )
        elif named and agency_code and named != agency_code:
            self.add(
                ("agency",),
                "agency",
                _("The file is for %(file)s, not %(agency)s.")
                % {"file": named, "agency": agency_code},
            )
        return agency

    def dates(self) -> dict[str, dt.date | None]:
        """Tanggal Pembuatan, Revisi and Efektif as dates (None when not given)."""
        dates: dict[str, dt.date | None] = {}
        for name in ("drafted_on", "revised_on", "effective_on"):
            value = self.data.get(name)
            dates[name] = None
            if not value:
                continue
            try:
                dates[name] = dt.date.fromisoformat(value)
            except ValueError:
                self.add((name,), name, _("“%(value)s” is not a date.") % {"value": value})
        return dates

    def approved_by(self) -> dict[str, str]:
        """The Disahkan Oleh block; its position must be one of the agency's."""
        approved_by = {k: str(v) for k, v in (self.data.get("approved_by") or {}).items()}
        code = approved_by.get("position")
        if self.position_codes is not None and code and code not in self.position_codes:
            self.add(
                ("approved_by", "position"),
                "approved_by.position",
                _("The agency has no position with code %(code)s.") % {"code": code},
            )
        return approved_by

    # -- lanes -------------------------------------------------------------------------------

    def lanes(self) -> list[LaneSpec]:
        """The Pelaksana columns, each key once, each actor one of the agency's."""
        lanes: list[LaneSpec] = []
        keys: set[str] = set()
        for index, raw in enumerate(self.data["lanes"]):
            lane = _lane_spec(raw)
            if lane.key in keys:
                self.add(
                    ("lanes", index, "key"),
                    f"lanes[{index}].key",
                    _("Lane %(key)s is declared twice.") % {"key": lane.key},
                )
            keys.add(lane.key)
            if self.check_lane_form(index, raw, lane):
                self.check_lane_actors(index, lane)
            lanes.append(lane)
            self.lane_specs.setdefault(lane.key, lane)
        return lanes

    def check_lane_form(self, index: int, raw: dict[str, Any], lane: LaneSpec) -> bool:
        """The lane names one kind of actor: positions (``each: true`` allowed), a team, or
        ``each: KIND`` alone; False (with the problem) when it does not."""
        where = ("lanes", index)
        each_kind = isinstance(raw.get("each"), str)
        if lane.team and (lane.each or lane.agency):
            name = "each" if lane.each else "agency"
            self.add(
                (*where, name),
                f"lanes[{index}].{name}",
                _(
                    "A team lane takes neither “each” nor “agency”: its task is offered to the "
                    "team's members, who may belong to other agencies already."
                ),
            )
            return False
        if each_kind and "positions" in raw:
            self.add(
                (*where, "each"),
                f"lanes[{index}].each",
                _(
                    "“each: %(kind)s” names the positions itself (the head of every unit of that "
                    "kind); remove the positions or write “each: true”."
                )
                % {"kind": lane.each_unit_kind},
            )
            return False
        if bool(lane.team) + ("positions" in raw) + each_kind != 1:
            self.add(where, f"lanes[{index}]", _("A lane names either positions or a team."))
            return False
        return True

    def check_lane_actors(self, index: int, lane: LaneSpec) -> None:
        """The lane's positions and team exist in its agency (when its codes can be known)."""
        codes = self.lane_position_codes(index, lane)
        if lane.each_unit_kind:
            self.resolve_unit_heads(index, lane)
            return
        if codes is not None:
            for pindex, code in enumerate(lane.positions):
                if code not in codes:
                    self.add(
                        ("lanes", index, "positions", pindex),
                        f"lanes[{index}].positions[{pindex}]",
                        _("Unknown actor: agency %(agency)s has no position with code %(code)s.")
                        % {"agency": lane.agency, "code": code}
                        if lane.agency
                        else _("Unknown actor: the agency has no position with code %(code)s.")
                        % {"code": code},
                    )
        if self.team_codes is not None and lane.team and lane.team not in self.team_codes:
            self.add(
                ("lanes", index, "team"),
                f"lanes[{index}].team",
                _("Unknown actor: the agency has no team with code %(code)s.")
                % {"code": lane.team},
            )

    def lane_position_codes(self, index: int, lane: LaneSpec) -> set[str] | None:
        """The position codes of the lane's agency (None when they cannot be known); a lane's
        agency that is unknown or of another region is a problem."""
        if not lane.agency:
            return self.position_codes
        if self.organisation is None:
            return None
        problem = self.organisation.agency_problem(lane.agency)
        if problem is not None:
            self.add(("lanes", index, "agency"), f"lanes[{index}].agency", problem)
            lane.each_unit_kind = ""  # nothing to resolve in an agency that cannot hold it
            return None
        return self.organisation.position_codes(lane.agency)

    def resolve_unit_heads(self, index: int, lane: LaneSpec) -> None:
        """``each: KIND``: the lane's positions are the heads of every unit of KIND of its
        agency (the SOP's own when it names none)."""
        agency = lane.agency or self.agency_code
        if self.organisation is None or not agency:
            return
        lane.positions = self.organisation.unit_heads(agency, lane.each_unit_kind)
        if not lane.positions:
            self.add(
                ("lanes", index, "each"),
                f"lanes[{index}].each",
                _("Agency %(agency)s has no head of a unit of kind %(kind)s.")
                % {"agency": agency, "kind": lane.each_unit_kind},
            )

    # -- steps -------------------------------------------------------------------------------

    def steps(self, lane_keys: set[str]) -> list[StepSpec]:
        """The steps in number order, each checked on its own (lane, time, action, exits); a
        step whose number is taken already is reported and left out."""
        # the actions the apps registered at start-up (kinerja.core.actions): the engine knows
        # no other
        known_actions = set(action_registry.names())
        steps: list[StepSpec] = []
        for index, raw in enumerate(self.data["steps"]):
            number = raw["number"]
            if number in self.step_line:
                self.add(
                    ("steps", index, "number"),
                    f"steps[{index}].number",
                    _("Step number %(number)s is used twice.") % {"number": number},
                )
                continue
            self.step_line[number] = self.line_of(("steps", index))
            self.explicit_next[number] = raw.get("next")
            step = _step_spec(raw)
            self.check_step(index, raw, step, lane_keys, known_actions)
            self.check_step_lanes(index, step)
            steps.append(step)
        steps.sort(key=lambda s: s.number)
        return steps

    def check_step(
        self,
        index: int,
        raw: dict[str, Any],
        step: StepSpec,
        lane_keys: set[str],
        known_actions: set[str],
    ) -> None:
        """One step's own problems: its lane, its time (read into ``step.duration``), its
        action and its exits."""
        where = ("steps", index)
        if step.lane not in lane_keys:
            self.add(
                (*where, "lane"),
                f"steps[{index}].lane",
                _("Unknown actor: no lane with key %(key)s.") % {"key": step.lane},
            )
        if step.time_text and not is_no_time(step.time_text):
            try:
                step.duration = parse_duration(step.time_text)
            except DurationError as exc:
                self.add((*where, "time"), f"steps[{index}].time", str(exc))
        if step.action and step.action not in known_actions:
            self.add(
                (*where, "action"),
                f"steps[{index}].action",
                _("Unknown action %(name)s; known actions: %(known)s.")
                % {"name": step.action, "known": ", ".join(sorted(known_actions))},
            )
        if step.kind == "decision":
            self.check_decision_exits(index, raw, step.number)
        else:
            self.check_process_exits(index, raw, step)

    def check_step_lanes(self, index: int, step: StepSpec) -> None:
        """A decision is taken in one lane (no ``each`` lane); ``with`` names other lanes of
        the file."""
        lane = self.lane_specs.get(step.lane)
        if step.kind == "decision" and lane is not None and lane.each:
            self.add(
                ("steps", index, "lane"),
                f"steps[{index}].lane",
                _("A decision is taken once: its lane cannot have “each” (lane %(key)s).")
                % {"key": step.lane},
            )
        for windex, key in enumerate(step.with_lanes):
            if key == step.lane:
                message = _("Lane %(key)s is the step's own lane; “with” names the other lanes.")
            elif key not in self.lane_specs:
                message = _("Unknown actor: no lane with key %(key)s.")
            else:
                continue
            self.add(
                ("steps", index, "with", windex),
                f"steps[{index}].with[{windex}]",
                message % {"key": key},
            )

    def check_decision_exits(self, index: int, raw: dict[str, Any], number: int) -> None:
        """A decision has both its Ya and Tidak exits and no other."""
        where = ("steps", index)
        for exit_name in ("yes", "no"):
            if raw.get(exit_name) is None:
                self.add(
                    where,
                    f"steps[{index}].{exit_name}",
                    _("Decision step %(number)s has no “%(exit)s” exit.")
                    % {"number": number, "exit": "Ya" if exit_name == "yes" else "Tidak"},
                )
        for wrong in ("next", "end"):
            if raw.get(wrong):
                self.add(
                    (*where, wrong),
                    f"steps[{index}].{wrong}",
                    _("A decision leaves only through its Ya and Tidak exits."),
                )

    def check_process_exits(self, index: int, raw: dict[str, Any], step: StepSpec) -> None:
        """Any other step has no Ya/Tidak exit, and no next step when it ends the SOP."""
        where = ("steps", index)
        for wrong in ("yes", "no", "question"):
            if raw.get(wrong) is not None:
                self.add(
                    (*where, wrong),
                    f"steps[{index}].{wrong}",
                    _("Only a decision step has Ya and Tidak exits."),
                )
        if step.terminal and raw.get("next") is not None:
            self.add(
                (*where, "next"),
                f"steps[{index}].next",
                _("Step %(number)s ends the SOP and cannot have a next step.")
                % {"number": step.number},
            )

    # -- the flow ----------------------------------------------------------------------------

    def link_steps(self, steps: list[StepSpec]) -> None:
        """Give each step that goes on its next step (the one the file names, else the
        following one in number order) and check that every exit goes to another step that
        exists."""
        numbers = [s.number for s in steps]
        existing = set(numbers)
        for position, step in enumerate(steps):
            if step.kind != "decision" and not step.terminal:
                following = numbers[position + 1] if position + 1 < len(numbers) else None
                step.next = self.next_of(step, following)
            self.check_exits(step, existing)

    def next_of(self, step: StepSpec, following: int | None) -> int | None:
        """The step after ``step``: the file's ``next``, else ``following``; None (a problem)
        when there is neither."""
        target = self.explicit_next.get(step.number)
        if target is None:
            target = following
        if target is None:
            self.problems.append(
                Problem(
                    self.step_line[step.number],
                    f"step {step.number}",
                    _("Step %(number)s leads nowhere: give it a next step or mark it as end.")
                    % {"number": step.number},
                )
            )
        return target

    def check_exits(self, step: StepSpec, existing: set[int]) -> None:
        """Each exit of ``step`` goes to a step that exists, and not to itself."""
        line = self.step_line[step.number]
        for label, target in (("next", step.next), ("yes", step.yes), ("no", step.no)):
            if target is None:
                continue
            if target not in existing:
                self.problems.append(
                    Problem(
                        line,
                        f"step {step.number}.{label}",
                        _("Step %(number)s goes to step %(target)s, which does not exist.")
                        % {"number": step.number, "target": target},
                    )
                )
            if target == step.number:
                self.problems.append(
                    Problem(
                        line,
                        f"step {step.number}.{label}",
                        _("Step %(number)s goes to itself.") % {"number": step.number},
                    )
                )

    def check_start_and_end(self, steps: list[StepSpec]) -> list[StepSpec]:
        """Exactly one step starts the SOP and at least one ends it; returns the starting
        steps (the first one is the start)."""
        starts = [s for s in steps if s.starts]
        if not starts:
            self.add(("steps",), "steps", _("No step starts the SOP (MULAI)."))
        for extra in starts[1:]:
            self.problems.append(
                Problem(
                    self.step_line[extra.number],
                    f"step {extra.number}.start",
                    _("The SOP starts at step %(first)s already; only one step starts it.")
                    % {"first": starts[0].number},
                )
            )
        if not any(s.terminal for s in steps):
            self.add(("steps",), "steps", _("No step ends the SOP (SELESAI)."))
        return starts


def _lane_spec(raw: dict[str, Any]) -> LaneSpec:
    """A lane as the file writes it (an ``each: KIND`` lane's positions are resolved later)."""
    each = raw.get("each", False)
    return LaneSpec(
        key=raw["key"],
        name=raw["name"],
        positions=list(raw.get("positions", [])),
        team=raw.get("team", ""),
        agency=raw.get("agency", ""),
        each=bool(each),
        each_unit_kind=each if isinstance(each, str) else "",
    )


def _step_spec(raw: dict[str, Any]) -> StepSpec:
    """A step as the file writes it (its ``next`` is resolved later, by the flow)."""
    kind = raw.get("kind", "process")
    return StepSpec(
        number=raw["number"],
        text=raw["text"].strip(),
        lane=raw["lane"],
        kind=kind,
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
        with_lanes=list(raw.get("with", [])),
    )


def _graph_problems(
    steps: list[StepSpec], start: int, step_line: dict[int, int | None]
) -> list[Problem]:
    """Unreachable steps and loops with no way out, found by walking the flow both ways."""
    successors = {s.number: s.successors() for s in steps}
    predecessors: dict[int, list[int]] = {s.number: [] for s in steps}
    for number, targets in successors.items():
        for target in targets:
            predecessors[target].append(number)
    reached = _walk(successors, {start})
    can_finish = _walk(predecessors, {s.number for s in steps if s.terminal})
    problems = []
    for step in steps:
        if step.number not in reached:
            message = _("Step %(number)s cannot be reached from the start.")
        elif step.number not in can_finish:
            message = _("Step %(number)s is in a loop with no way out to the end.")
        else:
            continue
        problems.append(
            Problem(
                step_line[step.number], f"step {step.number}", message % {"number": step.number}
            )
        )
    return problems


def _walk(edges: dict[int, list[int]], origins: set[int]) -> set[int]:
    """Every step reached from ``origins`` along ``edges`` (the origins included)."""
    reached = set(origins)
    todo = list(origins)
    while todo:
        for target in edges[todo.pop()]:
            if target not in reached:
                reached.add(target)
                todo.append(target)
    return reached


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
    if error.validator == "enum" and isinstance(error.validator_value, list):
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
