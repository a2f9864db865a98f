"""Oxigraph (via oxrdflib): an embedded Rust store behind the rdflib Graph API."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph


def open_graph(path: Path | None = None) -> Graph:
    """An empty Oxigraph-backed graph, in memory or at the on-disk ``path``."""
    import oxrdflib  # noqa: F401 - registers the "Oxigraph" store plugin

    graph = Graph(store="Oxigraph")
    if path is not None:
        Path(path).mkdir(parents=True, exist_ok=True)
        graph.open(str(path))
    return graph
