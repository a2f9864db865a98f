"""Deterministic layout of a view for the explorer: one cluster per electrolyte family.

Every node is put in a *cluster*: a material in the cluster of its family (of
the top family, when the caller maps sub-families to their top family),
references and review sections in ``Literature``, elements and species in
``Chemistry``; any other node joins the cluster most of its already placed
neighbours are in (rounds of propagation over the non-provenance edges, ties
broken by name), and a node reached by none goes to ``Other``. Each cluster is
laid out on its own with networkx's ``spring_layout`` (fixed seed, nodes and
edges in sorted order), scaled to a disc whose area grows with the number of
nodes, and the discs are packed in rows (about 1.6 times wider than tall), largest family first (``Literature``,
``Chemistry`` and ``Other`` last). The same graph always gives the same
coordinates.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("m", type="SolidElectrolyte", family="NASICON")
>>> g.add_node("s", type="IonicConductivity"); g.add_node("r", type="Reference")
>>> _ = g.add_edge("s", "m", key="isMeasurementOf"); _ = g.add_edge("s", "r", key="citesReference")
>>> clusters(g)
{'m': 'NASICON', 'r': 'Literature', 's': 'NASICON'}
>>> result = layout(g)
>>> result == layout(g), sorted(c.name for c in result.clusters)
(True, ['Literature', 'NASICON'])
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["Cluster", "Layout", "clusters", "layout", "PROVENANCE", "LITERATURE_TYPES", "CHEMISTRY_TYPES"]

#: Relations that say where a fact comes from rather than what it is about (not used to place nodes).
PROVENANCE = frozenset({"statedInSection", "citesReference", "citedBy", "sectionOf", "duplicateOf"})
#: Node types placed in the ``Literature`` cluster.
LITERATURE_TYPES = frozenset({"Reference", "Review", "ReviewSection"})
#: Node types placed in the ``Chemistry`` cluster (shared by every family).
CHEMISTRY_TYPES = frozenset({"ChemicalElement", "ChemicalSpecies"})
_LAST = ("Literature", "Chemistry", "Other")

#: Distance unit between neighbouring nodes, in the explorer's world coordinates.
SPACING = 14.0
ASPECT = 1.6
SEED = 20240518  # the review's online date: any fixed seed would do


@dataclass(frozen=True)
class Cluster:
    """A laid-out cluster: its name, centre and radius (world coordinates) and number of nodes."""

    name: str
    x: float
    y: float
    r: float
    size: int


@dataclass(frozen=True)
class Layout:
    """Node positions (id → (x, y), rounded to 0.1) and the clusters they were placed in."""

    positions: dict[str, tuple[float, float]]
    membership: dict[str, str]
    clusters: tuple[Cluster, ...]


def clusters(graph: nx.MultiDiGraph, roots: dict[str, str] | None = None) -> dict[str, str]:
    """The cluster of every node (see the module docstring), as a dict sorted by node id.

    Args:
        graph: a view from :func:`nakg.views.to_networkx`.
        roots: family label → the label of the cluster it joins (its top family); a family
            not in it is a cluster of its own.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(); g.add_node("a", family="closo-borate"); g.add_node("b", family="halide")
    >>> clusters(g, {"closo-borate": "complex hydride"})
    {'a': 'complex hydride', 'b': 'halide'}
    """
    roots = roots or {}
    fixed: dict[str, str] = {}
    for n, d in graph.nodes(data=True):
        kind = str(d.get("type", ""))
        if kind in LITERATURE_TYPES:
            fixed[n] = "Literature"
        elif kind in CHEMISTRY_TYPES:
            fixed[n] = "Chemistry"
        elif d.get("family"):
            fixed[n] = roots.get(str(d["family"]), str(d["family"]))
    neighbours: dict[str, set[str]] = defaultdict(set)
    for u, v, key in graph.edges(keys=True):
        if str(key) not in PROVENANCE and u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    order = sorted(graph.nodes, key=str)
    while True:
        new = {}
        for n in order:
            if n in fixed:
                continue
            votes = Counter(fixed[m] for m in neighbours[n] if m in fixed and fixed[m] not in _LAST)
            if votes:
                best = max(votes.values())
                new[n] = min(name for name, count in votes.items() if count == best)
        if not new:
            break
        fixed.update(new)
    return {n: fixed.get(n, "Other") for n in order}


def _disc(graph: nx.MultiDiGraph, nodes: list[str]) -> tuple[list[tuple[float, float]], float]:
    """Spring layout of ``nodes`` (their induced subgraph) centred on 0 and scaled into a disc; returns positions and radius."""
    import networkx as nx

    radius = SPACING * math.sqrt(len(nodes))
    if len(nodes) == 1:
        return [(0.0, 0.0)], SPACING
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    members = set(nodes)
    sub.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.edges(nodes) if v in members and u != v}))
    pos = nx.spring_layout(sub, seed=SEED, iterations=60, method="force")
    cx = sum(p[0] for p in pos.values()) / len(nodes)
    cy = sum(p[1] for p in pos.values()) / len(nodes)
    extent = max(math.hypot(p[0] - cx, p[1] - cy) for p in pos.values()) or 1.0
    scale = radius / extent
    return [(float((pos[n][0] - cx) * scale), float((pos[n][1] - cy) * scale)) for n in nodes], radius


def layout(graph: nx.MultiDiGraph, membership: dict[str, str] | None = None) -> Layout:
    """Lay out ``graph`` cluster by cluster (see the module docstring).

    Args:
        graph: a view from :func:`nakg.views.to_networkx`.
        membership: node → cluster name; default :func:`clusters`.
    """
    membership = membership if membership is not None else clusters(graph)
    groups: dict[str, list[str]] = defaultdict(list)
    for n in sorted(graph.nodes, key=str):
        groups[membership[n]].append(n)
    laid = {name: _disc(graph, nodes) for name, nodes in groups.items()}
    order = sorted(groups, key=lambda k: (k in _LAST, _LAST.index(k) if k in _LAST else 0, -len(groups[k]), k))
    gap = 3 * SPACING
    sizes = [2 * laid[k][1] + gap for k in order]
    width = max(max(sizes), math.sqrt(ASPECT * sum(d * d for d in sizes)))  # rows about ASPECT times wider than tall
    x = y = row = 0.0
    positions: dict[str, tuple[float, float]] = {}
    placed = []
    for name in order:
        coords, radius = laid[name]
        size = 2 * radius + gap
        if x > 0 and x + size > width:
            x, y, row = 0.0, y + row, 0.0
        cx, cy = x + size / 2, y + size / 2
        placed.append(Cluster(name, round(cx, 1), round(cy, 1), round(radius, 1), len(groups[name])))
        for n, (px, py) in zip(groups[name], coords, strict=True):
            positions[n] = (round(cx + px, 1), round(cy + py, 1))
        x += size
        row = max(row, size)
    return Layout(dict(sorted(positions.items())), membership, tuple(placed))
