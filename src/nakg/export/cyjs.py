"""Cytoscape.js JSON export (``.cyjs``), read by Cytoscape.js and imported by Cytoscape desktop.

The document is ``{"data": {...}, "elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}``.
Nodes carry ``id`` (the IRI), ``name`` and ``label`` (the readable label;
Cytoscape desktop shows ``name``) and their attributes; edges carry ``id``,
``source``, ``target``, ``label``, ``interaction`` (the relation, Cytoscape
desktop's edge type column) and their attributes. Attributes named like a
Cytoscape.js field (``id``, ``source``, ``target``, ``parent`` …) get a ``nakg_`` prefix.

>>> from nakg.export.projection import example_graph
>>> doc = to_cyjs(example_graph())
>>> edge = doc["elements"]["edges"][0]["data"]
>>> edge["id"], edge["source"].rsplit("/", 1)[1], edge["target"].rsplit("/", 1)[1], edge["interaction"], edge["label"]
('e0', 'c1', 'na', 'hasAnode', 'has anode')
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import write_text
from .projection import viewer_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["write", "to_cyjs"]

RESERVED = frozenset({"id", "source", "target", "parent", "name", "interaction", "shared_name", "selected"})


def _data(attrs: dict[str, Any], keep: tuple[str, ...] = ("label",)) -> dict[str, Any]:
    return {(k if k in keep or k not in RESERVED else f"nakg_{k}"): v for k, v in sorted(attrs.items())}


def to_cyjs(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """A clean viewer graph (see :mod:`nakg.export.projection`) as a Cytoscape.js document."""
    nodes = [{"data": {"id": n, "name": d["label"], **_data(d)}} for n, d in graph.nodes(data=True)]
    edges = [{"data": {"id": str(k), "source": u, "target": v, "interaction": d["relation"], **_data(d)}}
             for u, v, k, d in graph.edges(keys=True, data=True)]
    return {
        "format_version": "1.0",
        "generated_by": "nakg",
        "target_cytoscapejs_version": "~3",
        "data": {"name": str(graph.graph.get("name", "nakg")), "view": str(graph.graph.get("view", "whole"))},
        "elements": {"nodes": nodes, "edges": edges},
    }


def write(kg: KnowledgeGraph, view: str, path: Path | str) -> dict[str, int]:
    """Write ``view`` of ``kg`` to ``path`` as Cytoscape.js JSON; returns ``{"nodes": n, "edges": m}``."""
    graph = viewer_graph(kg, view)
    write_text(path, json.dumps(to_cyjs(graph), indent=1, ensure_ascii=False) + "\n")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
