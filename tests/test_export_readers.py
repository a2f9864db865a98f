"""Exports loaded by the readers their users have, and what those readers see.

Each reader runs once per format on the mini fixture's whole view (47 nodes,
97 edges: measurements with doubles, a doping, a cell). Readers:

* JSON-LD: pyld and jsonld.js (node), each in JSON-LD 1.1 and 1.0 processing modes, and pyoxigraph;
* GraphML: igraph, graph-tool (Debian's ``python3-graph-tool``, run with
  ``/usr/bin/python3``), graphology-graphml (node);
* GEXF: graphology-gexf (node);
* graphology JSON: graphology (node);
* Cytoscape.js JSON: cytoscape (node, headless);
* DOT: graph-tool and Graphviz (``dot``/``sfdp -Tjson``);
* KGX: ``kgx validate`` against the Biolink model shipped in the ``biolink-model`` package.
* OWL (``owl-rdfxml``, and ``ontology/*.ttl``): the OWL API (Debian ``libowlapi-java``) and its
  OWL 2 DL profile check, through ``tests/readers/OwlProfileCheck.java`` (a single-file Java program).

The node packages are pinned in ``tests/readers/package-lock.json`` (``npm ci``
in that folder); ``.ci/run`` installs all of them. A reader missing here skips
its test with the reason, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from nakg.export import export
from nakg.export.rdfview import view_rdf

from .test_exports import _assert_isomorphic, _kg_from, read_dot
from .conftest import DATA, REPO, unavailable

READERS = Path(__file__).parent / "readers"
NODE_MODULES = READERS / "node_modules"
SYSTEM_PYTHON = "/usr/bin/python3"


def need(ok: bool, what: str) -> None:
    """Skip (fail under CI=true) when the reader ``what`` is not installed."""
    if not ok:
        unavailable(f"{what} is not installed (bash .ci/run installs it)")


def _has_module(python: str, module: str) -> bool:
    if not Path(python).exists():
        return False
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """The mini fixture's knowledge graph and a folder of its whole-view exports, one per format."""
    kg = _kg_from(DATA / "records" / "mini")
    folder = tmp_path_factory.mktemp("readers")
    paths = {fmt: export(kg, fmt, folder / f"mini.{fmt}").path for fmt in
             ("jsonld", "graphml", "gexf", "graphology", "cyjs", "dot")}
    graph = kg.to_networkx("whole")
    return kg, paths, graph.number_of_nodes(), graph.number_of_edges()


def _node(fmt: str, path: Path, package: str = "graphology", *args: str) -> dict:
    need(shutil.which("node") is not None and (NODE_MODULES / package).is_dir(),
         f"node with {package} in tests/readers/node_modules (npm ci)")
    out = subprocess.run(["node", str(READERS / "read.js"), fmt, str(path), *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _graph_tool(path: Path, fmt: str) -> dict:
    need(_has_module(SYSTEM_PYTHON, "graph_tool"), "graph-tool (Debian python3-graph-tool)")
    out = subprocess.run([SYSTEM_PYTHON, str(READERS / "graph_tool_read.py"), str(path), fmt],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


# ---------------------------------------------------------------- JSON-LD


def _doubles(graph: Graph) -> int:
    return sum(1 for o in graph.objects() if isinstance(o, Literal) and o.datatype == XSD.double)


@pytest.mark.parametrize("mode", ["json-ld-1.1", "json-ld-1.0"])
def test_jsonld_through_pyld_keeps_every_datatype(mini, mode):
    need(_has_module(os.sys.executable, "pyld"), "pyld")
    from pyld import jsonld

    kg, paths, *_ = mini
    doc = json.loads(paths["jsonld"].read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "processingMode": mode})
    got = Graph().parse(data=nquads, format="nt")
    want = view_rdf(kg, "whole")
    assert _doubles(want) >= 15 and _doubles(got) == _doubles(want)
    integers = [o for o in got.objects() if isinstance(o, Literal) and o.datatype == XSD.integer]
    assert len(integers) == sum(1 for o in want.objects() if isinstance(o, Literal) and o.datatype == XSD.integer)
    _assert_isomorphic(got, want, f"JSON-LD read by pyld ({mode})")


def test_jsonld_through_pyoxigraph_keeps_every_datatype(mini):
    import pyoxigraph

    kg, paths, *_ = mini
    quads = list(pyoxigraph.parse(path=str(paths["jsonld"]), format=pyoxigraph.RdfFormat.JSON_LD))
    got = Graph().parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads), format="nt")
    want = view_rdf(kg, "whole")
    assert len(quads) == len(want) and _doubles(got) == _doubles(want) >= 15
    _assert_isomorphic(got, want, "JSON-LD read by pyoxigraph")


