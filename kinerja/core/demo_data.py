"""The one reader of the demo's data files.

Each app keeps the demo data of the four seed offices (their units and officials, their plans and
figures, their cases in progress) as YAML files in its ``demo_data/`` folder, and its ``demo``
module turns them into rows through the app's own services and models. This module only reads such
a file and checks it against the JSON Schema the app gives (docs/conventions.md, do 9), so that a
mistake in the data stops the demo with the file and the key at fault, not with a ``KeyError`` deep
in a loader. The schema helpers below keep those schemas short.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# libyaml when installed: the demo is read at every `kinerja demo` and in many test sessions.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Schema = dict[str, Any]

TEXT: Schema = {"type": "string"}
NON_EMPTY: Schema = {"type": "string", "minLength": 1}
FLAG: Schema = {"type": "boolean"}
WHOLE: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}


class DemoDataError(ValueError):
    """A demo data file that cannot be read or does not have the shape its loader expects."""


def record(required: Mapping[str, Schema], optional: Mapping[str, Schema] | None = None) -> Schema:
    """A mapping with these keys and no others: every key of ``required`` must be present."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def list_of(item: Schema) -> Schema:
    return {"type": "array", "items": item}


def table_of(value: Schema) -> Schema:
    """A mapping from a code (any non-empty key) to a value of the given schema."""
    return {"type": "object", "additionalProperties": value, "propertyNames": {"minLength": 1}}


def one_of(values: Iterable[str | int]) -> Schema:
    return {"enum": list(values)}


def read_demo_data(path: Path, schema: Schema) -> Any:
    """The data of the YAML file at ``path``, once it matches ``schema``.

    Raises :class:`DemoDataError` naming the file and the key (``people[3].nip``) at fault.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe
    except (OSError, yaml.YAMLError) as exc:
        raise DemoDataError(f"{path}: cannot be read: {exc}") from exc
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(data)
    )
    if error is not None:
        raise DemoDataError(f"{path}: {key_path(error.absolute_path)}: {error.message}")
    return data


def require_known(
    path: Path, keys: Iterable[str | int], value: object, known: Collection[object], what: str
) -> None:
    """Check a reference the schema cannot: ``value`` (found at ``keys``) must be one of ``known``.

    Raises :class:`DemoDataError` naming the file and the key, e.g.
    ``indicators[2].objective: 'SS3' is not an objective of this file``.
    """
    if value not in known:
        raise DemoDataError(f"{path}: {key_path(keys)}: {value!r} is not {what}")


def key_path(keys: Iterable[str | int]) -> str:
    """``people[3].nip`` for the keys ``people``, ``3``, ``nip``; ``(top)`` for none."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else str(key)
    return text or "(top)"
