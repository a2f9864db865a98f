"""SHACL validation stage: run pySHACL and turn its report into readable results.

Each result names the focus node, the path, the message, the severity and — where
the node was built from a record — the record's file, id and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from .records.model import Record

__all__ = ["ValidationResult", "ValidationReport", "validate_graph", "validate_ntriples", "load_shapes"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, located in the records where possible."""

    severity: str
    focus: str
    path: str | None
    message: str
    value: str | None = None
    constraint: str | None = None
    file: str | None = None
    record: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line} record '{self.record}'" if self.file else "(no source record)"
        path = f" path {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}: {self.focus}{path}: {self.message}{value}"


@dataclass
class ValidationReport:
    """The outcome of validating a graph: results sorted by severity, file and line."""

    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def violation_count(self) -> int:
        return len(self.violations)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        lines = [f"SHACL: {'conforms' if self.conforms else 'does NOT conform'} "
                 f"({len(self.violations)} violation(s), {len(self.warnings)} warning(s))"]
        lines += [f"  {r}" for r in self.results]
        return "\n".join(lines)


def load_shapes(path: Path | None = None) -> Graph:
    """The shipped SHACL shapes (or those at ``path``)."""
    from .resources import shapes_path

    return Graph().parse(path or shapes_path(), format="turtle")


def _locate(focus: URIRef, index: dict[URIRef, Record]) -> Record | None:
    iri = str(focus)
    while iri:
        record = index.get(URIRef(iri))
        if record is not None:
            return record
        if "/" not in iri.split("/resource/", 1)[-1]:
            return None
        iri = iri.rsplit("/", 1)[0]
    return None


