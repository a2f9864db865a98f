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
    "UnknownValue",
    "AmbiguousValue",
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


class UnknownValue(NakgError, KeyError, ValueError):
    """A well-formed value that names nothing of its kind (a material, family, element, vocabulary term).

    The message is one line: the value, its kind, the closest valid values and
    the command that lists them all. It is a :class:`KeyError` and a
    :class:`ValueError` too, so code catching either keeps working.

    >>> str(UnknownValue("nakg:Nasicon", "family", ["nasicon"], "families"))
    "unknown family 'nakg:Nasicon'; did you mean 'nasicon'? (list them all: nakg list families)"
    """

    def __init__(self, value: str, kind: str, suggestions: list[str] | tuple[str, ...] = (), listing: str | None = None,
                 note: str | None = None):
        self.value, self.kind, self.suggestions, self.listing, self.note = value, kind, list(suggestions), listing, note
        hint = f"; did you mean {' or '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        more = f" (list them all: nakg list {listing})" if listing else ""
        aside = f"; {note}" if note else ""
        super().__init__(f"unknown {kind} {value!r}{aside}{hint}{more}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class AmbiguousValue(NakgError, KeyError, ValueError):
    """A value that names several things where one is needed; the message names each candidate.

    >>> str(AmbiguousValue("Na3PS4", "material", ["na3ps4 (Na3PS4)", "t-na3ps4 (Na3PS4)"]))
    "ambiguous material 'Na3PS4': it names na3ps4 (Na3PS4), t-na3ps4 (Na3PS4); give one of their ids"
    """

    def __init__(self, value: str, kind: str, candidates: list[str] | tuple[str, ...]):
        self.value, self.kind, self.candidates = value, kind, list(candidates)
        super().__init__(f"ambiguous {kind} {value!r}: it names {', '.join(self.candidates)}; give one of their ids")

    def __str__(self) -> str:
        return self.args[0]


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