def _typed(graph: Graph, datatype) -> int:
    return sum(1 for o in graph.objects() if isinstance(o, Literal) and o.datatype == datatype)


def _jsonld_js(path: Path, mode: str = "json-ld-1.1") -> tuple[dict, Graph]:
    seen = _node("jsonld", path, "jsonld", mode)
    assert seen["processingMode"] == mode
    got = Graph().parse(data=seen.pop("nquads"), format="nt")
    assert (seen["triples"], seen["doubles"], seen["integers"]) == (len(got), _typed(got, XSD.double), _typed(got, XSD.integer))
    return seen, got


@pytest.mark.parametrize("mode", ["json-ld-1.1", "json-ld-1.0"])
def test_jsonld_through_jsonld_js_keeps_every_datatype(mini, mode):
    """jsonld.js (what JavaScript applications use) expands and converts the export to the same graph."""
    kg, paths, *_ = mini
    seen, got = _jsonld_js(paths["jsonld"], mode)
    want = view_rdf(kg, "whole")
    assert seen["reader"] == "jsonld" and int(seen["version"].split(".")[0]) >= 9
    assert _doubles(want) >= 15 and seen["doubles"] == _doubles(want)
    assert seen["integers"] == _typed(want, XSD.integer)
    assert seen["subjects"] == len(set(want.subjects())) == seen["expanded_nodes"]
    _assert_isomorphic(got, want, f"JSON-LD read by jsonld.js ({mode})")


def test_whole_graph_jsonld_through_jsonld_js(kg, tmp_path):
    """The whole shipped graph: every one of its doubles is a double again in jsonld.js, nothing lost or added."""
    want = view_rdf(kg, "whole")
    seen, got = _jsonld_js(export(kg, "jsonld", tmp_path / "nakg-whole.jsonld").path)
    assert seen["triples"] == len(want) and seen["subjects"] == len(set(want.subjects()))
    assert seen["doubles"] == _doubles(want) >= 200 and seen["integers"] == _typed(want, XSD.integer)
    assert set(got) == set(want)  # no blank nodes in the export, so the graphs are equal as triple sets


# ---------------------------------------------------------------- GraphML, GEXF, graphology, Cytoscape.js


def _assert_named(attrs: dict, names: set[str]) -> None:
    assert names <= set(attrs), f"{sorted(names - set(attrs))} missing from {sorted(attrs)}"


def test_graphml_in_igraph(mini):
    need(_has_module(os.sys.executable, "igraph"), "python-igraph")
    import igraph

    _, paths, n, m = mini
    g = igraph.Graph.Read_GraphML(str(paths["graphml"]))
    assert g.is_directed() and (g.vcount(), g.ecount()) == (n, m)
    _assert_named(set(g.vs.attributes()), {"label", "type", "value", "temperature_K", "formula"})
    _assert_named(set(g.es.attributes()), {"label", "relation"})
    values = [v for v in g.vs["value"] if v == v]  # NaN where a node has no value
    assert values and all(isinstance(v, float) for v in values)


def test_graphml_in_graph_tool(mini):
    _, paths, n, m = mini
    seen = _graph_tool(paths["graphml"], "graphml")
    assert seen["directed"] and (seen["nodes"], seen["edges"]) == (n, m)
    assert {k: seen["node_attributes"][k] for k in ("label", "type", "value")} == {
        "label": "string", "type": "string", "value": "long double"}  # graph-tool's name for GraphML's double
    _assert_named(seen["edge_attributes"], {"label", "relation"})
    assert seen["labels"]["https://w3id.org/nakg/resource/cell/cell-1"] == "Na/NZSP/Na"


def test_dot_in_graph_tool(mini):
    _, paths, n, m = mini
    seen = _graph_tool(paths["dot"], "dot")
    assert (seen["nodes"], seen["edges"]) == (n, m)
    _assert_named(seen["node_attributes"], {"label", "type", "fillcolor", "pos"})
    _assert_named(seen["edge_attributes"], {"label", "relation"})
    assert seen["labels"]["https://w3id.org/nakg/resource/cell/cell-1"] == "Na/NZSP/Na"


