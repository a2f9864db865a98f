"""The RDF of a view, shared by the Turtle, N-Triples, JSON-LD and OWL (RDF/XML) exporters.

The *data* of a knowledge graph is every triple that is not in the shipped
ontology. The ``whole`` view exports all of it; any other view exports the
description of its resources: every data triple whose subject is a node of the
view or a resource an edge of the view stands for (a doping of the lineage and
dopant-host views), with the blank nodes they reach.

>>> import nakg
>>> g = view_rdf(nakg.load(), "lineage")
>>> len(g) > 100 and ("res", RES) in [(p, str(n)) for p, n in g.namespaces()]
True
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from ..api import KnowledgeGraph

__all__ = ["view_rdf", "ontology_graph", "data_graph", "native_data_triples", "native_sorted_lines", "parse_lines", "prefixes", "jsonld_context", "bind_prefixes", "RES", "NAKG"]

NAKG = "https://w3id.org/nakg/"
RES = NAKG + "resource/"


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the nakg prefixes (``nakg``, ``res``, ``unit``, ``prov`` …) on ``graph`` and return it."""
    from ..rdf.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def prefixes() -> dict[str, str]:
    """The nakg prefixes as ``{prefix: namespace}`` (for serialisers outside rdflib)."""
    from ..rdf.namespaces import PREFIXES

    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def jsonld_context() -> dict[str, str]:
    """The JSON-LD ``@context``: one term per nakg prefix.

    >>> jsonld_context()["nakg"], jsonld_context()["res"]
    ('https://w3id.org/nakg/', 'https://w3id.org/nakg/resource/')
    """
    from ..rdf.namespaces import PREFIXES

    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def ontology_graph() -> Graph:
    """The shipped ontology, parsed (a fresh graph on each call)."""
    from rdflib import Graph

    from ..resources import ontology_path

    return Graph().parse(ontology_path(), format="turtle")


def _plain(term):
    """``"x"^^xsd:string`` as the plain literal ``"x"`` (the same in RDF 1.1; some stores return the typed form)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


@cache
def _ontology_triples(store: str, path: str, mtime_ns: int) -> frozenset:
    """The ontology's triples without blank nodes, as backend ``store`` returns them (cached per file version).

    An on-disk store compares like Oxigraph in memory (the same engine); the
    ontology is never loaded into the store being exported, which may be locked.
    """
    from rdflib import BNode

    from ..store import STORES, load_into, open_graph

    name = store if store in STORES and store != "disk" else "oxigraph"
    graph = load_into(open_graph(name), [Path(path)])
    return frozenset(t for t in graph if not any(isinstance(x, BNode) for x in t))


@cache
def _native_ontology_triples(path: str, mtime_ns: int) -> frozenset:
    """The ontology's triples without blank nodes as pyoxigraph terms (cached per file version)."""
    import pyoxigraph as ox

    return frozenset(q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
                     if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode))


def native_data_triples(kg: KnowledgeGraph) -> Iterator | None:
    """The ``whole`` view as a stream of pyoxigraph triples, or None when ``kg`` is not Oxigraph-backed.

    The same triples as :func:`data_graph`, read from the store in one pass with
    no copy of the graph, so exports of millions of triples need little memory
    beyond the store's own.
    """
    from ..store import oxigraph

    store = oxigraph.native(kg.graph)
    if store is None:
        return None
    from ..resources import ontology_path

    path = ontology_path()
    ontology = _native_ontology_triples(str(path), path.stat().st_mtime_ns)
    quads = store.quads_for_pattern(None, None, None, oxigraph.graph_name(kg.graph))
    return _stream_data((quad.triple for quad in quads), ontology)


def native_sorted_lines(kg: KnowledgeGraph) -> list[bytes] | None:
    """The ``whole`` view as sorted canonical N-Triples lines, or None when ``kg`` is not Oxigraph-backed.

    Oxigraph serialises the stream of :func:`native_data_triples`; only the
    finished lines are sorted in Python (the store yields long sorted runs, so
    the sort is close to linear). Sorted lines group each subject's triples.
    """
    import io

    import pyoxigraph as ox

    triples = native_data_triples(kg)
    if triples is None:
        return None
    buffer = io.BytesIO()
    ox.serialize(triples, buffer, ox.RdfFormat.N_TRIPLES)
    lines = buffer.getvalue().splitlines()
    del buffer
    lines.sort()
    return lines


