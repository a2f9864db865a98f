"""Named graphs and inputs of the reasoning stage.

Asserted, derived and inferred triples are kept apart, each in its own named
graph, so a consumer can always tell a curated fact from a computed one:

* asserted — the ontology and the curated data (what the records say);
* derived — values nakg computes with SPARQL CONSTRUCT (:mod:`nakg.reason.derive`),
  e.g. a material's room-temperature ionic conductivity;
* inferred — what the reasoner entails beyond asserted + derived.

>>> str(INFERRED_GRAPH)
'https://w3id.org/nakg/resource/graph/inferred'
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

__all__ = ["DERIVED_GRAPH", "INFERRED_GRAPH", "ONTOLOGY", "DEFINED_ONTOLOGY", "defined_ontology_path", "prepare", "copy_graph"]

#: Named graph of the values computed by :func:`nakg.reason.derive.derive`.
DERIVED_GRAPH = URIRef("https://w3id.org/nakg/resource/graph/derived")
#: Named graph of the triples a reasoner entails beyond the asserted and derived ones.
INFERRED_GRAPH = URIRef("https://w3id.org/nakg/resource/graph/inferred")
#: The asserted ontology (ontology/nakg.ttl).
ONTOLOGY = URIRef("https://w3id.org/nakg/ontology")
#: The defined-class layer (ontology/nakg-defined.ttl).
DEFINED_ONTOLOGY = URIRef("https://w3id.org/nakg/ontology/defined")


def defined_ontology_path() -> Path:
    """The Turtle file of defined classes, property chains and disjointness axioms.

    >>> defined_ontology_path().name
    'nakg-defined.ttl'
    """
    from ..resources import data_dir

    return data_dir("ontology") / "nakg-defined.ttl"


def copy_graph(source) -> Graph:
    """An in-memory rdflib copy of ``source`` (any rdflib graph, whatever its store)."""
    g = Graph()
    for triple in source:
        g.add(triple)
    return g


def prepare(kg_or_graph=None, with_ontology: bool = True) -> Graph:
    """The asserted input of the reasoner as an in-memory graph.

    ``kg_or_graph`` is a :class:`~nakg.api.KnowledgeGraph`, an rdflib graph, or
    None for the shipped records compiled in memory. With ``with_ontology``,
    ``ontology/nakg.ttl`` and ``ontology/nakg-defined.ttl`` are added unless the
    graph already declares them.

    >>> g = prepare(Graph())
    >>> (DEFINED_ONTOLOGY, RDF.type, OWL.Ontology) in g and (ONTOLOGY, RDF.type, OWL.Ontology) in g
    True
    """
    if kg_or_graph is None:
        from ..build import compile_records

        _, graph, _ = compile_records()
    elif isinstance(kg_or_graph, Graph):
        graph = copy_graph(kg_or_graph)
    elif hasattr(kg_or_graph, "graph"):
        graph = copy_graph(kg_or_graph.graph)
    else:
        raise TypeError(f"expected a KnowledgeGraph or an rdflib Graph, got {type(kg_or_graph).__name__}")
    if with_ontology:
        from ..vocab import ontology_graph

        if (ONTOLOGY, RDF.type, OWL.Ontology) not in graph:  # parsed once per process (compiling records parses it too)
            ontology = ontology_graph()
            graph.addN((s, p, o, graph) for s, p, o in ontology)
        if (DEFINED_ONTOLOGY, RDF.type, OWL.Ontology) not in graph:
            graph.parse(defined_ontology_path(), format="turtle")
    return graph
