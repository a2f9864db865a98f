"""Summary statistics of a graph: counts per class, per family and per property."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

__all__ = ["GraphStats", "graph_stats"]

_NAKG = "https://w3id.org/nakg/"

_CLASSES = """
PREFIX nakg: <https://w3id.org/nakg/>
SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?cls . FILTER(STRSTARTS(STR(?cls), STR(nakg:)))
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/nakg/resource/"))
} GROUP BY ?cls"""

_FAMILIES = """
PREFIX nakg: <https://w3id.org/nakg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m nakg:belongsToFamily ?f . ?f rdfs:label ?label .
} GROUP BY ?label"""

_PROPERTIES = """
SELECT ?p (COUNT(*) AS ?n) WHERE {
  ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "https://w3id.org/nakg/resource/"))
} GROUP BY ?p"""


@dataclass
class GraphStats:
    """Counts of a data graph, each sorted by name."""

    triples: int
    classes: dict[str, int] = field(default_factory=dict)
    families: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"triples": self.triples, "classes": self.classes, "families": self.families, "properties": self.properties}

    def text(self, top: int | None = None) -> str:
        out = [f"triples: {self.triples}", "", "instances per class:"]
        out += [f"  {k:<32} {v:>6}" for k, v in self.classes.items()]
        out += ["", "materials per family:"]
        out += [f"  {k:<32} {v:>6}" for k, v in self.families.items()]
        props = list(self.properties.items())[:top] if top else self.properties.items()
        out += ["", "triples per property:"]
        out += [f"  {k:<32} {v:>6}" for k, v in props]
        return "\n".join(out)


def _short(iri: str) -> str:
    for prefix, ns in (("", _NAKG), ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
                       ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"), ("skos:", "http://www.w3.org/2004/02/skos/core#"),
                       ("owl:", "http://www.w3.org/2002/07/owl#")):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


def graph_stats(graph: Graph) -> GraphStats:
    """Count instances per nakg class, materials per family and triples per property.

    ``graph`` must contain the data; family labels come from the ontology when it is
    loaded into the same graph.
    """
    classes = {_short(str(r[0])): int(r[1]) for r in graph.query(_CLASSES)}
    families = {str(r[0]): int(r[1]) for r in graph.query(_FAMILIES)}
    props = {_short(str(r[0])): int(r[1]) for r in graph.query(_PROPERTIES)}
    data_triples = sum(props.values())
    return GraphStats(
        triples=data_triples,
        classes=dict(sorted(classes.items())),
        families=dict(sorted(families.items())),
        properties=dict(sorted(props.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
