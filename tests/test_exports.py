"""Exports: every format in the registry is written, read back by its reader and compared with the view.

Each format has a reader here (networkx for GraphML/GEXF, json, csv, rdflib, a
small DOT parser); a format added to :data:`nakg.export.EXPORTERS` without a
reader fails ``test_every_format_has_a_reader``. Golden exports of the mini
fixture live in ``tests/data/golden/exports/`` and are compared semantically
(graph isomorphism for RDF, sorted JSON, sorted rows for CSV/TSV, sorted
nodes and edges for XML and DOT). Regenerate them with::

    NAKG_UPDATE_GOLDEN=1 python -m pytest tests/test_exports.py
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from nakg.api import KnowledgeGraph
from nakg.build import compile_records
from nakg.commands.export import export_command
from nakg.export import EXPORTERS, ExportError, default_output, export
from nakg.export.owl_rdfxml import DATA_HEADER
from nakg.export.rdfview import RES, view_rdf
from nakg.resources import ontology_path
from nakg.store import load_into, open_graph

from .conftest import DATA

GOLDEN = DATA / "golden" / "exports"
FORMATS = sorted(EXPORTERS)
RDF_PARSERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "owl-rdfxml": "xml"}
GRAPH_FORMATS = [f for f in FORMATS if f not in RDF_PARSERS]
VIEWS = ["whole", "lineage", "dopant-host", "cells", "family:nasicon"]
TRICKY = 'phases <A> & "B" \\ C &alpha; | end'  # markup, quotes, a backslash, an entity, KGX's list delimiter


# ---------------------------------------------------------------- fixtures


def _kg_from(records: Path) -> KnowledgeGraph:
    graph = load_into(open_graph("oxigraph"), [ontology_path()])
    _, data, _ = compile_records(records)
    for triple in data:
        graph.add(triple)
    return KnowledgeGraph(graph, "oxigraph")


@pytest.fixture(scope="module")
def mini_kg() -> KnowledgeGraph:
    """The mini fixture records on the default (Oxigraph) store."""
    return _kg_from(DATA / "records" / "mini")


@pytest.fixture(scope="module")
def tricky_kg(tmp_path_factory) -> KnowledgeGraph:
    """The mini fixture with a finding whose summary (its label) holds characters that need escaping."""
    records = tmp_path_factory.mktemp("tricky") / "records"
    shutil.copytree(DATA / "records" / "mini", records)
    path = records / "nasicon.yaml"
    text = path.read_text(encoding="utf-8")
    assert "summary: two phases identified" in text
    yaml_value = TRICKY.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(text.replace("summary: two phases identified", f'summary: "{yaml_value}"'), encoding="utf-8")
    return _kg_from(records)


# ---------------------------------------------------------------- readers


@dataclass
class Read:
    """A graph-viewer export read back: node id → attributes, and (source, target, attributes) per edge."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    label_key: str = "label"

    def labels(self) -> dict[str, Any]:
        return {n: d.get(self.label_key) for n, d in self.nodes.items()}

    def canonical(self) -> tuple:
        nodes = sorted((n, sorted((k, repr(v)) for k, v in d.items())) for n, d in self.nodes.items())
        edges = sorted((u, v, sorted((k, repr(x)) for k, x in d.items())) for u, v, d in self.edges)
        return nodes, edges


def _from_networkx(g: nx.MultiDiGraph, drop_node: set[str], drop_edge: set[str]) -> Read:
    nodes = {str(n): {k: v for k, v in d.items() if k not in drop_node} for n, d in g.nodes(data=True)}
    edges = [(str(u), str(v), {k: x for k, x in d.items() if k not in drop_edge}) for u, v, d in g.edges(data=True)]
    return Read(nodes, edges)


def read_graphml(path: Path) -> Read:
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.is_directed()
    # x, y and shape_type come from networkx decoding the yFiles graphics, not from our attributes
    return _from_networkx(g, {"x", "y", "shape_type"}, {"id"})


def read_gexf(path: Path) -> Read:
    g = nx.read_gexf(path)
    assert g.is_directed()
    return _from_networkx(g, {"viz"}, {"id"})


