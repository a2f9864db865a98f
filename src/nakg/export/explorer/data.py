"""The data the explorer page embeds: a view's nodes (with positions and facts), edges and lineage.

:func:`explorer_data` returns a JSON-ready dict:

* ``meta``: view, counts, generator;
* ``groups``: the node-type groups the legend and type filter show, each with a colour;
* ``types``: every node type of the view (``name``, English ``label``, ``group`` index);
* ``families``: the electrolyte family labels; ``clusters``: the laid-out clusters;
* ``props`` / ``relations``: property names with their English labels (``secondary``
  marks the citation, section and element relations, drawn only on request);
* ``nodes``: ``{id, label, type, family, cluster, x, y, facts}``, where ``facts``
  are ``[property index, value as text]`` pairs — every literal of the node (value
  and temperature as written, curation notes …) and every vocabulary term it points
  to (unit as its symbol, family, qualifier … as their label);
* ``edges``: ``[source, target, relation]`` node and relation indices;
* ``lineage``: ``[parent, child, kind, label, outcome]`` from the ``lineage`` view
  (kind ``doping`` or ``derivation``), restricted to the view's nodes;
* ``search``: the resolver's answers for the search box (:mod:`.search`).

>>> import nakg
>>> d = explorer_data(nakg.load(), "cells")
>>> d["meta"]["nodes"] == len(d["nodes"]) and d["meta"]["edges"] == len(d["edges"])
True
>>> sorted(d["nodes"][0])
['cluster', 'facts', 'family', 'id', 'label', 'type', 'x', 'y']
"""

from __future__ import annotations

import datetime
import decimal
import re
from typing import TYPE_CHECKING, Any

from .layout import PROVENANCE, clusters, layout
from .search import search_index

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ...api import KnowledgeGraph

__all__ = ["explorer_data", "GROUPS", "SECONDARY", "property_label", "text_value"]

RES = "https://w3id.org/nakg/resource/"

#: Node-type groups: (name, colour, the nakg classes whose subclasses belong to it), first match wins.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Materials", "#4E79A7", ("Material",)),
    ("Measurements", "#F28E2B", ("Measurement",)),
    ("Dopings", "#E15759", ("Doping", "Substitution")),
    ("Cells", "#59A14F", ("Cell", "CyclingResult")),
    ("Syntheses", "#B07AA1", ("Synthesis", "SynthesisStep")),
    ("Structures", "#76B7B2", ("CrystalStructure", "PhaseTransition")),
    ("Interfaces", "#EDC948", ("InterfaceModification",)),
    ("Findings", "#FF9DA7", ("Finding",)),
    ("Challenges", "#9C755F", ("ChallengeStatement",)),
    ("Literature", "#8CD17D", ("Publication", "ReviewSection")),
    ("Chemistry", "#BAB0AC", ("ChemicalElement", "ChemicalSpecies", "CompositionComponent")),
    ("Other", "#79706E", ()),
)

#: Relations drawn only on request: provenance (citations, sections) and the element links of compositions.
SECONDARY = PROVENANCE | {"element", "containsElement"}

_FACTS = """
SELECT ?s ?p ?o ?olabel ?okey ?unit WHERE {
  ?s ?p ?o .
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/nakg/resource/"))
  FILTER(?p != rdf:type && ?p != rdfs:label)
  FILTER(isLiteral(?o) || !STRSTARTS(STR(?o), "https://w3id.org/nakg/resource/"))
  OPTIONAL { ?o rdfs:label ?olabel . FILTER(LANG(?olabel) = "en" || LANG(?olabel) = "") }
  OPTIONAL { ?o nakg:recordKey ?okey }
  OPTIONAL { ?o a ?unit . FILTER(?unit = nakg:Unit) }
}"""

_CLASSES = """
SELECT ?c ?label ?top WHERE {
  ?c a owl:Class . FILTER(STRSTARTS(STR(?c), "https://w3id.org/nakg/"))
  OPTIONAL { ?c rdfs:label ?label . FILTER(LANG(?label) = "en" || LANG(?label) = "") }
  OPTIONAL { ?c rdfs:subClassOf* ?top . FILTER(STRSTARTS(STR(?top), "https://w3id.org/nakg/")) }
}"""

_PROPERTIES = """
SELECT ?p ?label WHERE {
  ?p a ?kind ; rdfs:label ?label . VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  FILTER(LANG(?label) = "en" || LANG(?label) = "")
}"""

_FAMILY_ROOTS = """
SELECT ?label ?root WHERE {
  ?f a nakg:ElectrolyteFamily ; rdfs:label ?label ; nakg:subFamilyOf+ ?top .
  ?top rdfs:label ?root . FILTER NOT EXISTS { ?top nakg:subFamilyOf ?above }
}"""


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def property_label(name: str, labels: dict[str, str]) -> str:
    """The English label of a property local name: its ``rdfs:label``, else its camelCase split into words.

    >>> property_label("curationNote", {}), property_label("formula", {"formula": "chemical formula"})
    ('curation note', 'chemical formula')
    """
    if name in labels:
        return labels[name]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def text_value(value: Any) -> str:
    """A literal's Python value as the text the explorer shows.

    >>> text_value(0.00067), text_value(True), text_value(1e-05), text_value(2.0)
    ('0.00067', 'true', '1e-05', '2')
    >>> import datetime, decimal
    >>> text_value(decimal.Decimal("2")), text_value(datetime.date(2024, 5, 18))
    ('2', '2024-05-18')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _facts(kg: KnowledgeGraph, nodes: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Node → sorted, distinct (property local name, value as text) pairs."""
    found: dict[str, set[tuple[str, str]]] = {}
    for row in kg.query(_FACTS):
        s = row["s"]
        if s not in nodes:
            continue
        o = row["o"]
        if isinstance(o, str) and row["okey"] is None and row["olabel"] is None and o.startswith(("http://", "https://")):
            value = _local(o)  # a term without label or key: its local name
        elif row["unit"] is not None and row["okey"] is not None:
            value = str(row["okey"])  # units by their symbol (S/cm), as curators write them
        elif row["olabel"] is not None:
            value = str(row["olabel"])
        elif row["okey"] is not None:
            value = str(row["okey"])
        else:
            value = text_value(o)
        found.setdefault(s, set()).add((_local(row["p"]), value))
    return {s: sorted(pairs) for s, pairs in found.items()}


