"""``nakg export tables``: every tidy table as Parquet and CSV, described by a Frictionless Data Package.

The folder holds ``<table>.parquet`` and ``<table>.csv`` for each table of
:data:`nakg.tables.TABLES` and ``datapackage.json``: name, version, licence
(CC BY 4.0, the data's licence), the source review, and one resource per table
(its CSV file, with its Table Schema: field types, descriptions, units and
examples from :mod:`nakg.tables_schema`; ``parquet`` names the Parquet file of
the same table, which keeps list and map columns typed). The ``frictionless`` library validates it
(``frictionless validate datapackage.json``), pandas and pyarrow read the files.

Only the ``whole`` view exists for tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .files import atomic_directory, write_text

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph

__all__ = ["write", "descriptor", "files"]

#: Table Schema field types of the column dtypes.
FIELD_TYPES = {"string": "string", "Float64": "number", "Int64": "integer", "boolean": "boolean",
               "list[string]": "array", "list[Int64]": "array", "map[Float64]": "object"}

#: Columns that identify a row (Table Schema primary keys); cells have one row per cycling result and no single key.
PRIMARY_KEYS = {"measurements": "measurement_id", "dopings": "doping_id", "syntheses": "synthesis_id",
                "structures": "structure_id", "interfaces": "interface_id", "references": "number"}


def files() -> list[str]:
    """The file names the export writes."""
    from ..tables import TABLES

    return [f"{name}.{ext}" for name in TABLES for ext in ("parquet", "csv")] + ["datapackage.json"]


def _review(kg: KnowledgeGraph) -> dict:
    rows = kg.query("""SELECT ?title ?authors ?year ?publisher WHERE { ?r a nakg:Review ; rdfs:label ?title .
                       OPTIONAL { ?r nakg:authorList ?authors } OPTIONAL { ?r nakg:publicationYear ?year }
                       OPTIONAL { ?r nakg:publisher ?publisher } } LIMIT 1""")
    return rows[0] if rows else {}


def _fields(name: str) -> list[dict]:
    from ..tables_schema import columns

    out = []
    for c in columns(name):
        field = {"name": c.name, "type": FIELD_TYPES[c.dtype], "description": c.meaning}
        if c.unit:
            field["unit"] = c.unit
        if c.example:
            field["example"] = c.example
        if c.dtype == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        out.append(field)
    return out


def descriptor(kg: KnowledgeGraph, rows: dict[str, int]) -> dict:
    """The Data Package descriptor of the tables (``rows``: table → row count)."""
    from ..tables import TABLES
    from ..version import __version__

    review = _review(kg)
    resources = []
    for name, table in TABLES.items():
        schema = {"fields": _fields(name), "missingValues": [""]}
        if name in PRIMARY_KEYS:
            schema["primaryKey"] = [PRIMARY_KEYS[name]]
        common = {"title": f"{name} ({rows[name]} rows)", "description": table.description, "schema": schema}
        # the Parquet twin of each CSV is named in "parquet": Table Schema has no nested types, and frictionless cannot
        # read Parquet list and map columns, so the typed Parquet file (lists, maps, each field with its unit and
        # description in the Parquet schema) travels beside the resource rather than as a resource of its own
        resources.append({"name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", **common, "parquet": f"{name}.parquet",
                          "dialect": {"csv": {"delimiter": ",", "lineTerminator": "\n"}}})
    cite = ", ".join(str(x) for x in (review.get("authors"), review.get("title"), review.get("publisher"), review.get("year")) if x)
    return {
        "name": "nakg-tables",
        "title": "nakg: tidy tables of inorganic sodium-ion solid-state electrolytes",
        "description": ("Typed tables of the nakg knowledge graph (measurements, dopings, syntheses, structures, "
                        "interfaces, cells, references), every fact with its review sections and references. "
                        "Column dictionary: docs/tables.md. A range is represented by its lower end; room temperature "
                        "is r.t. or 20–30 °C."),
        "version": __version__,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": cite or "the review the graph is curated from"}],
        "keywords": ["sodium-ion", "solid-state electrolyte", "ionic conductivity", "knowledge graph"],
        "resources": resources,
    }


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write every table as Parquet and CSV plus ``datapackage.json`` into the folder ``path``."""
    from ..dataframes import write_table
    from ..tables import TABLES
    from .registry import ExportError

    if view != "whole":
        raise ExportError(f"the tables export has only the 'whole' view (got '{view}'); filter the DataFrames instead")
    rows: dict[str, int] = {}
    with atomic_directory(path, files()) as tmp:
        for name in TABLES:
            df = kg.dataframe(name)
            rows[name] = len(df)
            write_table(df, name, "parquet", tmp / f"{name}.parquet")
            write_table(df, name, "csv", tmp / f"{name}.csv")
        write_text(tmp / "datapackage.json", json.dumps(descriptor(kg, rows), indent=1, ensure_ascii=False) + "\n")
    return {"tables": len(rows), "rows": sum(rows.values())}
