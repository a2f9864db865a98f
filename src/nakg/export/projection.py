"""The graph-viewer projection shared by the GraphML, GEXF, Cytoscape, graphology, DOT, Neo4j and KGX exporters.

A view of :mod:`nakg.views` is turned into a *clean* ``networkx.MultiDiGraph``:

* node ids are strings (IRIs), sorted; every node has a human-readable ``label``
  and a ``type`` (its most specific nakg class);
* every edge has a unique string key (``e0``, ``e1`` … in a stable order), a
  ``relation`` (the nakg property it stands for, or the view's relation kind:
  ``doping``, ``derivation``, ``dopant``) and a readable ``label``; parallel
  edges that would have the same label (two papers' dopings of one host) get the
  local name of the doping they stand for appended;
* attribute values are scalars only — ``str``, ``int``, ``float`` or ``bool``,
  never None, lists or non-finite floats — and each attribute name has a single
  type across all nodes (and across all edges), so typed formats declare it once.

>>> g = example_graph()
>>> list(g.edges(keys=True, data=True))[1][2:]
('e1', {'label': 'has electrolyte', 'relation': 'hasElectrolyte'})
>>> all(isinstance(v, (str, int, float, bool)) for _, d in g.nodes(data=True) for v in d.values())
True
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["viewer_graph", "clean_graph", "example_graph", "relation", "scalar", "attribute_types", "node_layout",
           "node_size", "type_colors", "property_labels", "NAKG", "RES"]

NAKG = "https://w3id.org/nakg/"
RES = NAKG + "resource/"

_FAMILY_ROOTS = """
SELECT ?label ?root WHERE {
  ?f a nakg:ElectrolyteFamily ; rdfs:label ?label ; nakg:subFamilyOf+ ?top .
  ?top rdfs:label ?root . FILTER NOT EXISTS { ?top nakg:subFamilyOf ?above }
}"""

_PROPERTY_LABELS = """
SELECT ?p ?label WHERE {
  { ?p a owl:ObjectProperty } UNION { ?p a owl:DatatypeProperty }
  ?p rdfs:label ?label . FILTER(STRSTARTS(STR(?p), "https://w3id.org/nakg/"))
}"""

#: Colours (hex RGB) given to node types in a stable order, for viewers that show them (yEd).
PALETTE = ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F",
           "#BAB0AC", "#86BCB6", "#D37295", "#A0CBE8", "#FFBE7D", "#8CD17D", "#B6992D", "#499894", "#F1CE63")


def scalar(value: Any) -> str | int | float | bool | None:
    """A value as a typed scalar, or None when it must be left out.

    Lists and tuples are joined with ``"; "`` (their items made scalar first);
    non-finite floats become strings; anything else that is not a str, int,
    float or bool becomes its ``str()``.

    >>> scalar(["a", 2])
    'a; 2'
    >>> scalar(float("nan")), scalar(None), scalar(True), scalar(1.5)
    ('nan', None, True, 1.5)
    """
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [scalar(v) for v in (sorted(value, key=str) if isinstance(value, set | frozenset) else value)]
        return "; ".join(str(v) for v in items if v is not None)
    return str(value)


def attribute_types(records: list[dict[str, Any]]) -> dict[str, type]:
    """The single type of each attribute name over ``records``.

    ``int`` with ``float`` gives ``float``; any other mixture gives ``str``.

    >>> attribute_types([{"a": 1, "b": True, "c": "x"}, {"a": 2.5, "b": True, "c": 3}])
    {'a': <class 'float'>, 'b': <class 'bool'>, 'c': <class 'str'>}
    """
    seen: dict[str, set[type]] = {}
    for record in records:
        for key, value in record.items():
            seen.setdefault(key, set()).add(type(value))
    result = {}
    for key, kinds in seen.items():
        if len(kinds) == 1:
            result[key] = next(iter(kinds))
        elif kinds <= {int, float}:
            result[key] = float
        else:
            result[key] = str
    return result


def _coerce(records: list[dict[str, Any]]) -> None:
    types = attribute_types(records)
    for record in records:
        for key, value in record.items():
            want = types[key]
            if type(value) is not want:
                record[key] = float(value) if want is float else str(value)


def relation(key: Any, data: dict[str, Any]) -> str:
    """The relation an edge of a view stands for.

    Edges of the ``lineage`` view carry a ``kind`` (``doping`` or
    ``derivation``); edges of ``dopant-host`` carry the ``doping`` they come
    from (relation ``dopant``: species → host); every other view keys its edges
    by the local name of the nakg property.

    >>> relation("hasAnode", {"label": "hasAnode"}), relation("x", {"kind": "doping"}), relation("d#Zr", {"doping": "d"})
    ('hasAnode', 'doping', 'dopant')
    """
    if data.get("kind"):
        return str(data["kind"])
    if "doping" in data:
        return "dopant"
    return str(key)


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def property_labels(kg: KnowledgeGraph) -> dict[str, str]:
    """Local name → English label of every nakg property (for readable edge labels)."""
    labels: dict[str, str] = {}
    for row in kg.query(_PROPERTY_LABELS):
        labels.setdefault(_local(row["p"]), str(row["label"]))
    return labels


def clean_graph(view: nx.MultiDiGraph, edge_labels: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A clean copy of a view graph (see the module docstring for what clean means).

    Args:
        view: a graph from :func:`nakg.views.to_networkx`.
        edge_labels: property local name → readable label, used where an edge's
            label is just the property name.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(name="t")
    >>> g.add_edge("b", "a", key="hasAnode", label="hasAnode", note=None)
    'hasAnode'
    >>> g.nodes["a"].update(label="A", tags=["x", "y"], value=1)
    >>> g.nodes["b"].update(value=2.5)
    >>> c = clean_graph(g, {"hasAnode": "has anode"})
    >>> dict(c.nodes["a"]), dict(c.nodes["b"])
    ({'label': 'A', 'tags': 'x; y', 'value': 1.0, 'type': 'Resource'}, {'value': 2.5, 'label': 'b', 'type': 'Resource'})
    >>> list(c.edges(keys=True, data=True))
    [('b', 'a', 'e0', {'label': 'has anode', 'relation': 'hasAnode'})]
    """
    import networkx as nx

    edge_labels = edge_labels or {}
    nodes = []
    for node in sorted(view.nodes, key=str):
        attrs = {k: s for k, v in view.nodes[node].items() if (s := scalar(v)) is not None}
        attrs.setdefault("label", _local(str(node)))
        attrs.setdefault("type", "Resource")
        nodes.append((str(node), attrs))
    edges = []
    for u, v, key, data in view.edges(keys=True, data=True):
        attrs = {k: s for k, v_ in data.items() if (s := scalar(v_)) is not None}
        rel = relation(key, data)
        label = attrs.get("label", rel)
        attrs["label"] = edge_labels.get(rel, label) if label == rel else label
        attrs["relation"] = rel
        edges.append((str(u), str(v), str(key), attrs))
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    repeated = Counter((u, v, a["label"]) for u, v, _, a in edges)
    for u, v, _, attrs in edges:  # parallel edges of one label (two papers' dopings): name the resource each stands for
        if repeated[(u, v, attrs["label"])] > 1 and attrs.get("doping"):
            attrs["label"] = f"{attrs['label']} ({_local(str(attrs['doping']))})"
    _coerce([a for _, a in nodes])
    _coerce([e[3] for e in edges])
    out = nx.MultiDiGraph(name=str(view.graph.get("name", "nakg")))
    out.add_nodes_from(nodes)
    for i, (u, v, _key, attrs) in enumerate(edges):
        out.add_edge(u, v, key=f"e{i}", **attrs)
    return out


