"""Cytoscape.js JSON export (``.cyjs``), read by Cytoscape.js and imported by Cytoscape desktop.

The document is ``{"data": {...}, "elements": {"nodes": [...], "edges": [...]}, "style": [...]}``,
what ``cytoscape({elements, style})`` takes and ``cy.json()`` gives.

* Nodes carry ``id`` (``n0``, ``n1`` … in IRI order: an IRI's ``:`` and ``/``
  would break selectors such as ``cy.$('#' + id)``), ``iri``, ``name`` and
  ``label`` (the readable label; Cytoscape desktop shows ``name``), ``color``
  (per type), ``size`` (the shared layout's radius) and their attributes, and a
  ``position`` from the shared layout (:func:`nakg.export.projection.node_layout`,
  screen coordinates).
* Edges carry ``id``,
``source``, ``target``, ``label``, ``interaction`` (the relation, Cytoscape
desktop's edge type column) and their attributes. Attributes named like a
Cytoscape.js field (``id``, ``source``, ``target``, ``parent`` …) get a ``nakg_`` prefix.
* ``layout`` is ``{"name": "preset"}``: Cytoscape.js runs a grid layout at start
  unless told to keep the given positions, so ``cytoscape({container, ...doc})``
  shows the shared layout.
* ``style`` is a Cytoscape.js stylesheet: labelled nodes filled with their
  colour and sized by degree (labels appear once zoomed in enough to read them),
  arrowed edges with their label, parallel edges drawn apart.

>>> from nakg.export.projection import example_graph
>>> doc = to_cyjs(example_graph())
>>> edge = doc["elements"]["edges"][0]["data"]
>>> edge["id"], edge["source"], edge["target"], edge["interaction"], edge["label"]
('e0', 'n0', 'n1', 'hasAnode', 'has anode')
>>> doc["elements"]["nodes"][1]["data"]["iri"], sorted(doc["elements"]["nodes"][1]["position"])
('https://w3id.org/nakg/resource/material/na', ['x', 'y'])
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

__all__ = ["write", "to_cyjs", "STYLE"]

RESERVED = frozenset({"id", "source", "target", "parent", "name", "interaction", "shared_name", "selected", "iri",
                      "color", "size"})

#: The Cytoscape.js stylesheet written with every document.
STYLE = [
    {"selector": "node", "style": {
        "label": "data(label)", "background-color": "data(color)", "width": "mapData(size, 3, 15, 6, 30)",
        "height": "mapData(size, 3, 15, 6, 30)", "font-size": 5, "min-zoomed-font-size": 9, "text-valign": "bottom",
        "text-margin-y": 1, "text-max-width": 80, "text-wrap": "ellipsis", "border-width": 0.5, "border-color": "#555"}},
    {"selector": "edge", "style": {
        "label": "data(label)", "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.5,
        "width": 0.6, "line-color": "#999", "target-arrow-color": "#999", "font-size": 3, "min-zoomed-font-size": 9,
        "text-rotation": "autorotate", "color": "#555"}},
    {"selector": ":selected", "style": {"border-width": 2, "border-color": "#000", "line-color": "#000"}},
]


def _data(attrs: dict[str, Any], keep: tuple[str, ...] = ("label",)) -> dict[str, Any]:
    return {(k if k in keep or k not in RESERVED else f"nakg_{k}"): v for k, v in sorted(attrs.items())}


def to_cyjs(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """A clean viewer graph (see :mod:`nakg.export.projection`) as a Cytoscape.js document."""
    positions, colors = node_layout(graph), type_colors(graph)
    ids = {n: f"n{i}" for i, n in enumerate(sorted(graph.nodes))}
    nodes = []
    for n, d in graph.nodes(data=True):
        x, y, size = positions[n]
        nodes.append({"data": {"id": ids[n], "iri": n, "name": d["label"], **_data(d), "color": colors[str(d.get("type", ""))],
                               "size": size}, "position": {"x": x, "y": y}})
    edges = [{"data": {"id": str(k), "source": ids[u], "target": ids[v], "interaction": d["relation"], **_data(d)}}
             for u, v, k, d in graph.edges(keys=True, data=True)]
    return {
        "format_version": "1.0",
        "generated_by": "nakg",
        "target_cytoscapejs_version": "~3",
        "data": {"name": str(graph.graph.get("name", "nakg")), "view": str(graph.graph.get("view", "whole"))},
        "elements": {"nodes": nodes, "edges": edges},
        "style": STYLE,
        "layout": {"name": "preset"},
    }


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as Cytoscape.js JSON; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    write_text(path, json.dumps(to_cyjs(graph), indent=1, ensure_ascii=False) + "\n")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
