"""The resolver: what a user types means the same in API, CLI and query parameters.

Rules as data: each case is (what the user typed, what it must resolve to); each
unknown value must raise one line naming it, suggestions and ``nakg list``.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from nakg import resolve
from nakg.errors import AmbiguousValue, NakgError, UnknownValue

MATERIALS = [
    ("na3zr2si2po12", "na3zr2si2po12"),  # record id
    ("Na3Zr2Si2PO12", "na3zr2si2po12"),  # formula as written
    ("na3zr2si2po12 ", "na3zr2si2po12"),
    ("Na₃Zr₂Si₂PO₁₂", "na3zr2si2po12"),  # Unicode subscripts
    ("NA3ZR2SI2PO12", "na3zr2si2po12"),  # any case
    ("Na3 Zr2 Si2 P O12", "na3zr2si2po12"),  # white space
    ("NZSP", "na3zr2si2po12"),  # alias (skos:altLabel)
    ("nzsp", "na3zr2si2po12"),
    ("Na3Zr2Si2O12P", "na3zr2si2po12"),  # same parsed composition
    ("nacro2", "nacro2"),
    ("Ca-doped NZSP (NZSP-0.1Ca)", "nzsp-0.1ca"),  # name (rdfs:label)
    ("https://w3id.org/nakg/resource/material/nzsp-0.1ca", "nzsp-0.1ca"),  # IRI
]

FAMILIES = [
    ("nasicon", "nasicon"),
    ("NASICON", "nasicon"),
    ("Nasicon", "nasicon"),
    ("nakg:NASICONFamily", "nasicon"),
    ("https://w3id.org/nakg/NASICONFamily", "nasicon"),
    ("layered oxide", "layered_oxide"),
    ("layered-oxide", "layered_oxide"),
    ("P2-type layered oxide", "p2_layered_oxide"),
    ("Na-β''-alumina", "na_beta_double_prime_alumina"),
]

UNKNOWN = [  # (kind, value, a suggestion the message must contain, the listing)
    ("family", "nakg:Nasicon", "nasicon", "families"),
    ("family", "nakg:NasiconFamily", "nasicon", "families"),
    ("family", "oxide", "layered_oxide", "families"),
    ("family", "sulfides", "sulfide", "families"),
    ("element", "Xx", None, "elements"),
    ("element", "calcum", "Ca", "elements"),
    ("routes", "ball-miling", "ball_milling", "routes"),
    ("techniques", "impedance", "eis", "techniques"),
    ("properties", "conductivity", "ionic_conductivity", "properties"),
]


@pytest.fixture(scope="module")
def r(kg):
    return resolve.resolver(kg)


@pytest.mark.parametrize(("typed", "expected"), MATERIALS)
def test_material_words(r, typed, expected):
    assert r.material(typed).id == expected


@pytest.mark.parametrize(("typed", "expected"), FAMILIES)
def test_family_words(typed, expected):
    assert resolve.family(typed).key == expected


@pytest.mark.parametrize(("kind", "typed", "suggestion", "listing"), UNKNOWN)
def test_unknown_values_are_one_line_errors_with_suggestions(kind, typed, suggestion, listing):
    with pytest.raises(UnknownValue) as info:
        if kind == "family":
            resolve.family(typed)
        elif kind == "element":
            resolve.element(typed)
        else:
            resolve.term(kind, typed)
    message = str(info.value)
    assert "\n" not in message and repr(typed) in message
    assert f"nakg list {listing}" in message
    if suggestion:
        assert repr(suggestion) in message
    # the API's exceptions are also KeyError and ValueError, and nakg errors
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError) and isinstance(info.value, NakgError)


def test_unknown_material_suggests(r):
    with pytest.raises(UnknownValue, match=r"unknown material 'NZSPX'; did you mean 'NZSP'"):
        r.material("NZSPX")


def test_shared_formula_is_all_in_a_search_and_ambiguous_where_one_is_needed(r):
    ids = [m.id for m in r.materials("Na3PS4")]
    assert len(ids) == 2 and "na3ps4" in ids
    with pytest.raises(AmbiguousValue) as info:
        r.material("na3ps4 ".upper())
    assert all(i in str(info.value) for i in ids)
    assert r.material("na3ps4").id == "na3ps4"  # the record id itself is never ambiguous


def test_family_filter_includes_subfamilies_and_reports_the_top():
    assert resolve.family_keys("sulfide") >= {"sulfide", "na3pns4_type", "oxysulfide", "sulfide_glass_ceramic"}
    f = resolve.family("Na3PnS4 type")
    assert (f.top_key, f.top_label, f.path) == ("sulfide", "sulfide", ("sulfide", "na3pns4_type"))


@pytest.mark.parametrize("kind", sorted(resolve.KINDS))
def test_every_vocabulary_by_key_label_and_iri(kind):
    found = resolve.terms(kind)
    assert found, kind
    for t in found:
        assert resolve.term(kind, t.key) == t
        assert resolve.term(kind, t.iri) == t
        if sum(x.label.casefold() == t.label.casefold() for x in found) == 1:
            assert resolve.term(kind, t.label.upper()) == t


@pytest.mark.parametrize(("typed", "symbol"), [("Ca", "Ca"), ("ca", "Ca"), ("CA", "Ca"), ("calcium", "Ca"), ("Sc", "Sc")])
def test_element_words(typed, symbol):
    assert resolve.element(typed) == symbol


def test_calcium_is_found_through_dopings_and_series(r):
    """Five Ca dopings (Na3OCl ×2, Na3PS4, NZSP, Na2Zn2TeO6): every product is found, with how."""
    found = {m.id: via for m, via in r.containing("Ca")}
    assert {"ca-dopedna3ocl", "na3-2xcaxps4x-0.135", "nzsp-0.1ca", "ca-dopedna2zn2teo6"} <= set(found)
    assert found["nzsp-0.1ca"] == ["doping"]
    assert found["na3-2xcaxps4"] == ["series"]  # Na3-2xCaxPS4, a series formula


def test_a_series_formula_contains_its_variable_element(r):
    assert "series" in r.elements_of("na3pxscxzr2-xsi2po12")["Sc"]
    assert r.elements_of("na3zr2si2po12")["Zr"] == ["composition"]


def test_doped_product_keeps_the_host_elements(r):
    assert r.elements_of("ca-dopedna3ocl") == {"Ca": ["doping"], "Cl": ["doping"], "Na": ["doping"], "O": ["doping"]}


# --- the API ----------------------------------------------------------------------------------------


def test_api_family_by_label_and_unknown_family(kg):
    by_label = kg.materials(family="NASICON")
    assert by_label and by_label == kg.materials(family="nasicon") == kg.materials(family="nakg:NASICONFamily")
    assert all(m["top_family"] == "nasicon" for m in by_label)
    with pytest.raises(UnknownValue, match="unknown family 'oxide'"):
        kg.materials(family="oxide")


def test_api_elements_say_how(kg):
    rows = kg.materials(element="Ca")
    assert len(rows) >= 5 and all(r["via"] in resolve.VIA for r in rows)
    assert {r["via"] for r in rows} == {"doping", "series"}


def test_api_formula_search_gives_every_material_sharing_it(kg):
    assert len(kg.materials(formula="na3ps4")) == 1  # the record id: one
    assert len(kg.materials(formula="Na₃PS₄")) == 2


def test_api_material_by_formula(kg):
    card = kg.material("Na3Zr2Si2PO12")
    assert card["formula"] == "Na3Zr2Si2PO12" and card["id"] == "na3zr2si2po12"
    assert kg.material("na3zr2si2po12")["formula"] == "Na3Zr2Si2PO12"  # backwards compatible
    with pytest.raises(KeyError):
        kg.material("Na3Zr2Si2PO13")


def test_api_methods_take_the_users_words(kg):
    assert kg.lineage("nzsp")["focus"] == "na3zr2si2po12"
    assert kg.measurements("NZSP", "ionic conductivity") == kg.measurements("na3zr2si2po12", "ionic_conductivity")
    assert kg.dopings("NZSP", as_="host") and kg.parents("NZSP-0.1Ca") == ["na3zr2si2po12"]


# --- the CLI ----------------------------------------------------------------------------------------


def _cli(*args):
    from nakg.cli import main

    return CliRunner().invoke(main, list(args))


def test_cli_lineage_by_alias():
    result = _cli("lineage", "nzsp")
    assert result.exit_code == 0, result.output
    assert "Na3Zr2Si2PO12 (na3zr2si2po12) *" in result.output


@pytest.mark.parametrize(("args", "needle"), [
    (("lineage", "nzspp"), "unknown material 'nzspp'; did you mean 'NZSP'"),
    (("show", "Na3PS4"), "ambiguous material 'Na3PS4'"),
    (("list", "famlies"), "unknown kind of value 'famlies'; did you mean 'families'"),
])
def test_cli_errors_are_one_line_exit_1(args, needle):
    result = _cli(*args)
    assert result.exit_code == 1
    assert needle in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("kind", "row"), [("families", "nasicon\tNASICON\tnasicon\tnakg:NASICONFamily"),
                                           ("elements", "Ca\tCalcium"), ("routes", "ball_milling")])
def test_cli_list(kind, row):
    result = _cli("list", kind)
    assert result.exit_code == 0 and row in result.output


# --- query parameters -------------------------------------------------------------------------------


def _query(*args):
    from nakg.cli import main

    return CliRunner().invoke(main, ["query", *args, "--format", "csv"])


@pytest.mark.parametrize("family", ["nasicon", "NASICON", "nakg:NASICONFamily", "https://w3id.org/nakg/NASICONFamily"])
def test_family_parameter_in_the_users_words(family):
    result = _query("cells-by-electrolyte-family", "-p", f"family={family}")
    assert result.exit_code == 0, result.output
    rows = result.output.strip().splitlines()[1:]
    assert rows and rows == _query("cells-by-electrolyte-family", "-p", "family=nasicon").output.strip().splitlines()[1:]


@pytest.mark.parametrize(("args", "needle"), [
    (("cells-by-electrolyte-family", "-p", "family=nakg:Nasicon"), "unknown family 'nakg:Nasicon'; did you mean 'nasicon'"),
    (("cells-by-electrolyte-family", "-p", "family=nakg:NasiconFamily"), "did you mean 'nasicon'"),
    (("materials-containing-element", "-p", "element=Kr2"), "unknown element 'Kr2'"),
    (("technique-findings", "-p", "technique=XRDD"), "did you mean 'xrd'"),
])
def test_unknown_parameter_values_exit_1_with_suggestions(args, needle):
    result = _query(*args)
    assert result.exit_code == 1 and needle in result.output and "nakg list" in result.output


def test_cathode_parameter_any_case(kg):
    from nakg.queries import run_query

    default = run_query(kg, "cells-with-cathode").rows
    assert default and run_query(kg, "cells-with-cathode", cathode="nacro2").rows == default
    result = _query("cells-with-cathode", "-p", "cathode=nacro2")
    assert result.exit_code == 0 and len(result.output.strip().splitlines()) == len(default) + 1


def test_side_and_technique_parameters_by_label(kg):
    from nakg.queries import run_query

    assert run_query(kg, "interface-effects-at-side", side="Anode").rows == run_query(kg, "interface-effects-at-side").rows
    assert run_query(kg, "technique-findings", technique="XRD").rows == run_query(kg, "technique-findings", technique="nakg:XRD").rows


@pytest.mark.parametrize("symbol", ["Ca", "Sc", "Sb", "Zr", "Cl", "Br", "Fe", "Ni", "W", "Te", "Mg", "B", "Au"])
def test_element_query_and_api_agree(kg, r, symbol):
    """The query repeats the resolver's three rules in SPARQL: both answers are the same."""
    from nakg.queries import run_query

    rows = run_query(kg, "materials-containing-element", element=symbol).rows
    assert {(x["material_id"], x["via"]) for x in rows} == {(m.id, via[0]) for m, via in r.containing(symbol)}


