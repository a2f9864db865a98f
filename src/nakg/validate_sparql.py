"""Fast SHACL: the shapes compiled to SPARQL and run on Oxigraph, with pySHACL explaining what they find.

pySHACL evaluates every constraint node by node in Python and re-parses each
SPARQL constraint for every focus node, which makes it slow on the review and
unusable on literature-sized graphs. Here each constraint of the shapes becomes
one SPARQL query over the whole graph (data and ontology in an Oxigraph store)
that returns the focus nodes that *may* violate it: a query may flag more nodes
than pySHACL would (where SPARQL and rdflib see a literal differently it errs on
the side of flagging), never fewer. pySHACL then validates only the flagged focus
nodes, on the part of the graph that describes them, so every reported result —
message, path, value, severity — is exactly what pySHACL reports on the whole
graph. SPARQL-based constraints (``sh:sparql``) are run once over the whole
graph instead of once per focus node, and their results built as pySHACL builds
them.

Shapes that use anything outside the supported subset raise :class:`Unsupported`
and :func:`nakg.validate.validate_graph` falls back to pySHACL on the whole graph.
Supported: node shapes with ``sh:targetClass``; property shapes on an IRI or
inverse path with ``sh:minCount``, ``sh:maxCount``, ``sh:class``,
``sh:datatype``, ``sh:min/maxInclusive``, ``sh:min/maxExclusive``, ``sh:in``,
``sh:disjoint``, ``sh:pattern``, ``sh:min/maxLength``, ``sh:nodeKind``;
``sh:xone`` of shapes with count constraints; ``sh:sparql`` on node shapes.

>>> from nakg.validate import load_shapes
>>> plan = compile_shapes(load_shapes())
>>> len(plan.checks) > 50 and len(plan.sparql) >= 1
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

__all__ = ["Unsupported", "Check", "Plan", "compile_shapes", "detection_bodies", "detection_store", "ntriples_store", "focus_graph", "ontology_part",
           "flagged_focus_nodes", "sparql_results", "subgraph", "read_predicates", "sparql_patterns"]

SH = Namespace("http://www.w3.org/ns/shacl#")
#: Blank nodes become IRIs under this prefix in the detection store (Oxigraph renames blank nodes).
SKOLEM = "urn:x-nakg-bnode:"

_IGNORED = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, RDFS.label, RDFS.comment}
_NODE_KEYS = _IGNORED | {RDF.type, SH.targetClass, SH.property, SH.sparql, SH.xone}
_VALUE_KEYS = {SH["class"], SH.datatype, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
               SH["in"], SH.disjoint, SH.pattern, SH.flags, SH.minLength, SH.maxLength, SH.nodeKind}
_PROPERTY_KEYS = _IGNORED | _VALUE_KEYS | {RDF.type, SH.path, SH.minCount, SH.maxCount}
_SPARQL_KEYS = _IGNORED | {RDF.type, SH.select, SH.prefixes}
_KNOWN = _NODE_KEYS | _PROPERTY_KEYS | _SPARQL_KEYS | {SH.inversePath, SH.declare, SH.prefix, SH.namespace}
_COMPARE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_CASTS = {XSD.double, XSD.float, XSD.decimal, XSD.integer, XSD.boolean, XSD.dateTime}
_STRINGS = {XSD.string, RDF.langString}
_TYPE = RDF.type.n3()


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not compile (the caller uses pySHACL instead)."""


@dataclass
class SparqlConstraint:
    """A node shape's ``sh:sparql`` constraint, ready to run over the whole graph."""

    shape: Any
    node: Any
    query: str
    targets: list
    severity: URIRef
    message: str
    global_: bool


