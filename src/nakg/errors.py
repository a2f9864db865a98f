"""Exceptions raised by nakg, each carrying enough context to point at the bad input.

The CLI turns these into messages and exit codes; library code never prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "NakgError",
    "Location",
    "RecordError",
    "RecordsInvalid",
    "FormulaError",
    "UnitError",
    "TemperatureError",
    "ValidationFailed",
    "QueryError",
]


class NakgError(Exception):
    """Base class of every error nakg raises on bad input."""


@dataclass(frozen=True)
class Location:
    """Where a problem is: file, record id, field and line (each optional)."""

    file: str | None = None
    record: str | None = None
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.record:
            parts.append(f"record '{self.record}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) if parts else "<input>"


class RecordError(NakgError):
    """One problem in one curated record."""

    def __init__(self, message: str, location: Location | None = None, code: str = "invalid"):
        self.message = message
        self.location = location or Location()
        self.code = code
        super().__init__(f"{self.location}: {message}")


class RecordsInvalid(NakgError):
    """Every problem found while loading a set of records (reported together)."""

    def __init__(self, errors: list[RecordError]):
        self.errors = errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"{len(errors)} problem(s) in the records:\n{lines}")


class FormulaError(NakgError):
    """A chemical formula that cannot be parsed into element amounts."""


class UnitError(NakgError):
    """An unknown unit, or a unit that does not fit the quantity."""


class TemperatureError(NakgError):
    """A temperature string that cannot be understood."""


class ValidationFailed(NakgError):
    """The built graph violates the SHACL shapes."""

    def __init__(self, report):  # report: nakg.validate.ValidationReport
        self.report = report
        super().__init__(f"SHACL validation failed: {report.violation_count} violation(s)")


class QueryError(NakgError):
    """A query that cannot be found, parsed or bound."""


def rel(path: Path | str) -> str:
    """A short display form of a path (relative to the working directory if below it)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
