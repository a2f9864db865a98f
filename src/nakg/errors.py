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
    "shown",
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


def shown(value, limit: int = 60) -> str:
    """A bounded rendering of a value for an error message (a message never grows with the input).

    >>> shown("x" * 1000)[:12], len(shown("x" * 1000)) < 80
    ("'xxxxxxxxxxx", True)
    >>> shown([[1, 2, 3, 4, 5, 6]] * 100)
    '[[1, 2, 3, 4, ...], [1, 2, 3, 4, ...], [1, 2, 3, 4, ...], [1, 2, 3, 4, ...], ...]'
    """
    import reprlib

    r = reprlib.Repr()
    r.maxstring = r.maxother = limit
    r.maxlevel, r.maxlist, r.maxtuple, r.maxdict, r.maxset = 3, 4, 4, 4, 4
    return r.repr(value)