class Check(NamedTuple):
    """One core constraint of a property shape, as a detection test on ``?this`` (a target) and ``?v`` (a value).

    ``kind`` ``minCount``/``maxCount``: ``test`` is the bound; otherwise ``test`` is
    the FILTER (or, for ``disjoint``, the triple pattern) that holds where a value
    may violate the constraint.
    """

    targets: list
    kind: str
    path: str
    test: str

    def body(self) -> str:
        """The query body that finds this check's focus nodes (``{GROUP}``: after a sub-select of the targets)."""
        if self.kind == "minCount":
            n = int(self.test)
            return (f"FILTER NOT EXISTS {{ ?this {self.path} ?v }}" if n == 1 else
                    f"{{GROUP}} OPTIONAL {{ ?this {self.path} ?v }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})")
        if self.kind == "maxCount":
            return f"{{GROUP}} ?this {self.path} ?v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(self.test)})"
        return f"?this {self.path} ?v . {self.test}"


def detection_bodies(checks: list[Check]) -> list[tuple[list, str]]:
    """Query bodies that flag the focus nodes ``checks`` flag, with checks that share targets merged.

    Each check alone would scan its targets once: here the value tests on one path
    become one FILTER of their disjunction, the ``sh:minCount 1`` checks of a
    target one FILTER of ``NOT EXISTS`` disjuncts, and its ``sh:maxCount`` checks on
    plain properties one grouped query with each property's bound. The union of the
    focus nodes found is the same; a third fewer queries scan the store.
    """
    out: list[tuple[list, str]] = []
    values: dict[tuple, list[str]] = {}
    at_least_one: dict[tuple, list[str]] = {}
    at_most: dict[tuple, list[tuple[str, int]]] = {}
    for c in checks:
        key = tuple(c.targets)
        if c.kind == "minCount" and int(c.test) == 1:
            at_least_one.setdefault(key, []).append(c.path)
        elif c.kind == "maxCount" and not c.path.startswith("^"):
            at_most.setdefault(key, []).append((c.path, int(c.test)))
        elif c.kind not in ("minCount", "maxCount", "disjoint") and c.test.startswith("FILTER"):
            values.setdefault((key, c.path), []).append(c.test[len("FILTER"):].strip())
        else:
            out.append((c.targets, c.body()))
    for (key, path), tests in values.items():
        out.append((list(key), f"?this {path} ?v . FILTER({' || '.join(tests)})"))
    for key, paths in at_least_one.items():
        out.append((list(key), "FILTER(" + " || ".join(f"NOT EXISTS {{ ?this {p} ?v }}" for p in paths) + ")"))
    for key, bounds in at_most.items():
        rows = " ".join(f"({p} {n})" for p, n in bounds)
        out.append((list(key), f"{{GROUP}} VALUES (?_p ?_n) {{ {rows} }} ?this ?_p ?v }} "
                               f"GROUP BY ?this ?_p ?_n HAVING (COUNT(DISTINCT ?v) > ?_n)"))
    return out


@dataclass
class Plan:
    """Compiled shapes: detection checks (run on each shape's targets), xone checks, SPARQL constraints, and
    the shapes pySHACL explains with (those without ``sh:sparql``)."""

    checks: list[Check] = field(default_factory=list)
    xone: list[tuple[list, list[list[tuple[str, int | None, int | None]]]]] = field(default_factory=list)
    patterns: list[tuple[list, str, str, int]] = field(default_factory=list)  # (targets, path, pattern, flags)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    core_shapes: Graph | None = None


def _n3(term) -> str:
    if isinstance(term, BNode):
        return f"<{SKOLEM}{term}>"
    return term.n3()


def _path(shapes: Graph, path) -> str:
    if isinstance(path, URIRef):
        return path.n3()
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(path, BNode) and isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(path))) == 1:
        return f"^{inverse.n3()}"
    raise Unsupported(f"property path {path!r}")


def _keys(shapes: Graph, node, allowed: set, what: str) -> None:
    for p in set(shapes.predicates(node)):
        if p not in allowed:
            raise Unsupported(f"{p} on {what} {node}")


def _blank(v: str) -> str:
    return f'(isBlank({v}) || STRSTARTS(STR({v}), "{SKOLEM}"))'