def read_cyjs(path: Path) -> Read:
    doc = json.loads(path.read_text(encoding="utf-8"))
    iri = {n["data"]["id"]: n["data"]["iri"] for n in doc["elements"]["nodes"]}
    assert all(re.fullmatch(r"n\d+", i) for i in iri), "ids usable in a '#id' selector"
    assert all(isinstance(n["position"][k], float | int) for n in doc["elements"]["nodes"] for k in "xy")
    nodes = {n["data"]["iri"]: {k: v for k, v in n["data"].items() if k not in {"id", "iri", "size", "color"}}
             for n in doc["elements"]["nodes"]}
    edges = [(iri[e["data"]["source"]], iri[e["data"]["target"]],
              {k: v for k, v in e["data"].items() if k not in {"id", "source", "target"}}) for e in doc["elements"]["edges"]]
    assert len({e["data"]["id"] for e in doc["elements"]["edges"]}) == len(edges)  # edge ids unique
    return Read(nodes, edges)


def read_graphology(path: Path) -> Read:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["options"] == {"type": "directed", "multi": True, "allowSelfLoops": True}
    assert len({e["key"] for e in doc["edges"]}) == len(doc["edges"])
    return Read({n["key"]: n["attributes"] for n in doc["nodes"]},
                [(e["source"], e["target"], e["attributes"]) for e in doc["edges"]])


_DOT_STR = r'"((?:[^"\\]|\\.)*)"'
_DOT_NODE = re.compile(rf"^\s*{_DOT_STR}\s*\[(.*)\];$")
_DOT_EDGE = re.compile(rf"^\s*{_DOT_STR}\s*->\s*{_DOT_STR}\s*\[(.*)\];$")
_DOT_ATTR = re.compile(rf'\s*(?:{_DOT_STR}|(\w+))={_DOT_STR}\s*(?:,|$)')


def _dot_unescape(text: str, label: bool = False) -> str:
    out = re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), text)
    return out.replace("&amp;", "&") if label else out


def _dot_attrs(text: str) -> dict[str, str]:
    attrs, pos = {}, 0
    while pos < len(text):
        m = _DOT_ATTR.match(text, pos)
        assert m, f"cannot parse DOT attributes at: {text[pos:pos + 60]!r}"
        name = _dot_unescape(m.group(1)) if m.group(1) is not None else m.group(2)
        attrs[name] = _dot_unescape(m.group(3), label=(name == "label"))
        pos = m.end()
    return attrs


def read_dot(path: Path) -> Read:
    """A minimal DOT parser: one node or edge statement per line, as the exporter writes them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("digraph ") and lines[-1] == "}"
    read = Read()
    for line in lines[1:-1]:
        if m := _DOT_EDGE.match(line):
            read.edges.append((_dot_unescape(m.group(1)), _dot_unescape(m.group(2)), _dot_attrs(m.group(3))))
        elif m := _DOT_NODE.match(line):
            attrs = _dot_attrs(m.group(2))
            attrs.pop("fillcolor")
            assert re.fullmatch(r"-?[\d.]+,-?[\d.]+", attrs.pop("pos"))
            read.nodes[_dot_unescape(m.group(1))] = attrs
        else:
            assert re.match(r"^\s*(graph|node|edge) \[", line), f"unexpected DOT line: {line!r}"
    return read


def _rows(path: Path, delimiter: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def read_neo4j(path: Path) -> Read:
    assert sorted(p.name for p in path.iterdir()) == ["README.txt", "nodes.csv", "relationships.csv"]
    nodes = {r["iri:ID"]: {k: v for k, v in r.items() if k != "iri:ID"} for r in _rows(path / "nodes.csv", ",")}
    edges = [(r[":START_ID"], r[":END_ID"], {k: v for k, v in r.items() if k not in {":START_ID", ":END_ID"}})
             for r in _rows(path / "relationships.csv", ",")]
    return Read(nodes, edges, label_key="name")


def read_kgx(path: Path) -> Read:
    """KGX read with csv: node ids are CURIEs that expand, by the folder's prefix map, to the IRIs in ``iri``."""
    assert sorted(p.name for p in path.iterdir()) == ["edges.tsv", "nodes.tsv", "prefix_map.json"]
    prefixes = json.loads((path / "prefix_map.json").read_text(encoding="utf-8"))
    rows = _rows(path / "nodes.tsv", "\t")
    iri = {r["id"]: r["iri"] for r in rows}
    for curie, full in iri.items():
        prefix, local = curie.split(":", 1)
        assert prefixes[prefix] + local == full and "/" not in local
    nodes = {r["iri"]: {k: v for k, v in r.items() if k not in {"id", "iri"}} for r in rows}
    edges = [(iri[r["subject"]], iri[r["object"]], {k: v for k, v in r.items() if k not in {"subject", "object", "id"}})
             for r in _rows(path / "edges.tsv", "\t")]
    assert not any("|" in v for r in rows for v in r.values()), "no KGX list separator inside a value"
    return Read(nodes, edges, label_key="name")


