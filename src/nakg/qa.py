"""Ontology quality assurance, the ODK way: violation queries that must return nothing, plus a reasoner check.

:func:`run_qa` runs every query of ``queries/violations/`` (each one a check;
its header comment says what it looks for) over the ontology —
``ontology/nakg.ttl`` and ``ontology/nakg-defined.ttl`` by default — and,
optionally, the data, then asks a reasoner whether the whole is consistent and
which classes are unsatisfiable. A check passes when it finds no row. The
checks of this module (``qa-*.rq``) cover: exactly one English label and an
English definition per term, no class outside the ontology's own tree (except
the listed top-level classes), properties with domain and range where one is
meant, no individual in two disjoint classes, well-formed mapping targets and
the ontology metadata (title, description, licence, version IRI, creator).

>>> report = run_qa(reasoner=None)
>>> report.ok, len(report.checks) >= 12
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

__all__ = ["QACheck", "QAReport", "run_qa", "violation_queries", "load_ontology"]


@dataclass
class QACheck:
    """One check: its name, what it looks for, and the rows (problems) it found."""

    name: str
    description: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "query"

    @property
    def passed(self) -> bool:
        return not self.rows

    def __str__(self) -> str:
        status = "ok" if self.passed else f"FAILED ({len(self.rows)})"
        return f"{self.name}: {status}"


@dataclass
class QAReport:
    """Every check of a QA run; ``ok`` when all passed."""

    checks: list[QACheck]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[QACheck]:
        return [c for c in self.checks if not c.passed]

    def check(self, name: str) -> QACheck:
        """The check called ``name`` (the query file's stem, or ``reasoner``)."""
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no QA check '{name}' (known: {', '.join(c.name for c in self.checks)})")

    def text(self, limit: int = 10) -> str:
        """A readable report: one line per check, then up to ``limit`` rows of each failure."""
        lines = [f"QA: {len(self.checks) - len(self.failures)}/{len(self.checks)} checks passed"]
        for c in self.checks:
            lines.append(f"  {c}")
            for row in c.rows[:limit]:
                lines.append("      " + ", ".join(f"{k}={v}" for k, v in row.items() if v is not None))
            if len(c.rows) > limit:
                lines.append(f"      … {len(c.rows) - limit} more")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        return {"ok": self.ok, "notes": self.notes,
                "checks": [{"name": c.name, "kind": c.kind, "description": c.description, "passed": c.passed,
                            "rows": c.rows} for c in self.checks]}


def violation_queries(folder: Path | None = None) -> list[Path]:
    """The violation queries (``*.rq``) of the shipped query library, sorted.

    >>> any(p.name == "qa-class-without-parent.rq" for p in violation_queries())
    True
    """
    from .resources import queries_dir

    return sorted((folder or queries_dir() / "violations").glob("*.rq"))


def _description(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(x for x in lines if x)


def load_ontology() -> Graph:
    """The shipped ontology: ``ontology/nakg.ttl`` and ``ontology/nakg-defined.ttl``."""
    from .reason.graphs import defined_ontology_path
    from .resources import ontology_path

    g = Graph()
    g.parse(ontology_path(), format="turtle")
    g.parse(defined_ontology_path(), format="turtle")
    return g


def _as_graph(source) -> Graph:
    if source is None:
        return Graph()
    if isinstance(source, Graph):
        return source
    if hasattr(source, "graph"):
        return source.graph
    g = Graph()
    for path in ([source] if isinstance(source, (str, Path)) else source):
        p = Path(path)
        g.parse(p, format="nt" if p.suffix == ".nt" else "turtle")
    return g


def _query_graph(triples: Iterable, notes: list[str]):
    """An Oxigraph-backed graph holding ``triples`` (fast property paths); rdflib's memory store
    when Oxigraph refuses a term (e.g. an IRI with a space, which a bad fixture may contain)."""
    from .api import KnowledgeGraph
    from .store import DEFAULT_STORE, open_graph

    triples = list(triples)
    try:
        g = open_graph(DEFAULT_STORE)
        g.addN((s, p, o, g) for s, p, o in triples)
        return KnowledgeGraph(g, DEFAULT_STORE)
    except Exception as exc:  # a term the store cannot hold: query the same triples with rdflib
        notes.append(f"queries ran on the in-memory store ({DEFAULT_STORE} refused a term: {exc})")
        g = Graph()
        for t in triples:
            g.add(t)
        return KnowledgeGraph(g, "memory")


def run_qa(ontology=None, data=None, *, reasoner: str | None = "hermit", queries: list[Path] | None = None) -> QAReport:
    """Run the violation queries and the reasoner check.

    Args:
        ontology: an rdflib graph, a file or a list of files; default the shipped
            ontology (:func:`load_ontology`).
        data: an rdflib graph, a KnowledgeGraph, a file or None (ontology only).
        reasoner: ``"hermit"``, ``"owlrl"`` or None to skip the reasoner check.
            The check reports inconsistency (with its culprits) and unsatisfiable classes.
        queries: the query files to run; default every file of ``queries/violations/``.

    Returns:
        A :class:`QAReport`; ``report.ok`` is True when no check found a problem.
    """
    notes: list[str] = []
    onto = load_ontology() if ontology is None else _as_graph(ontology)
    merged = Graph()
    for t in onto:
        merged.add(t)
    for t in _as_graph(data):
        merged.add(t)
    kg = _query_graph(merged, notes)
    checks = []
    for path in queries if queries is not None else violation_queries():
        text = path.read_text(encoding="utf-8")
        checks.append(QACheck(path.stem, _description(text), kg.query(text)))
    if reasoner is not None:
        checks.append(_reasoner_check(merged, reasoner, notes))
    return QAReport(checks, notes)


def _reasoner_check(graph: Graph, reasoner: str, notes: list[str]) -> QACheck:
    from .reason import reason
    from .reason.explain import short

    result = reason(graph, reasoner, with_ontology=False, derive_values=True, realise=False)
    rows: list[dict[str, Any]] = []
    if not result.consistent:
        for c in result.culprits or [None]:
            rows.append({"problem": "inconsistent", "culprit": str(c) if c else "(no culprit isolated)",
                         "individuals": ", ".join(short(i) for i in c.individuals) if c else None,
                         "classes": ", ".join(short(i) for i in c.classes) if c else None})
    for cls in result.unsatisfiable:
        rows.append({"problem": "unsatisfiable class", "class": cls})
    notes += result.notes
    return QACheck("reasoner", f"{result.reasoner}: the ontology (and data) is consistent and every class is satisfiable",
                   rows, kind="reasoner")
