"""Name the culprits of an inconsistency: the individuals, classes and axioms involved.

Two sources:

* **Pellet's justification**, via the Pellet that ships with owlready2 (the
  same ``pellet explain`` owlready2 runs when ``sync_reasoner_pellet`` meets an
  inconsistent ontology with ``debug=2``): a minimal set of axioms that is
  inconsistent. IRIs are renamed to short opaque ones before Pellet sees them,
  so the axioms it prints map back to the graph's IRIs exactly.
* **structural checks** in pure Python, which also serve the OWL 2 RL fallback:
  an individual typed (directly, via subclasses, domains or ranges) with two
  disjoint classes or with ``owl:Nothing``, a functional data property with two
  different values, a literal outside a property's declared datatype.

:func:`explain` runs the structural checks first and asks Pellet only when they
find nothing.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

__all__ = ["Culprit", "explain", "structural_culprits", "pellet_culprits", "rl_culprits", "short"]

_META = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
         "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2001/XMLSchema#")
_PREFIXES = (("res:", "https://w3id.org/nakg/resource/"), ("nakg:", "https://w3id.org/nakg/"),
             ("owl:", "http://www.w3.org/2002/07/owl#"), ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
             ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"), ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
             ("skos:", "http://www.w3.org/2004/02/skos/core#"), ("dcterms:", "http://purl.org/dc/terms/"),
             ("prov:", "http://www.w3.org/ns/prov#"))


def short(iri: str) -> str:
    """A compact display form of an IRI (``nakg:``/``res:`` prefixes).

    >>> short("https://w3id.org/nakg/resource/material/na3ps4")
    'res:material/na3ps4'
    """
    for prefix, ns in _PREFIXES:
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return f"<{iri}>"


@dataclass(frozen=True)
class Culprit:
    """Why a graph is inconsistent: the individuals, classes and properties involved, and the axioms."""

    reason: str
    individuals: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    axioms: tuple[str, ...] = field(default=(), compare=False)
    source: str = "structural"

    def __str__(self) -> str:
        who = ", ".join(short(i) for i in self.individuals) or "(no individual)"
        text = f"{who}: {self.reason}"
        if self.axioms:
            text += " [" + "; ".join(self.axioms) + "]"
        return text


# --- structural checks ----------------------------------------------------------


def _named_classes_closure(graph: Graph) -> dict[URIRef, set[URIRef]]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            parents[s].add(o)
    for s, o in graph.subject_objects(OWL.equivalentClass):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            parents[s].add(o)
            parents[o].add(s)
    from .closure import _ancestors

    out: dict[URIRef, set[URIRef]] = defaultdict(set)
    for c, up in _ancestors(parents).items():
        out[c] = up | {c}
    return out


def _disjoint_pairs(graph: Graph) -> set[frozenset]:
    pairs = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add(frozenset((a, b)))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        lst = graph.value(node, OWL.members)
        if lst is None:
            continue
        members = [m for m in Collection(graph, lst) if isinstance(m, URIRef)]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs.add(frozenset((a, b)))
    return pairs


def _types(graph: Graph) -> dict[URIRef, dict[URIRef, str]]:
    """Each individual's classes, with where each class comes from (asserted, domain, range, subclass)."""
    ups = _named_classes_closure(graph)
    domains = defaultdict(set)
    ranges = defaultdict(set)
    for p, c in graph.subject_objects(RDFS.domain):
        if isinstance(c, URIRef):
            domains[p].add(c)
    for p, c in graph.subject_objects(RDFS.range):
        if isinstance(c, URIRef) and not str(c).startswith(_META[3]):
            ranges[p].add(c)
    out: dict[URIRef, dict[URIRef, str]] = defaultdict(dict)

    def add(x, cls, why):
        for c in ups.get(cls, {cls}):
            out[x].setdefault(c, why if c == cls else f"{why}, subclass of {short(str(c))}")

    for x, cls in graph.subject_objects(RDF.type):
        if isinstance(x, URIRef) and isinstance(cls, URIRef) and not str(cls).startswith(_META):
            add(x, cls, f"typed {short(str(cls))}")
        elif isinstance(x, URIRef) and cls == OWL.Nothing:
            out[x][OWL.Nothing] = "typed owl:Nothing"
    for p in set(domains) | set(ranges):
        for s, o in graph.subject_objects(p):
            if isinstance(s, URIRef):
                for c in domains.get(p, ()):
                    add(s, c, f"subject of {short(str(p))} (domain {short(str(c))})")
            if isinstance(o, URIRef):
                for c in ranges.get(p, ()):
                    add(o, c, f"object of {short(str(p))} (range {short(str(c))})")
    return out