def read_rdf(fmt: str):
    def reader(path: Path) -> Graph:
        return Graph().parse(path, format=RDF_PARSERS[fmt])

    return reader


def read_html(path: Path) -> Read:
    from nakg.export.html import read_data

    doc = read_data(path)
    rels, ids = [r["name"] for r in doc["relations"]], [n["id"] for n in doc["nodes"]]
    nodes = {n["id"]: {"label": n["label"], "type": doc["types"][n["type"]]["name"],
                       **({"family": doc["families"][n["family"]]} if n["family"] >= 0 else {})} for n in doc["nodes"]}
    return Read(nodes, [(ids[u], ids[v], {"label": rels[r]}) for u, v, r in doc["edges"]])


READERS = {
    "graphml": read_graphml, "gexf": read_gexf, "cyjs": read_cyjs, "graphology": read_graphology, "dot": read_dot,
    "neo4j": read_neo4j, "kgx": read_kgx, "html": read_html, **{f: read_rdf(f) for f in RDF_PARSERS},
}


def out_path(tmp_path: Path, fmt: str, view: str = "whole") -> Path:
    return tmp_path / default_output(fmt, view)


# ---------------------------------------------------------------- checks


@functools.cache
def _ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


_EXPECTED: dict[tuple[int, str], Graph] = {}


def _expected_rdf(kg: KnowledgeGraph, view: str) -> Graph:
    """view_rdf(kg, view), computed once per graph and view (callers must not change it)."""
    key = (id(kg), view)
    if key not in _EXPECTED:
        _EXPECTED[key] = view_rdf(kg, view)
    return _EXPECTED[key]


def _blank(triple) -> bool:
    return any(isinstance(t, BNode) for t in triple)


def _view_data_part(graph: Graph) -> Graph:
    """An OWL export without the ontology: what is not in the ontology file, less the NamedIndividual declarations
    and the annotation-property declarations of vocabulary terms the data uses (skos:altLabel).

    Triples with blank nodes are the ontology's (restrictions, lists; the data has none), checked by count in check_rdf.
    """
    ontology = _ontology()
    data = Graph()
    for s, p, o in graph:
        if _blank((s, p, o)) or (p == RDF.type and o == OWL.NamedIndividual and str(s).startswith(RES)):
            continue
        if p == RDF.type and o == OWL.AnnotationProperty and not str(s).startswith("https://w3id.org/nakg/"):
            continue
        if (s, p, o) not in ontology:
            data.add((s, p, o))
    return data


def _by_value(graph: Graph) -> Graph:
    """The graph with numeric literals in one lexical form ("1", "1.0" and "1.00" are one xsd:decimal value)."""
    from decimal import Decimal

    from rdflib.namespace import XSD

    def norm(term):
        if isinstance(term, Literal) and term.datatype == XSD.decimal and isinstance(term.value, Decimal):
            return Literal(format(term.value.normalize(), "f"), datatype=XSD.decimal)
        if isinstance(term, Literal) and term.datatype in (XSD.double, XSD.float) and isinstance(term.value, float):
            return Literal(repr(term.value), datatype=term.datatype)
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((s, p, norm(o)))
    return out


