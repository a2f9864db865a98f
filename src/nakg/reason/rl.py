"""The pure-Python fallback: the OWL 2 RL closure computed by owlrl.

Used when Java is absent or when asked (``reasoner="owlrl"``). OWL 2 RL is a
rule fragment: everything that follows from the told facts by forward chaining
is found — subclass and subproperty hierarchies, domains and ranges, inverse,
symmetric and transitive properties, property chains, ``owl:hasValue``,
intersections and unions used as sufficient conditions, existentials whose
filler is already asserted (``∃productOf.Doping`` from a stated doping), and the
disjointness/functionality clashes that make a graph inconsistent.

What it loses compared with HermiT (OWL 2 DL):

* classes defined with **datatype restrictions** — ``SuperionicConductor``
  (r.t. conductivity ≥ 1e-3 S/cm), ``HighVoltageCompatibleElectrolyte``
  (≥ 4 V), ``LongCyclingResult``/``LongLifeCell`` (≥ 1000 cycles), and the
  temperature part of ``RoomTemperatureCyclingResult``/
  ``RoomTemperatureFirstCycleCapacity``/``RoomTemperatureCell`` (only results
  written "r.t." are reached);
* **classification** of defined classes that needs existentials on the
  superclass side or reasoning by cases, e.g. ``DopedElectrolyte ⊑
  ModifiedElectrolyte`` (it follows from ``Doping ⊑ ∃hasHost.Material`` and the
  chain ``productOf ∘ hasHost ⊑ derivedFrom``; RL only closes the told subclass
  axioms);
* class membership that needs an **existential on the superclass side**
  (``Doping ⊑ ∃hasHost.Material`` creates no individual in RL), reasoning by
  cases over unions, and inconsistencies that arise only through them.
"""

from __future__ import annotations

import time

from rdflib import Graph

from .closure import filter_entailments

__all__ = ["run_owlrl", "RLResult", "LOST_INFERENCES"]

#: What the RL fallback does not infer, in one line each (shown in reports).
LOST_INFERENCES = (
    "classes defined by datatype restrictions (SuperionicConductor, HighVoltageCompatibleElectrolyte, LongCyclingResult, "
    "LongLifeCell; the numeric-temperature part of the room-temperature classes)",
    "classification of defined classes that needs existentials or reasoning by cases "
    "(e.g. DopedElectrolyte ⊑ ModifiedElectrolyte)",
    "existentials on the superclass side and reasoning by cases over unions",
)


class RLResult:
    """The filtered OWL 2 RL closure, the inconsistency messages and the wall time."""

    def __init__(self, closure: Graph, errors: list[str], wall_time: float):
        self.closure = closure
        self.errors = errors
        self.wall_time = wall_time

    @property
    def consistent(self) -> bool:
        return not self.errors


def run_owlrl(graph: Graph) -> RLResult:
    """Compute the OWL 2 RL closure of ``graph`` (not changed) with owlrl.

    >>> from rdflib import Graph, URIRef
    >>> from rdflib.namespace import RDF
    >>> g = Graph().parse(data='''
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <urn:A> a owl:Class . <urn:B> a owl:Class . <urn:A> rdfs:subClassOf <urn:B> . <urn:x> a <urn:A> .
    ... ''', format="turtle")
    >>> r = run_owlrl(g)
    >>> r.consistent, (URIRef("urn:x"), RDF.type, URIRef("urn:B")) in r.closure
    (True, True)
    """
    from owlrl.OWLRL import OWLRL_Semantics

    from .hermit import annotation_properties

    skip = annotation_properties(graph)  # labels and definitions only slow the rules down
    work = Graph()
    for t in graph:
        if t[1] not in skip:
            work.add(t)
    t0 = time.perf_counter()
    engine = OWLRL_Semantics(work, False, False, rdfs=False)
    engine.closure()
    elapsed = time.perf_counter() - t0
    return RLResult(filter_entailments(work, vocabulary=graph), list(engine.error_messages), elapsed)

