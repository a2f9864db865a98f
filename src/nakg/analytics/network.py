"""Graph algorithms over dopings (networkx): lineage trees, strategy → superionic paths,
centrality, and link-prediction suggestions.

Suggestions are **hypotheses**: a dopant that raised conductivity in hosts similar to
the one asked about, scored with the Adamic–Adar index between hosts (hosts are
similar when they share elements, a family or successful dopants).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import QueryError
from .outcomes import DopingOutcome, doping_outcomes

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..api import KnowledgeGraph

__all__ = ["resolve_material", "lineage_tree", "render_tree", "strategy_graph", "paths_to_superionic",
           "centrality", "Suggestion", "suggest"]

SUPERIONIC = "outcome:superionic"

_MATERIALS = """
SELECT ?id ?formula ?label ?alias WHERE {
  ?m a nakg:Material ; nakg:recordId ?id ; nakg:formula ?formula ; rdfs:label ?label .
  OPTIONAL { ?m skos:altLabel ?alias }
}"""


def resolve_material(kg: KnowledgeGraph, text: str) -> str:
    """The record id of the material whose id, formula, label or alias is ``text`` (QueryError if none or ambiguous)."""
    hits = set()
    for r in kg.query(_MATERIALS):
        if text in (r["id"], r["formula"], r["label"], r["alias"]):
            hits.add(r["id"])
    if not hits:
        raise QueryError(f"no material with id, formula or name '{text}'")
    if len(hits) > 1:
        raise QueryError(f"'{text}' matches several materials: {', '.join(sorted(hits))}")
    return hits.pop()


def lineage_tree(kg: KnowledgeGraph, material_id: str) -> dict:
    """The derivation tree around a material: its ancestors up to the roots and all descendants.

    Returns ``{"roots": [...], "focus": id}``, each node ``{"id", "label", "via", "children"}``.
    """
    g = kg.to_networkx("lineage")
    node = f"https://w3id.org/nakg/resource/material/{material_id}"
    if node not in g:
        return {"focus": material_id, "roots": [{"id": material_id, "label": material_id, "via": "", "children": []}]}
    import networkx as nx

    ancestors = nx.ancestors(g, node)
    roots = [n for n in ancestors | {node} if not any(p in ancestors for p in g.predecessors(n))] or [node]

    def build(n: str, via: str, seen: frozenset) -> dict:
        kids = []
        for child in sorted(set(g.successors(n))):
            if child in seen:
                continue
            labels = sorted({d.get("label", "") for d in g.get_edge_data(n, child).values()})
            kids.append(build(child, "; ".join(labels), seen | {child}))
        return {"id": n.rsplit("/", 1)[-1], "label": g.nodes[n].get("label", n), "via": via, "children": kids}

    return {"focus": material_id, "roots": [build(r, "", frozenset({r})) for r in sorted(roots)]}


def render_tree(tree: dict) -> str:
    """Text rendering of :func:`lineage_tree` with the focus material marked ``*``."""
    lines: list[str] = []

    def walk(node: dict, prefix: str, last: bool, top: bool) -> None:
        mark = " *" if node["id"] == tree["focus"] else ""
        via = f"  [{node['via']}]" if node["via"] else ""
        lines.append(("" if top else prefix + ("└── " if last else "├── ")) + f"{node['label']} ({node['id']}){mark}{via}")
        kids = node["children"]
        for i, child in enumerate(kids):
            walk(child, "" if top else prefix + ("    " if last else "│   "), i == len(kids) - 1, False)

    for root in tree["roots"]:
        walk(root, "", True, True)
    return "\n".join(lines)


def strategy_graph(outcomes: list[DopingOutcome]) -> nx.DiGraph:
    """Strategies (dopant, site, valence, mechanism) → dopings → products → superionic outcome."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_node(SUPERIONIC, kind="outcome", label="superionic (≥ 1 mS/cm at r.t.)")
    for o in outcomes:
        d = f"doping:{o.strategy_id}"
        g.add_node(d, kind=o.kind, label=o.strategy_id)
        g.add_node(f"host:{o.host_id}", kind="host", label=o.host)
        g.add_edge(f"host:{o.host_id}", d)
        product = f"material:{o.product_id}"
        g.add_node(product, kind="material", label=o.product)
        g.add_edge(d, product)
        for dim, keys in (("dopant", o.dopants), ("site", o.sites), ("mechanism", o.mechanisms),
                          ("valence", [o.valence] if o.valence else [])):
            for k in keys:
                g.add_node(f"{dim}:{k}", kind=dim, label=k)
                g.add_edge(f"{dim}:{k}", d)
        if o.superionic:
            g.add_edge(product, SUPERIONIC, derived=o.product_rt_derived)
    return g