def _value_conditions(shapes: Graph, ps) -> list[tuple[str, str]]:
    """(kind, SPARQL condition on ?this and ?v that holds where a value may violate) for each value constraint."""
    out = []
    for p, o in shapes.predicate_objects(ps):
        if p == SH["class"]:
            out.append(("class", f"FILTER NOT EXISTS {{ VALUES ?_c {{ {{CLOSURE {o.n3()}}} }} ?v a ?_c }}"))
        elif p == SH.datatype:
            if o == RDFS.Literal:
                cond = "!isLiteral(?v)"
            elif o == RDFS.Datatype:
                cond = f"!isLiteral(?v) || datatype(?v) = {XSD.string.n3()}"
            else:
                ok = f"isLiteral(?v) && datatype(?v) = {o.n3()}"
                if o in _CASTS:
                    ok += f" && COALESCE({o.n3()}(STR(?v)) = ?v, false)"
                elif o not in _STRINGS:
                    ok = "false"  # a type SPARQL cannot check: let pySHACL look at every value
                cond = f"!({ok})"
            out.append(("datatype", f"FILTER({cond})"))
        elif p in _COMPARE:
            out.append(("range", f"FILTER(!COALESCE(?v {_COMPARE[p]} {o.n3()}, false))"))
        elif p == SH["in"]:
            members = list(shapes.items(o))
            iris = [m for m in members if isinstance(m, URIRef)]
            if len(iris) != len(members):
                cond = "isLiteral(?v) || " + (f"?v NOT IN ({', '.join(m.n3() for m in iris)})" if iris else "true")
            else:
                cond = f"?v NOT IN ({', '.join(m.n3() for m in iris)})" if iris else "true"
            out.append(("in", f"FILTER({cond})"))
        elif p == SH.disjoint:
            out.append(("disjoint", f"?this {_path(shapes, o)} ?v ."))
        elif p in (SH.minLength, SH.maxLength):
            op = "<" if p == SH.minLength else ">"
            out.append(("length", f"FILTER({_blank('?v')} || (isLiteral(?v) && datatype(?v) NOT IN ({XSD.string.n3()}, "
                                  f"{RDF.langString.n3()})) || COALESCE(STRLEN(STR(?v)) {op} {int(o)}, true))"))
        elif p == SH.nodeKind:
            iri, blank, lit = f"(isIRI(?v) && !{_blank('?v')})", _blank("?v"), "isLiteral(?v)"
            allowed = {SH.IRI: [iri], SH.BlankNode: [blank], SH.Literal: [lit], SH.BlankNodeOrIRI: [blank, iri],
                       SH.BlankNodeOrLiteral: [blank, lit], SH.IRIOrLiteral: [iri, lit]}.get(o)
            if allowed is None:
                raise Unsupported(f"sh:nodeKind {o}")
            out.append(("nodeKind", f"FILTER(!({' || '.join(allowed)}))"))
        elif p in (SH.pattern, SH.flags):
            continue  # checked in Python, exactly as pySHACL does
        elif p in _VALUE_KEYS:  # pragma: no cover - every key of _VALUE_KEYS is handled above
            raise Unsupported(str(p))
    return out


def _sparql_constraint(shapes: Graph, shape, node, targets: list) -> SparqlConstraint:
    _keys(shapes, node, _SPARQL_KEYS, "SPARQL constraint")
    if shapes.value(node, SH.deactivated) is not None:
        raise Unsupported("deactivated SPARQL constraint")
    select = str(shapes.value(node, SH.select) or "")
    if not select or re.search(r"[?$](failure|value|path|currentShape|shapesGraph)\b", select) or "$PATH" in select:
        raise Unsupported("SPARQL constraint with special variables")
    messages = list(shapes.objects(node, SH.message)) + list(shapes.objects(shape, SH.message))
    if len(messages) != 1 or re.search(r"\{[?$]", str(messages[0])):
        raise Unsupported("SPARQL constraint without exactly one plain message")
    prefixes = ""
    for decl_node in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(decl_node, SH.declare):
            prefixes += f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>\n"
    body = select.split("{", 1)[1] if "{" in select else ""
    first = re.split(r"\s\.(?:\s|$)", body.strip(), maxsplit=1)[0]  # the first triples block, up to its " ."
    global_ = (bool(re.search(r"[$?]this\b", first)) and not re.match(r"\s*(OPTIONAL|FILTER|MINUS|BIND|VALUES|GRAPH|SERVICE|\{)",
               body, re.I) and select.upper().count("SELECT") == 1)
    severity = shapes.value(shape, SH.severity) or SH.Violation
    return SparqlConstraint(shape, node, (prefixes + "\n" + select) if prefixes else select, targets, severity,
                            str(messages[0]), global_)


