"""The Python API: load the knowledge graph and ask it questions.

>>> kg = load()
>>> kg.material("na3zr2si2po12")["formula"]
'Na3Zr2Si2PO12'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal

from .rdf import iris
from .store import DEFAULT_STORE, load_into, open_graph

__all__ = ["KnowledgeGraph", "load"]


@dataclass
class KnowledgeGraph:
    """The ontology and data graph on one store, with small helpers around SPARQL."""

    graph: Graph
    store: str = DEFAULT_STORE

    def __len__(self) -> int:
        return len(self.graph)

    def query(self, sparql: str, **params: Any) -> list[dict[str, Any]]:
        """Run a SELECT query; ``params`` are bound as variables (never pasted into the text).

        Values are converted to Python: literals to their Python value, IRIs to strings.

        >>> rows = load().query("SELECT ?f WHERE { ?m nakg:formula ?f ; nakg:recordId ?id }", id="na3zr2si2po12")
        >>> rows[0]["f"]
        'Na3Zr2Si2PO12'
        """
        from .errors import QueryError
        from .rdf.namespaces import PREFIXES
        from .sparql import bind_parameters

        text = bind_parameters(sparql, params)
        try:
            result = self.graph.query(text, initNs=PREFIXES)
        except QueryError:
            raise
        except Exception as exc:  # parser errors differ per backend
            raise QueryError(f"query failed: {exc}") from exc
        rows = []
        for row in result:
            rows.append({str(var): (term.toPython() if isinstance(term, Literal) else (str(term) if term is not None else None))
                         for var, term in zip(result.vars, row)})
        return rows

    def to_networkx(self, view: str = "whole"):
        """A networkx projection: ``whole``, ``lineage``, ``dopant-host``, ``cells`` or ``family:<key>``.

        >>> load().to_networkx("dopant-host").number_of_edges() > 10
        True
        """
        from .views import to_networkx

        return to_networkx(self, view)

    def material(self, record_id: str) -> dict[str, Any]:
        """The basic facts of one material: formula, label, family, roles."""
        rows = self.query("""
            SELECT ?formula ?label ?family WHERE {
              ?m nakg:formula ?formula ; rdfs:label ?label .
              OPTIONAL { ?m nakg:belongsToFamily/rdfs:label ?family }
            }""", m=iris.material(record_id))
        if not rows:
            raise KeyError(f"no material '{record_id}'")
        return {"id": record_id, **rows[0]}


def load(path: Path | str | None = None, store: str = DEFAULT_STORE) -> KnowledgeGraph:
    """Load the ontology and the data graph onto ``store``.

    ``path`` is a built data file (``build/nakg.nt`` or ``.ttl``) or a build
    folder; without it the shipped records are compiled in memory.
    """
    from .resources import ontology_path

    graph = open_graph(store)
    load_into(graph, [ontology_path()])
    if path is None:
        from .build import compile_records

        _, data, _ = compile_records()
        for triple in data:
            graph.add(triple)
    else:
        p = Path(path)
        if p.is_dir():
            p = p / "nakg.nt"
        load_into(graph, [p])
    return KnowledgeGraph(graph, store)
