"""Store backends behind one interface: each returns an rdflib ``Graph``.

Backends plug into :data:`STORES`; the default is chosen by the benchmark.

>>> sorted(STORES)
['memory', 'oxigraph']
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from rdflib import Graph

from . import memory, oxigraph

__all__ = ["STORES", "DEFAULT_STORE", "open_graph", "load_into"]

STORES: dict[str, Callable[[Path | None], Graph]] = {
    "oxigraph": oxigraph.open_graph,
    "memory": memory.open_graph,
}
DEFAULT_STORE = "oxigraph"


def open_graph(store: str = DEFAULT_STORE, path: Path | None = None) -> Graph:
    """An empty graph on backend ``store`` (``path``: on-disk location, where supported)."""
    try:
        factory = STORES[store]
    except KeyError:
        raise ValueError(f"unknown store '{store}' (known: {', '.join(sorted(STORES))})") from None
    return factory(path)


def load_into(graph: Graph, files: list[Path]) -> Graph:
    """Parse RDF files (Turtle or N-Triples, by suffix) into ``graph``."""
    fast = graph.store.__class__.__name__ == "OxigraphStore"
    for f in files:
        fmt = "nt" if f.suffix == ".nt" else "turtle"
        graph.parse(f, format=f"ox-{fmt}" if fast else fmt)
    return graph