def compile_shapes(shapes: Graph) -> Plan:
    """Compile a shapes graph into detection queries; raise :class:`Unsupported` for anything else."""
    for p in set(shapes.predicates()):
        if str(p).startswith(str(SH)) and p not in _KNOWN:
            raise Unsupported(f"{p}")
    plan = Plan()
    shape_nodes = set(shapes.subjects(SH.targetClass)) | set(shapes.subjects(RDF.type, SH.NodeShape))
    if set(shapes.subjects(RDF.type, SH.PropertyShape)) - set(shapes.objects(None, SH.property)):
        raise Unsupported("top-level property shape")
    sparql_nodes = set()
    for shape in sorted(shape_nodes, key=str):
        if shapes.value(shape, SH.path) is not None or (shape, RDF.type, RDFS.Class) in shapes:
            raise Unsupported(f"shape {shape} is a property shape or an implicit class target")
        _keys(shapes, shape, _NODE_KEYS, "node shape")
        targets = sorted(shapes.objects(shape, SH.targetClass), key=str)
        if not targets:
            if set(shapes.subjects(None, shape)):
                raise Unsupported(f"shape {shape} is referenced by another shape")
            continue
        for ps in shapes.objects(shape, SH.property):
            _keys(shapes, ps, _PROPERTY_KEYS, "property shape")
            path = _path(shapes, shapes.value(ps, SH.path))
            n = shapes.value(ps, SH.minCount)
            if n is not None and int(n) > 0:
                plan.checks.append(Check(targets, "minCount", path, str(int(n))))
            n = shapes.value(ps, SH.maxCount)
            if n is not None:
                plan.checks.append(Check(targets, "maxCount", path, str(int(n))))
            for kind, cond in _value_conditions(shapes, ps):
                plan.checks.append(Check(targets, kind, path, cond))
            pattern = shapes.value(ps, SH.pattern)
            if pattern is not None:
                plan.patterns.append((targets, path, str(pattern), _flags(str(shapes.value(ps, SH.flags) or ""))))
        for xone in shapes.objects(shape, SH.xone):
            alternatives = []
            for member in shapes.items(xone):
                _keys(shapes, member, {SH.property, RDF.type}, "sh:xone member")
                counts = []
                for ps in shapes.objects(member, SH.property):
                    _keys(shapes, ps, {SH.path, SH.minCount, SH.maxCount, RDF.type}, "sh:xone property shape")
                    lo, hi = shapes.value(ps, SH.minCount), shapes.value(ps, SH.maxCount)
                    counts.append((_path(shapes, shapes.value(ps, SH.path)), int(lo) if lo is not None else None,
                                   int(hi) if hi is not None else None))
                alternatives.append(counts)
            plan.xone.append((targets, alternatives))
        for node in shapes.objects(shape, SH.sparql):
            plan.sparql.append(_sparql_constraint(shapes, shape, node, targets))
            sparql_nodes.add((shape, node))
    plan.core_shapes = _without_sparql(shapes, sparql_nodes)
    return plan


def _flags(text: str) -> int:
    """Python ``re`` flags for SHACL/XPath flags, as pySHACL maps them."""
    flags = 0
    for ch, value in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL), ("x", re.VERBOSE)):
        if ch in text:
            flags |= value
    return flags


def _without_sparql(shapes: Graph, constraints: set) -> Graph:
    core = Graph()
    drop = {node for _, node in constraints}
    for t in shapes:
        if t[0] in drop or (t[1] == SH.sparql and t[2] in drop):
            continue
        core.add(t)
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns, override=True)
    return core


