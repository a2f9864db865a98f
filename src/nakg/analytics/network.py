"""Graph algorithms over dopings (networkx): lineage trees, the strategy graph and its analyses
(mechanisms by family, dopant–site pairs across families, centrality, paths to superionic
products). Doping suggestions live in :mod:`nakg.analytics.suggest`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..errors import QueryError
from .outcomes import DopingOutcome

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..core import GraphCore as KnowledgeGraph

__all__ = ["resolve_material", "lineage_tree", "render_tree", "strategy_graph", "mechanisms_by_family",
           "recurring_dopant_sites", "paths_to_superionic", "centrality", "centrality_rows"]

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
    from ..views import to_networkx

    g = to_networkx(kg, "lineage")
    node = f"https://w3id.org/nakg/resource/material/{material_id}"
    if node not in g:
        return {"focus": material_id, "roots": [{"id": material_id, "label": material_id, "via": "", "children": []}]}
    import networkx as nx

    ancestors = nx.ancestors(g, node)
    roots = [n for n in ancestors | {node} if not any(p in ancestors for p in g.predecessors(n))] or [node]

    def node_of(n: str, via: str) -> dict:
        return {"id": n.rsplit("/", 1)[-1], "label": g.nodes[n].get("label", n), "via": via, "children": []}

    # built with an explicit stack, not recursion: a chain of thousands of derivations is a valid lineage
    tops = []
    for r in sorted(roots):
        top = node_of(r, "")
        tops.append(top)
        stack = [(r, top, frozenset({r}))]
        while stack:
            n, out, seen = stack.pop()
            for child in sorted(set(g.successors(n))):
                if child in seen:
                    continue
                labels = sorted({d.get("label", "") for d in g.get_edge_data(n, child).values()})
                kid = node_of(child, "; ".join(labels))
                out["children"].append(kid)
                stack.append((child, kid, seen | {child}))
    return {"focus": material_id, "roots": tops}


def render_tree(tree: dict) -> str:
    """Text rendering of :func:`lineage_tree` with the focus material marked ``*``."""
    lines: list[str] = []
    for root in tree["roots"]:
        stack = [(root, "", True, True)]
        while stack:
            node, prefix, last, top = stack.pop()
            mark = " *" if node["id"] == tree["focus"] else ""
            via = f"  [{node['via']}]" if node["via"] else ""
            lines.append(("" if top else prefix + ("└── " if last else "├── ")) + f"{node['label']} ({node['id']}){mark}{via}")
            kids = node["children"]
            inner = "" if top else prefix + ("    " if last else "│   ")
            stack.extend((child, inner, i == len(kids) - 1, False) for i, child in reversed(list(enumerate(kids))))
    return "\n".join(lines)


LAYERS = ("doping", "dopant", "site", "valence", "mechanism", "family", "outcome")
_NOT_STATED = "not stated"


def _chains(o: DopingOutcome) -> list[tuple[str, ...]]:
    """The strategy paths of one doping: (dopant, site, valence, mechanism, family, direction)."""
    subs = o.substitutions or [(d, "") for d in o.dopants] or [(_NOT_STATED, "")]
    if o.kind == "additive":
        subs = [(d, "additive") for d in o.dopants]
    valence = o.valence or ("additive" if o.kind == "additive" else _NOT_STATED)
    family = o.top_family or o.family or _NOT_STATED
    return [(dopant, site or _NOT_STATED, valence, mech, family, o.direction)
            for dopant, site in subs for mech in (o.mechanisms or [_NOT_STATED])]


def strategy_graph(outcomes: list[DopingOutcome]) -> nx.DiGraph:
    """The strategy graph: doping → dopant species → site → valence relation → mechanism → family → outcome.

    Node ids are ``layer:value`` (``dopant:Ca``, ``site:Na``, ``family:nasicon``,
    ``outcome:increased``); every edge carries the dopings behind it (``dopings``, ``;``-joined)
    and their number (``weight``). Doping nodes carry the tier, direction and log10 ratio of
    their outcome; products reaching ≥ 1 mS/cm at room temperature link to ``outcome:superionic``.

    >>> import nakg
    >>> from nakg.analytics.outcomes import doping_outcomes
    >>> g = strategy_graph(doping_outcomes(nakg.load()))
    >>> sorted({d["kind"] for _, d in g.nodes(data=True)})
    ['dopant', 'doping', 'family', 'mechanism', 'outcome', 'site', 'valence']
    """
    import networkx as nx

    g = nx.DiGraph()
    g.add_node(SUPERIONIC, kind="outcome", label="superionic (≥ 1 mS/cm at r.t.)")

    def edge(a: str, b: str, doping: str) -> None:
        if g.has_edge(a, b):
            ids = set(g.edges[a, b]["dopings"].split(";")) | {doping}
            g.edges[a, b].update(dopings=";".join(sorted(ids)), weight=len(ids))
        else:
            g.add_edge(a, b, dopings=doping, weight=1)

    for o in outcomes:
        d = f"doping:{o.strategy_id}"
        g.add_node(d, kind="doping", label=f"{'/'.join(o.dopants)} in {o.host} → {o.product}", tier=o.tier,
                   direction=o.direction, log10_ratio=o.log_enhancement if o.log_enhancement is not None else float("nan"),
                   ratio_qualifier=o.ratio_qualifier, host=o.host, product=o.product,
                   references=";".join(str(n) for n in o.references))
        for chain in _chains(o):
            prev = d
            for layer, value in zip(LAYERS[1:], chain):
                node = f"{layer}:{value}"
                if node not in g:
                    g.add_node(node, kind=layer, label=value)
                edge(prev, node, o.strategy_id)
                prev = node
        if o.superionic:
            g.add_edge(d, SUPERIONIC, dopings=o.strategy_id, weight=1, derived=o.product_rt_derived)
    return g


def _dopings_on(g, a: str, b: str) -> list[str]:
    return g.edges[a, b]["dopings"].split(";")


def mechanisms_by_family(outcomes: list[DopingOutcome], tiers: tuple[str, ...] | None = None) -> list[dict]:
    """Per family, the mechanisms of its dopings with their gains (log10 ratio at the admitted tiers).

    Read off the strategy graph's mechanism → family edges; sorted by family, then the
    largest median gain. Mechanisms without an admitted magnitude are listed with their
    direction tallies so that nothing is left out silently.
    """
    import statistics

    from .ranking import resolve_tiers

    admitted = resolve_tiers(tiers)
    by_id = {o.strategy_id: o for o in outcomes}
    g = strategy_graph(outcomes)
    rows = []
    for fam in (n for n, d in g.nodes(data=True) if d["kind"] == "family"):
        for mech in g.predecessors(fam):
            ids = _dopings_on(g, mech, fam)
            os_ = [by_id[i] for i in ids]
            gains = [o for o in os_ if o.tier in admitted and o.has_point_magnitude]
            logs = [o.log_enhancement for o in gains]
            best = max(gains, key=lambda o: o.log_enhancement) if gains else None
            rows.append({
                "family": fam.split(":", 1)[1], "mechanism": mech.split(":", 1)[1], "dopings": len(ids),
                "raised": sum(o.direction == "increased" for o in os_), "with_magnitude": len(gains),
                "median_log10_ratio": round(statistics.median(logs), 3) if logs else None,
                "max_log10_ratio": round(max(logs), 3) if logs else None,
                "best_example": f"{best.strategy_id} ({best.tier}, refs {';'.join(map(str, best.references))})" if best else "",
                "evidence": ";".join(sorted(ids)),
            })
    rows.sort(key=lambda r: (r["family"], r["median_log10_ratio"] is None, -(r["median_log10_ratio"] or 0),
                             -r["raised"], r["mechanism"]))
    return rows


def recurring_dopant_sites(outcomes: list[DopingOutcome], min_families: int = 2) -> list[dict]:
    """Dopant–site pairs (dopant → site edges of the strategy graph) whose dopings span several families.

    A row with ``site = "any"`` gathers a dopant over all its sites; ``"not stated"`` is a
    doping whose record names no replaced site.
    """
    by_id = {o.strategy_id: o for o in outcomes}
    g = strategy_graph(outcomes)
    rows = []

    def row(dopant: str, site: str, ids: set[str]) -> None:
        fams = sorted({by_id[i].top_family or by_id[i].family for i in ids})
        if len(fams) >= min_families:
            rows.append({"dopant": dopant, "site": site, "families": ";".join(fams), "n_families": len(fams),
                         "dopings": len(ids), "raised": sum(by_id[i].direction == "increased" for i in ids),
                         "evidence": ";".join(sorted(ids))})

    for a in (n for n, d in g.nodes(data=True) if d["kind"] == "dopant"):
        every: set[str] = set()
        sites = list(g.successors(a))
        for b in sites:
            ids = set(_dopings_on(g, a, b))
            every |= ids
            row(a.split(":", 1)[1], b.split(":", 1)[1], ids)
        if len(sites) > 1:
            row(a.split(":", 1)[1], "any", every)
    return sorted(rows, key=lambda r: (-r["n_families"], -r["dopings"], r["dopant"], r["site"]))


def centrality(outcomes: list[DopingOutcome], top: int = 10) -> dict[str, list[tuple[str, float]]]:
    """Betweenness centrality of the strategy nodes (dopant, site, valence, mechanism, family) in the
    undirected strategy graph: the strategies that connect the most dopings to outcomes."""
    import networkx as nx

    g = strategy_graph(outcomes).to_undirected()
    bc = nx.betweenness_centrality(g, normalized=True)
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for n, v in bc.items():
        kind = g.nodes[n].get("kind")
        if kind in ("dopant", "site", "valence", "mechanism", "family") and not n.endswith(f":{_NOT_STATED}"):
            out[kind].append((n.split(":", 1)[1], round(v, 4)))
    return {k: sorted(v, key=lambda kv: (-kv[1], kv[0]))[:top] for k, v in out.items()}


def centrality_rows(outcomes: list[DopingOutcome], top: int = 10) -> list[dict]:
    """:func:`centrality` as flat rows (dimension, strategy, betweenness)."""
    return [{"dimension": k, "strategy": name, "betweenness": v}
            for k, items in sorted(centrality(outcomes, top).items()) for name, v in items]


def paths_to_superionic(outcomes: list[DopingOutcome], source: str) -> list[list[str]]:
    """All shortest paths (in the undirected strategy graph) from a strategy node (e.g. ``dopant:Ca``) to the
    superionic outcome."""
    import networkx as nx

    g = strategy_graph(outcomes)
    if source not in g:
        raise QueryError(f"unknown strategy '{source}' (e.g. dopant:Ca, mechanism:vacancy_creation, family:sulfide)")
    try:
        return [list(p) for p in nx.all_shortest_paths(g.to_undirected(), source, SUPERIONIC)]
    except nx.NetworkXNoPath:
        return []
