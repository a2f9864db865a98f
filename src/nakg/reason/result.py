"""The outcome of a reasoning run: inferred and derived triples, consistency, class members, timings."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from .errors import InconsistentGraph
from .explain import Culprit, short
from .graphs import DERIVED_GRAPH, INFERRED_GRAPH

__all__ = ["ReasoningResult"]


@dataclass
class ReasoningResult:
    """What a reasoner made of the graph.

    Attributes:
        inferred: the entailed triples that are neither asserted nor derived
            (named graph :data:`~nakg.reason.graphs.INFERRED_GRAPH`).
        consistent: False when the graph has no model; see ``culprits``.
        unsatisfiable: IRIs of classes that can have no member.
        wall_time: seconds spent in the reasoner itself (HermiT's Java runs, or owlrl).
        class_members: for every defined class (``owl:equivalentClass`` to a class
            expression), the sorted IRIs of its members, asserted or inferred.
        derived: the values computed by :mod:`nakg.reason.derive` (named graph
            :data:`~nakg.reason.graphs.DERIVED_GRAPH`), never asserted by curators.
        reasoner: ``"hermit"`` or ``"owlrl"`` (the one that actually ran).
        culprits: for an inconsistent graph, the individuals, classes and axioms involved.
        notes: e.g. why the owlrl fallback ran and which inferences it cannot make.
        timings: seconds per step (derive, reasoner runs, closure, explanation).
        cache_key: the key the result is cached under (see :func:`nakg.reason.add_inferred`), if any.
    """

    inferred: Graph
    consistent: bool
    unsatisfiable: list[str]
    wall_time: float
    class_members: dict[str, list[str]]
    derived: Graph = field(default_factory=Graph)
    reasoner: str = "hermit"
    culprits: list[Culprit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    cache_key: str | None = None

    def raise_for_inconsistency(self) -> None:
        """Raise :class:`~nakg.reason.errors.InconsistentGraph` (with the culprits) when inconsistent."""
        if not self.consistent:
            raise InconsistentGraph(self.culprits, self.reasoner)

    def counts(self) -> dict[str, int]:
        """Inferred triples per kind: ``rdf:type`` by class namespace, other predicates by local name."""
        c: Counter = Counter()
        for p in self.inferred.predicates():
            c["rdf:type" if p == RDF.type else short(str(p))] += 1
        return dict(sorted(c.items()))

    def dataset(self) -> Dataset:
        """The derived and inferred triples as two named graphs of one dataset."""
        ds = Dataset()
        for name, g in ((DERIVED_GRAPH, self.derived), (INFERRED_GRAPH, self.inferred)):
            target = ds.graph(name)
            for t in g:
                target.add(t)
        return ds

    def summary(self) -> dict:
        """A JSON-ready summary: consistency, counts, wall time and the members of each defined class."""
        return {
            "reasoner": self.reasoner,
            "consistent": self.consistent,
            "unsatisfiable": self.unsatisfiable,
            "culprits": [str(c) for c in self.culprits],
            "derived_triples": len(self.derived),
            "inferred_triples": len(self.inferred),
            "inferred_by_kind": self.counts(),
            "wall_time_s": round(self.wall_time, 3),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
            "class_members": {short(k): len(v) for k, v in self.class_members.items()},
            "members": {short(k): [short(m) for m in v] for k, v in self.class_members.items()},
            "notes": self.notes,
        }

    def text(self) -> str:
        """A short human-readable report."""
        lines = [f"reasoner: {self.reasoner} ({self.wall_time:.2f} s)",
                 "consistent: yes" if self.consistent else "consistent: NO"]
        lines += [f"  culprit: {c}" for c in self.culprits]
        if self.unsatisfiable:
            lines.append("unsatisfiable classes: " + ", ".join(short(c) for c in self.unsatisfiable))
        lines.append(f"derived triples: {len(self.derived)}; inferred triples: {len(self.inferred)}")
        for k, v in self.counts().items():
            lines.append(f"  {k}: {v}")
        lines.append("defined classes (members):")
        for k, v in self.class_members.items():
            lines.append(f"  {short(k)}: {len(v)}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def write(self, out_dir: Path | str) -> dict[str, Path]:
        """Write ``inferred.nt``, ``derived.nt`` (sorted N-Triples), ``inferred.trig`` (both named graphs)
        and ``reasoning.json`` to ``out_dir``; return the paths."""
        from ..io import atomic_write_bytes, atomic_write_text

        out = Path(out_dir)
        paths = {"inferred": out / "inferred.nt", "derived": out / "derived.nt", "trig": out / "inferred.trig",
                 "summary": out / "reasoning.json"}
        atomic_write_bytes(paths["inferred"], _sorted_nt(self.inferred))
        atomic_write_bytes(paths["derived"], _sorted_nt(self.derived))
        atomic_write_bytes(paths["trig"], _trig({DERIVED_GRAPH: self.derived, INFERRED_GRAPH: self.inferred}))
        atomic_write_text(paths["summary"], json.dumps(self.summary(), indent=2, ensure_ascii=False) + "\n")
        return paths


def _trig(graphs: dict) -> bytes:
    """TriG with one block per named graph, statements sorted (N-Triples lines are valid inside a TriG block)."""
    parts = []
    for name, graph in graphs.items():
        body = _sorted_nt(graph).decode("utf-8")
        parts.append(f"<{name}> {{\n{body}}}\n")
    return "\n".join(parts).encode("utf-8")


def _sorted_nt(graph: Graph) -> bytes:
    data = graph.serialize(format="nt", encoding="utf-8")
    lines = sorted(set(line for line in data.splitlines() if line.strip()))
    return b"\n".join(lines) + (b"\n" if lines else b"")
