"""Locate the data that ships with nakg: ontology, shapes, curated records and queries.

In a wheel these live in ``nakg/_data/<name>``; in a source checkout (editable
install or tests run from the tree) they are the top-level folders of the
repository. Both layouts are resolved without depending on the working directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["data_dir", "ontology_path", "shapes_path", "records_dir", "queries_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory of the shipped data folder ``name`` (``ontology``, ``graph``, ``queries``).

    >>> data_dir("ontology").joinpath("nakg.ttl").is_file()
    True
    """
    candidates = [_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent.parent / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"nakg data folder '{name}' not found (looked in: {', '.join(map(str, candidates))})")


def ontology_path() -> Path:
    """The OWL ontology in Turtle."""
    return data_dir("ontology") / "nakg.ttl"


def shapes_path() -> Path:
    """The SHACL shapes in Turtle."""
    return data_dir("ontology") / "shapes.ttl"


def records_dir() -> Path:
    """The curated YAML records shipped with the package."""
    return data_dir("graph") / "records"


def queries_dir() -> Path:
    """The SPARQL query library."""
    return data_dir("queries")
