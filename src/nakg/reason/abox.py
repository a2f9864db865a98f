"""The part of the ABox a DL reasoner needs: same classes entailed, a fraction of the individuals.

HermiT realises individuals by testing them in one model of the *whole* ABox,
so its time grows with the number of assertions times the number of tests.
Most of nakg's assertions cannot change what any individual is: provenance
(``statedInSection``, ``citesReference``), record ids, values as written. Two
reductions keep every class-level entailment — consistency, unsatisfiable
classes, the class hierarchy and the types of every named individual — and
drop what does not matter:

1. **Inert property assertions become types.** A property is *inert* when the
   ontology says nothing about it but its declaration, named ``rdfs:domain``
   and ``rdfs:range`` classes or datatypes, ``rdfs:subPropertyOf`` towards
   inert properties and functionality, and it has no sub-property; nothing
   else (class expressions, chains, inverses, keys, characteristics, sameAs …)
   mentions it. ``s P o`` then entails exactly ``s`` in the domains and ``o``
   in the ranges of ``P`` and its super-properties: any model of those types
   becomes a model of the assertion by adding the pair to ``P`` and its
   super-properties, which no other axiom reads. So the assertion is replaced
   by those types. It is kept when that argument does not hold: a subject with
   two values of a functional property (or an object with two subjects of an
   inverse-functional one), a literal whose datatype is not exactly the range,
   is ill-typed or outside the OWL 2 datatype map, or a blank node.
2. **Interchangeable individuals are reasoned once.** After (1), two
   individuals the ontology does not mention, with the same types and the same
   assertions to and from the same other nodes, are interchangeable: swapping
   them maps the knowledge base onto itself, so they are entailed to be in the
   same classes, and any model without one of them becomes a model with it by
   giving it the other's element. One representative per signature goes to the
   reasoner; its answer is copied to the others (:meth:`AboxReduction.expand`).

Everything else (the ontology itself, the individuals connected by properties
the defined classes read) is passed unchanged; annotations, which no reasoning
reads, are left out as :func:`~nakg.reason.hermit.write_input` leaves them out. ``tests/test_reasoning.py``
checks on the review that the reduced input gives HermiT's full answer.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... <urn:A> a owl:Class . <urn:R> a owl:Class . <urn:cites> a owl:ObjectProperty ; rdfs:range <urn:R> .
... <urn:x> a <urn:A> ; <urn:cites> <urn:r1> . <urn:y> a <urn:A> ; <urn:cites> <urn:r2> .
... ''', format="turtle")
>>> reduced = reduce_abox(g)
>>> len(reduced.triples) < len(g), sorted(len(m) for m in reduced.members.values())
(True, [2, 2])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .hermit import HermitOutput, annotation_properties

__all__ = ["AboxReduction", "reduce_abox", "inert_properties"]

_META = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#")
#: What the ontology may say about an inert property (as subject), besides annotations.
_INERT_DECLARATIONS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
                       RDF.Property}
#: Datatypes of the OWL 2 datatype map a literal may have to be left out (HermiT rejects others).
_OWL2_DATATYPES = {XSD.string, XSD.boolean, XSD.double, XSD.float, XSD.decimal, XSD.integer, XSD.nonNegativeInteger,
                   XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger, XSD.long, XSD.int, XSD.short,
                   XSD.byte, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte, XSD.anyURI,
                   XSD.dateTime, XSD.dateTimeStamp, XSD.normalizedString, XSD.token, XSD.language, XSD.Name,
                   XSD.NCName, XSD.NMTOKEN, XSD.hexBinary, XSD.base64Binary, RDF.PlainLiteral, RDF.XMLLiteral,
                   RDFS.Literal}


@dataclass
class AboxReduction:
    """The reasoner's input and how to read its answer back for every individual.

    Attributes:
        triples: ontology + the reduced ABox, without annotations (what the reasoner gets).
        members: representative IRI → every individual it stands for (itself included).
        dropped: how many property assertions became types.
    """

    triples: set
    members: dict[str, list[str]] = field(default_factory=dict)
    dropped: int = 0

    @property
    def graph(self) -> Graph:
        """The reasoner's input as an rdflib graph (:func:`~nakg.reason.hermit.run_hermit` takes ``triples`` as they are)."""
        g = Graph()
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g

    def expand(self, output: HermitOutput) -> HermitOutput:
        """Copy each representative's types (``output.types``) to the individuals it stands for, in place."""
        extra = [(m, cls) for ind, cls in output.types for m in self.members.get(ind, ()) if m != ind]
        output.types.extend(extra)
        return output


def _individuals(graph: Graph) -> set:
    return {s for s, c in graph.subject_objects(RDF.type) if not str(c).startswith(_META) or c == OWL.NamedIndividual}