def _short(term) -> str | None:
    if term is None:
        return None
    text = str(term)
    for prefix, ns in (("nakg:", "https://w3id.org/nakg/"), ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#")):
        if text.startswith(ns) and "/resource/" not in text:
            return prefix + text[len(ns):]
    return text


def validate_graph(data: Graph, ontology: Graph, shapes: Graph | None = None,
                   index: dict[URIRef, Record] | None = None, engine: str = "auto") -> ValidationReport:
    """Validate ``data`` (with the ``ontology`` mixed in for class hierarchy) against the shapes.

    ``engine``: ``"sparql"`` compiles the shapes to SPARQL on Oxigraph and lets
    pySHACL explain only the focus nodes found (:mod:`nakg.validate_sparql`; the
    same report, much faster), ``"pyshacl"`` runs pySHACL on the whole graph,
    ``"auto"`` (default) uses ``sparql`` unless the shapes need a SHACL feature it
    does not compile.
    """
    from . import validate_sparql as fast

    shapes = shapes if shapes is not None else load_shapes()
    if engine not in ("auto", "sparql", "pyshacl"):
        raise ValueError(f"unknown SHACL engine '{engine}' (auto, sparql, pyshacl)")
    plan = None
    if engine != "pyshacl":
        try:
            plan = fast.compile_shapes(shapes)
        except fast.Unsupported:
            if engine == "sparql":
                raise
    if plan is None:
        results = _pyshacl_results(data, shapes, ontology, index or {})
    else:
        part = fast.ontology_part(ontology) if ontology is not None else None
        store, name, collided = fast.detection_store(data, part, ontology)
        results = _compiled_results(store, name, plan, collided, data, part, ontology, index or {})
    return _sorted_report(results)


def validate_ntriples(data: bytes | Callable[[set[str] | None], bytes | Iterable[bytes]], ontology: Graph,
                      shapes: Graph | None = None, index: dict[URIRef, Record] | None = None,
                      collided: set | None = None) -> ValidationReport:
    """Validate the N-Triples ``data`` as :func:`validate_graph` validates the same triples, without an rdflib graph.

    The triples go straight into an Oxigraph store for the compiled engine; only
    the focus nodes it flags are read back into rdflib for pySHACL to explain.
    ``data`` may be a function that makes the bytes, or pieces of whole lines
    (each dropped once loaded), given the predicates the shapes read
    (:func:`nakg.validate_sparql.read_predicates`, N-Triples text; None: all): it
    may leave out the triples of other predicates, which no check reads.
    ``collided``: subjects whose literals Oxigraph would merge (see
    :func:`nakg.validate_sparql.collisions`), always handed to pySHACL.
    """
    from . import validate_sparql as fast

    shapes = shapes if shapes is not None else load_shapes()
    try:
        plan = fast.compile_shapes(shapes)
    except fast.Unsupported:
        from .rdf.sinks import parse_ntriples

        text = data(None) if callable(data) else data
        return validate_graph(parse_ntriples(text if isinstance(text, bytes) else b"".join(text)), ontology, shapes, index,
                              engine="pyshacl")
    part = fast.ontology_part(ontology) if ontology is not None else None
    store, name = fast.ntriples_store(data(fast.read_predicates(plan)) if callable(data) else data, part)
    del data
    return _sorted_report(_compiled_results(store, name, plan, set(collided or ()), None, part, ontology, index or {}))


def _compiled_results(store, name, plan, collided: set, data: Graph | None, part: Graph | None, ontology: Graph | None,
                      index: dict[URIRef, Record]) -> list[ValidationResult]:
    """Results of the compiled engine on ``store``: pySHACL explains the flagged focus nodes (read from ``data``, or
    from the store when no rdflib graph is given), the ``sh:sparql`` constraints are run over the whole store."""
    from . import validate_sparql as fast

    focus = fast.flagged_focus_nodes(store, name, plan) | collided
    results = []
    if focus:  # pySHACL on the flagged nodes, the ontology part already mixed in as pySHACL mixes it
        source = data if data is not None else fast.focus_graph(store, name, focus)
        sub = fast.subgraph(source, focus, part, ontology)
        results = _pyshacl_results(sub, plan.core_shapes, None, index, keep=focus)
    results.extend(sparql_constraint_results(store, name, plan, index))
    return results


def sparql_constraint_results(store, name, plan, index) -> list[ValidationResult]:
    """The results of the shapes' ``sh:sparql`` constraints over an Oxigraph store, located in the records."""
    from . import validate_sparql as fast

    results = []
    for severity, node, path, message, value, constraint in fast.sparql_results(store, name, plan):
        record = _locate(node, index)
        results.append(ValidationResult(
            severity=str(severity).rsplit("#", 1)[-1], focus=str(node), path=_short(path), message=message,
            value=str(value) if value is not None else None, constraint=_short(constraint),
            file=record.file if record else None, record=record.id if record else None, line=record.line if record else None))
    return results


def _sorted_report(results: list[ValidationResult]) -> ValidationReport:
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results = sorted(results, key=lambda r: (order.get(r.severity, 3), r.file or "", r.line or 0, r.focus, r.path or ""))
    return ValidationReport(results)


def _pyshacl_results(data: Graph, shapes: Graph, ontology: Graph, index: dict[URIRef, Record],
                     keep: set | None = None) -> list[ValidationResult]:
    """Run pySHACL and read its report (only results on ``keep`` focus nodes, when given)."""
    import pyshacl

    _, report_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none",
        advanced=True, allow_warnings=True, abort_on_first=False,
    )
    results = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(node, SH.focusNode)
        if keep is not None and focus not in keep:
            continue
        severity = str(report_graph.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        message = report_graph.value(node, SH.resultMessage)
        record = _locate(focus, index)
        results.append(ValidationResult(
            severity=severity,
            focus=str(focus),
            path=_short(report_graph.value(node, SH.resultPath)),
            message=str(message) if message else "constraint not met",
            value=str(report_graph.value(node, SH.value)) if report_graph.value(node, SH.value) is not None else None,
            constraint=_short(report_graph.value(node, SH.sourceConstraintComponent)),
            file=record.file if record else None,
            record=record.id if record else None,
            line=record.line if record else None,
        ))
    return results