def test_dot_in_graphviz(mini, tmp_path):
    need(shutil.which("dot") is not None, "Graphviz (Debian graphviz)")
    _, paths, n, m = mini
    for engine in ("dot", "sfdp"):
        out = subprocess.run([engine, "-Tjson", str(paths["dot"])], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        drawn = json.loads(out.stdout)
        assert len(drawn["objects"]) == n and len(drawn["edges"]) == m
        assert drawn["label"].startswith("fill colours: ")  # the legend
    pinned = subprocess.run(["neato", "-n2", "-Tjson", str(paths["dot"])], capture_output=True, text=True, timeout=120)
    positions = {o["name"]: o["pos"] for o in json.loads(pinned.stdout)["objects"]}
    assert len(set(positions.values())) == n, "the shared layout gives every node its own place"


@pytest.mark.parametrize("fmt", ["graphology", "gexf", "graphml"])
def test_graphology_readers(mini, fmt):
    _, paths, n, m = mini
    seen = _node(fmt, paths[fmt])
    assert seen["type"] == "directed" and (seen["nodes"], seen["edges"]) == (n, m)
    assert seen["multi"] or fmt != "graphology"  # the XML readers make a multigraph only when one is needed
    nodes, edges = seen["node_attributes"], seen["edge_attributes"]
    _assert_named(nodes, {"label", "formula", "value", "temperature_K"})
    _assert_named(edges, {"label", "relation"})
    assert nodes["value"] == ["number"] and nodes["label"] == ["string"]
    assert seen["labels"]["https://w3id.org/nakg/resource/cell/cell-1"] == "Na/NZSP/Na"
    if fmt != "graphml":  # sigma.js reads x, y, size from graphology attributes
        assert {k: nodes[k] for k in ("x", "y", "size", "color")} == {
            "x": ["number"], "y": ["number"], "size": ["number"], "color": ["string"]}


def test_cytoscape_reads_positions_style_and_selector_safe_ids(mini):
    _, paths, n, m = mini
    seen = _node("cyjs", paths["cyjs"])
    assert (seen["nodes"], seen["edges"]) == (n, m)
    assert seen["selectable_by_id"] == seen["positioned"] == seen["styled_labels"] == n
    assert seen["style_rules"] >= 2
    _assert_named(seen["node_attributes"], {"iri", "label", "name", "type", "value", "color", "size"})
    assert seen["labels"]["https://w3id.org/nakg/resource/cell/cell-1"] == "Na/NZSP/Na"


# ---------------------------------------------------------------- one layout in every format


def test_every_graph_format_carries_the_shared_layout(mini):
    """GEXF viz:position, graphology x/y, Cytoscape positions, DOT pos and the explorer are one layout."""
    import networkx as nx

    from nakg.export.html import read_data
    from nakg.export.projection import node_layout, viewer_graph

    kg, paths, n, _ = mini
    layout = node_layout(viewer_graph(kg, "whole"))
    assert len(layout) == n and len({(x, y) for x, y, _ in layout.values()}) == n
    assert all(3 <= size <= 15 for *_, size in layout.values())
    gexf = nx.read_gexf(paths["gexf"])
    graphology = {d["key"]: d["attributes"] for d in json.loads(paths["graphology"].read_text(encoding="utf-8"))["nodes"]}
    cyjs = {d["data"]["iri"]: d["position"] for d in json.loads(paths["cyjs"].read_text(encoding="utf-8"))["elements"]["nodes"]}
    dot = read_dot_positions(paths["dot"])
    explorer = {d["id"]: (d["x"], d["y"]) for d in read_data(export(kg, "html", paths["dot"].with_suffix(".html")).path)["nodes"]}
    for node, (x, y, size) in layout.items():
        assert (gexf.nodes[node]["viz"]["position"]["x"], gexf.nodes[node]["viz"]["position"]["y"]) == (x, -y)
        assert gexf.nodes[node]["viz"]["size"] == size
        assert (graphology[node]["x"], graphology[node]["y"], graphology[node]["size"]) == (x, -y, size)
        assert (cyjs[node]["x"], cyjs[node]["y"]) == (x, y)
        assert dot[node] == pytest.approx((8 * x, -8 * y))
        assert explorer[node] == (x, y)


def read_dot_positions(path: Path) -> dict[str, tuple[float, float]]:
    return {n: tuple(map(float, a["pos"].split(","))) for n, a in _dot_with_pos(path).items()}


def _dot_with_pos(path: Path) -> dict[str, dict]:
    import re

    from .test_exports import _DOT_NODE, _dot_attrs, _dot_unescape

    nodes = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if (m := _DOT_NODE.match(line)) and "->" not in line:
            nodes[_dot_unescape(m.group(1))] = _dot_attrs(m.group(2))
    assert nodes and all(re.fullmatch(r"-?[\d.]+,-?[\d.]+", a["pos"]) for a in nodes.values())
    return nodes


def test_large_dot_names_sfdp_in_the_file():
    import networkx as nx

    from nakg.export.dot import SFDP_ABOVE, to_dot
    from nakg.export.projection import clean_graph

    g = nx.MultiDiGraph()
    for i in range(SFDP_ABOVE + 1):
        g.add_edge(f"n{i}", f"n{(i + 1) % (SFDP_ABOVE + 1)}", key="next")
    big, small = to_dot(clean_graph(g)), to_dot(clean_graph(nx.MultiDiGraph(g.subgraph(["n0", "n1"]))))
    assert big.startswith("digraph ") and 'layout="sfdp"' in big.splitlines()[1]
    assert 'layout="sfdp"' not in small and 'rankdir="LR"' in small


def test_parallel_doping_edges_have_distinct_labels(kg, tmp_path):
    path = export(kg, "dot", tmp_path / "lineage.dot", view="lineage").path
    read = read_dot(path)
    by_pair: dict[tuple[str, str], list[str]] = {}
    for u, v, d in read.edges:
        by_pair.setdefault((u, v), []).append(d["label"])
    parallel = [labels for labels in by_pair.values() if len(labels) > 1]
    assert len(parallel) >= 4, "Clarke's and Wan's dopings of Na3OCl are parallel edges"
    assert all(len(set(labels)) == len(labels) for labels in parallel)


# ---------------------------------------------------------------- KGX


KGX_PYTHON = Path(os.environ.get("NAKG_KGX_PYTHON", Path(__file__).parents[1] / "build" / "kgx-venv" / "bin" / "python"))


@pytest.mark.parametrize("view", ["whole", "lineage"])
def test_kgx_validate_finds_no_error_and_keeps_every_edge(request, tmp_path, view):
    """The mini whole view (every node and edge kind) and the shipped lineage (parallel dopings, '|' in names)."""
    need(_has_module(str(KGX_PYTHON), "kgx"), f"kgx in {KGX_PYTHON} (NAKG_KGX_PYTHON)")
    kg = request.getfixturevalue("kg") if view == "lineage" else _kg_from(DATA / "records" / "mini")
    path = export(kg, "kgx", tmp_path / "kgx", view=view).path
    graph = kg.to_networkx(view)
    out = subprocess.run([str(KGX_PYTHON), str(READERS / "kgx_validate.py"), str(path)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["errors"] == {}
    assert seen["streamed_nodes"] == seen["nodes"] == graph.number_of_nodes()
    assert seen["streamed_edges"] == graph.number_of_edges()
    import csv

    with (path / "edges.tsv").open(encoding="utf-8", newline="") as fh:
        triples = [(r["subject"], r["predicate"], r["object"]) for r in csv.DictReader(fh, delimiter="\t")]
    parallel = len(triples) - len(set(triples))
    assert seen["edges"] == len(triples) - parallel  # kgx's graph store keys edges by (subject, predicate, object)
    if view == "lineage":
        assert parallel >= 4


# ---------------------------------------------------------------- OWL: the OWL API's OWL 2 DL profile check


#: The OWL API (Debian ``libowlapi-java``) and the jars it needs to load Turtle and RDF/XML; Debian's jars carry
#: no Class-Path, so the runner's classpath is named here.
JAVA_SHARE = Path("/usr/share/java")
OWLAPI_JARS = ["owlapi-distribution", "guava", "caffeine", "commons-io", "commons-codec", "commons-rdf-api", "hppcrt",
               "jsr305", "slf4j-api", "slf4j-nop", "atinject-jsr330-api", "xz", "jackson-core", "jackson-databind",
               "jackson-annotations"]


def _owlapi(*paths: Path) -> list[dict]:
    """Load ``paths`` in order with the OWL API and its OWL 2 DL profile check; one report per file."""
    need(shutil.which("java") is not None and shutil.which("javac") is not None, "Java 17 JDK (Debian openjdk-17-jdk-headless)")
    need((JAVA_SHARE / "owlapi-distribution.jar").exists(), "the OWL API (Debian libowlapi-java)")
    rdf4j = sorted(p for p in JAVA_SHARE.glob("rdf4j-*.jar") if not re.search(r"-\d[\d.]*\.jar$", p.name))
    classpath = [JAVA_SHARE / f"{name}.jar" for name in OWLAPI_JARS] + rdf4j
    assert rdf4j and all(p.exists() for p in classpath), [str(p) for p in classpath if not p.exists()]
    out = subprocess.run(["java", "-cp", os.pathsep.join(map(str, classpath)), str(READERS / "OwlProfileCheck.java"),
                          *map(str, paths)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    reports = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["file"] for r in reports] == list(map(str, paths))
    return reports


def _declared(graph: Graph) -> dict[str, int]:
    """Entities declared in ``graph`` (IRIs typed with an OWL entity type), counted by the OWL API's type names."""
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    kinds = {"Class": OWL.Class, "ObjectProperty": OWL.ObjectProperty, "DataProperty": OWL.DatatypeProperty,
             "AnnotationProperty": OWL.AnnotationProperty, "NamedIndividual": OWL.NamedIndividual}
    counts = {name: sum(1 for s in set(graph.subjects(RDF.type, kind)) if isinstance(s, URIRef))
              for name, kind in kinds.items()}
    return {name: n for name, n in counts.items() if n}


def _assert_dl(report: dict, graph: Graph, self_contained: bool = True) -> None:
    """No profile violation, every triple parsed, the OWL API's declarations those rdflib sees in the file.

    A self-contained document (no imports) also uses no class, property or individual it does not declare.
    """
    assert report["owlapi"].startswith("5."), report["owlapi"]
    assert report["violations"] == [] and report["in_profile"]
    assert report["unparsed_triples"] == 0
    assert report["declared"] == _declared(graph)
    for kind in ("Class", "ObjectProperty", "DataProperty", "NamedIndividual"):
        if self_contained:
            assert report["signature"][kind] == report["declared"].get(kind, 0), kind


def test_ontology_files_are_owl2_dl_in_the_owl_api():
    """What Protégé users open from the repository: the ontology, and its defined classes importing it."""
    files = [REPO / "ontology" / "nakg.ttl", REPO / "ontology" / "nakg-defined.ttl"]
    reports = _owlapi(*files)
    for path, report in zip(files, reports):
        _assert_dl(report, Graph().parse(path, format="turtle"), self_contained=report["imports"] == 1)
    assert reports[0]["declared"]["Class"] >= 50 and reports[1]["imports"] == 2


@pytest.fixture(scope="module")
def whole_owl(kg, tmp_path_factory):
    """The whole shipped graph as ``nakg export owl-rdfxml`` writes it for Protégé."""
    return export(kg, "owl-rdfxml", tmp_path_factory.mktemp("owl") / "nakg-whole.owl").path


def test_owl_export_is_owl2_dl_in_the_owl_api(whole_owl):
    """The whole graph's OWL document, loaded and profile-checked by the OWL API."""
    path = whole_owl
    graph = Graph().parse(path, format="xml")
    report, = _owlapi(path)
    _assert_dl(report, graph)
    assert report["format"] == "RDF/XML Syntax"
    assert report["declared"]["NamedIndividual"] >= 1000


def test_undeclared_annotation_property_is_what_the_owl_api_rejects(whole_owl, tmp_path):
    """The reported failure, reproduced: without its declaration, skos:altLabel breaks the OWL 2 DL profile."""
    from rdflib.namespace import OWL, RDF, SKOS

    graph = Graph().parse(whole_owl, format="xml")
    assert (SKOS.altLabel, RDF.type, OWL.AnnotationProperty) in graph
    graph.remove((SKOS.altLabel, RDF.type, OWL.AnnotationProperty))
    undeclared = tmp_path / "undeclared.owl"
    graph.serialize(undeclared, format="xml")
    report, = _owlapi(undeclared)
    assert not report["in_profile"]
    assert {v["type"] for v in report["violations"]} == {"UseOfUndeclaredAnnotationProperty"}
    assert all(str(SKOS.altLabel) in v["message"] for v in report["violations"])