def _assert_isomorphic(got: Graph, want: Graph, what: str) -> None:
    got, want = _by_value(got), _by_value(want)
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        raise AssertionError(f"{what} differs:\n+ " + "\n+ ".join(sorted(map(str, only_got))[:10])
                             + "\n- " + "\n- ".join(sorted(map(str, only_want))[:10]))


def check_rdf(fmt: str, kg: KnowledgeGraph, view: str, path: Path) -> Graph:
    """The RDF export read back equals the view's RDF, and every node and edge of the view is in it."""
    got = READERS[fmt](path)
    want = _expected_rdf(kg, view)
    if fmt == "owl-rdfxml":
        ontology = _ontology()
        assert (URIRef("https://w3id.org/nakg/ontology"), RDF.type, OWL.Ontology) in got
        assert {t for t in got if not _blank(t)} >= {t for t in ontology if not _blank(t)}
        assert sum(map(_blank, got)) == sum(map(_blank, ontology)) and not any(map(_blank, want))
        individuals = {str(s) for s in got.subjects(RDF.type, OWL.NamedIndividual) if str(s).startswith(RES)}
        assert individuals == {str(s) for s in want.subjects() if str(s).startswith(RES)} - {DATA_HEADER}
        without_header = Graph()
        for t in want:
            if t[0] != URIRef(DATA_HEADER):
                without_header.add(t)
        want = without_header
        got = _view_data_part(got)
    _assert_isomorphic(got, want, f"{fmt} export of {view}")
    projection = kg.to_networkx(view)
    subjects = {str(s) for s in got.subjects()}
    assert set(projection.nodes) <= subjects, "every node of the view is described"
    for node, data in projection.nodes(data=True):
        labels = {str(o) for o in got.objects(URIRef(node), RDFS.label)}
        assert not labels or data["label"] in labels, node
    witnessed = 0
    for u, v, key, data in projection.edges(keys=True, data=True):
        pred = URIRef("https://w3id.org/nakg/" + str(key))
        if (URIRef(u), pred, URIRef(v)) in got or (URIRef(v), pred, URIRef(u)) in got or \
                ("doping" in data and (URIRef(data["doping"]), None, None) in got):
            witnessed += 1
    assert witnessed == projection.number_of_edges()
    return got


def _scalar_types_ok(value: Any, fmt: str) -> bool:
    if fmt in {"neo4j", "kgx"}:
        return isinstance(value, str) and value not in {"None", "nan"} and not value.startswith("['")
    return isinstance(value, (str, int, float, bool)) and not isinstance(value, (list, dict, tuple)) and value is not None


def check_graph(fmt: str, kg: KnowledgeGraph, view: str, path: Path) -> Read:
    """The viewer export read back has the view's nodes, edges and labels, and only scalar attribute values."""
    read = READERS[fmt](path)
    projection = kg.to_networkx(view)
    assert set(read.nodes) == {str(n) for n in projection.nodes}
    assert len(read.edges) == projection.number_of_edges()
    assert sorted((u, v) for u, v, _ in read.edges) == sorted((str(u), str(v)) for u, v in projection.edges())
    expected = {str(n): d["label"] for n, d in projection.nodes(data=True)}
    if fmt == "kgx":  # "|" is KGX's list separator: written as "¦"
        expected = {n: label.replace("|", "\u00a6") for n, label in expected.items()}
    assert read.labels() == expected
    for _, data in read.nodes.items():
        assert all(_scalar_types_ok(v, fmt) for v in data.values()), data
    for _, _, data in read.edges:
        assert all(_scalar_types_ok(v, fmt) for v in data.values()), data
        assert data.get("label") or data.get(":TYPE") or data.get("predicate"), data
    return read


def check(fmt: str, kg: KnowledgeGraph, view: str, path: Path):
    return (check_rdf if fmt in RDF_PARSERS else check_graph)(fmt, kg, view, path)


# ---------------------------------------------------------------- tests


