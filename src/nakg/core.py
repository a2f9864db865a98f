"""The core graph type: the ontology and data graph on one store, and SELECT queries over it.

Everything that reads the graph (tables, views, analytics, the resolver)
depends on :class:`GraphCore` only; :class:`nakg.api.KnowledgeGraph` builds the
rich Python API on top of it. Nothing here imports a module above it.

>>> from nakg import load
>>> isinstance(load(), GraphCore)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import Graph, Literal

from .store import DEFAULT_STORE

__all__ = ["GraphCore"]


@dataclass
class GraphCore:
    """The ontology and data graph on one store, with SELECT queries bound safely.

    ``cache`` holds what is computed once per graph (tables, the resolver's index).
    """

    graph: Graph
    store: str = DEFAULT_STORE
    _tables: dict = field(default_factory=dict, repr=False, compare=False)
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    reasoning: Any = field(default=None, repr=False, compare=False)  # a nakg.reason.ReasoningResult after load(inferred=True)

    def __len__(self) -> int:
        return len(self.graph)

    def query(self, sparql: str, *, allow_service: bool = False, **params: Any) -> list[dict[str, Any]]:
        """Run a SELECT query; ``params`` are bound as variables (never pasted into the text).

        Values are converted to Python: literals to their Python value, IRIs to strings.
        A ``SERVICE`` pattern makes the embedded store fetch data from another
        server, so it is refused unless ``allow_service`` is true.

        >>> rows = __import__("nakg").load().query("SELECT ?f WHERE { ?m nakg:formula ?f ; nakg:recordId ?id }", id="na3zr2si2po12")
        >>> rows[0]["f"]
        'Na3Zr2Si2PO12'
        """
        from .errors import QueryError
        from .rdf.namespaces import PREFIXES
        from .sparql import bind_parameters

        from .store import oxigraph

        text = bind_parameters(sparql, params)
        native = oxigraph.native(self.graph) is not None
        prefixes = {prefix: str(ns) for prefix, ns in self.graph.namespaces()} | _prefixes() if native else None
        if not allow_service and self.store != "remote":
            from .sparql import uses_service

            # decided on the parse of the engine that runs the query (Oxigraph's, or rdflib's on the memory store)
            if uses_service(text, "oxigraph" if native else "rdflib", prefixes):
                raise QueryError("the query has a SERVICE pattern (or the store cannot tell that it has none), which "
                                 "makes the store fetch data from another server; pass allow_service=True to run it")
        if native:  # straight on the store: no rdflib terms in between
            try:
                return oxigraph.select(self.graph, text, prefixes)
            except TypeError:
                raise QueryError("KnowledgeGraph.query runs SELECT queries; use kg.graph.query for ASK, "
                                 "CONSTRUCT and DESCRIBE") from None
            except Exception as exc:  # Oxigraph's syntax and evaluation errors
                raise QueryError(f"query failed: {exc}") from exc
        try:
            result = self.graph.query(text, initNs=PREFIXES)
        except QueryError:
            raise
        except Exception as exc:  # parser errors differ per backend
            raise QueryError(f"query failed: {exc}") from exc
        if result.type != "SELECT":
            raise QueryError("KnowledgeGraph.query runs SELECT queries; use kg.graph.query for ASK, CONSTRUCT and DESCRIBE")
        rows = []
        for row in result:
            rows.append({str(var): (term.toPython() if isinstance(term, Literal) else (str(term) if term is not None else None))
                         for var, term in zip(result.vars, row)})
        return rows


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, str]:
    from .rdf.namespaces import PREFIXES

    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}
