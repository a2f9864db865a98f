"""Typed records: what the loader hands to the RDF transform."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Location

__all__ = ["Prov", "Record", "KINDS"]

#: Record kinds in the order the transform handles them.
KINDS = (
    "materials",
    "measurements",
    "dopings",
    "syntheses",
    "structures",
    "interfaces",
    "cells",
    "findings",
    "challenges",
)


@dataclass(frozen=True)
class Prov:
    """Provenance of a record: review sections, cited reference numbers, tables, figures, note."""

    sections: tuple[str, ...]
    refs: tuple[int, ...] = ()
    tables: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class Record:
    """One curated record after validation.

    ``data`` holds normalised field values: quantities as
    :class:`~nakg.quantities.Quantity`, temperatures as
    :class:`~nakg.quantities.Temperature`, provenance as :class:`Prov`; controlled
    terms stay as their record keys.
    """

    kind: str
    id: str
    data: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    def loc(self, field_name: str | None = None) -> Location:
        """The location of this record, or of one of its fields."""
        line = self.field_lines.get(field_name, self.line) if field_name else self.line
        return Location(self.file, self.id, field_name, line)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def prov(self) -> Prov | None:
        return self.data.get("prov")
