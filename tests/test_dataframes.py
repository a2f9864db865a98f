"""Typed tables: kg.dataframe(name) dtypes, NA for missing values, unique ids, exact Parquet/CSV round trips,
compositions pymatgen accepts, and a data dictionary that matches the columns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from nakg.cli import main
from nakg.dataframes import read_csv, write_table
from nakg.tables import TABLES
from nakg.tables_docs import dictionary_markdown
from nakg.tables_schema import SCHEMAS, dictionary_rows

ROOT = Path(__file__).resolve().parent.parent
NUMERIC = ("Float64", "Int64")


@pytest.fixture(scope="module")
def frames(kg):
    return {name: kg.dataframe(name) for name in TABLES}


@pytest.fixture(scope="module")
def inferred(built):
    import nakg

    return nakg.load(built.outputs["nt"], inferred=True)


def test_every_table_has_a_schema_and_rows(frames):
    assert set(SCHEMAS) == set(TABLES) and len(frames) == 7
    for name, df in frames.items():
        assert len(df) >= 25, name


@pytest.mark.parametrize("name", list(TABLES))
def test_numeric_columns_are_numbers(frames, name):
    df = frames[name]
    numeric = [c.name for c in SCHEMAS[name] if c.dtype in NUMERIC]
    assert numeric, name
    assert list(df.select_dtypes("number").columns) == numeric
    for c in SCHEMAS[name]:
        assert str(df[c.name].dtype) == (c.dtype if c.dtype in ("string", "Float64", "Int64", "boolean") else "object"), c.name


@pytest.mark.parametrize("name", list(TABLES))
def test_no_empty_strings_and_na_for_missing(frames, name):
    df = frames[name]
    assert (df == "").sum().sum() == 0
    for c in SCHEMAS[name]:
        if c.dtype.startswith(("list", "map")):
            present = df[c.name].dropna()
            assert all(isinstance(v, (list, dict)) for v in present), c.name
            assert all(v is pd.NA for v in df[c.name][df[c.name].isna()]), c.name


def test_measurement_ids_unique_with_and_without_inference(frames, inferred):
    assert frames["measurements"].measurement_id.is_unique
    df = inferred.dataframe("measurements")
    assert df.measurement_id.is_unique
    asserted = set(frames["measurements"].measurement_id)
    derived = df[df.derived]
    assert len(derived) > 0 and set(derived.measurement_id).isdisjoint(asserted)
    assert set(df.measurement_id) - set(derived.measurement_id) == asserted
    # a derived value names the stated measurements it was computed from, and they exist
    assert all(len(s) > 0 and set(s) <= asserted for s in derived.derived_from)
    assert not frames["measurements"].derived.any()


@pytest.mark.parametrize("name", list(TABLES))
def test_numeric_columns_round_trip_exactly(frames, name, tmp_path):
    df = frames[name]
    write_table(df, name, "parquet", tmp_path / f"{name}.parquet")
    write_table(df, name, "csv", tmp_path / f"{name}.csv")
    from_parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
    from_csv = read_csv(tmp_path / f"{name}.csv", name)
    numeric = list(df.select_dtypes("number").columns)
    for back in (from_parquet, from_csv):
        for col in numeric:
            pd.testing.assert_series_equal(back[col], df[col], check_exact=True)
    # also a plain pandas reader recovers the same floats from the CSV
    plain = pd.read_csv(tmp_path / f"{name}.csv")
    for col in numeric:
        assert plain[col].astype("Float64").equals(df[col].astype("Float64")), col
    for col in df.columns:  # and every other column comes back equal from our CSV reader
        assert from_csv[col].astype(object).where(from_csv[col].notna(), None).tolist() == \
            df[col].astype(object).where(df[col].notna(), None).tolist(), col


def test_lists_are_json_arrays_in_csv(frames, tmp_path):
    write_table(frames["measurements"], "measurements", "csv", tmp_path / "m.csv")
    raw = pd.read_csv(tmp_path / "m.csv", dtype=str, keep_default_na=False)
    assert all(isinstance(json.loads(v), list) for v in raw["references"] if v)
    assert raw.loc[raw.measurement_id == "nasicon-nzsp-sigma-25c", "references"].item() == "[37, 38]"


def test_reading_rules(frames):
    m = frames["measurements"].set_index("measurement_id")
    nzsp = m.loc["nasicon-nzsp-sigma-25c"]
    assert nzsp.temperature_K == pytest.approx(298.15) and nzsp.temperature_C == 25.0 and nzsp.room_temperature
    ranged = m[m.qualifier == "range"]
    assert len(ranged) > 0
    assert (ranged.canonical_value == ranged.canonical_min).all()  # a range is represented by its lower end
    assert (ranged.canonical_max >= ranged.canonical_min).all()
    assert set(m.qualifier.dropna()) <= {"exact", "approx", "lower_bound", "upper_bound", "order_of_magnitude", "range"}
    rt_band = m[m.temperature_K.between(293.15, 303.15)]
    assert len(rt_band) > 0 and rt_band.room_temperature.all()


def test_areal_loadings_have_canonical_values(frames):
    m = frames["measurements"]
    loading = m[m.property == "areal_loading"]
    assert len(loading) >= 25
    areal = loading[loading.unit == "mg/cm2"]
    assert areal.canonical_value.notna().all() and (areal.canonical_unit == "mg/cm2").all()
    # a mass (mg) cannot become an areal loading without the electrode area: no canonical value is invented
    assert loading[loading.unit == "mg"].canonical_value.isna().all()


def test_lattice_parameters_are_numbers_with_uncertainty(frames):
    s = frames["structures"].set_index("structure_id")
    rows = s[s.lattice_a_as_written.fillna("").str.contains(r"\(")]
    assert len(rows) >= 1
    row = rows.iloc[0]
    assert row.lattice_a_angstrom == pytest.approx(13.6148) and row.lattice_a_uncertainty_angstrom == pytest.approx(0.0003)
    assert s.lattice_a_angstrom.notna().sum() >= 4


def test_cells_rates_and_temperatures_typed(frames):
    c = frames["cells"]
    crate = c[c.rate_as_written.fillna("").str.endswith(" C")]
    assert len(crate) > 10 and crate.c_rate.notna().all() and crate.current_density_mA_g.isna().all()
    per_gram = c[c.rate_as_written.fillna("").str.endswith("A/g")]
    assert len(per_gram) > 0 and per_gram.current_density_mA_g.notna().all() and per_gram.c_rate.isna().all()
    assert c.loc[c.rate_as_written == "0.3 A/g", "current_density_mA_g"].tolist() == [300.0]
    with_t = c[c.cycling_temperature_as_written.notna() & (c.cycling_temperature_as_written != "r.t.")]
    assert len(with_t) > 0 and with_t.cycling_temperature_C.notna().all() | with_t.cycling_temperature_min_K.notna().all()
    assert c.loc[c.cycling_temperature_as_written == "r.t.", "cycling_temperature_room"].all()


def test_cells_and_cycling_rows_have_their_electrolyte_family(frames):
    m = frames["measurements"]
    cycling = m[m.subject_kind.isin(["CyclingResult", "Cell"])]
    assert len(cycling) > 50
    assert cycling.family.notna().mean() > 0.9
    assert cycling.material_id.notna().mean() > 0.9
    cells = frames["cells"]
    assert cells.family.notna().mean() > 0.9 and cells.top_family.notna().all() == cells.family.notna().all()


@pytest.mark.parametrize("name", [n for n in TABLES if n != "references"])
def test_family_columns_in_every_material_table(frames, name):
    df = frames[name]
    assert {"family", "family_label", "top_family"} <= set(df.columns)
    has = df[df.family.notna()]
    assert len(has) > 0 and has.family_label.notna().all() and has.top_family.notna().all()


def test_top_family_is_the_root():
    import nakg

    df = nakg.load().dataframe("measurements")
    beta = df[df.family == "na_beta_double_prime_alumina"]
    assert len(beta) > 0 and (beta.top_family == "beta_alumina").all()


def test_compositions_accepted_by_pymatgen(frames):
    from pymatgen.core import Composition

    checked = 0
    for name, df in frames.items():
        if "formula_normalized" not in df:
            continue
        for formula, amounts in zip(df.formula_normalized, df.composition):
            if formula is pd.NA:
                assert amounts is pd.NA
                continue
            comp = Composition(formula)
            assert {str(el): n for el, n in comp.get_el_amt_dict().items()} == pytest.approx(amounts), formula
            checked += 1
    assert checked > 250
    # every material whose formula parses has its composition
    from nakg.errors import FormulaError
    from nakg.formula import parse_formula

    m = frames["measurements"]
    parsed = 0
    for formula, amounts in zip(m.material_formula, m.composition):
        if formula is pd.NA:
            continue
        try:
            want = parse_formula(formula)
        except FormulaError:
            continue
        assert amounts == want, formula
        parsed += 1
    assert parsed > 80


def test_doped_in_words_and_series(frames):
    d = frames["dopings"]
    m = pd.concat([frames["measurements"], frames["structures"]], ignore_index=True)
    words = pd.concat([d[["product", "dopants", "host_formula", "host_formula_normalized"]].rename(columns={"product": "f"}),
                       m[["material_formula", "dopants", "host_formula", "host_formula_normalized"]]
                       .rename(columns={"material_formula": "f"})])
    ca = words[words.f == "Ca-doped Na2Zn2TeO6"]
    assert len(ca) >= 1
    row = ca.iloc[0]
    assert row.dopants == ["Ca"] and row.host_formula == "Na2Zn2TeO6" and row.host_formula_normalized == "Na2Zn2TeO6"
    series = words[words.f.astype(str).str.contains("x")]
    s = frames["structures"]
    nzsp = s[s.material_formula == "Na1+xZr2SixP3-xO12"] if "material_formula" in s else s[s.material == "Na1+xZr2SixP3-xO12"]
    assert len(series) > 0 and len(nzsp) > 0
    assert nzsp.series_variable.tolist()[0] == "x"
    assert (nzsp.series_min.iloc[0], nzsp.series_max.iloc[0]) == (0.0, 3.0)


def test_dictionary_matches_every_table(frames):
    for name, df in frames.items():
        described = [r["column"] for r in dictionary_rows(name)]
        assert described == list(df.columns), f"{name}: {set(described) ^ set(df.columns)}"
        assert all(r["meaning"] for r in dictionary_rows(name))


def test_docs_tables_md_is_generated_from_the_schema():
    text = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert text == dictionary_markdown(), "regenerate with: python -m nakg.tables_docs > docs/tables.md"
    for name in TABLES:
        assert f"## {name}" in text


def test_cli_table_formats(tmp_path, built):
    runner = CliRunner()
    graph = str(built.outputs["nt"])
    out = tmp_path / "cells.parquet"
    result = runner.invoke(main, ["table", "cells", "--format", "parquet", "-o", str(out), "--graph", graph])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output and "cells:" in result.output
    assert pd.read_parquet(out)["cycles"].dtype == "Int64"
    result = runner.invoke(main, ["table", "cells", "--format", "parquet", "--graph", graph])
    assert result.exit_code == 2 and "-o FILE" in result.output
    result = runner.invoke(main, ["table", "references", "--format", "json", "--graph", graph])
    rows = json.loads(result.output)
    assert result.exit_code == 0 and rows[0]["number"] == 1 and rows[0]["duplicate_of"] is None
    assert rows[9]["number"] == 10 and rows[9]["duplicate_of"] == [188]
    result = runner.invoke(main, ["table", "measurements", "--format", "markdown", "--graph", graph])
    assert result.exit_code == 0 and result.output.startswith("| measurement_id |")


def test_cli_describe():
    result = CliRunner().invoke(main, ["table", "cells", "--describe"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "column,dtype,unit,meaning,example"
    assert len(lines) == len(SCHEMAS["cells"]) + 1
    assert any(line.startswith("cycles,Int64,cycles,") for line in lines)


def test_export_tables_is_a_valid_data_package(tmp_path, built, frames):
    import pyarrow.parquet as pq
    from frictionless import Package, validate

    out = tmp_path / "tables"
    result = CliRunner().invoke(main, ["export", "tables", "-o", str(out), "--graph", str(built.outputs["nt"])])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output and "7 tables" in result.output
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    assert sorted(t.name for t in report.tasks) == sorted(TABLES)
    package = Package(str(out / "datapackage.json"))
    assert package.licenses[0]["name"] == "CC-BY-4.0" and package.version
    assert "sodium ion conductors" in package.sources[0]["title"]
    for name, df in frames.items():
        resource = package.get_resource(name)
        assert [f.name for f in resource.schema.fields] == list(df.columns)
        assert resource.to_dict()["parquet"] == f"{name}.parquet"
        table = pq.read_table(out / f"{name}.parquet")
        assert table.num_rows == len(df) and table.column_names == list(df.columns)
        assert table.schema.field(df.columns[0]).metadata[b"description"]
        back = table.to_pandas()
        for col in df.select_dtypes("number").columns:
            pd.testing.assert_series_equal(back[col], df[col], check_exact=True)
    assert table.schema.field("duplicate_of").type.value_type.bit_width == 64  # list<int64> from the last (references)
    result = CliRunner().invoke(main, ["export", "tables", "-o", str(out), "--view", "cells",
                                       "--graph", str(built.outputs["nt"])])
    assert result.exit_code == 1 and "only the 'whole' view" in result.output


def test_qualifiers_on_counts_and_temperatures_survive(frames, kg):
    cells = frames["cells"]
    more_than = cells[cells.cycles_qualifier == "lower_bound"]
    assert {("nasicon-cell-gao-plastic-crystal", 100), ("sul-cell-wang-nvp-nss", 400)} <= set(zip(more_than.cell_id, more_than.cycles))
    assert (cells[cells.cycles.notna()].cycles_qualifier.notna()).all()
    assert cells[cells.cycles.isna()].cycles_qualifier.isna().all()
    m = frames["measurements"].set_index("measurement_id")
    assert m.loc["ap-na3ono2-sigma", "temperature_qualifier"] == "approx"
    assert m.loc["ap-na3ono2-sigma", "temperature_K"] == 485.0
    assert m.loc["nasicon-nzsp-sigma-25c", "temperature_qualifier"] == "exact"
    assert m[m.temperature_as_written.isna()].temperature_qualifier.isna().all()
    rows = kg.query("SELECT ?q WHERE { ?cr nakg:cycleCount 400 ; nakg:cycleCountQualifier/nakg:recordKey ?q }")
    assert [r["q"] for r in rows] == ["lower_bound"]