def _classes(kg: KnowledgeGraph) -> tuple[dict[str, str], dict[str, int]]:
    """Class local name → English label, and → index of its group in :data:`GROUPS`."""
    labels: dict[str, str] = {}
    supers: dict[str, set[str]] = {}
    for row in kg.query(_CLASSES):
        name = _local(row["c"])
        if row["label"] is not None:
            labels.setdefault(name, str(row["label"]))
        supers.setdefault(name, set())
        if row["top"] is not None:
            supers[name].add(_local(row["top"]))
    groups = {}
    for name, tops in supers.items():
        tops = tops | {name}
        groups[name] = next((i for i, (_, _, roots) in enumerate(GROUPS) if tops & set(roots)), len(GROUPS) - 1)
    return labels, groups


def _lineage_rows(kg: KnowledgeGraph, index: dict[str, int]) -> list[list[Any]]:
    from ...views import to_networkx

    rows = []
    for parent, child, data in to_networkx(kg, "lineage").edges(data=True):
        if parent in index and child in index:
            rows.append([index[parent], index[child], str(data.get("kind", "derivation")),
                         str(data.get("label", "")), str(data.get("outcome", ""))])
    return sorted(rows)


def explorer_data(kg: KnowledgeGraph, view: str = "whole", graph: nx.MultiDiGraph | None = None) -> dict[str, Any]:
    """The explorer's data for ``view`` of ``kg`` (see the module docstring).

    Args:
        kg: the knowledge graph.
        view: the view name (``whole``, ``lineage``, ``dopant-host``, ``cells``, ``family:<key>``).
        graph: the view already projected (default: ``kg.to_networkx(view)``).
    """
    from ...version import __version__
    from ...views import to_networkx
    from ..projection import relation

    graph = graph if graph is not None else to_networkx(kg, view)
    ids = sorted(graph.nodes, key=str)
    index = {n: i for i, n in enumerate(ids)}
    roots = {str(r["label"]): str(r["root"]) for r in kg.query(_FAMILY_ROOTS)}
    laid = layout(graph, clusters(graph, roots))
    class_labels, class_groups = _classes(kg)
    facts = _facts(kg, set(ids))

    type_names = sorted({str(graph.nodes[n].get("type", "Resource")) for n in ids})
    type_index = {t: i for i, t in enumerate(type_names)}
    families = sorted({str(graph.nodes[n]["family"]) for n in ids if graph.nodes[n].get("family")})
    family_index = {f: i for i, f in enumerate(families)}
    cluster_index = {c.name: i for i, c in enumerate(laid.clusters)}

    labels: dict[str, str] = {}
    for row in sorted(kg.query(_PROPERTIES), key=lambda r: (r["p"], str(r["label"]))):
        labels.setdefault(_local(row["p"]), str(row["label"]))
    rel = {(u, v, k): relation(k, d) for u, v, k, d in graph.edges(keys=True, data=True)}
    relation_names = sorted(set(rel.values()))
    relation_index = {r: i for i, r in enumerate(relation_names)}
    prop_names = sorted({p for pairs in facts.values() for p, _ in pairs})
    prop_index = {p: i for i, p in enumerate(prop_names)}

    nodes = []
    for n in ids:
        d = graph.nodes[n]
        x, y = laid.positions[n]
        nodes.append({
            "id": n,
            "label": str(d.get("label", _local(n))),
            "type": type_index[str(d.get("type", "Resource"))],
            "family": family_index.get(str(d.get("family", "")), -1),
            "cluster": cluster_index[laid.membership[n]],
            "x": x,
            "y": y,
            "facts": [[prop_index[p], v] for p, v in facts.get(n, [])],
        })
    edges = sorted([index[u], index[v], relation_index[r]] for (u, v, _), r in rel.items())
    return {
        "meta": {"view": view, "nodes": len(nodes), "edges": len(edges), "generator": f"nakg {__version__}"},
        "groups": [{"name": name, "color": color} for name, color, _ in GROUPS],
        "types": [{"name": t, "label": class_labels.get(t, t), "group": class_groups.get(t, len(GROUPS) - 1)}
                  for t in type_names],
        "families": families,
        "clusters": [{"name": c.name, "x": c.x, "y": c.y, "r": c.r, "size": c.size} for c in laid.clusters],
        "props": [{"name": p, "label": property_label(p, labels)} for p in prop_names],
        "relations": [{"name": r, "label": property_label(r, labels), "secondary": r in SECONDARY} for r in relation_names],
        "nodes": nodes,
        "edges": edges,
        "lineage": _lineage_rows(kg, index),
        "search": search_index(kg, index),
    }