def inert_properties(graph: Graph, individuals: set | None = None) -> set[URIRef]:
    """The properties whose assertions entail nothing but their domains' and ranges' types (module docstring, 1)."""
    individuals = _individuals(graph) if individuals is None else individuals
    annotations = annotation_properties(graph)
    objects = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    declared = objects | set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    candidates = {p for p in declared if isinstance(p, URIRef) and p not in annotations}
    typed = set(graph.subjects(RDF.type, None))
    # an undeclared super-property of object properties (e.g. prov:wasDerivedFrom) is an object property too
    candidates |= {o for s, o in graph.subject_objects(RDFS.subPropertyOf)
                   if s in objects and isinstance(o, URIRef) and o not in typed and o not in annotations}
    single = set(graph.subjects(RDF.type, OWL.FunctionalProperty)) | set(graph.subjects(RDF.type, OWL.InverseFunctionalProperty))
    blocked: set = set()
    supers: dict = defaultdict(set)
    for s, p, o in graph:
        if s in individuals and not str(p).startswith(_META):
            continue  # an assertion about an individual, judged triple by triple
        if s in candidates and p not in annotations:
            if p == RDF.type and o in _INERT_DECLARATIONS:
                continue
            if p in (RDFS.domain, RDFS.range) and isinstance(o, URIRef):
                continue
            if p == RDFS.subPropertyOf and isinstance(o, URIRef):
                supers[s].add(o)
                if o in single and o != s:
                    blocked.add(o)  # its values are not only its own assertions: functionality is checked on those
                continue
            blocked.add(s)
        if o in candidates and p not in annotations:
            blocked.add(o)
        if p in candidates:
            blocked.add(p)  # used on a class or property: punning
    inert = candidates - blocked
    changed = True
    while changed:
        changed = False
        for prop in list(inert):
            if not supers[prop] <= inert:
                inert.discard(prop)
                changed = True
    return inert


def _literal_fits(value: Literal, ranges: set) -> bool:
    """True when ``value`` is a well-formed literal of an OWL 2 datatype that every one of ``ranges`` contains."""
    datatype = value.datatype or (RDF.langString if value.language else XSD.string)
    if datatype not in _OWL2_DATATYPES or getattr(value, "ill_typed", False):
        return False
    return all(r in (RDFS.Literal, datatype) for r in ranges)


def reduce_abox(graph: Graph) -> AboxReduction:
    """The reasoner input of ``graph`` (ontology + data) with the two reductions of the module docstring."""
    individuals = _individuals(graph)
    inert = inert_properties(graph, individuals)
    up: dict = {p: {p} for p in inert}
    changed = True
    while changed:  # every inert property with its (inert) super-properties
        changed = False
        for p in inert:
            more = set().union(*(up[q] for q in graph.objects(p, RDFS.subPropertyOf) if q in up)) - up[p]
            if more:
                up[p] |= more
                changed = True
    domains = {p: {c for q in up[p] for c in graph.objects(q, RDFS.domain)} for p in inert}
    ranges = {p: {c for q in up[p] for c in graph.objects(q, RDFS.range)} for p in inert}
    datatypes = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    functional = set(graph.subjects(RDF.type, OWL.FunctionalProperty))
    inverse_functional = set(graph.subjects(RDF.type, OWL.InverseFunctionalProperty))
    values: dict = defaultdict(set)
    sources: dict = defaultdict(set)
    for p in inert & (functional | inverse_functional):
        for s, o in graph.subject_objects(p):
            values[(p, s)].add(o)
            sources[(p, o)].add(s)

    skip = annotation_properties(graph) | {OWL.imports}  # what :func:`~nakg.reason.hermit.write_input` leaves out
    out: set = set()
    dropped = 0
    for s, p, o in graph:
        if p in skip:
            continue
        if p not in inert or s not in individuals or isinstance(s, BNode) or isinstance(o, BNode):
            out.add((s, p, o))
            continue
        if p in datatypes:
            fits = isinstance(o, Literal) and _literal_fits(o, ranges[p])
        else:
            fits = isinstance(o, URIRef)
        if not fits or (p in functional and len(values[(p, s)]) > 1) or (p in inverse_functional and len(sources[(p, o)]) > 1):
            out.add((s, p, o))
            continue
        dropped += 1
        for c in domains[p]:
            out.add((s, RDF.type, c))
        if p not in datatypes:
            for c in ranges[p]:
                out.add((o, RDF.type, c))
    return _merge_interchangeable(out, dropped)


def _merge_interchangeable(graph: set, dropped: int) -> AboxReduction:
    """Keep one individual per signature: same types, same assertions to and from the same nodes (docstring, 2)."""
    individuals = {s for s, p, c in graph if p == RDF.type and isinstance(s, URIRef)
                   and (not str(c).startswith(_META) or c == OWL.NamedIndividual)}
    signature: dict = defaultdict(lambda: (set(), set(), set()))  # types, (p, o) out, (s, p) in
    busy: set = set()
    for s, p, o in graph:
        if s not in individuals:
            busy.add(o)  # an individual the ontology mentions (a nominal), or a value of an untyped node
            continue
        if p == RDF.type:
            signature[s][0].add(o)
            busy.add(o)  # a class that is also an individual (punning) keeps its assertions
            if str(o).startswith(_META) and o != OWL.NamedIndividual:
                busy.add(s)  # an individual that is also a class or property
            continue
        if str(p).startswith(_META):  # sameAs, differentFrom, or an axiom about a punned class or property
            busy.update((s, o))
            continue
        signature[s][1].add((p, "self" if o == s else o))
        if o in individuals and o != s:
            signature[o][2].add((s, p))
    groups: dict = defaultdict(list)
    for ind in individuals - busy:
        types, out, into = signature[ind]
        groups[(frozenset(types), frozenset(out), frozenset(into))].append(ind)
    members: dict[str, list[str]] = {}
    gone: set = set()
    for inds in groups.values():
        if len(inds) > 1:
            inds.sort()
            members[str(inds[0])] = [str(i) for i in inds]
            gone.update(inds[1:])
    kept = {(s, p, o) for s, p, o in graph if s not in gone and o not in gone}
    return AboxReduction(triples=kept, members=members, dropped=dropped)