def test_every_format_has_a_reader():
    assert set(READERS) == set(EXPORTERS)
    assert len(EXPORTERS) == 12


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_reads_back_as_the_view(mini_kg, tmp_path, fmt, view):
    path = out_path(tmp_path, fmt, view)
    result = export(mini_kg, fmt, path, view=view)
    assert result.path == path and path.exists() and result.size > 0
    assert path.is_dir() == EXPORTERS[fmt].is_directory
    check(fmt, mini_kg, view, path)
    projection = mini_kg.to_networkx(view)
    if fmt in RDF_PARSERS:
        assert result.counts["triples"] >= projection.number_of_nodes()
    else:
        assert result.counts == {"nodes": projection.number_of_nodes(), "edges": projection.number_of_edges()}


def test_mini_views_are_not_empty(mini_kg):
    # the parametrised round trips above mean something only if every view has nodes and edges
    sizes = {v: (mini_kg.to_networkx(v).number_of_nodes(), mini_kg.to_networkx(v).number_of_edges()) for v in VIEWS}
    assert all(n > 1 and e > 0 for n, e in sizes.values()), sizes


def _golden_path(fmt: str) -> Path:
    return GOLDEN / default_output(fmt, "mini").name


def _canonical(fmt: str, path: Path):
    """What a golden comparison looks at: a graph for RDF, sorted JSON, sorted rows, sorted nodes and edges."""
    if fmt in RDF_PARSERS:
        graph = READERS[fmt](path)
        return _view_data_part(graph) if fmt == "owl-rdfxml" else graph
    if fmt in {"cyjs", "graphology"}:
        return _sorted_json(json.loads(path.read_text(encoding="utf-8")))
    if EXPORTERS[fmt].is_directory:
        tables = {}
        for f in sorted(path.iterdir()):
            lines = f.read_text(encoding="utf-8").splitlines()
            tables[f.name] = lines if f.suffix == ".txt" else (lines[0], sorted(lines[1:]))
        return tables
    return READERS[fmt](path).canonical()


