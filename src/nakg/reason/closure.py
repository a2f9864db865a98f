"""From a reasoner's answer to triples: the entailed closure, filtered to what matters.

Both reasoners are reduced to the same kinds of entailments so their results
compare: ``rdf:type`` of named individuals to named classes, ``rdfs:subClassOf``
and ``owl:equivalentClass`` between named classes, ``rdfs:subPropertyOf``
between named properties, and object property assertions between named
individuals. The *inferred* triples are this closure minus everything asserted
(or derived) already.

>>> from rdflib import Graph, URIRef
>>> from rdflib.namespace import RDF, RDFS, OWL
>>> a, b, x = URIRef("urn:A"), URIRef("urn:B"), URIRef("urn:x")
>>> asserted = Graph()
>>> for t in [(a, RDF.type, OWL.Class), (b, RDF.type, OWL.Class), (a, RDFS.subClassOf, b), (x, RDF.type, a)]:
...     _ = asserted.add(t)
>>> closure = Graph()
>>> _ = closure.add((x, RDF.type, a)); _ = closure.add((x, RDF.type, b))
>>> [str(o) for _, _, o in inferred_only(closure, asserted)]
['urn:B']
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .hermit import HermitOutput

__all__ = ["hermit_closure", "property_closure", "filter_entailments", "inferred_only", "class_members", "defined_classes"]

_SKIP = {OWL.Thing, OWL.Nothing, OWL.topObjectProperty, OWL.bottomObjectProperty, OWL.topDataProperty,
         OWL.bottomDataProperty, OWL.NamedIndividual, RDFS.Resource, RDFS.Class, OWL.Class}


def _ancestors(parents: dict) -> dict:
    """Every node reachable upwards from each node (cycles, e.g. equivalences, allowed; the node itself excluded
    unless it lies on a cycle)."""
    out = {}
    for node in list(parents):
        seen: set = set()
        stack = list(parents.get(node, ()))
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(parents.get(n, ()))
        out[node] = seen
    return out


def _property_supers(outputs: list[HermitOutput]) -> dict[tuple[str, bool], set[tuple[str, bool]]]:
    """For each property expression (iri, inverse?), every expression it implies (itself included)."""
    edges: dict[tuple[str, bool], set[tuple[str, bool]]] = defaultdict(set)

    def link(a, b):
        edges[a].add(b)
        edges[(a[0], not a[1])].add((b[0], not b[1]))

    for out in outputs:
        for sub, sup in out.subproperty:
            link(sub, sup)
        for group in out.equivalent_properties:
            for a in group:
                for b in group:
                    if a != b:
                        link(a, b)
    supers = _ancestors(edges)
    return defaultdict(set, {k: v | {k} for k, v in supers.items()})


def property_closure(graph: Graph, outputs: list[HermitOutput]) -> list[tuple[str, str, str]]:
    """Object property values entailed by the asserted ones under HermiT's property hierarchy.

    The asserted (and derived) object property assertions of ``graph`` are
    closed under the sub-/equivalent-/inverse-property hierarchy HermiT computed
    (``outputs``) and the graph's transitive and symmetric properties and
    property chains. For an ontology like nakg's — no nominals or cardinalities
    that entail property values — this equals HermiT's own ``-Y`` answer and is
    several seconds faster; :func:`nakg.reason.reason` can still ask HermiT
    (``exact_properties=True``).
    """
    from rdflib.collection import Collection

    objprops = {str(p) for p in graph.subjects(RDF.type, OWL.ObjectProperty)}
    supers = _property_supers(outputs)
    transitive = {str(p) for p in graph.subjects(RDF.type, OWL.TransitiveProperty)}
    symmetric = {str(p) for p in graph.subjects(RDF.type, OWL.SymmetricProperty)}
    chains = []
    for sup, lst in graph.subject_objects(OWL.propertyChainAxiom):
        steps = [str(x) for x in Collection(graph, lst)]
        if steps and all(isinstance(x, URIRef) for x in Collection(graph, lst)):
            chains.append((str(sup), steps))
    facts: set[tuple[str, str, str]] = set()
    by_prop: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    todo = [(str(s), str(p), str(o)) for s, p, o in graph
            if str(p) in objprops and isinstance(s, URIRef) and isinstance(o, URIRef)]

    def add(s: str, p: str, o: str) -> None:
        if (s, p, o) not in facts:
            facts.add((s, p, o))
            by_prop[p][s].add(o)
            todo.append((s, p, o))

    while todo:
        batch, todo = todo, []
        for s, p, o in batch:
            add(s, p, o)
        for s, p, o in batch:
            for up, inverse in supers.get((p, False), {(p, False)}):
                add(o, up, s) if inverse else add(s, up, o)
            if p in symmetric:
                add(o, p, s)
            if p in transitive:
                for x in list(by_prop[p].get(o, ())):
                    add(s, p, x)
                for x, ys in list(by_prop[p].items()):
                    if s in ys:
                        add(x, p, o)
        for sup, steps in chains:
            frontier = {(a, a) for a in list(by_prop[steps[0]])}
            for step in steps:
                frontier = {(start, b) for start, a in frontier for b in by_prop[step].get(a, ())}
            for start, end in frontier:
                if (start, sup, end) not in facts:
                    todo.append((start, sup, end))
    return sorted(facts)


def hermit_closure(full: HermitOutput, tbox: HermitOutput | None = None, graph: Graph | None = None) -> Graph:
    """The entailed triples HermiT reports, closed upwards over its class and property hierarchies.

    ``full`` is HermiT's answer on ontology + data (classes, types and, with
    ``-Y``, property values); ``tbox`` its answer on the ontology alone
    (property hierarchies, much cheaper to compute without the individuals).
    When ``full`` has no property values, those of :func:`property_closure`
    over ``graph`` are used.
    """
    outputs = [o for o in (full, tbox) if o is not None]
    parents: dict[str, set[str]] = defaultdict(set)
    for out in outputs:
        for sub, sup in out.subclass:
            parents[sub].add(sup)
        for group in out.equivalent_classes:
            for a in group:
                parents[a].update(x for x in group if x != a)
    ancestors = _ancestors(parents)
    g: set = set()  # the triples, made a graph once by filter_entailments
    for cls, ups in ancestors.items():
        for up in ups:
            if up != cls:
                g.add((URIRef(cls), RDFS.subClassOf, URIRef(up)))
    for out in outputs:
        for group in out.equivalent_classes:
            for a in group:
                for b in group:
                    if a != b:
                        g.add((URIRef(a), OWL.equivalentClass, URIRef(b)))
    for ind, cls in full.types:
        g.add((URIRef(ind), RDF.type, URIRef(cls)))
        for up in ancestors.get(cls, ()):
            g.add((URIRef(ind), RDF.type, URIRef(up)))
    supers = _property_supers(outputs)
    for (prop, inverse), ups in supers.items():
        if inverse:
            continue
        for up, up_inverse in ups:
            if not up_inverse and up != prop:
                g.add((URIRef(prop), RDFS.subPropertyOf, URIRef(up)))
    values = full.property_values
    if not values and graph is not None:
        values = property_closure(graph, outputs)
    for a, prop, b in values:
        for up, inverse in supers.get((prop, False), {(prop, False)}):
            s, o = (b, a) if inverse else (a, b)
            g.add((URIRef(s), URIRef(up), URIRef(o)))
    return filter_entailments(g)


def filter_entailments(closure, vocabulary: Graph | None = None) -> Graph:
    """Keep the entailments both reasoners report (see the module docstring), as a graph.

    ``closure`` is a graph or any collection of triples.

    With ``vocabulary`` (the ontology), class and property triples must use
    classes and properties declared there: this trims the RDF/OWL bookkeeping an
    RL engine adds (``x rdf:type rdfs:Resource``, ``p rdf:type rdf:Property`` …).
    """
    classes = objprops = props = None
    if vocabulary is not None:
        classes = set(vocabulary.subjects(RDF.type, OWL.Class))
        objprops = set(vocabulary.subjects(RDF.type, OWL.ObjectProperty))
        props = objprops | set(vocabulary.subjects(RDF.type, OWL.DatatypeProperty))
    out = Graph()
    for s, p, o in closure:
        if not isinstance(s, URIRef) or not isinstance(o, URIRef) or s == o or s in _SKIP or o in _SKIP:
            continue
        if p == RDF.type:
            if classes is not None and o not in classes:
                continue
        elif p in (RDFS.subClassOf, OWL.equivalentClass):
            if classes is not None and (s not in classes or o not in classes):
                continue
        elif p in (RDFS.subPropertyOf, OWL.equivalentProperty):
            if props is not None and (s not in props or o not in props):
                continue
        elif objprops is not None and p not in objprops:
            continue
        elif objprops is None and str(p).startswith(("http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                                                     "http://www.w3.org/2000/01/rdf-schema#")):
            continue
        out.add((s, p, o))
    return out


def inferred_only(closure: Graph, *known: Graph) -> Graph:
    """The triples of ``closure`` found in none of the ``known`` graphs."""
    out = Graph()
    out.bind("nakg", "https://w3id.org/nakg/")
    for t in closure:
        if not any(t in k for k in known):
            out.add(t)
    return out


def defined_classes(graph: Graph) -> list[URIRef]:
    """Named classes defined by an ``owl:equivalentClass`` to a class expression, sorted.

    >>> from nakg.reason.graphs import defined_ontology_path
    >>> g = Graph().parse(defined_ontology_path())
    >>> "https://w3id.org/nakg/SuperionicConductor" in map(str, defined_classes(g))
    True
    """
    out = {s for s, o in graph.subject_objects(OWL.equivalentClass) if isinstance(s, URIRef) and not isinstance(o, URIRef)}
    return sorted(out)


def class_members(classes, *graphs: Graph) -> dict[str, list[str]]:
    """For each class, the sorted IRIs of the individuals typed with it in any of ``graphs``."""
    out = {}
    for cls in classes:
        members = set()
        for g in graphs:
            members.update(str(s) for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))
        out[str(cls)] = sorted(members)
    return out