def viewer_graph(kg: KnowledgeGraph, view: str = "whole") -> nx.MultiDiGraph:
    """Project ``kg`` to ``view`` and clean it for graph viewers (see :func:`clean_graph`).

    Raises :class:`~nakg.export.ExportError` for an unknown view.
    """
    from ..views import to_networkx
    from .registry import ExportError

    try:
        graph = to_networkx(kg, view)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc
    labels = property_labels(kg)
    cleaned = clean_graph(graph, labels)
    cleaned.graph["view"] = view
    cleaned.graph["family_roots"] = {str(r["label"]): str(r["root"]) for r in kg.query(_FAMILY_ROOTS)}
    cleaned.graph["properties"] = frozenset(labels)  # local names of the nakg properties, for predicate CURIEs
    return cleaned


def example_graph() -> nx.MultiDiGraph:
    """A small clean viewer graph for examples: a symmetric cell, its electrolyte and its anode.

    >>> sorted(example_graph().nodes(data="label"))[0]
    ('https://w3id.org/nakg/resource/cell/c1', 'Na/NZSP/Na')
    """
    import networkx as nx

    cell, nzsp, na = (RES + "cell/c1", RES + "material/nzsp", RES + "material/na")
    g = nx.MultiDiGraph(name="nakg-example")
    g.add_node(cell, label="Na/NZSP/Na", type="SymmetricCell")
    g.add_node(nzsp, label="Na3Zr2Si2PO12", type="SolidElectrolyte", family="NASICON", formula="Na3Zr2Si2PO12")
    g.add_node(na, label="Na", type="AnodeMaterial", formula="Na")
    g.add_edge(cell, nzsp, key="hasElectrolyte", label="hasElectrolyte")
    g.add_edge(cell, na, key="hasAnode", label="hasAnode")
    return clean_graph(g, {"hasElectrolyte": "has electrolyte", "hasAnode": "has anode"})


