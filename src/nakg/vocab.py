"""Controlled vocabularies, read from the ontology (the single source of truth).

Every controlled term in ``ontology/nakg.ttl`` carries ``nakg:recordKey``, the
word curators write in records. Adding a term to the ontology makes it usable in
records without touching Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .rdf.namespaces import NAKG

__all__ = ["Vocabulary", "MeasurementKind", "UnitDef", "vocabulary", "ontology_graph"]


@dataclass(frozen=True)
class UnitDef:
    """A unit curators may write: its key, IRI and pint expression (empty: not convertible)."""

    key: str
    iri: URIRef
    pint: str


@dataclass(frozen=True)
class MeasurementKind:
    """A measurement class: its record key, IRI, allowed units and canonical unit."""

    key: str
    iri: URIRef
    allowed_units: tuple[str, ...]
    canonical_unit: str | None


@dataclass
class Vocabulary:
    """Record key → IRI maps for each controlled vocabulary (scheme = class local name)."""

    schemes: dict[str, dict[str, URIRef]] = field(default_factory=dict)
    measurements: dict[str, MeasurementKind] = field(default_factory=dict)
    units: dict[str, UnitDef] = field(default_factory=dict)
    labels: dict[URIRef, str] = field(default_factory=dict)

    def keys(self, scheme: str) -> list[str]:
        """The record keys of a scheme, sorted.

        >>> "nasicon" in vocabulary().keys("ElectrolyteFamily")
        True
        """
        return sorted(self.schemes.get(scheme, {}))

    def iri(self, scheme: str, key: str) -> URIRef:
        """The IRI of ``key`` in ``scheme`` (KeyError if unknown)."""
        return self.schemes[scheme][key]


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("/", 1)[-1]


def build_vocabulary(graph: Graph) -> Vocabulary:
    """Collect the controlled terms, measurement kinds and units of an ontology graph."""
    vocab = Vocabulary()
    unit_iris = {}
    for s, key in graph.subject_objects(NAKG.recordKey):
        s = URIRef(s)
        if (s, RDF.type, NAKG.Unit) in graph:
            pint_expr = graph.value(s, NAKG.pintExpression)
            vocab.units[str(key)] = UnitDef(str(key), s, str(pint_expr) if pint_expr else "")
            unit_iris[s] = str(key)
    for s, key in graph.subject_objects(NAKG.recordKey):
        s = URIRef(s)
        if (s, RDF.type, OWL.Class) in graph:
            allowed = tuple(sorted(unit_iris[u] for u in graph.objects(s, NAKG.allowedUnit)))
            canon = graph.value(s, NAKG.canonicalUnit)
            vocab.measurements[str(key)] = MeasurementKind(str(key), s, allowed, unit_iris.get(canon) if canon else None)
        else:
            for cls in graph.objects(s, RDF.type):
                if cls != OWL.NamedIndividual and (cls, RDFS.subClassOf, NAKG.ControlledTerm) in graph:
                    vocab.schemes.setdefault(_local(cls), {})[str(key)] = s
    for s, label in graph.subject_objects(RDFS.label):
        vocab.labels[URIRef(s)] = str(label)
    return vocab


@cache
def ontology_graph(path: Path | None = None) -> Graph:
    """The shipped ontology as an rdflib graph (parsed once; do not modify it)."""
    from .resources import ontology_path

    graph = Graph()
    graph.parse(path or ontology_path(), format="turtle")
    return graph


@cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The vocabulary of the shipped ontology (cached)."""
    return build_vocabulary(ontology_graph(path))
