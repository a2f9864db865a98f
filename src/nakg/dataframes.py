"""The tidy tables as typed pandas DataFrames, and their Parquet, CSV, JSON and Markdown files.

Dtypes come from :mod:`nakg.tables_schema`: ``Float64``, ``Int64``, ``boolean``
and ``string`` (pandas' nullable dtypes, ``pd.NA`` for every missing value),
Python lists and dicts in ``object`` columns. Parquet keeps all of it; CSV
writes lists and element amounts as JSON and floats in their shortest exact
form, and :func:`read_csv` reads such a file back with the same dtypes.

pandas and pyarrow are imported lazily (``import nakg`` stays light).

>>> import nakg
>>> df = nakg.load().dataframe("measurements")
>>> str(df["canonical_value"].dtype), str(df["room_temperature"].dtype), bool(df.measurement_id.is_unique)
('Float64', 'boolean', True)
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QueryError
from .tables_schema import SCALAR_DTYPES, arrow_type, columns, pandas_dtype

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["to_dataframe", "records", "write_table", "render_table", "read_csv", "arrow_schema", "FILE_FORMATS"]

#: Formats :func:`write_table` writes (``parquet`` is binary, the others text).
FILE_FORMATS = ("parquet", "csv", "json", "markdown")


def to_dataframe(rows: list[dict[str, Any]], name: str) -> pd.DataFrame:
    """Rows of table ``name`` (from :func:`nakg.tables.table`) as a DataFrame typed by the schema."""
    import pandas as pd

    cols = columns(name)
    data = {}
    for c in cols:
        values = [r.get(c.name) for r in rows]
        if c.dtype in SCALAR_DTYPES:
            data[c.name] = pd.array(values, dtype=c.dtype)
        else:  # lists and dicts; a missing one is NA like every other missing value
            data[c.name] = pd.Series([pd.NA if v is None else v for v in values], dtype="object")
    return pd.DataFrame(data, columns=[c.name for c in cols])


def _plain(v: Any) -> Any:
    """A DataFrame cell as plain Python (NA → None, numpy scalars → Python)."""
    import pandas as pd

    if isinstance(v, (list, dict)):
        return v
    if v is None or v is pd.NA:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The DataFrame as JSON-ready rows (``None`` for NA)."""
    cols = list(df.columns)
    return [{c: _plain(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False, name=None)]


def arrow_schema(name: str):
    """The pyarrow schema of table ``name``."""
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c), nullable=True, metadata={"unit": c.unit, "description": c.meaning})
                      for c in columns(name)])


def _arrow_table(df: pd.DataFrame, name: str):
    import pyarrow as pa

    schema = arrow_schema(name)
    arrays = []
    for field in schema:
        values = [_plain(v) for v in df[field.name]]
        if pa.types.is_map(field.type):
            values = [list(v.items()) if v is not None else None for v in values]
        arrays.append(pa.array(values, type=field.type))
    table = pa.Table.from_arrays(arrays, schema=schema)
    # keep the pandas dtypes for pandas readers
    pandas_meta = pa.Table.from_pandas(df, preserve_index=False).schema.metadata or {}
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **{k: v for k, v in pandas_meta.items()
                                                                                if k == b"pandas"}})


def _csv_cell(v: Any, dtype: str) -> Any:
    v = _plain(v)
    if v is None:
        return ""
    if dtype in ("list[string]", "list[Int64]", "map[Float64]"):
        return json.dumps(v, ensure_ascii=False)
    if dtype == "boolean":
        return "true" if v else "false"
    if dtype == "Float64":
        return repr(float(v))  # the shortest string that reads back to the same double
    return v


def _csv(df: pd.DataFrame, name: str) -> str:
    import csv

    cols = columns(name)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.name for c in cols])
    for row in df.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(v, c.dtype) for v, c in zip(row, cols)])
    return buf.getvalue()


def _markdown(df: pd.DataFrame, name: str) -> str:
    cols = columns(name)
    out = ["| " + " | ".join(c.name for c in cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False, name=None):
        cells = [str(_csv_cell(v, c.dtype)).replace("|", "\\|").replace("\n", " ") for v, c in zip(row, cols)]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def render_table(df: pd.DataFrame, name: str, fmt: str) -> str:
    """Table ``name`` as csv, json or markdown text."""
    if fmt == "csv":
        return _csv(df, name)
    if fmt == "json":
        return json.dumps(records(df), indent=1, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(df, name)
    raise QueryError(f"unknown table format '{fmt}' (known: {', '.join(FILE_FORMATS)}; parquet is written to a file)")


def write_table(df: pd.DataFrame, name: str, fmt: str, path: Path | str) -> int:
    """Write table ``name`` to ``path`` as parquet, csv, json or markdown (atomically); returns the bytes written."""
    from .io import atomic_write_bytes, atomic_write_text

    path = Path(path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        buf = io.BytesIO()
        pq.write_table(_arrow_table(df, name), buf)
        atomic_write_bytes(path, buf.getvalue())
    else:
        atomic_write_text(path, render_table(df, name, fmt))
    return path.stat().st_size


def read_csv(path: Path | str, name: str) -> pd.DataFrame:
    """Read a table's CSV (as written by nakg) back into the typed DataFrame: JSON lists and maps decoded."""
    import pandas as pd

    cols = columns(name)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    rows = []
    for rec in raw.to_dict("records"):
        row = {}
        for c in cols:
            v = rec.get(c.name)
            if v is None or (isinstance(v, float) and v != v):
                row[c.name] = None
            elif c.dtype == "Float64":
                row[c.name] = float(v)
            elif c.dtype == "Int64":
                row[c.name] = int(v)
            elif c.dtype == "boolean":
                row[c.name] = v == "true"
            elif c.dtype == "string":
                row[c.name] = v
            else:
                row[c.name] = json.loads(v)
        rows.append(row)
    return to_dataframe(rows, name)


def pandas_dtypes(name: str) -> dict[str, str]:
    """Column → pandas dtype of table ``name``."""
    return {c.name: pandas_dtype(c) for c in columns(name)}