def type_colors(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A stable colour per node ``type`` (types sorted, colours from :data:`PALETTE`, cycling).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(); g.add_node("a", type="Cell"); g.add_node("b", type="Anode")
    >>> type_colors(g)
    {'Anode': '#4E79A7', 'Cell': '#F28E2B'}
    """
    kinds = sorted({str(d.get("type", "")) for _, d in graph.nodes(data=True)})
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}


def node_size(degree: int) -> float:
    """The drawn radius of a node with ``degree`` edges, in layout units (the explorer's, sigma.js's ``size``).

    >>> node_size(0), node_size(1), node_size(255)
    (3.0, 4.5, 15.0)
    """
    return round(3 + 1.5 * math.log2(1 + degree), 2)


def node_layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float, float]]:
    """The one layout every graph export uses: node id → ``(x, y, size)``.

    Positions come from the explorer's family-cluster layout
    (:func:`nakg.export.explorer.layout.layout`: a spring layout per electrolyte
    family, fixed seed, clusters packed in rows), in its world units (about 14
    between neighbours; ``y`` grows downwards, as on a screen); ``size`` is
    :func:`node_size` of the node's degree. The result is computed once per graph
    and kept in ``graph.graph["layout"]``.

    >>> pos = node_layout(example_graph())
    >>> sorted(pos) == sorted(example_graph().nodes) and all(len(p) == 3 for p in pos.values())
    True
    """
    import networkx as nx

    from .explorer.layout import clusters, layout

    if "layout" not in graph.graph:
        keyed = nx.MultiDiGraph()
        keyed.add_nodes_from(graph.nodes(data=True))
        keyed.add_edges_from((u, v, str(d.get("relation", k))) for u, v, k, d in graph.edges(keys=True, data=True))
        laid = layout(keyed, clusters(keyed, graph.graph.get("family_roots")))
        graph.graph["layout"] = {n: (*laid.positions[n], node_size(graph.degree(n))) for n in graph.nodes}
    return graph.graph["layout"]