# --- the detection store --------------------------------------------------------------------------
def _nt_lines(graph: Graph) -> Iterable[str]:
    from rdflib.plugins.serializers.nt import _nt_row

    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            s = URIRef(SKOLEM + s) if isinstance(s, BNode) else s
            o = URIRef(SKOLEM + o) if isinstance(o, BNode) else o
        yield _nt_row((s, p, o))


def collisions(graph: Graph) -> set:
    """Subjects with two different literals for one property that Oxigraph would store as one.

    Oxigraph keeps numbers, booleans and dates by value (``"91.0"^^xsd:double`` and
    ``"91"^^xsd:double`` become one term), which could hide a ``sh:maxCount``
    violation; such subjects are always handed to pySHACL.
    """
    seen: dict[tuple, Literal] = {}
    found = set()
    string = XSD.string
    for s, p, o in graph:
        if not isinstance(o, Literal):
            continue
        dt = o.datatype
        if dt is None or dt == string:
            key = (s, p, string, o.language, str(o))
        else:
            value = o.value
            key = (s, p, dt, None, value if value is not None and not isinstance(value, (bytes, bytearray)) else str(o))
            try:
                hash(key)
            except TypeError:  # pragma: no cover - an unhashable Python value
                key = (s, p, dt, None, str(o))
        other = seen.setdefault(key, o)
        if other is not o and other != o:
            found.add(s)
    return found


def ontology_part(ontology: Graph) -> Graph:
    """The ontology triples pySHACL mixes into the data graph.

    pySHACL's "inoculation": class and property axioms and named individuals.
    """
    from pyshacl.rdfutil.inoculate import inoculate

    return inoculate(Graph(), ontology)


