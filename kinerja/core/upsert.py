"""Rows of one model written in bulk with their history: for imports that must hold the database's
write lock only briefly (on SQLite a writer locks the whole database).

An import reads and checks its whole file first, outside any transaction; then, inside one short
``transaction.atomic()``, it reads the rows that exist (one query a model), :meth:`Upsert.put`
each row of the file and :meth:`Upsert.save` writes the new and the changed ones in a few
statements, each with its historical row (django-simple-history). A row that did not change is
not written and gets no history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

M = TypeVar("M", bound=models.Model)
BATCH = 500


@dataclass
class Upsert(Generic[M]):
    """The new and the changed rows of ``model``; ``fields`` are the attribute names
    (``unit_id`` for a foreign key) an import sets."""

    model: type[M]
    fields: list[str]
    new: list[M] = field(default_factory=list)
    changed: list[M] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set, repr=False)  # id() of the rows in the lists

    def put(self, obj: M, **values: Any) -> M:
        """Give ``obj`` (a stored row, or a new unsaved one) ``values``; remember it as new, or
        as changed when a value differs."""
        unknown = set(values) - set(self.fields)
        if unknown:
            raise ValueError(f"{self.model.__name__}: not in fields: {sorted(unknown)}")
        if obj.pk is None:
            for name, value in values.items():
                setattr(obj, name, value)
            self._remember(obj, self.new)
            return obj
        if any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            self._remember(obj, self.changed)
        return obj

    def _remember(self, obj: M, rows: list[M]) -> None:
        if id(obj) not in self._seen:
            self._seen.add(id(obj))
            rows.append(obj)

    def save(self, actor: Any = None) -> int:
        """Insert the new rows (they get their ids), update the changed ones, each with its
        historical row when the model keeps history; return how many were created."""
        user = actor if getattr(actor, "is_authenticated", False) else None
        history = hasattr(self.model._meta, "simple_history_manager_attribute")
        if self.new:
            if history:
                created = bulk_create_with_history(
                    self.new, self.model, batch_size=BATCH, default_user=user
                )
            else:
                created = self.model._default_manager.bulk_create(self.new, batch_size=BATCH)
            for obj, stored in zip(self.new, created, strict=True):
                if obj.pk is None:
                    obj.pk = stored.pk
        if self.changed:
            if history:
                bulk_update_with_history(
                    self.changed, self.model, self.fields, batch_size=BATCH, default_user=user
                )
            else:
                self.model._default_manager.bulk_update(self.changed, self.fields, batch_size=BATCH)
        count = len(self.new)
        self.new, self.changed, self._seen = [], [], set()
        return count


def by_key(rows: Iterable[M], *key: str) -> dict[Any, M]:
    """``{(row.a, row.b): row}`` (or ``{row.a: row}`` for one name) of stored rows."""
    if len(key) == 1:
        return {getattr(row, key[0]): row for row in rows}
    return {tuple(getattr(row, name) for name in key): row for row in rows}
