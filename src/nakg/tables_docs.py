"""``docs/tables.md``, the data dictionary of every table, from :mod:`nakg.tables_schema` and :mod:`nakg.tables`.

Regenerate with ``python -m nakg.tables_docs > docs/tables.md``.
"""

from __future__ import annotations

from .tables import TABLES
from .tables_schema import NOTES, SCHEMAS

__all__ = ["dictionary_markdown"]


def dictionary_markdown() -> str:
    """``docs/tables.md``: the data dictionary of every table, generated from :data:`SCHEMAS`."""
    out = ["# Tables: data dictionary", "",
           "Generated from `src/nakg/tables_schema.py` (`nakg table NAME --describe` prints the same); do not edit by hand.",
           "", "`kg.dataframe(name)` returns each table as a pandas DataFrame with these dtypes; `nakg table NAME --format "
           "parquet|csv|json|markdown` writes it and `nakg export tables -o DIR` writes all of them with a Frictionless "
           "Data Package descriptor. Missing values are `NA` (empty in CSV, `null` in JSON); lists are Python lists "
           "(JSON arrays in CSV); element amounts are dicts (JSON objects in CSV, Parquet maps).", "",
           "Reading rules (`nakg.rules`): a range is represented by its **lower end** (`value`, `canonical_value`, ends "
           "kept in `*_min`/`*_max`); room temperature is r.t. or 20–30 °C; qualifiers are exact, approx, lower_bound, "
           "upper_bound, order_of_magnitude and range. A unit column name (`canonical_unit`, `unit`) means the unit is "
           "given per row in that column.", ""]
    for name, cols in SCHEMAS.items():
        note = [NOTES[name], ""] if name in NOTES else []
        out += [f"## {name}", "", TABLES[name].description + ".", "", *note,
                "| column | dtype | unit | meaning | example |", "| --- | --- | --- | --- | --- |"]
        for c in cols:
            cells = [f"`{c.name}`", c.dtype, c.unit, c.meaning, f"`{c.example}`" if c.example else ""]
            out.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # python -m nakg.tables_docs > docs/tables.md
    print(dictionary_markdown(), end="")