def _sorted_json(value):
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return sorted((_sorted_json(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _update_golden(fmt: str, export_path: Path) -> None:
    target = _golden_path(fmt)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        shutil.rmtree(target)
    if fmt == "owl-rdfxml":  # only the data part: the ontology is tested on its own and changes independently
        _view_data_part(READERS[fmt](export_path)).serialize(target, format="pretty-xml")
    elif export_path.is_dir():
        shutil.copytree(export_path, target)
    else:
        shutil.copyfile(export_path, target)


@pytest.mark.parametrize("fmt", FORMATS)
def test_mini_export_matches_golden(mini_kg, tmp_path, fmt):
    path = out_path(tmp_path, fmt, "mini")
    export(mini_kg, fmt, path, view="whole")
    if os.environ.get("NAKG_UPDATE_GOLDEN"):
        _update_golden(fmt, path)
    golden = _golden_path(fmt)
    assert golden.exists(), f"no golden file {golden}; run with NAKG_UPDATE_GOLDEN=1"
    got, want = _canonical(fmt, path), _canonical(fmt, golden)
    if fmt in RDF_PARSERS:
        _assert_isomorphic(got, want, f"{fmt} export of the mini records")
        assert len(want) > 300
    else:
        assert got == want


def test_golden_folder_holds_one_export_per_format():
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(_golden_path(f).name for f in FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_that_needs_escaping_survives(tricky_kg, tmp_path, fmt):
    path = out_path(tmp_path, fmt)
    export(tricky_kg, fmt, path)
    finding = RES + "finding/f-1"
    got = check(fmt, tricky_kg, "whole", path)
    if fmt in RDF_PARSERS:
        assert Literal(TRICKY) in set(got.objects(URIRef(finding), RDFS.label))
    else:
        assert got.labels()[finding] == (TRICKY.replace("|", "\u00a6") if fmt == "kgx" else TRICKY)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "owl-rdfxml", "dot"])
def test_escaped_forms_in_the_text(tricky_kg, tmp_path, fmt):
    from xml.etree import ElementTree

    path = out_path(tmp_path, fmt)
    export(tricky_kg, fmt, path)
    text = path.read_text(encoding="utf-8")
    if fmt == "dot":
        # quotes and backslashes escaped; & as an entity, since Graphviz would render "&alpha;" as α
        assert 'label="phases <A> &amp; \\"B\\" \\\\ C &amp;alpha; | end"' in text
        assert TRICKY not in text
        return
    root = ElementTree.parse(path).getroot()  # well-formed
    found = [el for el in root.iter() if el.text == TRICKY or TRICKY in el.attrib.values()]
    assert found, "the text comes back exactly from the XML"
    outside_cdata = re.sub(r"<!\[CDATA\[.*?\]\]>", "", text, flags=re.S)
    assert "<A>" not in outside_cdata and "&lt;A&gt;" in text + "&lt;A&gt;" * (outside_cdata != text)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_attributes_are_declared_once_with_one_type(mini_kg, tmp_path, fmt):
    from xml.etree import ElementTree

    path = out_path(tmp_path, fmt)
    export(mini_kg, fmt, path)
    root = ElementTree.parse(path).getroot()
    if fmt == "graphml":
        keys = [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")
                if k.get("attr.name")]
    else:
        keys = [(block.get("class"), a.get("title"), a.get("type"))
                for block in root.iter("{http://www.gexf.net/1.2draft}attributes") for a in block]
    names = [(scope, name) for scope, name, _ in keys]
    assert len(names) == len(set(names)) and len(names) >= 5
    types = {name: kind for scope, name, kind in keys if scope == "node"}
    assert types["value"] == "double" and types["type"] == "string"
    assert "label" not in types or fmt == "graphml"  # GEXF keeps labels in its own attribute


def test_graphml_has_yed_labels(mini_kg, tmp_path):
    from xml.etree import ElementTree

    path = out_path(tmp_path, "graphml")
    export(mini_kg, "graphml", path)
    root = ElementTree.parse(path).getroot()
    y = "{http://www.yworks.com/xml/graphml}"
    yfiles_keys = {k.get("yfiles.type") for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")}
    assert yfiles_keys >= {"nodegraphics", "edgegraphics"}
    labels = [el.text for el in root.iter(f"{y}NodeLabel")]
    assert len(labels) == mini_kg.to_networkx("whole").number_of_nodes()
    assert "Na3Zr2Si2PO12" in labels and "Na/NZSP/Na" in labels
    assert "has anode" in [el.text for el in root.iter(f"{y}EdgeLabel")]


def test_reserved_names_are_renamed(mini_kg, tmp_path):
    # GEXF: the lineage view's edge "kind" is reserved; sigma.js: a node "type" picks the renderer
    gexf = nx.read_gexf(export(mini_kg, "gexf", tmp_path / "l.gexf", view="lineage").path)
    assert {d["nakg_kind"] for *_, d in gexf.edges(data=True)} == {"doping"}
    doc = json.loads(export(mini_kg, "graphology", tmp_path / "l.json", view="lineage").path.read_text(encoding="utf-8"))
    assert all("type" not in n["attributes"] and n["attributes"]["nakg_type"] for n in doc["nodes"])
    assert all(isinstance(n["attributes"][k], float) for n in doc["nodes"] for k in ("x", "y", "size"))


def test_neo4j_headers_and_types(mini_kg, tmp_path):
    path = export(mini_kg, "neo4j", tmp_path / "neo", view="whole").path
    nodes_header = (path / "nodes.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    rels_header = (path / "relationships.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert nodes_header[:3] == ["iri:ID", "name", ":LABEL"] and "value:double" in nodes_header
    assert rels_header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    rows = _rows(path / "nodes.csv", ",")
    assert {r[":LABEL"] for r in rows if r["name"] == "Na3Zr2Si2PO12"} == {"Resource;SolidElectrolyte"}
    assert {r[":TYPE"] for r in _rows(path / "relationships.csv", ",")} >= {"HAS_ANODE", "STATED_IN_SECTION", "CITES_REFERENCE"}


def test_kgx_columns(mini_kg, tmp_path):
    path = export(mini_kg, "kgx", tmp_path / "kgx", view="lineage").path
    nodes, edges = _rows(path / "nodes.tsv", "\t"), _rows(path / "edges.tsv", "\t")
    assert list(nodes[0])[:6] == ["id", "category", "name", "provided_by", "nakg_type", "iri"]
    assert list(edges[0])[:9] == ["id", "subject", "predicate", "object", "nakg_predicate", "knowledge_level", "agent_type",
                                  "primary_knowledge_source", "provided_by"]
    assert {(n["category"], n["nakg_type"]) for n in nodes} == {("biolink:ChemicalEntity", "SolidElectrolyte")}
    assert [(e["predicate"], e["nakg_predicate"]) for e in edges] == [("biolink:derives_into", "nakg.view:doping")]
    assert {(e["knowledge_level"], e["agent_type"], e["primary_knowledge_source"]) for e in edges} == {
        ("knowledge_assertion", "manual_agent", "infores:nakg")}
    whole = _rows(export(mini_kg, "kgx", tmp_path / "kgx-whole").path / "edges.tsv", "\t")
    assert ("biolink:has_part", "nakg:hasAnode") in {(e["predicate"], e["nakg_predicate"]) for e in whole}
    assert len({e["id"] for e in whole}) == len(whole)
    assert all(e["predicate"].startswith("biolink:") and e["subject"].startswith("nakg.") for e in whole)


def test_unknown_format_and_view_are_export_errors(mini_kg, tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'xls'.*graphml"):
        export(mini_kg, "xls", tmp_path / "x")
    with pytest.raises(ExportError, match="unknown view 'nope'"):
        export(mini_kg, "graphml", tmp_path / "x.graphml", view="nope")
    with pytest.raises(ExportError, match="unknown family 'nope'"):
        export(mini_kg, "turtle", tmp_path / "x.ttl", view="family:nope")
    assert not list(tmp_path.iterdir())


def test_default_output_names():
    assert {f: default_output(f, "family:nasicon").name for f in ("graphml", "neo4j", "owl-rdfxml")} == {
        "graphml": "nakg-family-nasicon.graphml", "neo4j": "nakg-family-nasicon-neo4j", "owl-rdfxml": "nakg-family-nasicon.owl"}


def test_failed_file_export_keeps_the_previous_file(mini_kg, tmp_path, monkeypatch):
    import nakg.export.dot as dot

    path = tmp_path / "g.dot"
    export(mini_kg, "dot", path, view="cells")
    before = path.read_bytes()
    monkeypatch.setattr(dot, "to_dot", lambda graph: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom"):
        export(mini_kg, "dot", path, view="whole")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot"]


def test_failed_folder_export_keeps_the_previous_folder(mini_kg, tmp_path, monkeypatch):
    import nakg.export.neo4j as neo4j

    path = tmp_path / "neo"
    export(mini_kg, "neo4j", path, view="cells")
    before = {p.name: p.read_bytes() for p in path.iterdir()}

    def half_then_fail(graph, folder):
        (folder / "nodes.csv").write_text("partial")
        raise RuntimeError("boom")

    monkeypatch.setattr(neo4j, "write_folder", half_then_fail)
    with pytest.raises(RuntimeError, match="boom"):
        export(mini_kg, "neo4j", path, view="whole")
    assert {p.name: p.read_bytes() for p in path.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neo"]  # no temporary folder left behind


def test_folder_export_replaces_its_own_output_but_not_other_folders(mini_kg, tmp_path):
    path = tmp_path / "kgx"
    export(mini_kg, "kgx", path, view="cells")
    cells_nodes = (path / "nodes.tsv").read_text(encoding="utf-8")
    export(mini_kg, "kgx", path, view="whole")
    assert (path / "nodes.tsv").read_text(encoding="utf-8") != cells_nodes
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="refusing to replace.*notes.txt"):
        export(mini_kg, "kgx", tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        export(mini_kg, "neo4j", tmp_path / "file")


def test_exports_are_readable_by_others(mini_kg, tmp_path):
    old = os.umask(0o022)
    try:
        file_mode = export(mini_kg, "turtle", tmp_path / "a.ttl", view="cells").path.stat().st_mode & 0o777
        folder = export(mini_kg, "kgx", tmp_path / "k", view="cells").path
    finally:
        os.umask(old)
    assert file_mode == 0o644
    assert folder.stat().st_mode & 0o777 == 0o755 and (folder / "nodes.tsv").stat().st_mode & 0o777 == 0o644


def test_cli_export_default_name_and_messages(mini_records, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(export_command, ["graphml", "--records", str(mini_records), "--view", "lineage"])
    assert result.exit_code == 0, result.output
    assert "wrote nakg-lineage.graphml (graphml file, view lineage: 2 nodes, 1 edges" in result.output
    assert nx.read_graphml(tmp_path / "nakg-lineage.graphml").number_of_nodes() == 2
    result = runner.invoke(export_command, ["neo4j", "--records", str(mini_records), "-o", "out/db"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "db" / "nodes.csv").is_file()


@pytest.mark.parametrize(("args", "code", "message"), [
    (["graphml", "--view", "nope"], 2, "unknown view 'nope'"),
    (["graphml", "--view", "family:nasicn"], 1, "unknown family 'nasicn'; did you mean 'nasicon'?"),
    (["xls"], 2, "'xls' is not one of"),
    (["kgx", "-o", "afile"], 1, "not a folder"),
])
def test_cli_export_errors(mini_records, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    result = CliRunner().invoke(export_command, [*args, "--records", str(mini_records)])
    assert result.exit_code == code
    assert message in result.output


@pytest.mark.parametrize("fmt", FORMATS)
def test_shipped_graph_lineage_reads_back(kg, tmp_path, fmt):
    # the review's own data: labels with '<', "''", '|', '→' and 90-odd dopings
    path = out_path(tmp_path, fmt, "lineage")
    export(kg, fmt, path, view="lineage")
    check(fmt, kg, "lineage", path)
    assert kg.to_networkx("lineage").number_of_edges() > 50


# ---------------------------------------------------------------- whole graph on every local backend


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_whole_rdf_export_is_the_same_on_every_local_backend(mini_records, tmp_path, fmt):
    """Oxigraph-backed stores stream the whole graph through Oxigraph's serialisers; rdflib memory goes through
    an rdflib graph. Both give the same triples, and an open on-disk store is exported without reopening it."""
    import nakg
    from nakg.export.rdfview import native_data_triples

    got = {}
    for store in ("memory", "oxigraph", str(tmp_path / "disk-store")):
        kg = nakg.load(records=mini_records, store=store)
        assert (native_data_triples(kg) is None) == (store == "memory")
        path = out_path(tmp_path, fmt, store.replace("/", "_"))
        result = export(kg, fmt, path)
        graph = READERS[fmt](path)
        assert result.counts["triples"] == len(graph) > 300
        got[store] = _by_value(graph)
    first, *others = got.values()
    for other in others:
        _assert_isomorphic(other, first, f"{fmt} export across backends")
    ontology = {t for t in _ontology() if not _blank(t)}
    assert not ontology & set(first), "the ontology's own triples are not part of the data export"


def test_whole_ntriples_export_is_sorted_lines(mini_kg, tmp_path):
    path = export(mini_kg, "ntriples", tmp_path / "w.nt").path
    lines = path.read_bytes().splitlines()
    assert len(lines) > 300 and lines == sorted(set(lines))


def test_whole_turtle_export_groups_each_subject(mini_kg, tmp_path):
    path = export(mini_kg, "turtle", tmp_path / "w.ttl").path
    subjects = [line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()
                if line and not line[0].isspace() and not line.startswith("@prefix")]
    assert len(subjects) > 20 and len(subjects) == len(set(subjects)), "one block per subject"


def test_failed_streamed_export_keeps_the_previous_file(mini_kg, tmp_path, monkeypatch):
    import nakg.export.rdfview as rdfview

    path = tmp_path / "w.ttl"
    export(mini_kg, "turtle", path)
    before = path.read_bytes()

    def fail_midway(triples, ontology):
        yield from list(triples)[:10]
        raise RuntimeError("boom")

    monkeypatch.setattr(rdfview, "_stream_data", fail_midway)
    with pytest.raises(RuntimeError, match="boom"):
        export(mini_kg, "turtle", path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.ttl"]
