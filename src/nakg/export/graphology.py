"""graphology JSON export for sigma.js.

The document is ``{attributes, options, nodes: [{key, attributes}], edges: [{key, source, target, attributes}]}``.

``Graph.from(json)`` (graphology) loads it as a directed multigraph. Node
attributes include what sigma.js draws — ``label``, ``x``, ``y`` and ``size``
from the shared layout (:func:`nakg.export.projection.node_layout`: about 14
units between neighbours, ``y`` upwards, a radius of 3 to 15 units growing
with degree, so sigma.js 3 and 4 draw it readably whether sizes are read in
screen pixels or in graph units) and ``color`` (per type). sigma.js reads a node's or edge's ``type`` as the name of its
renderer, so the nakg class is written as ``nakg_type`` (likewise any other
attribute named like a sigma.js setting gets a ``nakg_`` prefix).

>>> from nakg.export.projection import example_graph
>>> doc = to_graphology(example_graph())
>>> doc["options"]
{'type': 'directed', 'multi': True, 'allowSelfLoops': True}
>>> doc["nodes"][0]["attributes"]
{'label': 'Na/NZSP/Na', 'nakg_type': 'SymmetricCell', 'x': 45.2, 'y': -45.3, 'size': 5.38, 'color': '#E15759'}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import write_text
from .projection import node_layout, type_colors, viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "to_graphology"]

#: Attribute names sigma.js (or graphology) give a meaning; data attributes with these names get a ``nakg_`` prefix.
RESERVED = frozenset({"type", "x", "y", "size", "color", "hidden", "forceLabel", "zIndex", "highlighted", "key",
                      "source", "target", "image"})


def _attrs(data: dict[str, Any]) -> dict[str, Any]:
    return {(f"nakg_{k}" if k in RESERVED else k): v for k, v in data.items()}


def to_graphology(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """A clean viewer graph (see :mod:`nakg.export.projection`) as a graphology serialised graph."""
    positions = node_layout(graph)
    colors = type_colors(graph)
    nodes = []
    for n, d in graph.nodes(data=True):
        x, y, size = positions[n]
        nodes.append({"key": n, "attributes": {**_attrs(d), "x": float(x), "y": 0.0 - y, "size": float(size),
                                               "color": colors[str(d.get("type", ""))]}})
    edges = [{"key": str(k), "source": u, "target": v, "attributes": _attrs(d)}
             for u, v, k, d in graph.edges(keys=True, data=True)]
    return {
        "attributes": {"name": str(graph.graph.get("name", "nakg")), "view": str(graph.graph.get("view", "whole"))},
        "options": {"type": "directed", "multi": True, "allowSelfLoops": True},
        "nodes": nodes,
        "edges": edges,
    }


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as graphology JSON; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    write_text(path, json.dumps(to_graphology(graph), indent=1, ensure_ascii=False) + "\n")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
