"""Every place a user types a material, family, element or vocabulary term goes through the resolver.

A value that names nothing is exit 1 with the resolver's one line ("unknown
family 'x'; did you mean …"), the same for every command and option, and
nothing is written. Optional query filters (``host``, ``property``) take the
user's words too: unset means every value, a typo is an error.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from nakg import resolve
from nakg.queries import list_queries, run_query

FAMILY = "unknown family 'nasicn'; did you mean 'nasicon'?"
MATERIAL = "unknown material 'nzps'; did you mean 'NZSP'"


def _cli(*args):
    from nakg.cli import main

    return CliRunner().invoke(main, list(args))


#: (command line, needle); ``OUT.ext`` is replaced by a path in the test's folder that must not be written.
BAD_VALUES = [
    (("export", "html", "--view", "family:nasicn", "-o", "OUT.html"), FAMILY),
    (("export", "graphml", "--view", "family:nasicn", "-o", "OUT.graphml"), FAMILY),
    (("export", "tables", "--view", "family:nasicn", "-o", "OUT"), FAMILY),
    (("doping", "--family", "nasicn"), FAMILY),
    (("plot", "arrhenius", "--family", "nasicn", "-o", "OUT.png"), FAMILY),
    (("plot", "doping", "--family", "nasicn", "-o", "OUT.svg"), FAMILY),
    (("report", "doping", "--family", "nasicn", "-o", "OUT.html"), FAMILY),
    (("lineage", "nzps"), MATERIAL),
    (("suggest", "nzps"), MATERIAL),
    (("show", "nzps"), MATERIAL),
    (("query", "dopings-and-additives", "-p", "host=nzps"), MATERIAL),
    (("query", "cells-with-cathode", "-p", "cathode=nacro3"), "unknown material 'nacro3'; did you mean 'NaCrO2'"),
    (("query", "cells-by-electrolyte-family", "-p", "family=nasicn"), FAMILY),
    (("query", "materials-containing-element", "-p", "element=calcum"), "unknown element 'calcum'; did you mean 'Ca'"),
    (("query", "values-stated-in-findings", "-p", "property=sinter_temp"),
     "unknown property 'sinter_temp'; did you mean 'sintering_temperature'"),
    (("query", "technique-findings", "-p", "technique=XRDD"), "unknown technique 'XRDD'; did you mean 'xrd'"),
    (("list", "famlies"), "unknown kind of value 'famlies'; did you mean 'families'"),
    (("query", "facts-in-section", "-p", "section=4.2.9"), "unknown review section '4.2.9'; did you mean '4.2"),
    (("query", "records-citing-reference", "-p", "ref=9999"), "unknown reference '9999'"),
    (("query", "references-for-record", "-p", "record=nasicon-nzsp-sigma-25"),
     "unknown record 'nasicon-nzsp-sigma-25'; did you mean 'nasicon-nzsp-sigma-25c'"),
    (("query", "cells-by-source-table", "-p", "table=Table 4"), "unknown review table 'Table 4'; did you mean 'Table"),
    (("list", "sectons"), "unknown kind of value 'sectons'; did you mean 'sections'"),
]


@pytest.mark.parametrize(("args", "needle"), BAD_VALUES, ids=[" ".join(a[:3]) for a, _ in BAD_VALUES])
def test_a_value_that_names_nothing_is_exit_1_with_the_resolvers_message(tmp_path, args, needle):
    args = [str(tmp_path / a.replace("OUT", "out")) if a.startswith("OUT") else a for a in args]
    result = _cli(*args)
    assert result.exit_code == 1, result.output
    assert needle in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing written, not even half


def test_family_view_in_the_users_words_is_exported(tmp_path):
    out = tmp_path / "x.graphml"
    result = _cli("export", "graphml", "--view", "family:NASICON", "-o", str(out))
    assert result.exit_code == 0 and "view family:nasicon" in result.output and out.exists()


def test_an_unknown_view_name_stays_a_usage_error():
    result = _cli("export", "graphml", "--view", "famly:x")
    assert result.exit_code == 2 and "unknown view 'famly:x'" in result.output


# --- optional filters of named queries --------------------------------------------------------------


@pytest.fixture(scope="module")
def all_dopings(kg):
    rows = run_query(kg, "dopings-and-additives").rows
    assert len(rows) > 50
    return rows


@pytest.mark.parametrize("host", ["nzsp", "NZSP", "Na₃Zr₂Si₂PO₁₂", "na3zr2si2po12", "Na3 Zr2 Si2 P O12",
                                  "https://w3id.org/nakg/resource/material/na3zr2si2po12"])
def test_host_filter_takes_the_users_words(kg, all_dopings, host):
    rows = run_query(kg, "dopings-and-additives", host=host).rows
    assert rows == [r for r in all_dopings if r["host_id"] == "na3zr2si2po12"]
    assert {"NaF", "Na2SiO3", "Ca"} <= {r["agent"] for r in rows}


@pytest.mark.parametrize("unset", [None, "", "  "])
def test_host_filter_unset_is_every_host(kg, all_dopings, unset):
    values = {} if unset is None else {"host": unset}
    assert run_query(kg, "dopings-and-additives", **values).rows == all_dopings


def test_host_filter_with_a_shared_formula_gives_every_material_of_it(kg, all_dopings):
    named = {m.id for m in resolve.resolver(kg).materials("Na3PS4")}
    rows = run_query(kg, "dopings-and-additives", host="Na3PS4").rows
    assert len(named) == 2 and rows == [r for r in all_dopings if r["host_id"] in named]
    assert {r["host_id"] for r in rows} <= named and rows


def test_host_filter_from_the_cli():
    by_alias = _cli("query", "dopings-and-additives", "-p", "host=nzsp", "--format", "csv")
    assert by_alias.exit_code == 0, by_alias.output
    lines = by_alias.output.strip().splitlines()[1:]
    assert lines and all(",na3zr2si2po12,Na3Zr2Si2PO12," in line for line in lines)


@pytest.mark.parametrize("prop", ["sintering_temperature", "sintering temperature", "Sintering Temperature",
                                  "nakg:SinteringTemperature"])
def test_property_filter_takes_key_label_or_iri(kg, prop):
    every = run_query(kg, "values-stated-in-findings").rows
    rows = run_query(kg, "values-stated-in-findings", property=prop).rows
    assert rows and rows == [r for r in every if r["property_key"] == "sintering_temperature"]


def test_optional_filters_are_described_as_such():
    from nakg.queries import describe, load_query

    text = describe(load_query("dopings-and-additives"))
    assert "host (material; optional: unset = every value)" in text and "nakg list materials" in text


#: Parameter names that name a material, family, element or vocabulary term when they are plain strings.
_NAMING = {"host", "material", "formula", "cathode", "anode", "ancestor", "family", "element", "dopant", "property",
           "technique", "route", "side", "mechanism", "effect", "strategy", "unit", "outcome", "record", "section", "ref",
           "reference", "table"}


def test_no_named_query_takes_such_a_value_as_a_plain_string():
    queries = list_queries()
    params = [(q.name, p) for q in queries for p in q.params]
    assert len(queries) > 40 and len(params) > 25
    plain = [(name, p.name) for name, p in params if p.type in ("xsd:string", "xsd:integer", "iri") and p.name in _NAMING]
    assert plain == []
    resolved = {(name, p.name) for name, p in params if p.resolved}
    assert {("cq/dopings-and-additives", "host"), ("cq/values-stated-in-findings", "property")} <= resolved


# --- values the graph holds: records, sections, references, tables ----------------------------------


@pytest.mark.parametrize(("query", "param", "typed", "same_as"), [
    ("cells-by-source-table", "table", "1", "Table 1"),
    ("cells-by-source-table", "table", "table 2", "Table 2"),
    ("facts-in-section", "section", "Section 4.2.2", "4.2.2"),
    ("facts-in-section", "section", "§ 6", "6"),
    ("records-citing-reference", "ref", "[37]", "37"),
    ("records-citing-reference", "ref", 37, "37"),
    ("references-for-record", "record", " nasicon-nzsp-sigma-25c ", "nasicon-nzsp-sigma-25c"),
])
def test_values_the_graph_holds_in_the_users_words(kg, query, param, typed, same_as):
    rows = run_query(kg, query, **{param: typed}).rows
    assert rows and rows == run_query(kg, query, **{param: same_as}).rows


@pytest.mark.parametrize(("kind", "row"), [("sections", "4.2.2"), ("references", "37"), ("source-tables", "Table 3"),
                                           ("records", "nasicon-nzsp-sigma-25c")])
def test_list_values_the_graph_holds(kind, row):
    result = _cli("list", kind)
    assert result.exit_code == 0 and row in result.output.splitlines()
