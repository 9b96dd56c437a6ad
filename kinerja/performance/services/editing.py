"""The steps every plan and budget edit shares: the error, audit values, the history user, targets.

Each edit function (:mod:`kinerja.performance.services.planning`, the budget editing in
:mod:`kinerja.performance.services.budget`) is one state change: it checks its precondition, writes
in one transaction (rows that two planners may edit at once are locked first), keeps the models' own
history (simple-history, with the acting user) and records one audit entry with the before and after
values made here. Forms parse and check the input; the edit functions never trust a view to have
checked the state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from kinerja.core.formats import format_number_id

TARGET_FIELDS = ("value", "upper", "text")


class PlanEditError(Exception):
    """A precondition of an edit does not hold (e.g. the PK version is signed)."""


def plain(value: Any) -> Any:
    """A value as JSON for the audit entry: numbers as text, model rows by their key."""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else str(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The fields ``names`` of ``obj`` as audit values."""
    return {name: plain(getattr(obj, name)) for name in names}


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """The before and after values of the keys that changed, for one audit entry."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _by(obj: models.Model, user: Any) -> models.Model:
    """Put the acting user on the history row the next save or delete writes (also outside a
    request)."""
    if getattr(user, "is_authenticated", False):
        obj._history_user = user  # type: ignore[attr-defined]
    return obj


def save(obj: models.Model, user: Any) -> None:
    """Save ``obj``; its history row names ``user``."""
    _by(obj, user).save()


def delete(obj: models.Model, user: Any) -> None:
    """Delete ``obj``; its history row names ``user``."""
    _by(obj, user).delete()


def target_value(values: Mapping[str, Any], name: str) -> Any:
    """A target field of ``values``; a missing one is empty (no text, no number)."""
    return values.get(name, "" if name == "text" else None)


def set_target(row: Any, values: Mapping[str, Any]) -> None:
    """Write the target fields of ``values`` on a target row (missing ones empty)."""
    for name in TARGET_FIELDS:
        setattr(row, name, target_value(values, name))


def same_target(row: Any, values: Mapping[str, Any]) -> bool:
    """Whether a target row already holds the target of ``values``."""
    return all(
        plain(getattr(row, name)) == plain(target_value(values, name)) for name in TARGET_FIELDS
    )


def next_order(rows: models.QuerySet) -> int:
    """The order of a row added after ``rows``."""
    return (rows.aggregate(top=models.Max("order"))["top"] or 0) + 1


def shown_target(row: Any) -> str:
    """A stored target row (Target, AgreementIndicator, ActionPlanTarget) as one text."""
    return target_text(snapshot(row, TARGET_FIELDS))


def target_text(values: Mapping[str, Any] | None) -> str:
    """A target (value, upper bound or text) as one text in Indonesian number format."""
    if not values:
        return ""
    if values.get("text"):
        return str(values["text"])
    low, high = values.get("value"), values.get("upper")
    if low is None:
        return ""
    shown = format_number_id(low, _places(Decimal(low)))
    if high is not None:
        shown += "–" + format_number_id(high, _places(Decimal(high)))
    return shown


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