def test_element_query_finds_the_calcium_dopings():
    result = _query("materials-containing-element", "-p", "element=calcium")
    assert result.exit_code == 0, result.output
    assert {"ca-dopedna3ocl", "nzsp-0.1ca", "ca-dopedna2zn2teo6", "na3-2xcaxps4x-0.135", "na3-2xcaxps4"} <= {
        line.split(",")[0] for line in result.output.splitlines()[1:]}


def test_query_repeats_the_series_patterns():
    from nakg import series
    from nakg.queries import load_query

    text = load_query("materials-containing-element").text.replace("\\\\", "\\")
    for pattern in (series.VARIABLE_AMOUNT, series.SYMBOL_AFTER, series.PLACEHOLDER_BEFORE):
        assert pattern in text, pattern


def test_param_type_errors_in_a_query_file(tmp_path):
    from nakg.errors import QueryError
    from nakg.queries import parse_header

    with pytest.raises(QueryError, match="unknown vocabulary 'colours'"):
        parse_header('# param: c vocab:colours red "colour"\nSELECT ?c WHERE {}')
    with pytest.raises(UnknownValue, match="unknown family 'metal'"):
        parse_header('# param: f family metal "family"\nSELECT ?f WHERE {}')  # a bad default is an error in the file


def test_family_view_takes_the_users_words_and_subfamilies(kg):
    by_key, by_label = kg.to_networkx("family:sulfide"), kg.to_networkx("family:SULFIDE")
    assert set(by_key.nodes) == set(by_label.nodes) and by_key.graph["name"] == "nakg-sulfide"
    na3ps4 = "https://w3id.org/nakg/resource/material/na3ps4"  # in the Na3PnS4-type subfamily
    assert na3ps4 in by_key and na3ps4 in kg.to_networkx("family:nakg:Na3PnS4Family")
    with pytest.raises(UnknownValue, match="did you mean 'sulfide'"):
        kg.to_networkx("family:sulfides")