def detection_store(data: Graph, part: Graph | None, ontology: Graph | None = None):
    """An Oxigraph store holding the graph pySHACL validates: ``data`` plus ``part``, the ontology part it mixes in.

    Blank nodes become skolem IRIs. Returns ``(store, graph_name, collided_subjects)``.
    An Oxigraph-backed ``data`` graph that already holds the whole ``ontology`` is
    used as it is (pySHACL would see the same graph).
    """
    import pyoxigraph as ox

    from .store.oxigraph import graph_name, native

    inner = native(data)
    if inner is not None:
        name = graph_name(data)
        if part is None or (ontology is not None and _contains(inner, name, ontology)):
            return inner, name, set()
        store = ox.Store()
        store.load(input=inner.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name), format=ox.RdfFormat.N_TRIPLES)
        store.load(input="".join(_nt_lines(part)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return store, ox.DefaultGraph(), set()
    store = ox.Store()
    text = "".join(_nt_lines(data)) + ("".join(_nt_lines(part)) if part is not None else "")
    store.load(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store, ox.DefaultGraph(), collisions(data)


def ntriples_store(data: bytes | Iterable[bytes], part: Graph | None):
    """An Oxigraph store holding the N-Triples ``data`` (no blank nodes; bytes, or pieces of whole lines loaded one
    after the other) plus ``part``; returns ``(store, graph_name)``."""
    import pyoxigraph as ox

    store = ox.Store()
    for piece in [data] if isinstance(data, bytes) else data:  # IRIs already checked by rdflib's n3()
        store.load(input=piece, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    if part is not None:
        store.load(input="".join(_nt_lines(part)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store, ox.DefaultGraph()


def focus_graph(store, name, focus: set) -> Graph:
    """The triples :func:`subgraph` reads about ``focus`` nodes, from an Oxigraph store, as an rdflib graph bound
    to the data graph's prefixes (those of :mod:`nakg.rdf.sinks`)."""
    import pyoxigraph as ox

    from .rdf.sinks import GraphSink

    graph = GraphSink().graph
    values = set()
    for f in focus:
        subject = ox.BlankNode(f) if isinstance(f, BNode) else ox.NamedNode(str(f))
        for q in store.quads_for_pattern(subject, None, None, name):
            graph.add((f, _to_rdflib(q.predicate), _to_rdflib(q.object)))
            if not isinstance(q.object, ox.Literal):
                values.add(q.object)
    rdf_type = ox.NamedNode(str(RDF.type))
    for v in values:
        for q in store.quads_for_pattern(v, rdf_type, None, name):
            graph.add((_to_rdflib(v), RDF.type, _to_rdflib(q.object)))
    for q in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, name):
        graph.add((_to_rdflib(q.subject), RDFS.subClassOf, _to_rdflib(q.object)))
    return graph


def _contains(store, name, ontology: Graph) -> bool:
    from oxrdflib._converter import to_ox

    for s, p, o in ontology:
        if isinstance(s, BNode) or isinstance(o, BNode):
            continue
        if not any(True for _ in store.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), name)):
            return False
    return True


def _to_rdflib(term):
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        v = term.value
        return BNode(v[len(SKOLEM):]) if v.startswith(SKOLEM) else URIRef(v)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    from oxrdflib._converter import from_ox

    return from_ox(term)


class _Runner:
    def __init__(self, store, name):
        self.store, self.name = store, name
        self._closures: dict[str, str] = {}

    def query(self, text: str):
        return self.store.query(text, default_graph=self.name)

    def closure(self, cls: str) -> str:
        """``cls`` and its subclasses (rdfs:subClassOf*), as SPARQL terms."""
        import pyoxigraph as ox

        if cls not in self._closures:
            rows = self.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* {cls} }}")
            terms = {f"<{row['c'].value}>" for row in rows if isinstance(row["c"], ox.NamedNode)} | {cls}
            self._closures[cls] = " ".join(sorted(terms))
        return self._closures[cls]

    def target(self, targets: list) -> str:
        return f"VALUES ?_t {{ {' '.join(self.closure(c.n3()) for c in targets)} }} ?this a ?_t ."

    def expand(self, text: str) -> str:
        return re.sub(r"\{CLOSURE (<[^>]+>)\}", lambda m: self.closure(m.group(1)), text)


def flagged_focus_nodes(store, name, plan: Plan) -> set:
    """Focus nodes (rdflib terms) that may violate a core constraint of ``plan``."""
    run = _Runner(store, name)
    flagged = set()
    for targets, body in detection_bodies(plan.checks):
        target = run.target(targets)
        body = run.expand(body)
        if body.startswith("{GROUP}"):
            text = f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {target} }} }} {body[len('{GROUP}'):]}"
        else:
            text = f"SELECT DISTINCT ?this WHERE {{ {target} {body} }}"
        flagged.update(_to_rdflib(row["this"]) for row in run.query(text))
    for targets, path, pattern, flags in plan.patterns:
        regex = re.compile(pattern, flags)
        text = f"SELECT ?this ?v WHERE {{ {run.target(targets)} ?this {path} ?v }}"
        for row in run.query(text):
            v = row["v"]
            ok = (v.__class__.__name__ == "Literal" and v.datatype.value in (str(XSD.string), str(RDF.langString))) or (
                v.__class__.__name__ == "NamedNode" and not v.value.startswith(SKOLEM))
            if not ok or not regex.search(v.value):
                flagged.add(_to_rdflib(row["this"]))
    for targets, alternatives in plan.xone:
        paths = sorted({p for alt in alternatives for p, _, _ in alt})
        counts: dict = {}
        for i, path in enumerate(paths):
            text = (f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                    f"{{ SELECT DISTINCT ?this WHERE {{ {run.target(targets)} }} }} "
                    f"OPTIONAL {{ ?this {path} ?v }} }} GROUP BY ?this")
            for row in run.query(text):
                counts.setdefault(_to_rdflib(row["this"]), [0] * len(paths))[i] = int(row["n"].value)
        for focus, n in counts.items():
            conforming = sum(all((lo is None or n[paths.index(p)] >= lo) and (hi is None or n[paths.index(p)] <= hi)
                                 for p, lo, hi in alt) for alt in alternatives)
            if conforming != 1:
                flagged.add(focus)
    return flagged


