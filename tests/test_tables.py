"""Tidy tables: produced by SPARQL over the built graph, and reproducing the review's Tables 1–3."""

from __future__ import annotations

import csv
import io
import json

import pytest

from nakg.errors import QueryError
from nakg.tables import TABLES, render, table

from .conftest import DATA

EXPECTED = list(csv.DictReader((DATA / "tables" / "review-tables.csv").open(encoding="utf-8")))


@pytest.fixture(scope="module")
def cells(kg):
    return table(kg, "cells")


def test_expected_rows_cover_all_33_table_rows():
    counts = {t: sum(1 for r in EXPECTED if r["table"] == t) for t in ("Table 1", "Table 2", "Table 3")}
    assert counts == {"Table 1": 12, "Table 2": 12, "Table 3": 9}


def test_each_table_has_exactly_its_rows(cells):
    got = sorted({(r["table"], r["table_row"]) for r in cells if r["table"]})
    assert got == sorted((r["table"], int(r["row"])) for r in EXPECTED)


def _num(text: str):
    return float(text) if text else None


@pytest.mark.parametrize("expected", EXPECTED, ids=[f"{r['table'][-1]}-{r['row']}" for r in EXPECTED])
def test_table_row_reproduced(cells, expected):
    rows = [r for r in cells if r["table"] == expected["table"] and r["table_row"] == int(expected["row"])]
    assert rows, "row missing"
    first = rows[0]
    assert int(expected["ref"]) in first["references"]
    assert first["first_cycle_capacity_mAh_g"] == pytest.approx(_num(expected["capacity"]))
    assert first["first_cycle_capacity_qualifier"] == expected["capacity_qualifier"]
    assert (first["first_cycle_temperature_as_written"] or "") == expected["capacity_temperature"]
    if expected["theoretical"]:
        assert first["theoretical_capacity_mAh_g"] == pytest.approx(_num(expected["theoretical"]))
    if expected["loading_unit"] == "mg/cm2":
        about = expected["loading"].startswith("~")
        ends = [float(x) for x in expected["loading"].lstrip("~").split("–")]
        assert first["loading_mg_cm2"] == pytest.approx(ends[0])  # a range is represented by its lower end
        if len(ends) == 2:
            assert (first["loading_min_mg_cm2"], first["loading_max_mg_cm2"]) == pytest.approx(tuple(ends))
        assert first["loading_qualifier"] == ("approx" if about else "range" if len(ends) == 2 else "exact")
    elif expected["loading"]:
        assert first["loading_mg_cm2"] is None and expected["loading"] in first["loading_as_written"]
    else:
        assert first["loading_mg_cm2"] is None
    # the table's cycling entry is one of the cell's cycling results (the text may add others)
    cycling = {(r["cycles"], r["retention_percent"], r["retention_qualifier"], r["rate_as_written"],
                r["cycling_temperature_as_written"]) for r in rows}
    want = (int(expected["cycles"]), float(expected["retention"]), expected["retention_qualifier"], expected["rate"])
    matches = [c for c in cycling if c[:4] == want]
    assert matches, f"{want} not in {cycling}"
    if expected["cycling_temperature"]:
        assert any(c[4] == expected["cycling_temperature"] for c in matches)


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_has_rows_with_provenance(kg, name):
    rows = table(kg, name)
    assert len(rows) >= 25
    if name != "references":
        assert all(r["sections"] for r in rows), "a row without a review section"


def test_measurement_table_keeps_missing_temperatures_empty(kg):
    rows = {r["measurement_id"]: r for r in table(kg, "measurements")}
    zn = rows["nasicon-zn-si-sigma"]
    assert zn["temperature_K"] is None and zn["temperature_C"] is None and zn["canonical_value"] == pytest.approx(5.27e-3)
    assert zn["room_temperature"] is False and zn["temperature_as_written"] is None
    rt = rows["nasicon-nzsp-sigma-25c"]
    assert rt["temperature_C"] == 25.0 and rt["references"] == [37, 38] and rt["sections"] == ["1", "2.2.2"]
    assert rt["room_temperature"] is True  # stated at 25 °C, inside 20–30 °C (nakg.rules)


def test_doping_table_before_after(kg):
    rows = {r["doping_id"]: r for r in table(kg, "dopings")}
    assert len(rows) >= 40
    assert all(r["valence"] in {"aliovalent", "isovalent", "mixed", "unspecified"} for r in rows.values())


def test_references_table_has_all_217_with_duplicates(kg):
    rows = table(kg, "references")
    assert [r["number"] for r in rows] == list(range(1, 218))
    dups = {r["number"]: r["duplicate_of"] for r in rows if r["duplicate_of"]}
    assert dups == {10: [188], 188: [10], 93: [169], 169: [93], 119: [177], 177: [119], 137: [212], 212: [137],
                    204: [210], 210: [204]}


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_render_formats_round_trip_row_count(kg, fmt):
    rows = table(kg, "structures")
    text = render(rows, fmt)
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(text)))) == len(rows)
    elif fmt == "json":
        assert len(json.loads(text)) == len(rows)
    else:
        assert len(text.strip().splitlines()) == len(rows) + 2


def test_unknown_table_and_format():
    with pytest.raises(QueryError, match="unknown table"):
        table(None, "nope")
    with pytest.raises(QueryError, match="unknown table format"):
        render([], "xlsx")