def _class_families(ontology_graph, cls_local):
    """Families of a chemical class read from the ontology with SPARQL (a family path, not the resolver's code)."""
    rows = ontology_graph.query("""PREFIX nakg: <https://w3id.org/nakg/>
        SELECT DISTINCT ?f WHERE { ?f nakg:subFamilyOf* ?top . ?top nakg:hasChemicalClass ?cls }""",
                                initBindings={"cls": URIRef("https://w3id.org/nakg/" + cls_local)})
    keys = {f.iri: f.key for f in resolve.families()}
    return {keys[str(r.f)] for r in rows}


@pytest.mark.parametrize("typed, local", [("oxide", "OxideClass"), ("Sulfide (chemical class)", "SulfideClass"),
                                          ("nakg:HydrideClass", "HydrideClass"), ("halide_class", "HalideClass")])
def test_chemical_class_filter_is_every_family_of_that_class(kg, typed, local):
    from nakg.vocab import ontology_graph

    families = _class_families(ontology_graph(), local)
    assert families, local
    got = {m["id"] for m in kg.materials(chemical_class=typed)}
    expected = {m["id"] for key in families for m in kg.materials(family=key)}
    assert got == expected and got


def test_a_chemical_class_given_as_family_says_how_to_ask_for_it(kg):
    with pytest.raises(UnknownValue) as err:
        kg.materials(family="Oxide")
    message = str(err.value)
    assert "\n" not in message and message.startswith("unknown family 'Oxide'")
    assert "'oxide' is a chemical class: filter with chemical_class='oxide'" in message
    assert "nasicon" in message and "beta_alumina" in message and "nakg list families" in message
    result = _cli("query", "cells-by-electrolyte-family", "-p", "family=oxide")
    assert result.exit_code == 1 and "is a chemical class" in result.output


def test_an_unknown_chemical_class_names_its_kind_in_the_singular(kg):
    with pytest.raises(UnknownValue, match=r"^unknown chemical class 'oxyde'; did you mean 'oxide'\?"):
        kg.materials(chemical_class="oxyde")
    with pytest.raises(UnknownValue, match=r"^unknown strategy 'coatng'"):
        resolve.term("strategies", "coatng")