def paths_to_superionic(outcomes: list[DopingOutcome], source: str) -> list[list[str]]:
    """All shortest paths from a strategy node (e.g. ``dopant:Ca``) to the superionic outcome."""
    import networkx as nx

    g = strategy_graph(outcomes)
    if source not in g:
        raise QueryError(f"unknown strategy '{source}' (e.g. dopant:Ca, mechanism:vacancy_creation, host:na3ps4)")
    try:
        return [list(p) for p in nx.all_shortest_paths(g, source, SUPERIONIC)]
    except nx.NetworkXNoPath:
        return []


def centrality(outcomes: list[DopingOutcome], top: int = 10) -> dict[str, list[tuple[str, float]]]:
    """Betweenness centrality of strategies and hosts in the (undirected) strategy graph."""
    import networkx as nx

    g = strategy_graph(outcomes).to_undirected()
    bc = nx.betweenness_centrality(g, normalized=True)
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for n, v in bc.items():
        kind = g.nodes[n].get("kind")
        if kind in ("dopant", "site", "mechanism", "valence", "host"):
            out[kind].append((n.split(":", 1)[1], round(v, 4)))
    return {k: sorted(v, key=lambda kv: (-kv[1], kv[0]))[:top] for k, v in out.items()}


@dataclass
class Suggestion:
    """A hypothesis: try ``dopant`` in the host, because it raised conductivity in similar hosts."""

    dopant: str
    score: float
    supporting: list[str] = field(default_factory=list)  # doping ids
    similar_hosts: list[str] = field(default_factory=list)

    def explain(self) -> str:
        return (f"{self.dopant}: raised conductivity in {', '.join(self.similar_hosts)} "
                f"(dopings {', '.join(self.supporting)}); Adamic–Adar score {self.score:.3f}")


_ELEMENTS = """
SELECT ?id ?el ?family WHERE {
  ?m a nakg:Material ; nakg:recordId ?id .
  OPTIONAL { ?m nakg:containsElement/nakg:symbol ?el }
  OPTIONAL { ?m nakg:belongsToFamily ?f . ?f nakg:recordKey ?family }
}"""


def _raised(o: DopingOutcome) -> bool:
    if o.log_enhancement is not None and not o.comparison.endswith("across works"):
        return o.log_enhancement > 0
    return o.stated_outcome == "increased"


def suggest(kg: KnowledgeGraph, material_id: str, top: int = 10) -> list[Suggestion]:
    """Dopants that raised conductivity in similar hosts but are not reported for this one (hypotheses)."""
    import networkx as nx

    outcomes = doping_outcomes(kg)
    features: dict[str, set[str]] = defaultdict(set)
    for r in kg.query(_ELEMENTS):
        if r["el"]:
            features[r["id"]].add(f"element:{r['el']}")
        if r["family"]:
            features[r["id"]].add(f"family:{r['family']}")
    hosts = {o.host_id for o in outcomes} | {material_id}
    g = nx.Graph()
    for h in hosts:
        g.add_node(f"host:{h}")
        for f in features.get(h, ()):  # shared elements and family make hosts similar
            g.add_edge(f"host:{h}", f)
    tried: dict[str, set[str]] = defaultdict(set)
    support: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in outcomes:
        for d in o.dopants:
            tried[o.host_id].add(d)
            if _raised(o):
                g.add_edge(f"host:{o.host_id}", f"dopant:{d}")
                support[(o.host_id, d)].append(o.strategy_id)
    me = f"host:{material_id}"
    others = [f"host:{h}" for h in hosts if h != material_id]
    if not others:
        return []
    aa = {v: s for _, v, s in nx.adamic_adar_index(g, [(me, o) for o in others])}
    scores: dict[str, Suggestion] = {}
    for (h, d), dopings in support.items():
        if (h == material_id or d in tried.get(material_id, set()) or f"element:{d}" in features.get(material_id, set())
                or aa.get(f"host:{h}", 0) <= 0):
            continue
        s = scores.setdefault(d, Suggestion(d, 0.0))
        s.score += aa[f"host:{h}"]
        s.supporting += dopings
        s.similar_hosts.append(h)
    result = sorted(scores.values(), key=lambda s: (-s.score, s.dopant))[:top]
    for s in result:
        s.supporting, s.similar_hosts = sorted(set(s.supporting)), sorted(set(s.similar_hosts))
    return result