def sparql_results(store, name, plan: Plan) -> list[tuple]:
    """Results of the ``sh:sparql`` constraints, as pySHACL builds them: (severity, focus, path, message, value, constraint)."""
    import pyoxigraph as ox

    run = _Runner(store, name)
    out = []
    for c in plan.sparql:
        focus_rows = run.query(f"SELECT DISTINCT ?this WHERE {{ {run.target(c.targets)} }}")
        focus = {row["this"] for row in focus_rows}
        rows = []
        if c.global_:
            rows = [row["this"] for row in run.query(c.query) if row["this"] in focus]
        else:
            for f in focus:
                for row in run.store.query(c.query, default_graph=name, substitutions={ox.Variable("this"): f}):
                    rows.append(row["this"] if row["this"] is not None else f)
        for f in sorted(set(rows), key=str):
            node = _to_rdflib(f)
            out.append((c.severity, node, None, c.message, node, SH.SPARQLConstraintComponent))
    return out


def sparql_patterns(query: str) -> tuple[set[str], set[str]] | None:
    """The predicates (N-Triples text) a SPARQL query's triple patterns name and the classes its rdf:type patterns
    name; None when a pattern has a variable predicate or a typed pattern a variable class (it reads everything)."""
    from rdflib.paths import Path as RdfPath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    predicates, classes = set(), set()

    def visit(node) -> bool:
        if isinstance(node, dict) or hasattr(node, "items"):
            for key, value in node.items():
                if key == "triples":
                    for s, p, o in value:
                        if isinstance(p, Variable):
                            return False
                        if isinstance(p, RdfPath):
                            for term in re.findall(r"<[^>]+>", p.n3()):
                                predicates.add(term)
                            continue
                        predicates.add(p.n3())
                        if p.n3() == _TYPE:
                            if isinstance(o, Variable):
                                return False
                            classes.add(o.n3())
                elif not visit(value):
                    return False
        elif isinstance(node, (list, tuple)):
            return all(visit(v) for v in node)
        return True

    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # noqa: BLE001 - a query rdflib cannot read: treat it as reading everything
        return None
    return (predicates, classes) if visit(algebra) else None


def read_predicates(plan: Plan) -> set[str] | None:
    """The predicates (N-Triples text) of the triples ``plan`` reads: the paths of its checks, ``rdf:type``,
    ``rdfs:subClassOf`` and what its SPARQL constraints name; None when a SPARQL constraint may read any.

    Validating a store without the other triples gives the same report: the checks
    and pySHACL's explanations of the nodes they flag read only these.
    """
    found = {_TYPE, RDFS.subClassOf.n3()}
    for c in plan.checks:
        found.add(c.path.lstrip("^"))
        if c.kind == "disjoint":
            found.update(re.findall(r"<[^>]+>", c.test))
    found.update(p.lstrip("^") for _, alternatives in plan.xone for alt in alternatives for p, _, _ in alt)
    found.update(path.lstrip("^") for _, path, _, _ in plan.patterns)
    for c in plan.sparql:
        named = sparql_patterns(c.query)
        if named is None:
            return None
        found |= named[0]
    return found


def subgraph(data: Graph, focus: set, part: Graph | None = None, ontology: Graph | None = None) -> Graph:
    """What pySHACL needs to validate ``focus`` nodes: their triples, the types of their values, class axioms,
    and ``part`` (the ontology part pySHACL would mix in, see :func:`ontology_part`).

    Namespace bindings are those pySHACL's mix-in gives (``data``'s, then the
    ``ontology``'s missing ones): its default messages name nodes with them.
    """
    sub = Graph()
    for prefix, ns in data.namespaces():
        sub.bind(prefix, ns, override=True, replace=True)
    if ontology is not None:
        known = {p for p, _ in sub.namespaces()}
        for prefix, ns in ontology.namespaces():
            if prefix not in known:
                sub.bind(prefix, ns)
    values = set()
    for f in focus:
        for t in data.triples((f, None, None)):
            sub.add(t)
            values.add(t[2])
    for v in values:
        if not isinstance(v, Literal):
            for t in data.triples((v, RDF.type, None)):
                sub.add(t)
    for t in data.triples((None, RDFS.subClassOf, None)):
        sub.add(t)
    if part is not None:
        for t in part:
            sub.add(t)
    return sub