_NUMERIC = {XSD.double, XSD.float, XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger,
            XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt, XSD.byte}
_INTEGER = _NUMERIC - {XSD.double, XSD.float, XSD.decimal}
_STRINGY = {None, XSD.string, RDF.PlainLiteral, RDF.langString}


def _fits(lit: Literal, dtype: URIRef) -> bool:
    dt = lit.datatype if lit.datatype is not None or lit.language is None else RDF.langString
    if dtype in (RDFS.Literal, RDF.PlainLiteral):
        return True
    if dtype == XSD.string:
        return dt in (None, XSD.string)
    if dtype in (XSD.double, XSD.float):
        return dt == dtype
    if dtype == XSD.decimal:
        return dt in _NUMERIC - {XSD.double, XSD.float}
    if dtype in _INTEGER:
        return dt in _INTEGER
    if dtype == XSD.boolean:
        return dt == XSD.boolean
    return True  # other datatypes are not checked here


def structural_culprits(graph: Graph) -> list[Culprit]:
    """Clashes found without a reasoner (sound, not complete), sorted.

    >>> g = Graph().parse(data='''
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... <urn:A> a owl:Class ; owl:disjointWith <urn:B> . <urn:B> a owl:Class .
    ... <urn:x> a <urn:A>, <urn:B> .
    ... ''', format="turtle")
    >>> [c.individuals for c in structural_culprits(g)]
    [('urn:x',)]
    """
    found: list[Culprit] = []
    types = _types(graph)
    pairs = _disjoint_pairs(graph)
    for x, classes in types.items():
        if OWL.Nothing in classes:
            found.append(Culprit("is typed owl:Nothing", (str(x),), (str(OWL.Nothing),)))
        for pair in pairs:
            a, b = sorted(pair)
            if a in classes and b in classes:
                found.append(Culprit(f"is a {short(str(a))} ({classes[a]}) and a {short(str(b))} ({classes[b]}), "
                                     "which are disjoint", (str(x),), (str(a), str(b))))
    for p in sorted(set(graph.subjects(RDF.type, OWL.FunctionalProperty)) & set(graph.subjects(RDF.type, OWL.DatatypeProperty))):
        values = defaultdict(set)
        for s, o in graph.subject_objects(p):
            if isinstance(o, Literal):
                values[s].add(o)
        for s, vals in values.items():
            distinct = {(v.toPython() if v.datatype in _NUMERIC else v) for v in vals}
            if len(distinct) > 1:
                shown = ", ".join(sorted(str(v) for v in vals))
                found.append(Culprit(f"has {len(vals)} values for the functional property {short(str(p))}: {shown}",
                                     (str(s),), (), (str(p),)))
    for p, dtype in graph.subject_objects(RDFS.range):
        if not isinstance(dtype, URIRef) or not str(dtype).startswith(_META[3]) and dtype != RDFS.Literal:
            continue
        for s, o in graph.subject_objects(p):
            if isinstance(o, Literal) and not _fits(o, dtype):
                found.append(Culprit(f"has the value {o.n3()} for {short(str(p))}, outside its range {short(str(dtype))}",
                                     (str(s),), (), (str(p),)))
    return sorted(set(found), key=lambda c: (c.individuals, c.reason))