def parse_lines(lines: list[bytes], batch: int = 50_000) -> Iterator:
    """pyoxigraph triples of N-Triples ``lines``, parsed a batch at a time (blank-node labels are kept)."""
    import pyoxigraph as ox

    for start in range(0, len(lines), batch):
        for quad in ox.parse(b"\n".join(lines[start:start + batch]), format=ox.RdfFormat.N_TRIPLES):
            yield quad.triple


def _stream_data(triples, ontology: frozenset) -> Iterator:
    import pyoxigraph as ox

    with_blank = []
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            with_blank.append(triple)
        elif triple not in ontology:
            yield triple
    reached = _data_blank_nodes(with_blank, blank=ox.BlankNode, key=lambda term: term.value)
    for t in with_blank:
        if (t.subject in reached) if isinstance(t.subject, ox.BlankNode) else t.subject.value.startswith(RES):
            yield t


def data_graph(kg: KnowledgeGraph) -> Graph:
    """Every triple of ``kg`` that is not in the shipped ontology, with the nakg prefixes bound.

    The ontology is loaded on the same store backend as ``kg`` so that literals
    compare in the same lexical form. Blank nodes belong to the data when they
    are reached from a data resource (an IRI under ``https://w3id.org/nakg/resource/``);
    the ontology's own blank nodes (OWL restrictions, lists) are left out.
    """
    from rdflib import BNode, Graph

    from ..resources import ontology_path

    path = ontology_path()
    ontology = _ontology_triples(kg.store, str(path), path.stat().st_mtime_ns)
    out = bind_prefixes(Graph())
    with_blank = []
    for s, p, o in kg.graph.triples((None, None, None)):
        if isinstance(s, BNode) or isinstance(o, BNode):
            with_blank.append((s, p, o))
        elif (s, p, o) not in ontology:
            out.add((s, p, _plain(o)))
    reached = _data_blank_nodes(with_blank)
    for s, p, o in with_blank:
        if (s in reached) if isinstance(s, BNode) else str(s).startswith(RES):
            out.add((s, p, _plain(o)))
    return out


def _data_blank_nodes(triples: list, blank: type | None = None, key=str) -> set:
    """The blank nodes reached, directly or through other blank nodes, from a data resource.

    ``blank`` is the blank-node class of the terms (rdflib's ``BNode`` by default)
    and ``key(term)`` an IRI's text.
    """
    if blank is None:
        from rdflib import BNode as blank

    children: dict = {}
    for s, _, o in triples:
        if isinstance(o, blank):
            children.setdefault(s, []).append(o)
    todo = [o for s, kids in children.items() if not isinstance(s, blank) and key(s).startswith(RES) for o in kids]
    reached: set = set()
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo.extend(children.get(node, []))
    return reached


def _resources(view) -> set[str]:
    found = {str(n) for n in view.nodes}
    for _, _, data in view.edges(data=True):
        found.update(v for v in data.values() if isinstance(v, str) and v.startswith(RES) and " " not in v)
    return found


def view_rdf(kg: KnowledgeGraph, view: str = "whole") -> Graph:
    """The RDF of ``view`` as a new graph with the nakg prefixes bound (see the module docstring).

    Raises :class:`~nakg.export.ExportError` for an unknown view.
    """
    from rdflib import BNode, Graph, URIRef

    from .registry import ExportError

    if view == "whole":
        return data_graph(kg)
    from ..views import to_networkx

    try:
        projection = to_networkx(kg, view)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc
    # a view's resources are data IRIs, never subjects in the ontology: read their triples directly
    out = bind_prefixes(Graph())
    todo = [URIRef(r) for r in sorted(_resources(projection))]
    seen = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for s, p, o in kg.graph.triples((subject, None, None)):
            out.add((s, p, _plain(o)))
            if isinstance(o, BNode):
                todo.append(o)
    return out
