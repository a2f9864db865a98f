"""networkx projections of the knowledge graph ("views"), used by analytics and exports.

Every node has a string id (its IRI), a human-readable ``label`` and a ``type``
(the local name of its most specific nakg class); materials also carry
``family`` and ``formula``, measurements ``value``/``unit``/``temperature_K``.
Attribute values are scalars (str, int, float, bool) — never None or lists — so
that GraphML/GEXF readers accept them.

>>> import nakg
>>> g = to_networkx(nakg.load(), "lineage")
>>> g.nodes["https://w3id.org/nakg/resource/material/na3zr2si2po12"]["label"]
'Na3Zr2Si2PO12'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .core import GraphCore as KnowledgeGraph

__all__ = ["VIEWS", "to_networkx"]

NAKG = "https://w3id.org/nakg/"
RES = NAKG + "resource/"

_NODES = """
SELECT ?s ?label ?type ?family ?formula ?value ?unit ?tk WHERE {
  ?s a ?type . FILTER(STRSTARTS(STR(?s), "https://w3id.org/nakg/resource/"))
  FILTER(STRSTARTS(STR(?type), "https://w3id.org/nakg/"))
  FILTER NOT EXISTS { ?s a ?sub . ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?type .
                      FILTER(?sub != ?type && STRSTARTS(STR(?sub), "https://w3id.org/nakg/")) }
  OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }
  OPTIONAL { ?s nakg:belongsToFamily/<http://www.w3.org/2000/01/rdf-schema#label> ?family }
  OPTIONAL { ?s nakg:formula ?formula }
  OPTIONAL { ?s nakg:canonicalValue ?value }
  OPTIONAL { ?s nakg:canonicalUnitOf/nakg:recordKey ?unit }
  OPTIONAL { ?s nakg:temperatureK ?tk }
}"""

_EDGES = """
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/nakg/resource/") && STRSTARTS(STR(?o), "https://w3id.org/nakg/resource/"))
  FILTER(?p != nakg:hasMeasurement)
}"""

_LINEAGE = """
SELECT ?child ?parent ?doping ?dlabel ?outcome WHERE {
  { ?child nakg:derivedFrom ?parent . OPTIONAL { ?doping nakg:hasHost ?parent ; nakg:hasProduct ?child ; rdfs:label ?dlabel ;
                                                     nakg:outcome/nakg:recordKey ?outcome } }
  UNION
  { ?doping nakg:hasHost ?parent ; nakg:hasProduct ?child ; rdfs:label ?dlabel . OPTIONAL { ?doping nakg:outcome/nakg:recordKey ?outcome } }
}"""

_DOPANT_HOST = """
SELECT ?species ?slabel ?host ?doping ?site ?outcome ?valence WHERE {
  ?doping a nakg:Doping ; nakg:hasHost ?host ; nakg:hasSubstitution ?sub ; nakg:outcome/nakg:recordKey ?outcome ;
          nakg:valenceType/nakg:recordKey ?valence .
  ?sub nakg:dopant ?species . ?species rdfs:label ?slabel .
  OPTIONAL { ?sub nakg:replacedSite ?site }
}"""

_CELLS = """
SELECT ?cell ?p ?o WHERE {
  ?cell a nakg:Cell ; ?p ?o .
  VALUES ?p { nakg:hasCathode nakg:hasAnode nakg:hasElectrolyte nakg:hasCellComponent nakg:hasModification }
}"""


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _add_nodes(kg: KnowledgeGraph, g: nx.MultiDiGraph, only: set[str] | None = None) -> None:
    for row in kg.query(_NODES):
        s = row["s"]
        if only is not None and s not in only:
            continue
        attrs = g.nodes[s] if s in g else {}
        attrs.setdefault("label", row["label"] or _local(s))
        kind = _local(row["type"])
        # several most-specific classes (e.g. SolidElectrolyte and CathodeMaterial): keep a stable one
        attrs["type"] = min(attrs.get("type", kind), kind) if "type" in attrs else kind
        for key, col in (("family", "family"), ("formula", "formula"), ("unit", "unit")):
            if row[col] is not None:
                attrs[key] = str(row[col])
        if row["value"] is not None:
            attrs["value"] = float(row["value"])
        if row["tk"] is not None:
            attrs["temperature_K"] = float(row["tk"])
        g.add_node(s, **attrs)


def _whole(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph(name="nakg")
    _add_nodes(kg, g)
    for row in kg.query(_EDGES):
        if row["s"] in g and row["o"] in g:
            g.add_edge(row["s"], row["o"], key=_local(row["p"]), label=_local(row["p"]))
    return g


def _lineage(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph(name="nakg-lineage")
    edges = kg.query(_LINEAGE)
    nodes = {r["child"] for r in edges} | {r["parent"] for r in edges}
    _add_nodes(kg, g, nodes)
    seen = set()
    for r in edges:
        key = (r["parent"], r["child"], r["doping"])
        if key in seen or (r["doping"] is None and (r["parent"], r["child"]) in {(a, b) for a, b, _ in seen}):
            continue
        seen.add(key)
        attrs = {"label": r["dlabel"] or "parent of", "kind": "doping" if r["doping"] else "derivation"}
        if r["doping"]:
            attrs["doping"] = r["doping"]
        if r["outcome"]:
            attrs["outcome"] = r["outcome"]
        g.add_edge(r["parent"], r["child"], key=r["doping"] or "derivedFrom", **attrs)
    return g


def _dopant_host(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph(name="nakg-dopant-host")
    rows = kg.query(_DOPANT_HOST)
    _add_nodes(kg, g, {r["host"] for r in rows} | {r["species"] for r in rows})
    for r in rows:
        g.nodes[r["species"]]["bipartite"] = 0
        g.nodes[r["host"]]["bipartite"] = 1
        attrs = {"label": f"{r['slabel']} → {g.nodes[r['host']]['label']}", "doping": r["doping"],
                 "outcome": r["outcome"], "valence": r["valence"]}
        if r["site"]:
            attrs["site"] = r["site"]
        g.add_edge(r["species"], r["host"], key=f"{r['doping']}#{r['site'] or ''}", **attrs)
    return g


def _cells(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph(name="nakg-cells")
    rows = kg.query(_CELLS)
    _add_nodes(kg, g, {r["cell"] for r in rows} | {r["o"] for r in rows})
    for r in rows:
        g.add_edge(r["cell"], r["o"], key=_local(r["p"]), label=_local(r["p"]))
    return g


def _family(kg: KnowledgeGraph, family: str) -> nx.MultiDiGraph:
    from . import resolve

    top = resolve.family(family)  # key, label or IRI; UnknownValue (a ValueError) names the closest families
    keys = resolve.family_keys(top.key)
    labels = {f.label for f in resolve.families() if f.key in keys}  # the family and its subfamilies
    whole = _whole(kg)
    core = {n for n, d in whole.nodes(data=True) if d.get("family") in labels}
    family = top.key
    keep = set(core)
    for n in core:
        keep.update(whole.predecessors(n))
        keep.update(whole.successors(n))
    sub = whole.subgraph(keep).copy()
    sub.graph["name"] = f"nakg-{family}"
    return sub


VIEWS = {
    "whole": _whole,
    "lineage": _lineage,
    "dopant-host": _dopant_host,
    "cells": _cells,
}


def to_networkx(kg: KnowledgeGraph, view: str = "whole") -> nx.MultiDiGraph:
    """Project the graph to networkx: ``whole``, ``lineage``, ``dopant-host``, ``cells`` or ``family:<family>``.

    ``family:`` takes a family's key, label or IRI (:func:`nakg.resolve.family`); its
    materials and those of its subfamilies are the view's core, with their neighbours.
    """
    if view.startswith("family:"):
        return _family(kg, view.split(":", 1)[1])
    try:
        return VIEWS[view](kg)
    except KeyError:
        raise ValueError(f"unknown view '{view}' (known: {', '.join(VIEWS)}, family:<key>)") from None