def rl_culprits(messages: list[str], graph: Graph) -> list[Culprit]:
    """Culprits from owlrl's inconsistency messages (each names the resources involved)."""
    classes = set(map(str, graph.subjects(RDF.type, OWL.Class)))
    props = {str(p) for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in graph.subjects(RDF.type, t)}
    out = []
    for msg in messages:
        iris = re.findall(r"(?:https?|urn):[^\s,;'\"<>)]+", msg)
        out.append(Culprit(msg.strip(), tuple(sorted({i for i in iris if i not in classes and i not in props})),
                           tuple(sorted({i for i in iris if i in classes})), tuple(sorted({i for i in iris if i in props})),
                           source="owlrl"))
    return out


# --- Pellet's justification ---------------------------------------------------------

_TOKEN = re.compile(r"\bn(\d+)\b")


def _pellet_classpath() -> str | None:
    import os

    import owlready2

    here = Path(owlready2.__file__).resolve().parent / "pellet"
    jars = sorted(str(p) for p in here.glob("*.jar"))
    return os.pathsep.join(jars) if jars else None


def pellet_culprits(graph: Graph, timeout: float = 300.0) -> list[Culprit]:
    """Ask Pellet (bundled with owlready2) why ``graph`` is inconsistent; [] when it cannot say."""
    from owlready2 import reasoning

    from .hermit import java_executable

    java, classpath = java_executable(), _pellet_classpath()
    if java is None or classpath is None:
        return []
    names: dict[URIRef, URIRef] = {}
    back: dict[str, str] = {}

    def rename(t):
        if isinstance(t, URIRef) and not str(t).startswith(_META):
            if t not in names:
                names[t] = URIRef(f"http://nakg.invalid/n{len(names)}")
                back[str(len(names) - 1)] = str(t)
            return names[t]
        return t

    from .hermit import write_input

    g = Graph()
    for s, p, o in graph:
        g.add((rename(s), rename(p), rename(o)))
    with tempfile.TemporaryDirectory(prefix="nakg-pellet-") as tmp:
        path = Path(tmp) / "input.nt"
        write_input(g, path)
        command = [java, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp", classpath, "pellet.Pellet", "explain", "--ignore-imports",
                   str(path)]
        try:
            proc = subprocess.run(command, capture_output=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            return []
    text = proc.stdout.decode("utf-8", "replace")
    if "Explanation(s):" not in text:
        return []
    classes = set(map(str, graph.subjects(RDF.type, OWL.Class)))
    props = {str(p) for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in graph.subjects(RDF.type, t)}
    culprits = []
    for block in re.split(r"^\s*\d+\)", text.split("Explanation(s):", 1)[1], flags=re.M)[1:]:
        axioms: list[str] = []
        for line in block.splitlines():
            if not line.strip():
                continue
            indent = len(line) - len(line.lstrip())
            if axioms and indent > 6:
                axioms[-1] += " " + line.strip()
            else:
                axioms.append(line.strip())
        mentioned = [back[n] for n in _TOKEN.findall(" ".join(axioms)) if n in back]
        readable = tuple(_TOKEN.sub(lambda m: short(back[m.group(1)]) if m.group(1) in back else m.group(0), " ".join(a.split()))
                         for a in axioms)
        individuals = tuple(sorted({i for i in mentioned if i not in classes and i not in props}))
        culprits.append(Culprit("Pellet justification of the inconsistency", individuals,
                                tuple(sorted({i for i in mentioned if i in classes})),
                                tuple(sorted({i for i in mentioned if i in props})), readable, source="pellet"))
    return culprits


def explain(graph: Graph, use_pellet: bool = True, timeout: float = 300.0) -> list[Culprit]:
    """The culprits of an inconsistency: the structural clashes or, when there is none, Pellet's justification.

    A structural clash (disjoint types, a functional property with two values, a
    value outside its datatype) names its individual exactly and costs no Java
    run; a clash only a DL reasoner sees (e.g. a class membership contradicting a
    datatype restriction) needs Pellet.
    """
    found = structural_culprits(graph)
    if not found and use_pellet:
        found = pellet_culprits(graph, timeout)
    return found

